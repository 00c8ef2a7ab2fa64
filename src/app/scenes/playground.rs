//! The playground ("Try it"): the reader writes the handler in a plain `<textarea>` (undo,
//! selection, screen readers and phones work as everywhere), with line numbers and, beside each
//! line, who is on it at `t`; the timeline of the run below. The run follows the typing after a
//! pause (`view::playground::DEBOUNCE_MS`); while the code has a problem, the last run that
//! worked stays on screen and the problem is shown at its line.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::{HtmlDocument, HtmlTextAreaElement};
use yew::prelude::*;

use crate::app::hooks::{nothing, Deps, Effect};
use crate::app::markup::{el, list, when, Markup};
use crate::app::scenes::{Drawn, Kept};
use crate::app::timeline::{timeline_noted, TimelineProps};
use crate::app::SharedTrace;
use crate::sim::time::SimTime;
use crate::sim::SimError;
use crate::view::change::Change;
use crate::view::config::PageConfig;
use crate::view::format;
use crate::view::playground::{
    backspace, indent, newline, preset_of, presets, warning_words, Checked, Edit, Editor,
    DEBOUNCE_MS, NO_RUN_YET, RACE_PRESETS,
};

/// What the playground draws.
pub struct PlaygroundProps {
    /// The last run that worked (`None` before any has).
    pub trace: Option<SharedTrace>,
    /// Why the code as it stands has no run of its own.
    pub failure: Option<SimError>,
    pub t: SimTime,
    pub width: f64,
    pub uid: AttrValue,
    pub config: PageConfig,
    pub on_change: Callback<Change>,
}

/// What the editor keeps between renders.
#[derive(Default)]
pub struct EditorState {
    /// The code this editor last sent: a setup with other code was changed from outside (a
    /// preset), and the editor takes it.
    sent: Option<String>,
    /// The pause after typing, before the run follows.
    pending: Option<Timeout>,
    /// Escape was the last key: the next Tab leaves the editor.
    escaped: bool,
    /// The code (and why it has no run) last checked, and what checking it found.
    checked: Option<(String, Option<SimError>, Rc<Checked>)>,
}

