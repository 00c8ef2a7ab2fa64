//! The `inside` scene: the article's "Worker 1" box (each request on one worker and what it is
//! doing, in words and in the legend's colours), beside the timeline of the same run, and the
//! moment the article's snapshot occurs, with a button and a link that go there. Draws
//! `view::inside`'s models as they are.

use yew::prelude::*;

use crate::app::markup::{el, list, when, Markup};
use crate::app::scenes::PictureProps;
use crate::app::timeline::{note, timeline, TimelineProps};
use crate::view::change::Change;
use crate::view::config::Moment;
use crate::view::format;
use crate::view::inside::{BoxRow, Caption, WorkerBox, BOX_BESIDE};

pub fn inside(props: &PictureProps) -> Html {
    let trace = &props.trace;
    let (wide, timeline_w) = BOX_BESIDE.timeline_width(props.width);
    // The caption and the worker's students: once per run, kept with the run (a function, not
    // a component with a memo: each component and hook type adds its own code to the wasm).
    let (words, mine) = trace.inside();
    let worker_box = trace.worker_box(mine, props.t);

    let mut m = Markup::new();
    el!(m, "div", class = "al-inside"; {
        el!(m, "div", class = if wide { "al-inside-grid al-inside-wide" } else { "al-inside-grid" }; {
            box_html(&mut m, worker_box);
            // Beside the box on a wide screen, the timeline and the caption share a column.
            el!(m, "div", class = "al-inside-side"; {
                el!(m, "div", class = "al-inside-timeline"; {
                    m.node(timeline(TimelineProps::of(trace, props.t, timeline_w, props.uid.clone(),
                        "", &props.config, &props.on_change)));
                });
                m.node(note(trace.rows_note()));
                caption_html(&mut m, props, words);
            });
        });
    });
    m.finish()
}

/// The box: the worker, what holds it, and a row per request.
fn box_html(m: &mut Markup, b: WorkerBox) {
    el!(m, "figure", class = "al-worker-box", "aria-label" = format!("{}: the requests it is serving", b.heading); {
        el!(m, "figcaption", class = "al-worker-head"; {
            el!(m, "span", class = "al-worker-name"; { m.say(b.heading) });
            el!(m, "span", class = "al-worker-count"; { m.say(b.in_flight) });
            el!(m, "span", class = format!("al-worker-now al-worker-{}", b.state), "data-worker-state" = b.state; {
                m.say(b.status);
            });
        });
        el!(m, "ul", class = "al-inflight"; { list!(m, { for row in b.rows { row_html(m, row) } }) });
        if let Some(summary) = b.summary {
            el!(m, "p", class = "al-inflight-more"; { m.say(summary) });
        } else {
            m.node(Html::default());
        }
    });
}

/// One request's row: its name, its look's swatch, the words, and how far it is.
fn row_html(m: &mut Markup, row: BoxRow) {
    let phase = row.phase;
    el!(m, "li", class = if row.faint { "al-inflight-row al-faint" } else { "al-inflight-row" },
        "data-student" = row.name.clone(), "data-phase" = phase.slug(); {
        el!(m, "span", class = "al-inflight-name"; { m.say(row.name) });
        el!(m, "span", class = format!("al-swatch {}", phase.class()), "aria-hidden" = "true");
        el!(m, "span", class = "al-inflight-words"; {
            el!(m, "span", class = "al-inflight-phase"; { m.text(phase.words()) });
            when!(m, !row.detail.is_empty(), {
                el!(m, "span", class = "al-inflight-detail"; { m.text(row.detail) });
            });
        });
        el!(m, "span", class = "al-inflight-time"; { m.say(row.timing) });
        match row.progress {
            Some(p) => el!(m, "svg", class = "al-bar", viewBox = "0 0 100 6", preserveAspectRatio = "none",
                "aria-hidden" = "true"; {
                el!(m, "rect", class = "al-bar-track", width = "100", height = "6");
                el!(m, "rect", class = format!("al-bar-fill {}", phase.class()), width = format::fixed(p * 100.0, 2),
                    height = "6");
            }),
            None => m.node(Html::default()),
        }
    });
}

/// The caption under the picture, with a button and a link to the snapshot's moment, or a way
/// back to the defaults when this setup never shows it.
fn caption_html(m: &mut Markup, props: &PictureProps, caption: &Caption) {
    let honest = |m: &mut Markup| {
        el!(m, "p", class = "al-note"; {
            m.text("Where the article simplifies: only one of these requests is on the worker's CPU at a time. \
               The event loop runs one request until it awaits; the others are waiting, which is \
               exactly what lets one worker hold them all.");
        });
    };
    match caption {
        Caption::Never(words) => el!(m, "div", class = "al-snapshot"; {
            el!(m, "p", class = "al-snapshot-text", "data-snapshot" = "none"; { m.text(words) });
            el!(m, "button", class = "al-btn", "type" = "button"; {
                m.send(&props.on_change, Change::Defaults);
                m.text("Back to the defaults");
            });
            honest(m);
        }),
        Caption::At {
            t,
            lead,
            body,
            button,
        } => {
            let t = *t;
            el!(m, "div", class = "al-snapshot"; {
                el!(m, "p", class = "al-snapshot-text", "data-snapshot-t" = format::plain(t.as_secs_f64()); {
                    el!(m, "strong"; { m.say(lead.clone()) });
                    m.say(body.clone());
                });
                el!(m, "div", class = "al-snapshot-actions"; {
                    el!(m, "button", class = "al-btn al-snapshot-seek", "type" = "button"; {
                        m.onclick(props.on_seek.reform(move |_: MouseEvent| t));
                        m.say(button.clone());
                    });
                    el!(m, "a", class = "al-snapshot-link",
                        href = format!("?{}", props.config.to_query(Some(Moment::At(t)))); {
                        m.text("Link to this moment");
                    });
                });
                honest(m);
            });
        }
    }
}
