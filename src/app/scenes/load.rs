//! The `load` scene: the p95 wait against the arrival rate, for the setup and the other mode, the
//! capacity marked, and the closed-form mean beside the simulated one where it exists. Each point
//! (and each row of the table under "The numbers") opens its run in a timeline scene. Draws
//! `view::load` as it is; the curves are computed once per run (`SharedTrace::load_curve`).

use yew::prelude::*;

use crate::app::markup::{el, list, when, Markup};
use crate::app::scenes::PictureProps;
use crate::view::change::Change;
use crate::view::format::{fixed, per_sec, plain, secs};
use crate::view::load::Plot;

pub fn load(props: &PictureProps) -> Html {
    // Computed once per run (the curve is a run per rate), kept with the run.
    let curve = props.trace.load_curve(&props.config.scenario);
    let plot = Plot::new(curve, props.width);
    let marks = plot.marks(curve, props.config.scenario.rate);
    let key = curve.key(&plot);
    let has_closed = curve
        .curves
        .iter()
        .any(|c| c.closed_form.iter().any(Option::is_some));
    let titles: Vec<&str> = curve.curves.iter().map(|c| c.title).collect();
    let clip = plot.clip_top();
    let mut m = Markup::new();
    el!(m, "div", class = "al-load"; {
        el!(m, "p", class = "al-load-key"; {
            list!(m, {
                for (i, words) in key.into_iter().enumerate() {
                    el!(m, "span", class = format!("al-load-key-item al-load-run-{i}"); {
                        swatch(&mut m);
                        m.say(words);
                    });
                }
            });
            when!(m, has_closed, {
                el!(m, "span", class = "al-load-key-item al-load-key-closed"; {
                    swatch(&mut m);
                    m.text("mean: simulated (squares) and closed form (dotted)");
                });
            });
        });
        el!(m, "svg", class = "al-load-plot", width = plain(plot.width), height = plain(plot.height), role = "img",
            "aria-label" = format!("The p95 wait against the arrival rate. {}", curve.caption()); {
            list!(m, {
                for (y, label) in plot.wait_ticks() {
                    el!(m, "g", class = "al-load-grid"; {
                        el!(m, "line", x1 = plain(plot.left), x2 = plain(plot.right), y1 = fixed(y, 1), y2 = fixed(y, 1));
                        el!(m, "text", x = plain(plot.left - 6.0), y = fixed(y + 4.0, 1), "text-anchor" = "end"; {
                            m.say(label);
                        });
                    });
                }
            });
            list!(m, {
                for (x, label) in plot.rate_ticks() {
                    el!(m, "text", class = "al-load-tick", x = fixed(x, 1), y = plain(plot.bottom + 18.0), "text-anchor" = "middle"; {
                        m.say(label);
                    });
                }
            });
            el!(m, "text", class = "al-load-axis", x = plain(plot.right), y = plain(plot.height - 2.0), "text-anchor" = "end"; {
                m.text("students arriving per second");
            });
            // The marks' labels sit above the plot, where no curve goes.
            list!(m, {
                for mark in marks {
                    el!(m, "g", class = mark.class; {
                        el!(m, "line", x1 = fixed(mark.x, 1), x2 = fixed(mark.x, 1), y1 = plain(plot.top), y2 = plain(plot.bottom));
                        el!(m, "text", x = fixed(mark.label_x, 1), y = plain(mark.label_y); { m.say(mark.text) });
                    });
                }
            });
            // A nested svg clips the curves at the top: the other mode's may leave the chart.
            let (clip, w, h) = (plain(clip), plain(plot.width), plain(plot.height - clip));
            el!(m, "svg", y = clip.clone(), width = w.clone(), height = h.clone(), viewBox = format!("0 {clip} {w} {h}"); {
                // The setup's curve is drawn last, on top: below capacity the two often
                // coincide, and its points are the ones a reader clicks.
                list!(m, {
                    for (i, c) in curve.curves.iter().enumerate().rev() {
                        el!(m, "g", class = format!("al-load-curve al-load-run-{i}"), "data-mode" = c.mode.to_string(); {
                            el!(m, "path", class = "al-load-line", d = plot.path(c.points.iter().map(|p| (p.rate, p.p95_s))));
                            let closed = c.points.iter().zip(&c.closed_form).filter_map(|(p, cf)| Some((p, (*cf)?)));
                            let closed_d = plot.path(closed.clone().map(|(p, cf)| (p.rate, cf)));
                            when!(m, !closed_d.is_empty(), {
                                el!(m, "path", class = "al-load-closed", d = closed_d);
                                list!(m, {
                                    for (p, _) in closed {
                                        el!(m, "rect", class = "al-load-mean", x = fixed(plot.x(p.rate) - 3.0, 1),
                                            y = fixed(plot.y(p.mean_s) - 3.0, 1), width = "6", height = "6");
                                    }
                                });
                            });
                            list!(m, {
                                for p in &c.points {
                                    el!(m, "circle", class = "al-load-point", cx = fixed(plot.x(p.rate), 1), cy = fixed(plot.y(p.p95_s), 1),
                                        r = "5", "data-rate" = plain(p.rate), "data-p95" = plain(p.p95_s); {
                                        m.send(&props.on_change, Change::OpenRate { rate: p.rate, mode: c.mode });
                                        el!(m, "title"; { m.say(c.point_title(p)) });
                                    });
                                }
                            });
                        });
                    }
                });
            });
        });
        el!(m, "p", class = "al-load-caption", "data-caption" = ""; { m.say(curve.caption()) });
        el!(m, "details", class = "al-more"; {
            el!(m, "summary"; { m.text("The numbers") });
            el!(m, "table", class = "al-load-table"; {
                el!(m, "thead"; {
                    el!(m, "tr"; {
                        let col = |m: &mut Markup, words: String| el!(m, "th", scope = "col"; { m.say(words) });
                        col(&mut m, "Rate".into());
                        for t in 0..2 {
                            col(&mut m, format!("p95 wait, {}", titles.get(t).copied().unwrap_or_default()));
                        }
                        col(&mut m, "Throughput".into());
                        col(&mut m, "Mean wait".into());
                        when!(m, has_closed, { col(&mut m, "Mean, closed form".into()) });
                        el!(m, "th", scope = "col"; {
                            el!(m, "span", class = "al-visually-hidden"; { m.text("Open") });
                        });
                    });
                });
                el!(m, "tbody"; {
                    list!(m, {
                        for (i, &rate) in curve.rates.iter().enumerate() {
                            let own = curve.curves.first().and_then(|c| c.points.get(i));
                            el!(m, "tr", "data-rate" = plain(rate); {
                                el!(m, "th", scope = "row"; { m.say(per_sec(rate)) });
                                for c in 0..2 {
                                    match curve.curves.get(c).and_then(|c| c.points.iter().find(|p| p.rate == rate)) {
                                        None => el!(m, "td"; { m.text("–") }),
                                        Some(p) => el!(m, "td", "data-p95" = plain(p.p95_s); { m.say(secs(p.p95_s)) }),
                                    }
                                }
                                el!(m, "td"; { m.say(own.map(|p| per_sec(p.throughput_per_s)).unwrap_or_default()) });
                                el!(m, "td"; { m.say(own.map(|p| secs(p.mean_s)).unwrap_or_default()) });
                                when!(m, has_closed, {
                                    let cf = curve.curves[0].closed_form.get(i).copied().flatten();
                                    el!(m, "td"; { m.say(cf.map(secs).unwrap_or_else(|| "–".into())) });
                                });
                                el!(m, "td"; {
                                    el!(m, "button", class = "al-btn al-btn-small"; {
                                        m.send(&props.on_change, Change::OpenRate { rate, mode: curve.curves[0].mode });
                                        m.text("Watch");
                                    });
                                });
                            });
                        }
                    });
                });
            });
        });
    });
    m.finish()
}

/// The key's swatch, in the colour of the item's class.
fn swatch(m: &mut Markup) {
    el!(m, "span", class = "al-load-swatch", "aria-hidden" = "true");
}
