//! The `await` scene: the article's FastAPI handler as code beside the timeline of its run. Each
//! line says how many requests are on it right now, the line the worker is executing is
//! highlighted, and the reader switches between three handlers (awaited, a blocking call inside
//! `async def`, plain `def`), each a scenario set through `on_config`.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::app::markup::{el, list, when, Markup};
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

    let mut m = Markup::new();
    el!(m, "div", class = "al-await"; {
        el!(m, "fieldset", class = "al-variants"; {
            el!(m, "legend", class = "al-variants-legend"; { m.text("The handler") });
            list!(m, {
                for v in Variant::ALL {
                    let on = current == Some(v);
                    el!(m, "label", class = if on { "al-variant al-variant-on" } else { "al-variant" },
                        "data-variant" = v.slug(); {
                        el!(m, "input", "type" = "radio", name = group.clone(); {
                            m.value_prop(v.slug());
                            m.checked(on);
                            m.onchange(pick(v));
                        });
                        el!(m, "span"; { m.text(v.label()) });
                    });
                }
            });
            when!(m, current.is_none(), {
                el!(m, "span", class = "al-variant al-variant-custom al-variant-on", "data-variant" = "custom"; {
                    m.text("custom");
                });
            });
            el!(m, "button", class = "al-btn al-btn-text al-edit-handler"; {
                m.send(&props.on_change, Change::EditHandler);
                m.text("Edit this handler");
            });
        });
        el!(m, "div", class = if wide { "al-await-grid al-await-wide" } else { "al-await-grid" }; {
            // The code and what it means share a column; the timeline has the other.
            el!(m, "div", class = "al-await-side"; {
                el!(m, "figure", class = "al-code",
                    "aria-label" = "The handler's code; each line says how many requests are on it now"; {
                    el!(m, "ol", class = "al-code-lines"; {
                        list!(m, {
                            for (i, (line, state)) in source.into_iter().zip(&lines).enumerate() {
                                let highlight = state.highlight();
                                el!(m, "li", class = match highlight {
                                        Some((class, _)) => format!("al-code-line {class}"),
                                        None => "al-code-line".to_string(),
                                    },
                                    "data-line" = (i + 1).to_string(),
                                    "data-running" = (state.running > 0).then_some("true"),
                                    "data-blocked" = (state.blocked > 0).then_some("true"); {
                                    el!(m, "span", class = "al-code-no", "aria-hidden" = "true"; {
                                        m.say((i + 1).to_string());
                                    });
                                    el!(m, "code", class = "al-code-text"; {
                                        m.say(line.code);
                                        if let Some(comment) = line.comment {
                                            el!(m, "span", class = "al-code-comment"; {
                                                m.say(format!("  {comment}"));
                                            });
                                        } else {
                                            m.node(Html::default());
                                        }
                                    });
                                    el!(m, "span", class = "al-line-info"; {
                                        if let Some((_, words)) = highlight {
                                            el!(m, "span", class = "al-line-flag"; { m.text(words) });
                                        } else {
                                            m.node(Html::default());
                                        }
                                        counts(&mut m, state);
                                    });
                                });
                            }
                        });
                    });
                    done_line(&mut m, trace, done);
                });
                variant_note(&mut m, current, scenario);
            });
            el!(m, "div", class = "al-await-timeline"; {
                m.node(timeline_noted(TimelineProps::of(trace, props.t, timeline_w, props.uid.clone(),
                    "", &props.config, &props.on_change)));
            });
        });
    });
    m.finish()
}

/// A line's counts: one chip per phase, its swatch, the number and a word.
fn counts(m: &mut Markup, state: &LineState) {
    list!(m, {
        for (phase, n, words) in state.chips() {
            el!(m, "span", class = "al-chip", "data-phase" = phase.slug(), "data-count" = n.to_string(); {
                el!(m, "span", class = format!("al-swatch {}", phase.class()), "aria-hidden" = "true");
                m.say(words);
            });
        }
    });
}

/// What the chosen handler means, in our words; the thread count comes from the scenario.
fn variant_note(m: &mut Markup, current: Option<Variant>, scenario: &Scenario) {
    match current {
        Some(Variant::Awaited) => el!(m, "p", class = "al-await-note", "data-note" = "await"; {
            m.text("Each ");
            el!(m, "code"; { m.text("await") });
            m.text(" hands the event loop back while the database or the \
                email service works, so while one request waits the worker validates the next: \
                one worker keeps every request moving.");
        }),
        Some(Variant::BlockingCall) => {
            el!(m, "div", class = "al-await-note", "data-note" = "blocking"; {
                el!(m, "p"; {
                    el!(m, "code"; { m.text("db.save") });
                    m.text(" and ");
                    el!(m, "code"; { m.text("smtp.send") });
                    m.text(" stand for synchronous clients (a blocking database driver, ");
                    el!(m, "code"; { m.text("smtplib") });
                    m.text("). Called from ");
                    el!(m, "code"; { m.text("async def") });
                    m.text(", each call holds the event loop until it \
                        returns: nobody else runs meanwhile, and the worker serves one request at a time again.");
                });
                el!(m, "p"; {
                    m.text("Not the same as forgetting ");
                    el!(m, "code"; { m.text("await") });
                    m.text(": in Python, calling an ");
                    el!(m, "code"; { m.text("async def") });
                    m.text(" function without ");
                    el!(m, "code"; { m.text("await") });
                    m.text(" only creates a coroutine. It never runs, nothing is saved or sent, and Python \
                        warns “coroutine … was never awaited”.");
                });
            })
        }
        Some(Variant::PlainDef) => {
            let pool = pool_words(scenario);
            el!(m, "p", class = "al-await-note", "data-note" = "def"; {
                m.say(format!("FastAPI runs a plain def endpoint in a thread pool ({pool}). \
                    A synchronous call blocks only its own thread, so up to {} requests per worker wait on I/O \
                    at once; their Python code still runs one thread at a time (one interpreter lock per process).",
                    scenario.threads));
            });
        }
        None => el!(m, "p", class = "al-await-note", "data-note" = "custom"; {
            m.say(format!("Custom: mode={}, await_db={}, await_email={} is none of the three handlers; the code \
                above is what this setup runs.", scenario.mode, scenario.await_db, scenario.await_email));
        }),
    }
}
