//! The `await` scene: the article's FastAPI handler as code beside the timeline of its run. Each
//! line says how many requests are on it right now, the line the worker is executing is
//! highlighted, and the reader switches between three handlers (awaited, a blocking call inside
//! `async def`, plain `def`), each a scenario set through `on_config`.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::app::scenes::{done_line, PictureProps};
use crate::app::timeline::{timeline_noted, TimelineProps};
use crate::sim::scenario::Scenario;
use crate::view::change::Change;
use crate::view::handler_code::{code, pool_words, LineState, Variant, CODE_BESIDE};

/// The picture of `await`.
pub fn await_code(props: &PictureProps) -> Html {
    let trace = &props.trace;
    let scenario = &props.config.scenario;
    let current = Variant::of(scenario);
    let (wide, timeline_w) = CODE_BESIDE.timeline_width(props.width);
    let (lines, done) = trace.handler_lines_at(props.t);
    let source = code(scenario);

    let pick = |variant: Variant| {
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            let checked = e
                .target_dyn_into::<HtmlInputElement>()
                .is_some_and(|i| i.checked());
            if checked {
                on_change.emit(Change::Variant(variant));
            }
        })
    };
    let group = format!("{}-variant", props.uid);

    let code_lines = source.iter().zip(&lines).enumerate().map(|(i, (line, state))| {
        let highlight = state.highlight();
        html! {
            <li class={classes!("al-code-line", highlight.map(|h| h.0))} data-line={(i + 1).to_string()}
                data-running={(state.running > 0).then_some("true")} data-blocked={(state.blocked > 0).then_some("true")}>
                <span class="al-code-no" aria-hidden="true">{ i + 1 }</span>
                <code class="al-code-text">
                    { line.code.clone() }
                    if let Some(comment) = line.comment {
                        <span class="al-code-comment">{ format!("  {comment}") }</span>
                    }
                </code>
                <span class="al-line-info">
                    if let Some((_, words)) = highlight {
                        <span class="al-line-flag">{ words }</span>
                    }
                    { counts(state) }
                </span>
            </li>
        }
    });

    html! {
        <div class="al-await">
            <fieldset class="al-variants">
                <legend class="al-variants-legend">{ "The handler" }</legend>
                { for Variant::ALL.iter().map(|&v| html! {
                    <label class={classes!("al-variant", (current == Some(v)).then_some("al-variant-on"))} data-variant={v.slug()}>
                        <input type="radio" name={group.clone()} value={v.slug()}
                            checked={current == Some(v)} onchange={pick(v)} />
                        <span>{ v.label() }</span>
                    </label>
                }) }
                if current.is_none() {
                    <span class="al-variant al-variant-custom al-variant-on" data-variant="custom">{ "custom" }</span>
                }
                <button class="al-btn al-btn-text al-edit-handler" onclick={props.on_change.reform(|_: MouseEvent| Change::EditHandler)}>
                    { "Edit this handler" }
                </button>
            </fieldset>
            <div class={classes!("al-await-grid", wide.then_some("al-await-wide"))}>
                // The code and what it means share a column; the timeline has the other.
                <div class="al-await-side">
                    <figure class="al-code" aria-label="The handler's code; each line says how many requests are on it now">
                        <ol class="al-code-lines">{ for code_lines }</ol>
                        { done_line(trace, done) }
                    </figure>
                    { variant_note(current, scenario) }
                </div>
                <div class="al-await-timeline">
                    { timeline_noted(TimelineProps::of(trace, props.t, timeline_w, props.uid.clone(),
                        "", &props.config, &props.on_change)) }
                </div>
            </div>
        </div>
    }
}

/// A line's counts: one chip per phase, its swatch, the number and a word.
fn counts(state: &LineState) -> Html {
    state
        .chips()
        .into_iter()
        .map(|(phase, n, words)| {
            html! {
                <span class="al-chip" data-phase={phase.slug()} data-count={n.to_string()}>
                    <span class={classes!("al-swatch", phase.class())} aria-hidden="true"></span>
                    { words }
                </span>
            }
        })
        .collect()
}

/// What the chosen handler means, in our words; the thread count comes from the scenario.
fn variant_note(current: Option<Variant>, scenario: &Scenario) -> Html {
    match current {
        Some(Variant::Awaited) => html! {
            <p class="al-await-note" data-note="await">
                { "Each " }<code>{ "await" }</code>{ " hands the event loop back while the database or the \
                  email service works, so while one request waits the worker validates the next: \
                  one worker keeps every request moving." }
            </p>
        },
        Some(Variant::BlockingCall) => html! {
            <div class="al-await-note" data-note="blocking">
                <p>
                    <code>{ "db.save" }</code>{ " and " }<code>{ "smtp.send" }</code>
                    { " stand for synchronous clients (a blocking database driver, " }<code>{ "smtplib" }</code>
                    { "). Called from " }<code>{ "async def" }</code>{ ", each call holds the event loop until it \
                      returns: nobody else runs meanwhile, and the worker serves one request at a time again." }
                </p>
                <p>
                    { "Not the same as forgetting " }<code>{ "await" }</code>{ ": in Python, calling an " }
                    <code>{ "async def" }</code>{ " function without " }<code>{ "await" }</code>
                    { " only creates a coroutine. It never runs, nothing is saved or sent, and Python \
                      warns “coroutine … was never awaited”." }
                </p>
            </div>
        },
        Some(Variant::PlainDef) => {
            let pool = pool_words(scenario);
            html! {
            <p class="al-await-note" data-note="def">
                { format!("FastAPI runs a plain def endpoint in a thread pool ({pool}). \
                   A synchronous call blocks only its own thread, so up to {} requests per worker wait on I/O \
                   at once; their Python code still runs one thread at a time (one interpreter lock per process).",
                   scenario.threads) }
            </p>
            }
        }
        None => html! {
            <p class="al-await-note" data-note="custom">
                { format!("Custom: mode={}, await_db={}, await_email={} is none of the three handlers; the code \
                   above is what this setup runs.", scenario.mode, scenario.await_db, scenario.await_email) }
            </p>
        },
    }
}
