//! The stats strip: the numbers that carry the scene's point at the current time, the others
//! behind "More numbers" (`view::page::split_stats`), each an element with `data-stat` and
//! `data-value` (the raw number in the unit its key names); with them, the distribution of the
//! waits so far (`view::histogram`), drawn only while it is open.

use yew::prelude::*;

use crate::app::SharedTrace;
use crate::sim::time::SimTime;
use crate::view::format;
use crate::view::histogram::Scale;
use crate::view::page::Stat;
use crate::view::scene_model::Strip;

/// The histogram's width in its own units; the drawing scales to its box.
const HIST_W: f64 = 600.0;

fn histogram(runs: &[SharedTrace], scale: Scale, t: SimTime, titles: &[&'static str]) -> Html {
    let h = SharedTrace::histogram(runs, scale, t, HIST_W);
    let summary = h.summary(titles);
    html! {
        <figure class="al-histogram">
            if titles.len() > 1 {
                <p class="al-hist-key">
                    { for titles.iter().enumerate().map(|(i, title)| html! {
                        <span class={format!("al-hist-key-item al-hist-run-{i}")}>
                            <span class="al-swatch" aria-hidden="true"></span>{ *title }
                        </span>
                    }) }
                </p>
            }
            <svg class="al-hist" viewBox={format!("0 0 {} {}", format::plain(h.width), format::plain(h.height))} role="img" aria-label={summary.clone()}>
                <line class="al-hist-base" x1="0" x2={format::plain(h.width)} y1={format::plain(h.base)} y2={format::plain(h.base)} />
                { for h.columns.iter().map(|c| html! {
                    <rect class={format!("al-hist-bar al-hist-run-{}", c.run)} x={format::plain(c.x)} y={format::plain(c.y)}
                        width={format::plain(c.w)} height={format::plain(c.h)}><title>{ c.words.clone() }</title></rect>
                }) }
                { for h.marks.iter().map(|m| html! {
                    <g class={format!("al-hist-mark al-hist-run-{}", m.run)} data-mark={m.name} data-value={format::plain(m.value_s)}>
                        <line x1={format::plain(m.x)} x2={format::plain(m.x)} y1="12" y2={format::plain(h.base)} />
                        <text x={format::plain(m.label_x)} y={(if m.run == 0 { 10 } else { 22 }).to_string()} text-anchor={m.anchor}>{ m.label.clone() }</text>
                    </g>
                }) }
                { for h.ticks.iter().map(|tick| html! {
                    <text class="al-hist-tick" x={format::plain(tick.x)} y={format::plain(h.height - 6.0)} text-anchor="middle">{ tick.label.clone() }</text>
                }) }
            </svg>
            <figcaption class="al-note">{ format!("Waits so far, in seconds. {summary}") }</figcaption>
        </figure>
    }
}

/// The distribution of the waits in a fold: the runs, their titles when several, the moment,
/// and whether the fold is open.
#[derive(Clone, Copy)]
struct Waits<'a> {
    runs: &'a [SharedTrace],
    titles: &'a [&'static str],
    t: SimTime,
    open: &'a UseStateHandle<bool>,
}

/// A disclosure of more numbers, and of the distribution of the waits when `waits` holds whether
/// it is open: the distribution is drawn only while it is (it reads every wait). The open state
/// is the scene's hook, so this is a function: a component costs the wasm its own copy of Yew's
/// machinery.
fn fold(summary: &'static str, stats: &[Stat], waits: Option<Waits>) -> Html {
    let ontoggle = waits.map(|w| {
        let open = w.open.clone();
        Callback::from(move |e: Event| {
            let details = e.target_dyn_into::<web_sys::HtmlDetailsElement>();
            open.set(details.is_some_and(|d| d.open()));
        })
    });
    let open = waits.is_some_and(|w| **w.open);
    let histogram = waits.and_then(|w| {
        let scale = open.then(|| SharedTrace::scale(w.runs)).flatten()?;
        Some(histogram(w.runs, scale, w.t, w.titles))
    });
    html! {
        <details class="al-more" {open} {ontoggle}>
            <summary>{ summary }</summary>
            if !stats.is_empty() {
                { strip(stats, "al-stats-more", "More numbers at this moment") }
            }
            { histogram.unwrap_or_default() }
        </details>
    }
}

fn strip(stats: &[Stat], class: &'static str, label: &'static str) -> Html {
    html! {
        <dl class={class} aria-label={label}>
            { for stats.iter().map(|s| html! {
                <div class="al-stat">
                    <dt>{ s.label }</dt>
                    <dd data-stat={s.key} data-value={s.value.clone()}>{ s.shown.clone() }</dd>
                    if let Some(note) = s.note {
                        <dd class="al-stat-note">{ note }</dd>
                    }
                </div>
            }) }
        </dl>
    }
}

/// The strip: `primary`, the numbers that carry the point (the clock alone, when there are
/// `sides`, the `compare` scene's runs, each with its own strip), and `more` folded; `runs` are
/// the runs whose waits the distribution shows at `t`, while `waits_open` says it is open. A
/// function, not a component: it changes with every frame anyway.
pub fn stats(
    numbers: &Strip,
    runs: &[SharedTrace],
    t: SimTime,
    waits_open: &UseStateHandle<bool>,
) -> Html {
    let Strip {
        primary,
        more,
        sides,
    } = numbers;
    let titles: Vec<&'static str> = sides.iter().map(|s| s.title).collect();
    html! {
        <div class="al-stats">
            if !primary.is_empty() {
                { strip(primary, "al-stats-main", "The numbers at this moment") }
            }
            if !more.is_empty() {
                { fold("More numbers", more, Some(Waits { runs, titles: &[], t, open: waits_open })) }
            }
            if !sides.is_empty() {
                <div class="al-stats-sides">
                    { for sides.iter().map(|side| html! {
                        <div class="al-stats-side" data-side={side.key}>
                            <h3 class="al-stats-title">{ side.title }</h3>
                            { strip(&side.primary, "al-stats-main", side.title) }
                            { fold("More numbers", &side.more, None) }
                        </div>
                    }) }
                </div>
                { fold("Distribution of waits", &[], Some(Waits { runs, titles: &titles, t, open: waits_open })) }
            }
        </div>
    }
}
