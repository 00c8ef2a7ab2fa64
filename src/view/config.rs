//! The URL is the page's state, both ways: `?scene=blocking&students=100&t=end` parses into a
//! `PageConfig` (every bad value becomes a notice and falls back), and a `PageConfig` with the
//! current time writes back a short query holding only what differs from the scene's defaults.

use crate::sim::decimal;
use crate::sim::scenario::{ParamError, ParamErrorKind, Scenario};
use crate::sim::text;
use crate::sim::time::SimTime;
use crate::view::change::{parse_guess, GUESS_ALLOWED};
use crate::view::chrome::Chrome;
use crate::view::scenes::SceneId;

/// Keys that belong to the page rather than to the scenario.
pub const PAGE_KEYS: [&str; 8] = [
    "scene", "t", "speed", "embed", "chrome", "follow", "predict", "guess",
];

/// The fastest playback a URL may ask for, simulated seconds per real second.
pub const MAX_SPEED: f64 = 1000.0;

/// The moment the page opens at.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Moment {
    /// The scene's own moment, when the URL names none: the start, or for `inside` and `async`
    /// the article's picture (`view::page::scene_moment` finds it in the run).
    Scene,
    /// A time in the run (clamped to the run's end once the run is known).
    At(SimTime),
    /// The end of the run (`t=end`).
    End,
}

/// Everything the URL says.
#[derive(Clone, Debug, PartialEq)]
pub struct PageConfig {
    pub scene: SceneId,
    pub scenario: Scenario,
    pub moment: Moment,
    /// Simulated seconds per real second, when the URL or the reader set it; otherwise playback
    /// follows the run's length (`view::playback::auto_speed`).
    pub speed: Option<f64>,
    /// Compact chrome for an iframe (`embed=1`).
    pub embed: bool,
    /// How much surrounds the picture (`chrome=full`, `article` or `min`).
    pub chrome: Chrome,
    /// The student the reader follows (by id; `follow=N` in the URL names the N-th student).
    pub follow: Option<u32>,
    /// Ask the scene's question before playing (`predict=1`).
    pub predict: bool,
    /// The reader's guess of the last wait (`guess=150`, seconds).
    pub guess: Option<SimTime>,
}

impl PageConfig {
    /// The scene's starting state.
    pub fn for_scene(scene: SceneId) -> PageConfig {
        PageConfig {
            scene,
            scenario: scene.defaults(),
            moment: Moment::Scene,
            speed: None,
            embed: false,
            chrome: Chrome::Full,
            follow: None,
            predict: false,
            guess: None,
        }
    }

    /// The notice for a key the URL got wrong: the error and what the page uses instead.
    pub fn notice(&self, e: &ParamError) -> String {
        let fallback = match e.key.as_str() {
            "scene" => Some(self.scene.slug().to_string()),
            "t" => Some(match self.scene {
                SceneId::Inside | SceneId::Async => "the article's moment".to_string(),
                _ => "the start".to_string(),
            }),
            "speed" => Some("one that follows the run's length".to_string()),
            "embed" => Some(if self.embed { "1" } else { "0" }.to_string()),
            "chrome" => Some(self.chrome.slug().to_string()),
            "follow" => Some("nobody".to_string()),
            "predict" => Some("0".to_string()),
            "guess" => Some("no guess".to_string()),
            key => self.scenario.value_text(key),
        };
        match fallback {
            Some(f) => format!("{e}; using {f}"),
            None => format!("{e}; ignored"),
        }
    }

