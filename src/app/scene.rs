//! One scene on the page: it maps `view::scene_model` (which run, the clock, the words, the
//! stats) to elements, owns the playback reducer, listens for the playback keys, keeps the URL
//! in step and speaks when the model's `Narrator` says. The picture itself is drawn by
//! `scenes::picture`, whose state and effect are the scene's (`scenes::Kept`).

use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::app::controls::controls;
use crate::app::hooks::{
    focus_of, nothing, parse_seek_message, unlisten, use_effect_on, use_frames, use_media_query,
    use_on_screen, use_width, Deps, Effect,
};
use crate::app::legend::legend as draw_legend;
use crate::app::markup::{el, list, when, Markup};
use crate::app::scenes::playground::{playground, PlaygroundProps};
use crate::app::scenes::{self, Held, Kept, PictureProps};
use crate::app::setup::Setup;
use crate::app::share::{downloads, share, ShareProps};
use crate::app::stats::stats as draw_stats;
use crate::sim::decimal;
use crate::sim::time::SimTime;
use crate::view::change::Change;
use crate::view::config::PageConfig;
use crate::view::playback::{Action, Changes, Control, Playback};
use crate::view::scene_model::{SceneModel, Slot};
use crate::view::timeline::Rows;

impl Reducible for Playback {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = (*self).clone().apply(action);
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct SceneProps {
    pub config: PageConfig,
    /// The reader changed the setup.
    pub on_change: Callback<Change>,
    /// Whether this scene owns the page's URL and its keys (false for inline widgets).
    #[prop_or(true)]
    pub owns_page: bool,
    /// A unique prefix for ids inside this scene.
    pub uid: AttrValue,
}

#[component]
pub fn Scene(props: &SceneProps) -> Html {
    let config = &props.config;
    let scene = config.scene;
    // The runs, once per setup; the playground keeps the last run that worked on screen while
    // its code has a problem.
    let held = use_mut_ref(Held::default);
    let [root, width_ref, picture_node, guess_input] = held.borrow().nodes.clone();
    let runs = held.borrow_mut().remembered.runs(scene, &config.scenario);
    let clock = runs.clock(config);
    let end = clock.end;
    let playback = use_reducer(|| Playback::new(clock.start, end, clock.speed));
    use_dispatch_on(
        end.as_secs_f64().to_bits(),
        playback.clone(),
        Some(Action::NewRun { end }),
    );
    use_dispatch_on(
        clock.speed.to_bits(),
        playback.clone(),
        Some(Action::SetSpeed(clock.speed)),
    );
    let reduced_motion = use_media_query("(prefers-reduced-motion: reduce)");
    {
        let playback = playback.clone();
        use_frames(
            playback.playing && scene.has_clock(),
            reduced_motion,
            Callback::from(move |ms| playback.dispatch(Action::Tick(ms))),
        );
    }

    // The change times, for stepping: computed at the first control of each run (a play or a
    // step), not during the page's first render.
    // The run is read when the control comes, not when the callback was made: the keyboard's
    // listener keeps the callback of the first render.
    held.borrow_mut().shown_run = runs.run().cloned();
    let on_control = {
        let (playback, held) = (playback.clone(), held.clone());
        Callback::from(move |c: Control| {
            // Borrowed only while the change times are found: a dispatch may draw the scene.
            let current = {
                let held = &mut *held.borrow_mut();
                match (&held.shown_run, &mut held.changes) {
                    (Some(trace), Some((of, current))) if of == trace => current.clone(),
                    (Some(trace), slot) => {
                        let current = Rc::new(trace.changes());
                        *slot = Some((trace.clone(), current.clone()));
                        current
                    }
                    (None, _) => Rc::new(Changes::default()),
                }
            };
            for action in playback.actions_for(c, &current) {
                playback.dispatch(action);
            }
        })
    };

    // Keys: on the whole document for the page's own scene, on the widget only when embedded.
    {
        let on_control = on_control.clone();
        let root = root.clone();
        let owns_page = props.owns_page;
        use_effect_on(
            Deps::key(u64::from(owns_page)),
            Box::new(move || {
                let target: Option<web_sys::EventTarget> = if owns_page {
                    web_sys::window().and_then(|w| w.document()).map(Into::into)
                } else {
                    root.cast::<web_sys::Element>().map(Into::into)
                };
                let options = EventListenerOptions::enable_prevent_default();
                let listener = target.map(|target| {
                    EventListener::new_with_options(&target, "keydown", options, move |event| {
                        let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                            return;
                        };
                        if event.ctrl_key() || event.meta_key() || event.alt_key() {
                            return;
                        }
                        let Some(control) = Control::from_key_at(&event.key(), focus_of(event))
                        else {
                            return;
                        };
                        // Space on a focused button would also click it: one toggle, not two.
                        event.prevent_default();
                        on_control.emit(control);
                    })
                });
                unlisten(listener)
            }),
        );
    }

