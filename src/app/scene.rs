//! One scene on the page: it runs the core for the scene's scenario, owns the playback clock
//! (one reducer), listens for the playback keys, keeps the URL in step and speaks what
//! `view::page` narrates. The picture itself is drawn by the components it picks for the scene.

use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::app::SharedTrace;

use crate::app::controls::controls;
use crate::app::hooks::{
    focus_of, parse_seek_message, use_effect_on, use_frames, use_media_query, use_on_screen,
    use_width, Deps,
};
use crate::app::legend::legend as draw_legend;
use crate::app::scenes::playground::Playground;
use crate::app::scenes::{self, PictureProps};
use crate::app::setup::Setup;
use crate::app::share::{downloads, Share};
use crate::app::stats::stats as draw_stats;
use crate::sim::time::SimTime;
use crate::sim::{simulate, SimError};
use crate::view::change::Change;
use crate::view::config::{Moment, PageConfig};
use crate::view::follow::story;
use crate::view::format::student_name;
use crate::view::page::{
    compare_stats, compare_with, formula_line, legend, narrate, scene_moment, split_stats, stats_at,
};
use crate::view::playback::{auto_speed, Action, Changes, Control, Playback};
use crate::view::scenes::SceneId;
use crate::view::story::{lede, question, reveal, students_in_words, watch};
use crate::view::timeline::{shown_students, Rows};

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

/// The run of a scenario, or why there is none.
type Run = Result<SharedTrace, SimError>;