/// The playground: the editor, its problems and warnings, what the handler printed and the
/// run's timeline; and the effect that gives the editor a setup's code changed from outside.
/// A function drawn with the scene: its state is the scene's hooks (`Kept`).
pub fn playground(props: &PlaygroundProps, kept: &Kept) -> Drawn {
    let code = props.config.scenario.code.clone().unwrap_or_default();
    // The text as typed; the setup (and the run) follows it after a pause.
    let text = kept.text.clone();
    let held = kept.held.clone();
    let sync: Effect = {
        let (text, held, code) = (text.clone(), held.clone(), code.clone());
        Box::new(move || {
            // At the first render the text is the setup's already. The borrow ends before the
            // text is set, which may draw the scene.
            let taken = {
                let sent = &mut held.borrow_mut().editor.sent;
                sent.as_ref() != Some(&code) && sent.replace(code.clone()).is_some()
            };
            if taken {
                text.set(code);
            }
            nothing()
        })
    };
    let sync = Some((Deps::text(Some(code.clone()), 1), sync));
    let send = {
        let (on_change, held) = (props.on_change.clone(), held.clone());
        Callback::from(move |value: String| {
            let (on_change, sent) = (on_change.clone(), held.clone());
            let timer = Timeout::new(DEBOUNCE_MS, move || {
                sent.borrow_mut().editor.sent = Some(value.clone());
                on_change.emit(Change::Code(value));
            });
            // Replacing the timer cancels the previous one: only the last pause runs.
            held.borrow_mut().editor.pending = Some(timer);
        })
    };
    // Every new text takes one way, typed or made by a key below: the editor shows it at once,
    // and the run follows after the pause.
    let take = {
        let (text, send) = (text.clone(), send.clone());
        Callback::from(move |value: String| {
            text.set(value.clone());
            send.emit(value);
        })
    };
    let oninput = {
        let take = take.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                take.emit(area.value());
            }
        })
    };
    // Tab indents, Enter keeps the indentation, Backspace takes back one level (the rules are
    // `view::playground`'s); Escape first lets the next Tab leave the editor (no keyboard trap).
    let onkeydown = {
        let (take, held) = (take.clone(), held.clone());
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            let was_escaped =
                std::mem::replace(&mut held.borrow_mut().editor.escaped, key == "Escape");
            // A key that confirms an input method's composition is the input method's.
            let plain =
                !(e.is_composing() || e.shift_key() || e.ctrl_key() || e.alt_key() || e.meta_key());
            let rule: fn(&str, u32, u32) -> Option<Edit> = match key.as_str() {
                "Tab" if !e.shift_key() && !e.is_composing() && !was_escaped => {
                    |text, start, end| Some(indent(text, start, end))
                }
                "Enter" if plain => newline,
                "Backspace" if plain => backspace,
                _ => return,
            };
            let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() else {
                return;
            };
            let value = area.value();
            let start = area.selection_start().ok().flatten().unwrap_or(0);
            let end = area.selection_end().ok().flatten().unwrap_or(start);
            let Some(edit) = rule(&value, start, end) else {
                return;
            };
            e.prevent_default();
            // The browser's own edit fires `input`, which takes the text as typing does.
            if !browser_edit(&area, &edit) {
                let next = edit.apply(&value);
                area.set_value(&next);
                let _ = area.set_selection_range(edit.caret, edit.caret);
                take.emit(next);
            }
        })
    };

    // Compiled once per change of the code (or of why it has no run), not once per frame.
    let checked = {
        let cache = &mut held.borrow_mut().editor.checked;
        match cache {
            Some((c, f, checked)) if *c == code && *f == props.failure => checked.clone(),
            _ => {
                let checked = Rc::new(Checked::of(&code, props.failure.as_ref()));
                *cache = Some((code.clone(), props.failure.clone(), checked.clone()));
                checked
            }
        }
    };
    let (problem, warned) = (&checked.problem, &checked.warnings);
    let editor = Editor::at(&text, &code, &checked, props.trace.as_ref(), props.t);
    let help_id = format!("{}-editor-help", props.uid);
    let problem_id = format!("{}-editor-problem", props.uid);
    let current = preset_of(&code).map(|p| p.slug);
    let buttons = |m: &mut Markup, group: &'static [crate::sim::lang::presets::Preset]| {
        list!(m, {
            for p in group {
                el!(m, "button", class = "al-btn al-preset", "data-preset" = p.slug,
                    "aria-pressed" = if current == Some(p.slug) { "true" } else { "false" }; {
                    m.send(&props.on_change, Change::Code(p.code.to_string()));
                    m.text(p.title);
                });
            }
        });
    };
    let (handlers, race) = presets();
    let race_open = race.iter().any(|p| current == Some(p.slug));
    let printed = props
        .trace
        .as_ref()
        .and_then(|trace| trace.printed_at(props.t));
    let responses = props
        .trace
        .as_ref()
        .and_then(|trace| trace.responses_at(props.t));

    let mut m = Markup::new();
    el!(m, "div", class = "al-playground"; {
        el!(m, "div", class = "al-presets", role = "group", "aria-label" = "Start from"; {
            buttons(&mut m, handlers);
            el!(m, "details", class = "al-presets-more", open = race_open.then_some("open"); {
                el!(m, "summary", class = "al-btn"; { m.text(RACE_PRESETS) });
                el!(m, "div", class = "al-presets"; { buttons(&mut m, race) });
            });
        });
        el!(m, "div", class = "al-editor"; {
            el!(m, "ol", class = "al-editor-gutter", "aria-hidden" = "true"; {
                list!(m, {
                    for g in &editor.gutter {
                        el!(m, "li", class = match (g.error, g.warned) {
                                (true, true) => Some("al-line-error al-line-warned"),
                                (true, false) => Some("al-line-error"),
                                (false, true) => Some("al-line-warned"),
                                (false, false) => None,
                            }; {
                            m.say(g.n.to_string());
                        });
                    }
                });
            });
            el!(m, "textarea", class = "al-editor-text", rows = editor.rows.to_string(), wrap = "off",
                spellcheck = "false", autocomplete = "off", autocapitalize = "off", "aria-label" = "The handler's code",
                "aria-describedby" = format!("{help_id} {problem_id}"),
                "aria-invalid" = problem.is_some().then_some("true"); {
                m.value_prop((*text).clone());
                m.oninput(oninput);
                m.on(Rc::new(yew::html::onkeydown::Wrapper::new(onkeydown)));
            });
            el!(m, "ol", class = "al-editor-info", "aria-hidden" = "true"; {
                list!(m, {
                    for (i, state) in editor.states.iter().enumerate() {
                        // The line's number is for a phone, where the counts sit under the code, not beside it.
                        el!(m, "li", class = state.highlight().map(|h| h.0), "data-line" = (i + 1).to_string(); {
                            list!(m, {
                                for &(phase, n) in &state.counts {
                                    el!(m, "span", class = "al-chip", "data-phase" = phase.slug(),
                                        "data-count" = n.to_string(); {
                                        el!(m, "span", class = format!("al-swatch {}", phase.class()),
                                            "aria-hidden" = "true");
                                        m.say(format::count(n.into()));
                                        el!(m, "span", class = "al-chip-word"; {
                                            m.say(format!(" {}", phase.short()));
                                        });
                                    });
                                }
                            });
                        });
                    }
                });
            });
        });
        el!(m, "p", class = "al-muted al-editor-help", id = help_id; {
            m.text("Tab indents, Enter keeps the indentation (one more after a colon), Backspace removes one level; \
                Esc, then Tab, leaves the editor. The run follows your typing.");
        });
        el!(m, "div", class = "al-editor-status", id = problem_id, "aria-live" = "polite"; {
            if let Some(p) = problem {
                el!(m, "div", class = "al-problem", "data-problem-line" = p.line.map(|l| l.to_string()); {
                    if let Some((line, caret)) = &p.pointer {
                        el!(m, "pre", class = "al-problem-pointer"; {
                            el!(m, "code"; { m.say(format!("{line}\n{caret}")) });
                        });
                    } else {
                        m.node(Html::default());
                    }
                    el!(m, "p", class = "al-problem-words"; { m.say(p.words.clone()) });
                    when!(m, props.trace.is_some(), {
                        el!(m, "p", class = "al-muted"; { m.text("Below: the last run that worked.") });
                    });
                });
            } else {
                m.node(Html::default());
            }
            list!(m, {
                for w in warned {
                    el!(m, "p", class = "al-warning", "data-warning-line" = w.line.to_string(); {
                        m.say(format!("warning: {}", warning_words(w)));
                    });
                }
            });
        });
        if let Some(log) = printed {
            el!(m, "section", class = "al-log", "aria-label" = "What the handler printed"; {
                el!(m, "h3", class = "al-log-title"; { m.say(log.title) });
                el!(m, "ol", class = "al-log-lines"; {
                    list!(m, {
                        for r in log.rows {
                            el!(m, "li"; {
                                el!(m, "span", class = "al-log-when"; { m.say(r.time) });
                                el!(m, "span", class = "al-log-who"; { m.say(r.student) });
                                el!(m, "code", class = "al-log-text"; { m.say(r.text) });
                            });
                        }
                    });
                });
                if let Some(note) = log.note {
                    el!(m, "p", class = "al-muted al-log-note"; { m.say(note) });
                } else {
                    m.node(Html::default());
                }
            });
        } else {
            m.node(Html::default());
        }
        match &props.trace {
            Some(trace) => el!(m, "div", class = "al-playground-timeline"; {
                super::done_line(&mut m, trace, editor.done);
                if let Some(r) = responses {
                    el!(m, "p", class = "al-code-responses"; { m.say(r) });
                } else {
                    m.node(Html::default());
                }
                m.node(timeline_noted(TimelineProps::of(trace, props.t, props.width, props.uid.clone(),
                    " running this code", &props.config, &props.on_change)));
            }),
            None => el!(m, "p", class = "al-muted al-no-run"; { m.text(NO_RUN_YET) }),
        }
    });
    (m.finish(), sync)
}

/// Makes `edit` through the browser's own editing (`execCommand`), as if it were typed, so that
/// undo takes it back and `input` fires. `false` where the browser declines: setting the value
/// instead would empty the undo history.
fn browser_edit(area: &HtmlTextAreaElement, edit: &Edit) -> bool {
    let Some(document) = area
        .owner_document()
        .and_then(|d| d.dyn_into::<HtmlDocument>().ok())
    else {
        return false;
    };
    if area.set_selection_range(edit.start, edit.end).is_err() {
        return false;
    }
    let done = if edit.insert.is_empty() {
        document.exec_command("delete")
    } else {
        document.exec_command_with_show_ui_and_value("insertText", false, &edit.insert)
    };
    if done != Ok(true) {
        return false;
    }
    let _ = area.set_selection_range(edit.caret, edit.caret);
    true
}
