//! The picture of each scene. Every scene gets the same `PictureProps` (the run's trace, the
//! current time, the room it has) and draws its own view of them; one file per scene.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use yew::prelude::*;

use crate::app::hooks::{Deps, Effect};
use crate::app::markup::{el, list, Markup};
use crate::app::share::Copied;
use crate::app::SharedTrace;

use crate::sim::time::SimTime;
use crate::sim::SimError;
use crate::view::change::Change;
use crate::view::config::PageConfig;
use crate::view::playback::Changes;
use crate::view::scene_model::{Narrator, Remembered};
use crate::view::scenes::{Choice, SceneId};

mod await_code;
mod canvas;
mod compare;
mod inside;
mod lanes;
mod load;
pub(crate) mod playground;
mod race;
mod race_fix;
mod workers;

/// What every scene's picture receives.
pub struct PictureProps {
    /// The run of the scene's scenario.
    pub trace: SharedTrace,
    /// The `compare` scene's other run (the other mode on the same arrivals).
    pub other: Option<SharedTrace>,
    /// The current time.
    pub t: SimTime,
    /// The width available, in CSS pixels.
    pub width: f64,
    /// A prefix unique on the page, for ids.
    pub uid: AttrValue,
    /// The page's state (scene, scenario, speed).
    pub config: PageConfig,
    /// The scene changes its own setup (a variant, a preset).
    pub on_change: Callback<Change>,
    /// The scene moves the clock (for example to a moment it names).
    pub on_seek: Callback<SimTime>,
    /// Why the setup as it stands has no run (the playground's code has a problem): `trace` is
    /// then the last run that worked.
    pub failure: Option<SimError>,
}

/// What a picture keeps from one frame to the next. The pictures are functions drawn with the
/// scene, so their hooks are the scene's, made on every render whichever picture is shown (Yew
/// holds a component's hooks to one order, and the scene draws no picture before it knows its
/// width).
pub struct Kept {
    /// The picture's element that an effect reaches (the race's scroller, the workers' canvas).
    pub node: NodeRef,
    /// Whether the reader's theme is dark (the workers' canvas paints its colours itself).
    pub dark: bool,
    /// What the scene and its picture keep between renders.
    pub held: Rc<RefCell<Held>>,
    /// The playground's text as typed (the run follows it after a pause).
    pub text: UseStateHandle<String>,
}

/// What the scene and its picture keep from one render to the next, in one `use_mut_ref`: each
/// hook called is code of its own in the wasm.
#[derive(Default)]
pub struct Held {
    /// The scene's elements that its code reaches: the section (for its keys and whether it is
    /// on screen), the picture's slot (for its width), the picture's element that an effect
    /// reaches, the guess's field.
    pub nodes: [NodeRef; 4],
    /// The scene's runs, once per setup, and its legend (`view::scene_model`).
    pub remembered: Remembered,
    /// The run on screen, read when a control comes (the keyboard's listener keeps the
    /// callback of the first render), and its change times, for stepping.
    pub shown_run: Option<SharedTrace>,
    pub changes: Option<(SharedTrace, Rc<Changes>)>,
    /// How often the live region speaks.
    pub narrator: Narrator,
    /// What the share buttons copied last; its text is the scene's state, which draws it.
    pub copied: Option<Copied>,
    /// The picture slot's width, once measured (`hooks::use_width`).
    pub width: Rc<Cell<Option<f64>>>,
    /// The race's drawing has been scrolled to its start once.
    opened: bool,
    /// The workers' canvases painted once per run, width and theme.
    canvas: Option<workers::Cache>,
    /// The playground's editor.
    editor: playground::EditorState,
}

/// A picture drawn, and the effect that it needs after the render (when `Deps` change).
pub type Drawn = (Html, Option<(Deps, Effect)>);

/// The buttons of a choice, the one in force pressed, each sending its change: `keys` name each
/// button's class (`class`), its pressed state and the attribute that carries its value, in
/// that order.
fn choice_buttons(
    m: &mut Markup,
    keys: &'static [&'static str],
    class: &'static str,
    choices: impl IntoIterator<Item = Choice>,
    on_change: &Callback<Change>,
) {
    list!(m, {
        for c in choices {
            m.open("button", keys);
            m.attr(class);
            m.attr(if c.pressed { "true" } else { "false" });
            m.attr(c.data);
            m.send(on_change, c.change);
            m.say(c.text);
            m.close();
        }
    });
}

/// "done: 3 of 20" under a handler's code, with the swatch of a finished request.
fn done_line(m: &mut Markup, trace: &SharedTrace, done: u32) {
    el!(m, "p", class = "al-code-done"; {
        el!(m, "span", class = "al-swatch al-s-done", "aria-hidden" = "true");
        m.say(trace.done_of(done));
    });
}

/// The picture for `props.config.scene`. Kept apart from `Scene` (not inlined): the release is
/// about 200 bytes gzip smaller so.
#[inline(never)]
pub fn picture(props: PictureProps, kept: &Kept) -> Drawn {
    let html = match props.config.scene {
        SceneId::Compare => compare::compare(&props),
        SceneId::Inside => inside::inside(&props),
        SceneId::Await => await_code::await_code(&props),
        SceneId::Workers => return workers::workers(&props, kept),
        SceneId::Race => return race::race(&props, kept),
        SceneId::Load => load::load(&props),
        SceneId::Blocking | SceneId::Async => lanes::lanes(&props),
        SceneId::Playground => {
            let PictureProps {
                trace,
                failure,
                t,
                width,
                uid,
                config,
                on_change,
                ..
            } = props;
            let editor = playground::PlaygroundProps {
                trace: Some(trace),
                failure,
                t,
                width,
                uid,
                config,
                on_change,
            };
            return playground::playground(&editor, kept);
        }
    };
    (html, None)
}