#[component]
pub fn Scene(props: &SceneProps) -> Html {
    let config = &props.config;
    let clock = config.scene.has_clock();
    let run: Rc<Run> = use_memo((config.scene, config.scenario.clone()), |(scene, s)| {
        simulate(&scene.run(s)).map(SharedTrace::from)
    });
    // The playground keeps the last run that worked on screen while its code has a problem.
    let last_good = use_mut_ref(|| None::<SharedTrace>);
    let failure = match run.as_ref() {
        Ok(trace) => {
            *last_good.borrow_mut() = Some(trace.clone());
            None
        }
        Err(e) => Some(e.clone()),
    };
    let run: Rc<Run> = match (config.scene, failure.is_some(), last_good.borrow().clone()) {
        (SceneId::Playground, true, Some(trace)) => Rc::new(Ok(trace)),
        _ => run,
    };
    let failure = failure.filter(|_| config.scene == SceneId::Playground);
    // The compare scene runs the other mode on the same arrivals too.
    let other: Rc<Option<Run>> = use_memo((config.scene, config.scenario.clone()), |(scene, s)| {
        (*scene == SceneId::Compare).then(|| simulate(&compare_with(s)).map(SharedTrace::from))
    });
    let end = match run.as_ref() {
        Ok(trace) => trace.end,
        Err(_) => SimTime::ZERO,
    };
    let start_t = match (config.moment, run.as_ref()) {
        (Moment::End, _) => end,
        (Moment::At(t), _) => t,
        (Moment::Scene, Ok(trace)) => scene_moment(config.scene, trace),
        (Moment::Scene, Err(_)) => SimTime::ZERO,
    };
    // Unless the reader set one, the speed follows the run's length (a handler that runs 100
    // times longer plays 100 times faster).
    let auto = auto_speed(end);
    let speed = config.speed.unwrap_or(auto);
    let playback = use_reducer(|| Playback::new(start_t, end, speed));
    use_dispatch_on(
        end.as_secs_f64().to_bits(),
        playback.clone(),
        Some(Action::NewRun { end }),
    );
    use_dispatch_on(
        speed.to_bits(),
        playback.clone(),
        Some(Action::SetSpeed(speed)),
    );
    // A speed the reader chose is part of the state; the one that follows the run is not.
    let chosen_speed = (playback.speed != auto).then_some(playback.speed);
    let reduced_motion = use_media_query("(prefers-reduced-motion: reduce)");
    {
        let playback = playback.clone();
        use_frames(
            playback.playing && clock,
            reduced_motion,
            Callback::from(move |ms| playback.dispatch(Action::Tick(ms))),
        );
    }

    // The change times, for stepping: computed at the first control of each run (a play or a
    // step), not during the page's first render.
    // The run is read when the control comes, not when the callback was made: the keyboard's
    // listener keeps the callback of the first render.
    let changes = use_mut_ref(|| None::<(SharedTrace, Rc<Changes>)>);
    let shown_run = use_mut_ref(|| None::<SharedTrace>);
    *shown_run.borrow_mut() = run.as_ref().as_ref().ok().cloned();
    let on_control = {
        let playback = playback.clone();
        Callback::from(move |c: Control| {
            let trace = shown_run.borrow().clone();
            let current = match (&trace, &mut *changes.borrow_mut()) {
                (Some(trace), Some((of, current))) if of == trace => current.clone(),
                (Some(trace), slot) => {
                    let (backlog, lanes) = trace.series();
                    let current = Rc::new(Changes::of(trace, backlog, lanes));
                    *slot = Some((trace.clone(), current.clone()));
                    current
                }
                (None, _) => Rc::new(Changes::default()),
            };
            for action in playback.actions_for(c, &current) {
                playback.dispatch(action);
            }
        })
    };

    // Keys: on the whole document for the page's own scene, on the widget only when embedded.
    let root = use_node_ref();
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
                Box::new(move || drop(listener))
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
                Box::new(move || drop(listener))
            }),
        );
    }

    // The URL follows the state whenever the clock rests (not every frame while playing, when
    // the query is not even made).
    {
        let query = (props.owns_page && !playback.playing).then(|| {
            PageConfig {
                speed: chosen_speed,
                ..config.clone()
            }
            .to_query(Some(playback.moment()))
        });
        let playing = playback.playing;
        use_effect_on(
            Deps::text(query.clone(), u64::from(playing)),
            Box::new(move || {
                if let (Some(query), false) = (query, playing) {
                    replace_query(&query);
                }
                Box::new(|| ())
            }),
        );
    }

    let width_ref = use_node_ref();
    let width = use_width(width_ref.clone(), 960.0);
    // A scene without a clock shows its run's end, whatever the URL or a key says.
    let t = if clock { playback.t } else { end };

    let on_seek = {
        let playback = playback.clone();
        Callback::from(move |t: SimTime| {
            playback.dispatch(Action::Pause);
            playback.dispatch(Action::Seek(t));
        })
    };
    let other_trace = other
        .as_ref()
        .as_ref()
        .and_then(|r| r.as_ref().ok())
        .cloned();
    // One slot for the picture, whatever fills it: (its classes, its role, what is in it).
    let (class, role, content) = match (run.as_ref(), width) {
        // The frame first: the slot the picture will fill, measured before anything is drawn.
        (Ok(_), None) => ("al-picture al-picture-pending", None, Html::default()),
        (Err(_), None) if config.scene == SceneId::Playground => {
            ("al-picture al-picture-pending", None, Html::default())
        }
        (Ok(trace), Some(width)) => {
            let picture = PictureProps {
                trace: trace.clone(),
                other: other_trace.clone(),
                t,
                width,
                uid: props.uid.clone(),
                config: config.clone(),
                on_change: props.on_change.clone(),
                on_seek,
                failure: failure.clone(),
            };
            ("al-picture", None, scenes::picture(picture))
        }
        // The playground's code has a problem and nothing has run yet: the editor, to fix it.
        (Err(e), Some(width)) if config.scene == SceneId::Playground => (
            "al-picture",
            None,
            html! {
                <Playground trace={None::<SharedTrace>} failure={Some(e.clone())} t={t} {width}
                    uid={props.uid.clone()} config={config.clone()} on_change={props.on_change.clone()} />
            },
        ),
        (Err(e), _) => (
            "al-picture al-error",
            Some("alert"),
            format!("async-lanes: this setup cannot be simulated: {e}").into(),
        ),
    };
    let picture = html! { <div {class} ref={width_ref.clone()} {role}>{ content }</div> };
    // The legend reads the whole run's spans: once per run, not every frame.
    let looks = use_memo(
        (run.clone(), other.clone(), config.follow, config.scene),
        |(run, other, follow, scene)| match run.as_ref() {
            Ok(trace) => {
                let mut traces = vec![&**trace];
                if let Some(Ok(other)) = other.as_ref() {
                    traces.push(&**other);
                }
                legend(*scene, &traces, *follow)
            }
            Err(_) => Vec::new(),
        },
    );
    let stats = match run.as_ref() {
        Ok(trace) => {
            let mut traces = vec![&**trace];
            traces.extend(other_trace.as_deref());
            // Two runs: each side has its own strip, and only the clock is shared.
            let (mut primary, mut more, mut sides) = if traces.len() > 1 {
                let (shared, sides) = compare_stats(&traces, t);
                (shared, Vec::new(), sides)
            } else {
                let (primary, more) = split_stats(config.scene, stats_at(trace, t));
                (primary, more, Vec::new())
            };
            if !config.chrome.parts().all_numbers {
                // The one number that carries the point; two runs carry theirs in the picture,
                // and the strip keeps their shared clock.
                primary.truncate(1);
                more.clear();
                sides.clear();
            }
            let runs: Vec<SharedTrace> = std::iter::once(trace.clone())
                .chain(other_trace.clone())
                .collect();
            draw_stats(&primary, &more, &sides, &runs, t)
        }
        Err(_) => html! {},
    };
    // The live region speaks at most every few seconds while playing, and at once when the
    // reader steps or scrubs.
    let spoken = use_mut_ref(|| (String::new(), f64::NEG_INFINITY));
    let narration = {
        let now_ms = web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now());
        let candidate = match run.as_ref() {
            Ok(trace) => narrate(trace, t),
            Err(_) => String::new(),
        };
        let mut spoken = spoken.borrow_mut();
        if candidate != spoken.0 && (!playback.playing || now_ms - spoken.1 > 4000.0) {
            *spoken = (candidate, now_ms);
        }
        spoken.0.clone()
    };
    let named = other_trace.is_some();
    let formula = run.as_ref().as_ref().ok().and_then(|trace| formula_line(trace, named)).map(|f| {
        html! {
            <p class="al-formula">
                <span class="al-formula-part">{ f.lead }<strong data-formula-value={f.value}>{ f.text }</strong></span>
                <span class="al-formula-part">{ "Simulated: the last student waited " }
                    <strong data-simulated-value={f.simulated}>{ f.simulated_text }</strong></span>
            </p>
        }
    });
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
    let full = !config.can_register(playback.t);
    let downloads = match run.as_ref() {
        Ok(trace) => downloads(trace, config.scene),
        Err(_) => html! {},
    };
    // The followed student's story, and the choice of whom to follow by keyboard.
    let following = match (run.as_ref(), config.follow) {
        (Ok(trace), Some(id)) => story(trace, id, t),
        _ => None,
    };
    let follow_choice = run
        .as_ref()
        .as_ref()
        .ok()
        // Made with the picture, after the page's frame (a hundred options).
        .filter(|_| config.scene.watches() && width.is_some())
        .map(|trace| {
            html! {
                <FollowChoice rows={Rows::of(trace)} follow={config.follow}
                    on_change={props.on_change.clone()} />
            }
        });
    // Predict first: the question hides the picture until the reader has guessed.
    let asking = config.predict && config.guess.is_none() && config.scene.predicts();
    let revealed = match (run.as_ref(), config.guess) {
        (Ok(trace), Some(guess)) => Some(reveal(guess, trace, t)),
        _ => None,
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
    let watching = match run.as_ref() {
        Ok(trace) if config.scene.watches() => {
            let (backlog, lanes) = trace.series();
            Some(watch(trace, backlog, lanes, t))
        }
        _ => None,
    };

    // Each level of chrome is the same section with parts left out (`view::chrome`).
    let parts = config.chrome.parts();
    html! {
        <section class="al-scene" ref={root.clone()} tabindex={(!props.owns_page).then_some("0")}
            aria-label={config.scene.label()}>
            if parts.lede {
                <p class="al-lede">{ lede(config.scene, &config.scenario) }</p>
            }
            if let (Some(words), true) = (watching, parts.headline) {
                <p class="al-watch" data-watch="">{ words }</p>
            }
            if asking && parts.rest {
                <Predict question={question(config.scene, &config.scenario).unwrap_or_default()}
                    config={config.clone()} on_change={props.on_change.clone()}
                    on_play={on_control.reform(|_: ()| Control::TogglePlay)} />
            } else {
            { draw_legend(&looks) }
            { picture }
            if let (Some(words), true) = (following, parts.rest) {
                <p class="al-story" data-story="">{ words }</p>
            }
            if clock {
                { controls(&playback, &on_control, !parts.full_playback) }
            }
            if parts.rest {
            if let Some(words) = revealed {
                <p class="al-reveal" data-reveal="">{ words }</p>
            }
            <div class="al-actions">
                if config.scene.predicts() {
                    <button class="al-btn al-btn-text" onclick={predict_first}>{ "Predict first" }</button>
                }
                // Always one node, even when absent: Yew matches unkeyed siblings from the end, so
                // a child that comes and goes would remake every node before it.
                { follow_choice.unwrap_or_default() }
                if clock {
                    <button class="al-btn al-btn-text" onclick={register} disabled={full}
                        title="A new student arrives now; watch it flow through">{ "Register a student now" }</button>
                }
                <Share config={config.clone()} moment={playback.moment()} speed={chosen_speed} scene={root} />
                { downloads }
            </div>
            }
            { stats }
            if parts.rest {
                { formula.unwrap_or_default() }
            }
            }
            if parts.rest {
                <Setup config={config.clone()} on_change={props.on_change.clone()}
                    students={run.as_ref().as_ref().ok().and_then(|trace| students_in_words(trace))} />
            }
            <p class="al-visually-hidden" aria-live="polite">{ narration }</p>
        </section>
    }
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
            Box::new(|| ())
        }),
    );
}