    // An inline widget scrolled off screen stops playing, so a long article stays cheap.
    let on_screen = use_on_screen(root.clone(), !props.owns_page);
    use_dispatch_on(
        u64::from(on_screen),
        playback.clone(),
        (!on_screen).then_some(Action::Pause),
    );
    // Inside an iframe, the parent page may move the clock; every other message is ignored.
    {
        let playback = playback.clone();
        let listen = config.embed && props.owns_page;
        use_effect_on(
            Deps::key(u64::from(listen)),
            Box::new(move || {
                let listener = web_sys::window().filter(|_| listen).map(|window| {
                    let parent = window.parent().ok().flatten();
                    EventListener::new(&window, "message", move |event| {
                        let Some(event) = event.dyn_ref::<web_sys::MessageEvent>() else {
                            return;
                        };
                        let from_parent = match (event.source(), &parent) {
                            (Some(source), Some(parent)) => {
                                let source: &wasm_bindgen::JsValue = source.as_ref();
                                let parent: &wasm_bindgen::JsValue = parent.as_ref();
                                source == parent
                            }
                            _ => false,
                        };
                        if let (true, Some(t)) = (from_parent, parse_seek_message(&event.data())) {
                            playback.dispatch(Action::Pause);
                            playback.dispatch(Action::Seek(SimTime::from_secs_f64(t)));
                        }
                    })
                });
                unlisten(listener)
            }),
        );
    }

    // The URL follows the state whenever the clock rests (not every frame while playing, when
    // the query is not even made).
    {
        let query = (props.owns_page && !playback.playing)
            .then(|| clock.query(config, playback.speed, playback.moment()));
        let playing = playback.playing;
        use_effect_on(
            Deps::text(query.clone(), u64::from(playing)),
            Box::new(move || {
                if let (Some(query), false) = (query, playing) {
                    replace_query(&query);
                }
                nothing()
            }),
        );
    }

