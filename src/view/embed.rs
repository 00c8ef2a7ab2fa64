//! What an author copies and embeds: the iframe or inline widget at a level of chrome, and the simulated
//! numbers an article's own words can show (`data-async-lanes-stat`), so a page never says
//! "200 seconds" above a widget whose students finish in 40.

use crate::sim::{export, simulate, text};
use crate::view::chrome::Chrome;
use crate::view::config::{Moment, PageConfig};
use crate::view::format;
use crate::view::page::stats;
use crate::view::run::SharedTrace;
use crate::view::scenes::SceneId;

/// Escapes text for an HTML attribute.
fn attr(s: &str) -> String {
    text::replace(&text::replace(s, "&", "&amp;"), "\"", "&quot;")
}

/// How an author's page holds the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmbedKind {
    /// An iframe of the app's page, sized by `embed-host.js` (no inline script, which many blog
    /// platforms and strict CSPs strip).
    Iframe,
    /// An element in the page itself, mounted by `boot.js` once it comes near the viewport.
    Inline,
}

/// What the author chose under "Copy embed code".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EmbedChoice {
    pub kind: EmbedKind,
    pub chrome: Chrome,
    /// Whether the widget opens at the moment on screen; otherwise at the scene's own moment.
    pub this_moment: bool,
}

impl EmbedChoice {
    /// The first choice: an iframe of what is on screen, opening at the scene's own moment.
    pub fn first(chrome: Chrome) -> EmbedChoice {
        EmbedChoice {
            kind: EmbedKind::Iframe,
            chrome,
            this_moment: false,
        }
    }
}

/// The choice of opening at the moment on screen, in words.
pub fn moment_words(moment: Moment) -> String {
    match moment {
        Moment::At(t) => format!("Open at this moment ({})", format::clock(t.as_secs_f64())),
        Moment::End => "Open at the end".to_string(),
        Moment::Scene => "Open at this moment".to_string(),
    }
}

/// The folder of the app's address (`https://x.org/series/part-2/index.html` gives
/// `https://x.org/series/part-2/`): where its files are, and its page.
pub fn folder(address: &str) -> &str {
    let path_start = text::find(address, "//").map_or(0, |i| i + 2);
    match text::last_byte(&address[path_start..], b'/') {
        Some(i) => &address[..path_start + i + 1],
        None => address,
    }
}

/// The app's own page showing `config` with everything around it: where a widget's "Open the
/// full version" goes.
pub fn full_version(config: &PageConfig, folder: &str) -> String {
    let mut full = config.clone();
    (full.chrome, full.embed) = (Chrome::Full, false);
    format!("{folder}?{}", full.to_query(None))
}

/// The first height of an iframe at `chrome`, from the heights of the scene and its picture on
/// screen (the full scene's own words and controls, or only those a lesser level keeps); the
/// app's resize messages correct it once it runs.
pub fn first_height(chrome: Chrome, scene: f64, picture: f64) -> f64 {
    let h = match chrome {
        Chrome::Full => scene + 64.0,
        Chrome::Article => picture + 280.0,
        Chrome::Min => picture + 220.0,
    };
    h.max(320.0).ceil()
}

/// The code an author pastes to show `config` as `choice` says, with the app in `folder`;
/// `moment` is the moment on screen, `height` the iframe's first height.
pub fn snippet(
    config: &PageConfig,
    choice: EmbedChoice,
    folder: &str,
    moment: Moment,
    height: f64,
) -> String {
    let iframe = choice.kind == EmbedKind::Iframe;
    let mut shown = config.clone();
    (shown.chrome, shown.embed) = (choice.chrome, iframe);
    let query = shown.to_query(choice.this_moment.then_some(moment));
    let folder = attr(folder);
    if iframe {
        format!(
            "<iframe src=\"{folder}?{}\" title=\"{}\" width=\"100%\" height=\"{}\" style=\"border:0\" loading=\"lazy\"></iframe>\n\
             <script src=\"{folder}embed-host.js\" defer></script>",
            attr(&query),
            attr(&format!("Async Lanes: {}", config.scene.label())),
            format::plain(height),
        )
    } else {
        format!(
            "<link rel=\"stylesheet\" href=\"{folder}al.css\">\n\
             <script type=\"module\" src=\"{folder}boot.js\"></script>\n\
             <div data-async-lanes=\"{}\"></div>",
            attr(&query)
        )
    }
}

/// The number `key` (a `data-stat` key: `last-wait-s`, `completed`, ...) at the end of the run
/// that `query` (a widget's attribute) describes, as the page shows it; `None` for an unknown
/// key or a setup that cannot run.
pub fn end_stat(query: &str, key: &str) -> Option<String> {
    let (config, _) = PageConfig::parse(query);
    let trace = simulate(&config.scenario).ok()?;
    stats(&trace.metrics, trace.students.len() as u32)
        .into_iter()
        .find(|s| s.key == key)
        .map(|s| s.shown)
}

