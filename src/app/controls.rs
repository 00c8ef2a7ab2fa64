//! The control bar: play/pause, step, jump, speed and the scrub bar. It only emits `Control`s;
//! `view::playback` says what each means for the clock.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::view::format;
use crate::view::playback::{Control, Playback, SCRUB_STEPS};

/// A 20 px icon drawn with the button's text colour (no icon font, nothing to download).
fn icon(path: &'static str) -> Html {
    html! {
        <svg class="al-icon" width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
            <path d={path} fill="currentColor" />
        </svg>
    }
}

/// A step or jump button: its tooltip (with its key), its name, what it does and its icon. One
/// function for the four, so their markup is made once.
#[inline(never)]
fn nav_button(
    title: &'static str,
    label: &'static str,
    control: Control,
    path: &'static str,
    on_control: &Callback<Control>,
) -> Html {
    let onclick = on_control.reform(move |_: MouseEvent| control);
    html! {
        <button class="al-btn" {title} aria-label={label} {onclick}>{ icon(path) }</button>
    }
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
    let emit = |c: Control| on_control.reform(move |_: MouseEvent| c);
    let on_scrub = on_control.reform(|e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        Control::Scrub(input.value().parse().unwrap_or(0))
    });
    let scrub_value = p.scrub_position().to_string();
    let (now, of_end, valuetext) = p.clock_words();
    let (play_label, play_icon) = if p.playing {
        ("Pause (Space)", ICON_PAUSE)
    } else {
        ("Play (Space)", ICON_PLAY)
    };
    html! {
        <div class="al-controls" role="group" aria-label="Playback">
            <div class="al-buttons">
                if !minimal {
                    { nav_button("Start (Home)", "Jump to start", Control::ToStart, ICON_START, on_control) }
                    { nav_button("Step back (←)", "Step back", Control::StepBack, ICON_BACK, on_control) }
                }
                <button class="al-btn al-btn-play" title={play_label} aria-label={play_label} aria-pressed={p.playing.to_string()} onclick={emit(Control::TogglePlay)}>{ icon(play_icon) }</button>
                if !minimal {
                { nav_button("Step forward (→)", "Step forward", Control::StepForward, ICON_FORWARD, on_control) }
                { nav_button("End (End)", "Jump to end", Control::ToEnd, ICON_END, on_control) }
                <span class="al-speed" aria-label="Speed">
                    <button class="al-btn al-btn-small" title="Slower (−)" aria-label="Slower" onclick={emit(Control::Slower)}>{ "−" }</button>
                    <span class="al-speed-value" data-stat="speed" data-value={format::plain(p.speed)}>{ format!("{}×", format::plain(p.speed)) }</span>
                    <button class="al-btn al-btn-small" title="Faster (+)" aria-label="Faster" onclick={emit(Control::Faster)}>{ "+" }</button>
                </span>
                }
            </div>
            <label class="al-scrub">
                <span class="al-visually-hidden">{ "Simulated time" }</span>
                <input type="range" class="al-scrub-input" min="0" max={SCRUB_STEPS.to_string()} step="1"
                    value={scrub_value} oninput={on_scrub}
                    aria-valuetext={valuetext} />
            </label>
            <span class="al-clock" aria-hidden="true">
                { now }<span class="al-muted">{ of_end }</span>
            </span>
        </div>
    }
}