    let width = use_width(width_ref.clone(), 960.0, held.borrow().width.clone());
    let t = clock.shown(scene, playback.t);
    let on_seek = {
        let playback = playback.clone();
        Callback::from(move |t: SimTime| {
            playback.dispatch(Action::Pause);
            playback.dispatch(Action::Seek(t));
        })
    };
    // The pictures' hooks, made on every render: the scene draws no picture before its width is
    // known, and Yew holds hooks to one order.
    let kept = Kept {
        node: picture_node,
        dark: use_media_query("(prefers-color-scheme: dark)"),
        held: held.clone(),
        text: use_state(|| config.scenario.code.clone().unwrap_or_default()),
    };
    let mut picture_effect = None;
    let pending = "al-picture al-picture-pending";
    // One slot for the picture, whatever fills it: (its classes, its role, what is in it).
    let (class, role, content) = match (runs.slot(width.is_some()), runs.run(), width) {
        (Slot::Picture, Some(trace), Some(width)) => {
            let picture = PictureProps {
                trace: trace.clone(),
                other: runs.other.clone(),
                t,
                width,
                uid: props.uid.clone(),
                config: config.clone(),
                on_change: props.on_change.clone(),
                on_seek,
                failure: runs.failure.clone(),
            };
            let (html, effect) = scenes::picture(picture, &kept);
            picture_effect = effect;
            ("al-picture", None, html)
        }
        (Slot::Editor, _, Some(width)) => {
            let editor = PlaygroundProps {
                trace: None,
                failure: runs.failure.clone(),
                t,
                width,
                uid: props.uid.clone(),
                config: config.clone(),
                on_change: props.on_change.clone(),
            };
            let (html, effect) = playground(&editor, &kept);
            picture_effect = effect;
            ("al-picture", None, html)
        }
        (Slot::Error(words), _, _) => ("al-picture al-error", Some("alert"), words.into()),
        _ => (pending, None, Html::default()),
    };
    let (deps, effect) = picture_effect.unwrap_or_else(|| {
        let none: Effect = Box::new(nothing);
        (Deps::key(u64::MAX), none)
    });
    use_effect_on(deps, effect);
    let looks = held.borrow_mut().remembered.legend(&runs, config.follow);
    let model = SceneModel::at(config, &runs, t, width.is_some());
    // Whether the distribution of waits is open (drawn only then).
    let waits_open = use_state(|| false);
    let stats = model
        .strip
        .as_ref()
        .map(|s| draw_stats(s, &runs.all(), t, &waits_open))
        .unwrap_or_default();
    let narration = {
        let now_ms = web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now());
        held.borrow_mut()
            .narrator
            .speak(model.narration.clone(), playback.playing, now_ms)
            .to_string()
    };
    let register = {
        let on_change = props.on_change.clone();
        let playback = playback.clone();
        Callback::from(move |_: MouseEvent| {
            on_change.emit(Change::Register(playback.t));
            if !playback.playing {
                playback.dispatch(Action::TogglePlay);
            }
        })
    };
    let downloads = runs
        .run()
        .map(|trace| downloads(trace, scene))
        .unwrap_or_default();
    let follow_select = model
        .follow_rows
        .map(|rows| follow_choice(rows, config.follow, &props.on_change));
    // The state of the functions drawn below: what was copied last.
    let copied = use_state(String::new);
    let guess = Guess {
        input: guess_input,
        error: use_state(String::new),
    };
    let predict_first = {
        let on_change = props.on_change.clone();
        let playback = playback.clone();
        Callback::from(move |_: MouseEvent| {
            playback.dispatch(Action::Pause);
            playback.dispatch(Action::Seek(SimTime::ZERO));
            on_change.emit(Change::Predict);
        })
    };

    // Each level of chrome is the same section with parts left out (`view::chrome`).
    let parts = model.parts;
    let clocked = scene.has_clock();
    let mut m = Markup::new();
    el!(m, "section", class = "al-scene", tabindex = (!props.owns_page).then_some("0"),
        "aria-label" = scene.label(); {
        m.node_ref(root.clone());
        match model.lede {
            Some(words) => el!(m, "p", class = "al-lede"; { m.text(words) }),
            None => m.node(Html::default()),
        }
        match model.watch {
            Some(words) => el!(m, "p", class = "al-watch", "data-watch" = ""; { m.say(words) }),
            None => m.node(Html::default()),
        }
        match model.question {
            Some(question) => {
                let on_play = on_control.reform(|_: ()| Control::TogglePlay);
                predict(&mut m, question, config, &props.on_change, on_play, &guess);
            }
            None => list!(m, {
                m.node(draw_legend(&looks));
                el!(m, "div", class = class, role = role; {
                    m.node_ref(width_ref);
                    m.node(content);
                });
                match model.story {
                    Some(words) => el!(m, "p", class = "al-story", "data-story" = ""; { m.say(words) }),
                    None => m.node(Html::default()),
                }
                when!(m, clocked, { m.node(controls(&playback, &on_control, !parts.full_playback)) });
                when!(m, parts.rest, {
                    match model.reveal {
                        Some(words) => el!(m, "p", class = "al-reveal", "data-reveal" = ""; { m.say(words) }),
                        None => m.node(Html::default()),
                    }
                    el!(m, "div", class = "al-actions"; {
                        when!(m, scene.predicts(), {
                            el!(m, "button", class = "al-btn al-btn-text"; {
                                m.onclick(predict_first);
                                m.text("Predict first");
                            });
                        });
                        // Always one node, even when absent: Yew matches unkeyed siblings from the
                        // end, so a child that comes and goes would remake every node before it.
                        m.node(follow_select.unwrap_or_default());
                        when!(m, clocked, {
                            el!(m, "button", class = "al-btn al-btn-text",
                                disabled = (!model.can_register).then_some("disabled"),
                                title = "A new student arrives now; watch it flow through"; {
                                m.onclick(register);
                                m.text("Register a student now");
                            });
                        });
                        let (moment, speed) = (playback.moment(), clock.chosen(playback.speed));
                        m.node(share(ShareProps { config, moment, speed, scene: &root }, &copied, &held));
                        m.node(downloads);
                    });
                });
                m.node(stats);
                match model.formula {
                    Some(f) => el!(m, "p", class = "al-formula"; {
                        el!(m, "span", class = "al-formula-part"; {
                            m.say(f.lead);
                            el!(m, "strong", "data-formula-value" = f.value; { m.say(f.text) });
                        });
                        el!(m, "span", class = "al-formula-part"; {
                            m.text("Simulated: the last student waited ");
                            el!(m, "strong", "data-simulated-value" = f.simulated; { m.say(f.simulated_text) });
                        });
                    }),
                    None => m.node(Html::default()),
                }
            }),
        }
        when!(m, parts.rest, {
            // A component, so the clock's frames leave its fields alone: a value being typed
            // would be put back to the run's on every frame.
            m.node(html! {
                <Setup config={config.clone()} on_change={props.on_change.clone()} students={model.students} />
            });
        });
        el!(m, "p", class = "al-visually-hidden", "aria-live" = "polite"; { m.say(narration) });
    });
    m.finish()
}

