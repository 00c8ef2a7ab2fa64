//! The stats strip: the numbers that carry the scene's point at the current time, the others
//! behind "More numbers" (`view::page::split_stats`), each an element with `data-stat` and
//! `data-value` (the raw number in the unit its key names); with them, the distribution of the
//! waits so far (`view::histogram`), drawn only while it is open.

use yew::prelude::*;

use crate::app::markup::{el, list, when, Markup};
use crate::app::SharedTrace;
use crate::sim::time::SimTime;
use crate::view::format::plain;
use crate::view::histogram::Scale;
use crate::view::page::Stat;
use crate::view::scene_model::Strip;

/// The histogram's width in its own units; the drawing scales to its box.
const HIST_W: f64 = 600.0;

fn histogram(
    m: &mut Markup,
    runs: &[SharedTrace],
    scale: Scale,
    t: SimTime,
    titles: &[&'static str],
) {
    let h = SharedTrace::histogram(runs, scale, t, HIST_W);
    let summary = h.summary(titles);
    el!(m, "figure", class = "al-histogram"; {
        when!(m, titles.len() > 1, {
            el!(m, "p", class = "al-hist-key"; {
                list!(m, {
                    for (i, title) in titles.iter().enumerate() {
                        el!(m, "span", class = format!("al-hist-key-item al-hist-run-{i}"); {
                            el!(m, "span", class = "al-swatch", "aria-hidden" = "true");
                            m.text(title);
                        });
                    }
                });
            });
        });
        el!(m, "svg", class = "al-hist", viewBox = format!("0 0 {} {}", plain(h.width), plain(h.height)), role = "img",
            "aria-label" = summary.clone(); {
            el!(m, "line", class = "al-hist-base", x1 = "0", x2 = plain(h.width), y1 = plain(h.base), y2 = plain(h.base));
            list!(m, {
                for c in &h.columns {
                    el!(m, "rect", class = format!("al-hist-bar al-hist-run-{}", c.run), x = plain(c.x), y = plain(c.y),
                        width = plain(c.w), height = plain(c.h); {
                        el!(m, "title"; { m.say(c.words.clone()) });
                    });
                }
            });
            list!(m, {
                for mark in &h.marks {
                    el!(m, "g", class = format!("al-hist-mark al-hist-run-{}", mark.run), "data-mark" = mark.name,
                        "data-value" = plain(mark.value_s); {
                        el!(m, "line", x1 = plain(mark.x), x2 = plain(mark.x), y1 = "12", y2 = plain(h.base));
                        el!(m, "text", x = plain(mark.label_x), y = if mark.run == 0 { "10" } else { "22" },
                            "text-anchor" = mark.anchor; { m.say(mark.label.clone()) });
                    });
                }
            });
            list!(m, {
                for tick in &h.ticks {
                    el!(m, "text", class = "al-hist-tick", x = plain(tick.x), y = plain(h.height - 6.0),
                        "text-anchor" = "middle"; { m.say(tick.label.clone()) });
                }
            });
        });
        el!(m, "figcaption", class = "al-note"; { m.say(format!("Waits so far, in seconds. {summary}")) });
    });
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
fn fold(m: &mut Markup, summary: &'static str, stats: &[Stat], waits: Option<Waits>) {
    let ontoggle = waits.map(|w| {
        let open = w.open.clone();
        Callback::from(move |e: Event| {
            let details = e.target_dyn_into::<web_sys::HtmlDetailsElement>();
            open.set(details.is_some_and(|d| d.open()));
        })
    });
    let open = waits.is_some_and(|w| **w.open);
    el!(m, "details", class = "al-more", open = open.then_some("open"); {
        if let Some(ontoggle) = ontoggle {
            m.ontoggle(ontoggle);
        }
        el!(m, "summary"; { m.text(summary) });
        when!(m, !stats.is_empty(), { strip(m, stats, "al-stats-more", "More numbers at this moment") });
        match waits.and_then(|w| Some((w, open.then(|| SharedTrace::scale(w.runs)).flatten()?))) {
            Some((w, scale)) => histogram(m, w.runs, scale, w.t, w.titles),
            None => m.node(Html::default()),
        }
    });
}

fn strip(m: &mut Markup, stats: &[Stat], class: &'static str, label: &'static str) {
    el!(m, "dl", class = class, "aria-label" = label; {
        list!(m, {
            for s in stats {
                el!(m, "div", class = "al-stat"; {
                    el!(m, "dt"; { m.text(s.label) });
                    el!(m, "dd", "data-stat" = s.key, "data-value" = s.value.clone(); { m.say(s.shown.clone()) });
                    match s.note {
                        Some(note) => el!(m, "dd", class = "al-stat-note"; { m.text(note) }),
                        None => m.node(Html::default()),
                    }
                });
            }
        });
    });
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
    let mut m = Markup::new();
    el!(m, "div", class = "al-stats"; {
        when!(m, !primary.is_empty(), { strip(&mut m, primary, "al-stats-main", "The numbers at this moment") });
        when!(m, !more.is_empty(), {
            fold(&mut m, "More numbers", more, Some(Waits { runs, titles: &[], t, open: waits_open }));
        });
        when!(m, !sides.is_empty(), {
            el!(m, "div", class = "al-stats-sides"; {
                list!(m, {
                    for side in sides {
                        el!(m, "div", class = "al-stats-side", "data-side" = side.key; {
                            el!(m, "h3", class = "al-stats-title"; { m.text(side.title) });
                            strip(&mut m, &side.primary, "al-stats-main", side.title);
                            fold(&mut m, "More numbers", &side.more, None);
                        });
                    }
                });
            });
            fold(&mut m, "Distribution of waits", &[], Some(Waits { runs, titles: &titles, t, open: waits_open }));
        });
    });
    m.finish()
}