#[derive(Properties, PartialEq)]
struct PredictProps {
    question: String,
    config: PageConfig,
    on_change: Callback<Change>,
    /// Play once the guess is in.
    on_play: Callback<()>,
}

/// The scene's question and "Your guess": Enter keeps the guess (the URL's `guess`) and plays; a
/// guess that is not a number of seconds is named beside the field.
#[component]
fn Predict(props: &PredictProps) -> Html {
    let error = use_state(|| None::<String>);
    let input = use_node_ref();
    let onsubmit = {
        let (config, on_change, on_play) = (
            props.config.clone(),
            props.on_change.clone(),
            props.on_play.clone(),
        );
        let (error, input) = (error.clone(), input.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = input
                .cast::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let change = Change::Guess(text);
            match config.apply(change.clone()) {
                Err(bad) => error.set(Some(format!("async-lanes: {bad}"))),
                Ok(_) => {
                    error.set(None);
                    on_change.emit(change);
                    on_play.emit(());
                }
            }
        })
    };
    html! {
        <form class="al-predict" {onsubmit}>
            <p class="al-question">{ props.question.clone() }</p>
            <label class="al-field">
                <span>{ "Your guess" }<small class="al-muted">{ " (seconds)" }</small></span>
                <input ref={input} type="number" inputmode="decimal" min="0" step="any" required=true />
            </label>
            <button type="submit" class="al-btn">{ "Guess, then play" }</button>
            if let Some(msg) = (*error).clone() {
                <p class="al-notice" role="alert">{ msg }</p>
            }
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct FollowProps {
    rows: Rows,
    follow: Option<u32>,
    on_change: Callback<Change>,
}

/// "Follow a student": a select of the timeline's students, the keyboard's way to what a click on
/// a row does. A component, so the clock's frames leave its options alone.
#[component]
fn FollowChoice(props: &FollowProps) -> Html {
    let (rows, follow) = (props.rows, props.follow);
    let onchange = props.on_change.reform(|e: Event| {
        let value = e
            .target_dyn_into::<web_sys::HtmlSelectElement>()
            .map(|s| s.value())
            .unwrap_or_default();
        Change::Follow(value.parse().ok())
    });
    html! {
        <label class="al-field al-follow">
            <span>{ "Follow a student" }</span>
            <select {onchange}>
                <option value="" selected={follow.is_none()}>{ "nobody" }</option>
                { for shown_students(rows, follow).into_iter().map(|id| html! {
                    <option value={id.to_string()} selected={follow == Some(id)}>{ student_name(id, rows.students) }</option>
                }) }
            </select>
        </label>
    }
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