/// Dispatches `action` (if any) to `playback` on the first render and whenever `key` changes:
/// the action of the render that changed it.
#[hook]
fn use_dispatch_on(key: u64, playback: UseReducerHandle<Playback>, action: Option<Action>) {
    use_effect_on(
        Deps::key(key),
        Box::new(move || {
            if let Some(action) = action {
                playback.dispatch(action);
            }
            nothing()
        }),
    );
}

/// The scene's question and "Your guess": Enter keeps the guess (the URL's `guess`) and plays; a
/// guess that is not a number of seconds is named beside the field. A function, not a component:
/// its field and its error are the scene's hooks (`guess`).
fn predict(
    m: &mut Markup,
    question: String,
    config: &PageConfig,
    on_change: &Callback<Change>,
    on_play: Callback<()>,
    guess: &Guess,
) {
    let Guess { input, error } = guess;
    let onsubmit = {
        let (config, on_change) = (config.clone(), on_change.clone());
        let (error, input) = (error.clone(), input.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = input
                .cast::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let change = Change::Guess(text);
            match config.apply(change.clone()) {
                Err(bad) => error.set(format!("async-lanes: {bad}")),
                Ok(_) => {
                    error.set(String::new());
                    on_change.emit(change);
                    on_play.emit(());
                }
            }
        })
    };
    el!(m, "form", class = "al-predict"; {
        m.on(Rc::new(yew::html::onsubmit::Wrapper::new(onsubmit)));
        el!(m, "p", class = "al-question"; { m.say(question) });
        el!(m, "label", class = "al-field"; {
            el!(m, "span"; {
                m.text("Your guess");
                el!(m, "small", class = "al-muted"; { m.text(" (seconds)") });
            });
            el!(m, "input", "type" = "number", inputmode = "decimal", min = "0", step = "any", required = "required"; {
                m.node_ref(input.clone());
            });
        });
        el!(m, "button", class = "al-btn", "type" = "submit"; { m.text("Guess, then play") });
        if error.is_empty() {
            m.node(Html::default());
        } else {
            el!(m, "p", class = "al-notice", role = "alert"; { m.say((**error).clone()) });
        }
    });
}

/// The question's field and the message about a guess that is not a number.
struct Guess {
    input: NodeRef,
    /// The message about a guess that is not a number, empty when there is none.
    error: UseStateHandle<String>,
}

/// "Follow a student": a select of the timeline's students, the keyboard's way to what a click on
/// a row does.
fn follow_choice(rows: Rows, follow: Option<u32>, on_change: &Callback<Change>) -> Html {
    let onchange = on_change.reform(|e: Event| {
        let value = e
            .target_dyn_into::<web_sys::HtmlSelectElement>()
            .map(|s| s.value())
            .unwrap_or_default();
        Change::Follow(decimal::whole_u32(&value))
    });
    let mut m = Markup::new();
    el!(m, "label", class = "al-field al-follow"; {
        el!(m, "span"; { m.text("Follow a student") });
        el!(m, "select"; {
            m.onchange(onchange);
            el!(m, "option", value = "", selected = follow.is_none().then_some("selected"); { m.text("nobody") });
            list!(m, {
                for (id, name) in rows.options(follow) {
                    el!(m, "option", value = id.to_string(), selected = (follow == Some(id)).then_some("selected"); {
                        m.say(name);
                    });
                }
            });
        });
    });
    m.finish()
}

/// Puts `query` in the address bar without a new history entry.
fn replace_query(query: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(path) = window.location().pathname() else {
        return;
    };
    if let Ok(history) = window.history() {
        let url = format!("{path}?{query}");
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
