//! The control bar: play/pause, step, jump, speed and the scrub bar. It only emits `Control`s;
//! `view::playback` says what each means for the clock.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::app::markup::{el, when, Markup};
use crate::sim::decimal;
use crate::view::format;
use crate::view::playback::{Control, Playback, SCRUB_STEPS};

/// A 20 px icon drawn with the button's text colour (no icon font, nothing to download).
fn icon(m: &mut Markup, path: &'static str) {
    el!(m, "svg", class = "al-icon", width = "20", height = "20", viewBox = "0 0 20 20", "aria-hidden" = "true",
        focusable = "false"; {
        el!(m, "path", d = path, fill = "currentColor");
    });
}

/// A click that emits `control`: one closure for every button of the bar.
fn emit(on_control: &Callback<Control>, control: Control) -> Callback<MouseEvent> {
    on_control.reform(move |_: MouseEvent| control)
}

/// A step or jump button: its tooltip (with its key), its name, what it does and its icon. One
/// function for the four, so their markup is made once.
#[inline(never)]
fn nav_button(
    m: &mut Markup,
    title: &'static str,
    label: &'static str,
    control: Control,
    path: &'static str,
    on_control: &Callback<Control>,
) {
    el!(m, "button", class = "al-btn", title = title, "aria-label" = label; {
        m.onclick(emit(on_control, control));
        icon(m, path);
    });
}

const ICON_START: &str = "M4 4h2.5v12H4zM16 4v12L7.5 10z";
const ICON_BACK: &str = "M13.5 4h2.5v12h-2.5zM12 4v12L3.5 10z";
const ICON_PLAY: &str = "M5 3.5v13L16.5 10z";
const ICON_PAUSE: &str = "M5 4h3.5v12H5zM11.5 4H15v12h-3.5z";
const ICON_FORWARD: &str = "M4 4h2.5v12H4zM8 4v12l8.5-6z";
const ICON_END: &str = "M13.5 4H16v12h-2.5zM4 4v12l8.5-6z";

/// The control bar for `p`; `minimal` keeps play and pause, the scrubber and the clock only
/// (`chrome=min`). A function, not a component: it changes with every frame anyway.
pub fn controls(p: &Playback, on_control: &Callback<Control>, minimal: bool) -> Html {
    let on_scrub = on_control.reform(|e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        Control::Scrub(decimal::whole_u32(&input.value()).unwrap_or(0))
    });
    let scrub_value = p.scrub_position().to_string();
    let (now, of_end, valuetext) = p.clock_words();
    let (play_label, play_icon) = if p.playing {
        ("Pause (Space)", ICON_PAUSE)
    } else {
        ("Play (Space)", ICON_PLAY)
    };
    let mut m = Markup::new();
    el!(m, "div", class = "al-controls", role = "group", "aria-label" = "Playback"; {
        el!(m, "div", class = "al-buttons"; {
            when!(m, !minimal, {
                nav_button(&mut m, "Start (Home)", "Jump to start", Control::ToStart, ICON_START, on_control);
                nav_button(&mut m, "Step back (←)", "Step back", Control::StepBack, ICON_BACK, on_control);
            });
            el!(m, "button", class = "al-btn al-btn-play", title = play_label, "aria-label" = play_label,
                "aria-pressed" = p.playing.to_string(); {
                m.onclick(emit(on_control, Control::TogglePlay));
                icon(&mut m, play_icon);
            });
            when!(m, !minimal, {
                nav_button(&mut m, "Step forward (→)", "Step forward", Control::StepForward, ICON_FORWARD, on_control);
                nav_button(&mut m, "End (End)", "Jump to end", Control::ToEnd, ICON_END, on_control);
                el!(m, "span", class = "al-speed", "aria-label" = "Speed"; {
                    el!(m, "button", class = "al-btn al-btn-small", title = "Slower (−)", "aria-label" = "Slower"; {
                        m.onclick(emit(on_control, Control::Slower));
                        m.text("−");
                    });
                    el!(m, "span", class = "al-speed-value", "data-stat" = "speed",
                        "data-value" = format::plain(p.speed); {
                        m.say(format!("{}×", format::plain(p.speed)));
                    });
                    el!(m, "button", class = "al-btn al-btn-small", title = "Faster (+)", "aria-label" = "Faster"; {
                        m.onclick(emit(on_control, Control::Faster));
                        m.text("+");
                    });
                });
            });
        });
        el!(m, "label", class = "al-scrub"; {
            el!(m, "span", class = "al-visually-hidden"; { m.text("Simulated time") });
            el!(m, "input", "type" = "range", class = "al-scrub-input", min = "0", max = SCRUB_STEPS.to_string(),
                step = "1", "aria-valuetext" = valuetext; {
                m.value_prop(scrub_value);
                m.oninput(on_scrub);
            });
        });
        el!(m, "span", class = "al-clock", "aria-hidden" = "true"; {
            m.say(now);
            el!(m, "span", class = "al-muted"; { m.say(of_end) });
        });
    });
    m.finish()
}