    /// Parses a query string (with or without its leading `?`). Never fails: each bad pair is
    /// reported and its key keeps the scene's default.
    pub fn parse(query: &str) -> (PageConfig, Vec<ParamError>) {
        let pairs = decode_query(query);
        let mut notices = Vec::new();
        let bad =
            |key: &str, value: &str, allowed: &str| ParamError::bad_value(key, value, allowed);
        let scene = match pairs.iter().rev().find(|(k, _)| k == "scene") {
            None => SceneId::Blocking,
            Some((_, v)) => SceneId::from_slug(v).unwrap_or_else(|| {
                notices.push(bad("scene", v, &format!("one of {}", SceneId::allowed())));
                SceneId::Blocking
            }),
        };
        let mut config = PageConfig::for_scene(scene);
        for (key, value) in &pairs {
            match key.as_str() {
                "t" => match parse_moment(value) {
                    Some(moment) => config.moment = moment,
                    None => notices.push(bad("t", value, "seconds from 0 to 86400, or end")),
                },
                "speed" => match decimal::parse(value) {
                    Some(s) if s.is_finite() && s > 0.0 && s <= MAX_SPEED => config.speed = Some(s),
                    _ => notices.push(bad(
                        "speed",
                        value,
                        &format!(
                            "simulated seconds per second, above 0 and at most {}",
                            decimal::shortest(MAX_SPEED)
                        ),
                    )),
                },
                "embed" => match value.as_str() {
                    "1" | "true" | "" => config.embed = true,
                    "0" | "false" => config.embed = false,
                    _ => notices.push(bad("embed", value, "1 or 0")),
                },
                "chrome" => match Chrome::from_slug(value) {
                    Some(chrome) => config.chrome = chrome,
                    None => notices.push(bad("chrome", value, "full, article or min")),
                },
                _ => {}
            }
        }
        let (scenario, errors) = Scenario::from_pairs_lenient_over(
            config.scenario.clone(),
            pairs.iter().map(|(k, v)| (k, v)),
            &PAGE_KEYS,
        );
        config.scenario = scenario;
        // The playground keeps code that does not compile: its editor shows the text and points
        // at the problem, so nothing the reader wrote is lost on a reload.
        let keeps_code =
            |e: &ParamError| scene == SceneId::Playground && e.kind == ParamErrorKind::BadCode;
        if let Some((_, code)) = pairs.iter().rev().find(|(k, _)| k == "code") {
            if errors.iter().any(keeps_code) {
                config.scenario.code = Some(code.clone());
            }
        }
        notices.extend(errors.into_iter().filter(|e| !keeps_code(e)));
        for (key, value) in &pairs {
            match key.as_str() {
                "predict" => match value.as_str() {
                    "1" | "true" | "" => config.predict = true,
                    "0" | "false" => config.predict = false,
                    _ => notices.push(bad("predict", value, "1 or 0")),
                },
                "guess" => match parse_guess(value) {
                    Some(guess) => config.guess = Some(guess),
                    None => notices.push(bad("guess", value, GUESS_ALLOWED)),
                },
                _ => {}
            }
        }
        if let Some((_, value)) = pairs.iter().rev().find(|(k, _)| k == "follow") {
            let total = config.scenario.total_students();
            match decimal::whole_u32(value) {
                Some(n) if (1..=total).contains(&n) => config.follow = Some(n - 1),
                _ => notices.push(bad(
                    "follow",
                    value,
                    &format!("a student's number from 1 to {total}"),
                )),
            }
        }
        (config, notices)
    }

    /// The query (without `?`) for this state at time `t`: the scene, the scenario keys that
    /// differ from the scene's defaults, the time (where it is not the scene's own) and the speed
    /// (where the reader set one).
    pub fn to_query(&self, t: Option<Moment>) -> String {
        let mut parts = vec![format!("scene={}", self.scene.slug())];
        for (key, value) in self.scenario.to_pairs_against(&self.scene.defaults()) {
            parts.push(format!("{key}={}", encode(&value)));
        }
        match t {
            Some(Moment::End) => parts.push("t=end".to_string()),
            // The start goes without saying, except where the scene opens elsewhere.
            Some(Moment::At(at))
                if at > SimTime::ZERO || matches!(self.scene, SceneId::Inside | SceneId::Async) =>
            {
                parts.push(format!("t={}", at.secs_text()))
            }
            _ => {}
        }
        if let Some(speed) = self.speed {
            parts.push(format!("speed={}", decimal::shortest(speed)));
        }
        if let Some(id) = self.follow {
            parts.push(format!("follow={}", id + 1));
        }
        if self.predict {
            parts.push("predict=1".to_string());
        }
        if let Some(guess) = self.guess {
            parts.push(format!("guess={}", guess.secs_text()));
        }
        if self.chrome != Chrome::Full {
            parts.push(format!("chrome={}", self.chrome.slug()));
        }
        if self.embed {
            parts.push("embed=1".to_string());
        }
        parts.join("&")
    }
}

fn parse_moment(value: &str) -> Option<Moment> {
    if value == "end" {
        return Some(Moment::End);
    }
    let s = decimal::parse(value)?;
    (s.is_finite() && (0.0..=86_400.0).contains(&s)).then(|| Moment::At(SimTime::from_secs_f64(s)))
}

