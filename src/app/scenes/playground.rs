//! The playground ("Try it"): the reader writes the handler in a plain `<textarea>` (undo,
//! selection, screen readers and phones work as everywhere), with line numbers and, beside each
//! line, who is on it at `t`; the timeline of the run below. The run follows the typing after a
//! pause (`view::playground::DEBOUNCE_MS`); while the code has a problem, the last run that
//! worked stays on screen and the problem is shown at its line.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::{HtmlDocument, HtmlTextAreaElement};
use yew::prelude::*;

use crate::app::hooks::{use_effect_on, Deps};
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

#[derive(Properties, PartialEq)]
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

#[component]
pub fn Playground(props: &PlaygroundProps) -> Html {
    let code = props.config.scenario.code.clone().unwrap_or_default();
    // The text as typed; the setup (and the run) follows it after a pause.
    let text = use_state(|| code.clone());
    // The code this editor last sent: a setup with other code was changed from outside (a
    // preset), and the editor takes it.
    let sent = use_mut_ref(|| code.clone());
    {
        let (text, sent) = (text.clone(), sent.clone());
        let code = code.clone();
        use_effect_on(
            Deps::text(Some(code.clone()), 0),
            Box::new(move || {
                if *sent.borrow() != code {
                    *sent.borrow_mut() = code.clone();
                    text.set(code);
                }
                Box::new(|| ())
            }),
        );
    }
    let pending: Rc<RefCell<Option<Timeout>>> = use_mut_ref(|| None);
    let send = {
        let (on_change, sent, pending) = (props.on_change.clone(), sent.clone(), pending.clone());
        Callback::from(move |value: String| {
            let (on_change, sent) = (on_change.clone(), sent.clone());
            let timer = Timeout::new(DEBOUNCE_MS, move || {
                *sent.borrow_mut() = value.clone();
                on_change.emit(Change::Code(value));
            });
            // Replacing the timer cancels the previous one: only the last pause runs.
            *pending.borrow_mut() = Some(timer);
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
    let escaped = use_mut_ref(|| false);
    let onkeydown = {
        let (take, escaped) = (take.clone(), escaped.clone());
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            let was_escaped = std::mem::replace(&mut *escaped.borrow_mut(), key == "Escape");
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
    let checked = use_memo((code.clone(), props.failure.clone()), |(code, failure)| {
        Checked::of(code, failure.as_ref())
    });
    let (problem, warned) = (&checked.problem, &checked.warnings);
    let editor = Editor::at(&text, &code, &checked, props.trace.as_ref(), props.t);
    let help_id = format!("{}-editor-help", props.uid);
    let problem_id = format!("{}-editor-problem", props.uid);
    let gutter = editor.gutter.iter().map(|g| {
        html! {
            <li class={classes!(g.error.then_some("al-line-error"), g.warned.then_some("al-line-warned"))}>
                { g.n }
            </li>
        }
    });
    let info = editor.states.iter().enumerate().map(|(i, state)| {
        let chips = state.counts.iter().map(|&(phase, n)| {
            html! {
                <span class="al-chip" data-phase={phase.slug()} data-count={n.to_string()}>
                    <span class={classes!("al-swatch", phase.class())} aria-hidden="true"></span>
                    { format::count(n.into()) }<span class="al-chip-word">{ format!(" {}", phase.short()) }</span>
                </span>
            }
        });
        // The line's number is for a phone, where the counts sit under the code, not beside it.
        html! { <li class={classes!(state.highlight().map(|h| h.0))} data-line={(i + 1).to_string()}>{ for chips }</li> }
    });
    let current = preset_of(&code).map(|p| p.slug);
    let buttons = |group: &'static [crate::sim::lang::presets::Preset]| {
        group.iter().map(|p| {
            let onclick = props.on_change.reform(move |_: MouseEvent| Change::Code(p.code.to_string()));
            html! {
                <button class="al-btn al-preset" data-preset={p.slug} aria-pressed={(current == Some(p.slug)).to_string()} {onclick}>
                    { p.title }
                </button>
            }
        }).collect::<Html>()
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
    let timeline = props.trace.as_ref().map(|trace| {
        html! {
            <div class="al-playground-timeline">
                { super::done_line(trace, editor.done) }
                if let Some(r) = responses.clone() {
                    <p class="al-code-responses">{ r }</p>
                }
                { timeline_noted(TimelineProps::of(trace, props.t, props.width, props.uid.clone(),
                    " running this code", &props.config, &props.on_change)) }
            </div>
        }
    });

    html! {
        <div class="al-playground">
            <div class="al-presets" role="group" aria-label="Start from">
                { buttons(handlers) }
                <details class="al-presets-more" open={race_open}>
                    <summary class="al-btn">{ RACE_PRESETS }</summary>
                    <div class="al-presets">{ buttons(race) }</div>
                </details>
            </div>
            <div class="al-editor">
                <ol class="al-editor-gutter" aria-hidden="true">{ for gutter }</ol>
                <textarea class="al-editor-text" value={(*text).clone()} rows={editor.rows.to_string()} wrap="off"
                    spellcheck="false" autocomplete="off" autocapitalize="off" aria-label="The handler's code"
                    aria-describedby={format!("{help_id} {problem_id}")} aria-invalid={problem.is_some().then_some("true")}
                    {oninput} {onkeydown} />
                <ol class="al-editor-info" aria-hidden="true">{ for info }</ol>
            </div>
            <p class="al-muted al-editor-help" id={help_id}>
                { "Tab indents, Enter keeps the indentation (one more after a colon), Backspace removes one level; Esc, then Tab, leaves the editor. The run follows your typing." }
            </p>
            <div id={problem_id} class="al-editor-status" aria-live="polite">
                if let Some(p) = &problem {
                    <div class="al-problem" data-problem-line={p.line.map(|l| l.to_string())}>
                        if let Some((line, caret)) = &p.pointer {
                            <pre class="al-problem-pointer"><code>{ format!("{line}\n{caret}") }</code></pre>
                        }
                        <p class="al-problem-words">{ p.words.clone() }</p>
                        if props.trace.is_some() {
                            <p class="al-muted">{ "Below: the last run that worked." }</p>
                        }
                    </div>
                }
                { for warned.iter().map(|w| html! {
                    <p class="al-warning" data-warning-line={w.line.to_string()}>{ format!("warning: {}", warning_words(w)) }</p>
                }) }
            </div>
            { printed.map(|log| html! {
                <section class="al-log" aria-label="What the handler printed">
                    <h3 class="al-log-title">{ log.title }</h3>
                    <ol class="al-log-lines">
                        { for log.rows.into_iter().map(|r| html! {
                            <li><span class="al-log-when">{ r.time }</span>
                                <span class="al-log-who">{ r.student }</span>
                                <code class="al-log-text">{ r.text }</code></li>
                        }) }
                    </ol>
                    if let Some(note) = log.note {
                        <p class="al-muted al-log-note">{ note }</p>
                    }
                </section>
            }).unwrap_or_default() }
            { timeline.unwrap_or_else(|| html! { <p class="al-muted al-no-run">{ NO_RUN_YET }</p> }) }
        </div>
    }
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