/// The share button's words, and whether its link names the moment: a scene without a clock (the
/// load curve) has no moment to name.
pub fn link_button(scene: SceneId) -> (&'static str, bool) {
    if scene.has_clock() {
        ("Copy link to this moment", true)
    } else {
        ("Copy link", false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scene_without_a_clock_links_to_no_moment() {
        assert_eq!(link_button(SceneId::Load), ("Copy link", false));
        assert_eq!(
            link_button(SceneId::Blocking),
            ("Copy link to this moment", true)
        );
    }

    #[test]
    fn the_snippets_hold_the_choice_and_no_inline_script() {
        let (config, _) = PageConfig::parse("scene=blocking&students=7&t=3");
        let at = Moment::At(crate::sim::time::SimTime::from_secs(3));
        let mut choice = EmbedChoice::first(Chrome::Full);
        let s = snippet(&config, choice, "https://x.org/p/", at, 1234.0);
        assert_eq!(
            s,
            "<iframe src=\"https://x.org/p/?scene=blocking&amp;students=7&amp;embed=1\" \
             title=\"Async Lanes: Blocking\" width=\"100%\" height=\"1234\" style=\"border:0\" \
             loading=\"lazy\"></iframe>\n<script src=\"https://x.org/p/embed-host.js\" defer></script>"
        );
        // The moment on screen only when asked for, and the level chosen.
        choice.this_moment = true;
        choice.chrome = Chrome::Article;
        let s = snippet(&config, choice, "https://x.org/p/", at, 500.0);
        assert!(
            s.contains("students=7&amp;t=3&amp;chrome=article&amp;embed=1\""),
            "{s}"
        );
        choice.kind = EmbedKind::Inline;
        choice.chrome = Chrome::Min;
        let s = snippet(&config, choice, "https://x.org/p/", at, 500.0);
        assert_eq!(
            s,
            "<link rel=\"stylesheet\" href=\"https://x.org/p/al.css\">\n\
             <script type=\"module\" src=\"https://x.org/p/boot.js\"></script>\n\
             <div data-async-lanes=\"scene=blocking&amp;students=7&amp;t=3&amp;chrome=min\"></div>"
        );
    }

    #[test]
    fn the_folder_and_the_full_version() {
        assert_eq!(folder("https://x.org/p/index.html"), "https://x.org/p/");
        assert_eq!(folder("https://x.org/p/"), "https://x.org/p/");
        assert_eq!(folder("https://x.org"), "https://x.org");
        let (config, _) = PageConfig::parse("scene=async&chrome=min&embed=1&students=20");
        assert_eq!(
            full_version(&config, "https://x.org/p/"),
            "https://x.org/p/?scene=async&students=20"
        );
        assert_eq!(first_height(Chrome::Min, 2000.0, 100.0), 320.0);
        assert_eq!(first_height(Chrome::Full, 1000.2, 600.0), 1065.0);
    }

    #[test]
    fn an_articles_numbers_come_from_the_run() {
        assert_eq!(
            end_stat("scene=blocking&students=20", "last-wait-s").as_deref(),
            Some("40 s")
        );
        assert_eq!(
            end_stat("scene=blocking", "last-wait-s").as_deref(),
            Some("200 s (3 min 20 s)")
        );
        assert_eq!(end_stat("scene=blocking", "nope"), None);
    }
}

/// What "Download trace" and "Download CSV" save.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Download {
    /// Chrome Trace Event JSON, for ui.perfetto.dev or chrome://tracing.
    Perfetto,
    /// One row per student span.
    Csv,
}

impl Download {
    /// A stable name for `data-download` attributes.
    pub fn slug(self) -> &'static str {
        match self {
            Download::Perfetto => "perfetto",
            Download::Csv => "csv",
        }
    }

    /// The button's words.
    pub fn label(self) -> &'static str {
        match self {
            Download::Perfetto => "Download trace",
            Download::Csv => "Download CSV",
        }
    }

    /// The file's name, its media type and its text, for the run of `scene`.
    pub fn file(self, scene: SceneId, run: &SharedTrace) -> (String, &'static str, String) {
        let trace = run.trace();
        match self {
            Download::Perfetto => (
                format!("async-lanes-{}.json", scene.slug()),
                "application/json",
                export::perfetto(trace),
            ),
            Download::Csv => (
                format!("async-lanes-{}.csv", scene.slug()),
                "text/csv",
                export::csv(trace),
            ),
        }
    }
}