/// `key=value` pairs of a query string, percent-decoded, in order.
pub fn decode_query(query: &str) -> Vec<(String, String)> {
    text::split(query.trim_start_matches('?'), "&")
        .into_iter()
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (k, v) = text::split_once(part, "=").unwrap_or((part, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// Percent-decoding, `+` as a space; a malformed escape is kept as it is, and so is a text
/// whose escapes do not spell UTF-8.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |j: usize| bytes.get(j).and_then(|b| (*b as char).to_digit(16));
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    // Escapes that do not spell UTF-8 are malformed too: the text is kept as it came.
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

/// Escapes what a query value cannot hold literally.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b',' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::Mode;

    #[track_caller]
    fn check(query: &str, want_scene: SceneId, want_notices: &[&str]) -> PageConfig {
        let (config, notices) = PageConfig::parse(query);
        assert_eq!(config.scene, want_scene, "scene of {query:?}");
        let keys: Vec<&str> = notices.iter().map(|n| n.key.as_str()).collect();
        assert_eq!(keys, want_notices, "notices of {query:?}: {notices:?}");
        config
    }

    #[test]
    fn good_queries_set_scene_scenario_time_and_speed() {
        let c = check(
            "?scene=blocking&students=7&email_ms=1500&t=3",
            SceneId::Blocking,
            &[],
        );
        assert_eq!((c.scenario.students, c.scenario.email_ms), (7, 1500.0));
        assert_eq!(c.moment, Moment::At(SimTime::from_secs(3)));
        let c = check("scene=workers&t=end&speed=2", SceneId::Workers, &[]);
        assert_eq!(
            (c.scenario.workers, c.moment, c.speed),
            (4, Moment::End, Some(2.0))
        );
        assert_eq!(
            check("", SceneId::Blocking, &[]),
            PageConfig::for_scene(SceneId::Blocking)
        );
        assert!(check("scene=async&embed=1", SceneId::Async, &[]).embed);
        let min = check("scene=async&chrome=min", SceneId::Async, &[]);
        assert_eq!(min.chrome, Chrome::Min);
        assert_eq!(min.to_query(None), "scene=async&chrome=min");
        check("scene=async&chrome=tiny", SceneId::Async, &["chrome"]);
        let article = check(
            "scene=compare&chrome=article&embed=1",
            SceneId::Compare,
            &[],
        );
        assert_eq!(article.chrome, Chrome::Article);
        assert_eq!(
            article.to_query(None),
            "scene=compare&chrome=article&embed=1"
        );
        assert_eq!(check("follow=3", SceneId::Blocking, &[]).follow, Some(2));
        check("follow=101", SceneId::Blocking, &["follow"]);
        check("follow=0", SceneId::Blocking, &["follow"]);
    }

    #[test]
    fn bad_values_are_named_and_fall_back() {
        let c = check(
            "scene=nope&students=abc",
            SceneId::Blocking,
            &["scene", "students"],
        );
        assert_eq!(c.scenario, SceneId::Blocking.defaults());
        let c = check(
            "scene=async&t=-1&speed=NaN&workers=0",
            SceneId::Async,
            &["t", "speed", "workers"],
        );
        assert_eq!(c, PageConfig::for_scene(SceneId::Async));
        check("scene=async&bogus=1", SceneId::Async, &["bogus"]);
    }

    #[test]
    fn the_query_round_trips_and_stays_short() {
        let (mut c, _) = PageConfig::parse("scene=inside");
        assert_eq!(c.to_query(None), "scene=inside", "defaults are not written");
        c.scenario.mode = Mode::Blocking;
        c.scenario.email_ms = 1500.0;
        c.speed = Some(5.0);
        let q = c.to_query(Some(Moment::At(SimTime::from_millis(520))));
        assert_eq!(q, "scene=inside&mode=blocking&email_ms=1500&t=0.52&speed=5");
        let (back, notices) = PageConfig::parse(&q);
        assert!(notices.is_empty());
        assert_eq!(back.scenario, c.scenario);
        assert_eq!(back.moment, Moment::At(SimTime::from_millis(520)));
        // Async opens at its own moment too, so its start is written.
        let (c, _) = PageConfig::parse("scene=async");
        assert_eq!(
            c.to_query(Some(Moment::At(SimTime::ZERO))),
            "scene=async&t=0"
        );
        let (c, _) = PageConfig::parse("scene=blocking");
        assert_eq!(
            c.to_query(Some(Moment::At(SimTime::ZERO))),
            "scene=blocking"
        );
    }

    #[test]
    fn percent_escapes_decode() {
        assert_eq!(
            decode_query("a=1%2C2&b=x+y&c=%zz&d=%C3%A9l%C3%A8ve&e=x+%FF"),
            [
                ("a".to_string(), "1,2".to_string()),
                ("b".to_string(), "x y".to_string()),
                ("c".to_string(), "%zz".to_string()),
                ("d".to_string(), "élève".to_string()),
                // Escapes that are not UTF-8: the text as it came.
                ("e".to_string(), "x+%FF".to_string()),
            ]
        );
        assert_eq!(encode("0.5,1 2"), "0.5,1%202");
    }

    #[test]
    fn notices_name_the_fallback() {
        let (c, notices) = PageConfig::parse("students=abc&t=-1&bogus=1");
        let text: Vec<String> = notices.iter().map(|n| c.notice(n)).collect();
        assert_eq!(
            text,
            [
                "t=-1: expected seconds from 0 to 86400, or end; using the start",
                "students=abc: expected an integer from 1 to 1000000; using 100",
                &format!(
                    "bogus=1: expected one of the keys {}; ignored",
                    crate::sim::scenario::key_names()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ]
        );
    }
}
