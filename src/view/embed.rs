//! What an author copies and embeds: the iframe snippet that sizes itself, and the simulated
//! numbers an article's own words can show (`data-async-lanes-stat`), so a page never says
//! "200 seconds" above a widget whose students finish in 40.

use crate::sim::trace::Trace;
use crate::sim::{export, simulate};
use crate::view::config::PageConfig;
use crate::view::format;
use crate::view::page::stats;
use crate::view::scenes::SceneId;

/// Escapes text for an HTML attribute.
fn attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;")
}

/// The iframe for `url` (which already asks for `embed=1`), `height` CSS pixels tall to begin
/// with, and the few lines that then size it to whatever height the app reports.
pub fn iframe_snippet(url: &str, title: &str, height: f64) -> String {
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"{}\" style=\"border:0\" loading=\"lazy\"></iframe>\n\
         <script>\n\
         \x20 addEventListener('message', (e) => {{\n\
         \x20   if (e.data?.type !== 'async-lanes:resize') return;\n\
         \x20   for (const f of document.querySelectorAll('iframe'))\n\
         \x20     if (f.contentWindow === e.source) f.style.height = e.data.height + 'px';\n\
         \x20 }});\n\
         </script>",
        attr(url),
        attr(title),
        format::plain(height.max(320.0).ceil())
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snippet_sizes_its_iframe() {
        let s = iframe_snippet(
            "https://x.org/?scene=async&embed=1",
            "Async \"Lanes\"",
            1234.2,
        );
        assert!(s.starts_with("<iframe src=\"https://x.org/?scene=async&amp;embed=1\" title=\"Async &quot;Lanes&quot;\" width=\"100%\" height=\"1235\""), "{s}");
        assert!(s.contains("async-lanes:resize"));
        assert!(s.trim_end().ends_with("</script>"));
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
    pub fn file(self, scene: SceneId, trace: &Trace) -> (String, &'static str, String) {
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
