//! The URL is the page's state, both ways: `?scene=blocking&students=100&t=end` parses into a
//! `PageConfig` (every bad value becomes a notice and falls back), and a `PageConfig` with the
//! current time writes back a short query holding only what differs from the scene's defaults.

use crate::sim::scenario::{ParamError, Scenario, MAX_EXTRA_ARRIVAL};
use crate::sim::time::SimTime;
use crate::view::handler_code::Variant;
use crate::view::scenes::SceneId;

/// Keys that belong to the page rather than to the scenario.
pub const PAGE_KEYS: [&str; 8] = [
    "scene", "t", "speed", "embed", "chrome", "follow", "predict", "guess",
];

/// The fastest playback a URL may ask for, simulated seconds per real second.
pub const MAX_SPEED: f64 = 1000.0;

/// At most this many students registered by hand, so a page stays light.
pub const MAX_REGISTERED: usize = 50;

/// A change the reader makes to the setup, from any scene. [`PageConfig::apply`] is the one place
/// that turns it into a new state.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Another scene, from its own starting point.
    Scene(SceneId),
    /// This scene's starting point again.
    Defaults,
    /// A preset: this many students, and none registered by hand.
    Students(u32),
    /// One of the `await` scene's handlers, played at a speed that follows its run.
    Variant(Variant),
    /// The next seed, from the start: another interleaving of the same setup.
    NextSeed,
    /// A field of the setup form, as typed.
    Field { key: String, value: String },
    /// A student registered by hand, arriving at this time: the reader's own, followed.
    Register(SimTime),
    /// Follow this student (by id) through the picture, or nobody.
    Follow(Option<u32>),
    /// Ask the scene's question first, from the start.
    Predict,
    /// The reader's guess of the last wait, as typed.
    Guess(String),
}

/// The moment the page opens at.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Moment {
    /// The scene's own moment, when the URL names none: the start, or for `inside` the
    /// article's snapshot (`view::page::scene_moment` finds it in the run).
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
    /// `chrome=min`: the picture, play and pause, the scrubber and the one number that carries
    /// the scene's point; nothing else (for an author's page).
    pub minimal: bool,
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
            minimal: false,
            follow: None,
            predict: false,
            guess: None,
        }
    }

    /// The state after `change`. Only a form field can be refused: its error names the key,
    /// the value and what it accepts, and the state stays as it was.
    ///
    /// # Errors
    /// The form field's [`ParamError`].
    pub fn apply(&self, change: Change) -> Result<PageConfig, ParamError> {
        let mut next = self.clone();
        match change {
            Change::Scene(scene) => {
                next = PageConfig {
                    embed: self.embed,
                    minimal: self.minimal,
                    ..PageConfig::for_scene(scene)
                }
            }
            Change::Defaults => return self.apply(Change::Scene(self.scene)),
            Change::Students(n) => {
                next.scenario.students = n;
                next.scenario.extra_arrivals.clear();
            }
            // Each handler's run has a length of its own: playback follows it.
            Change::Variant(v) => {
                next.scenario = v.apply(&self.scenario);
                next.speed = None;
            }
            Change::NextSeed => {
                next.scenario.seed = self.scenario.seed.wrapping_add(1);
                next.moment = Moment::At(SimTime::ZERO);
            }
            Change::Field { key, value } => {
                let (scenario, errors) = Scenario::from_pairs_lenient_over(
                    self.scenario.clone(),
                    [(key.as_str(), value.as_str())],
                    &[],
                );
                if let Some(e) = errors.into_iter().next() {
                    return Err(e);
                }
                next.scenario = scenario;
            }
            Change::Register(t) => {
                if self.can_register(t) {
                    next.follow = Some(next.scenario.total_students());
                    next.scenario.extra_arrivals.push(t);
                }
            }
            Change::Follow(student) => next.follow = student,
            Change::Predict => {
                next.predict = true;
                next.guess = None;
                next.moment = Moment::At(SimTime::ZERO);
            }
            Change::Guess(text) => match parse_guess(&text) {
                Some(guess) => next.guess = Some(guess),
                None => return Err(ParamError::bad_value("guess", &text, GUESS_ALLOWED)),
            },
        }
        // A setup with fewer students leaves nobody to follow.
        next.follow = next
            .follow
            .filter(|id| *id < next.scenario.total_students());
        Ok(next)
    }

    /// Whether a student registered by hand at `t` would be taken (there is a limit on how many,
    /// and on how late).
    pub fn can_register(&self, t: SimTime) -> bool {
        self.scenario.extra_arrivals.len() < MAX_REGISTERED && t <= MAX_EXTRA_ARRIVAL
    }

    /// The notice for a key the URL got wrong: the error and what the page uses instead.
    pub fn notice(&self, e: &ParamError) -> String {
        let fallback = match e.key.as_str() {
            "scene" => Some(self.scene.slug().to_string()),
            "t" => Some(match self.scene {
                SceneId::Inside => "the article's moment".to_string(),
                _ => "the start".to_string(),
            }),
            "speed" => Some("one that follows the run's length".to_string()),
            "embed" => Some(if self.embed { "1" } else { "0" }.to_string()),
            "chrome" => Some(if self.minimal { "min" } else { "full" }.to_string()),
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
                "speed" => match value.parse::<f64>() {
                    Ok(s) if s.is_finite() && s > 0.0 && s <= MAX_SPEED => config.speed = Some(s),
                    _ => notices.push(bad(
                        "speed",
                        value,
                        &format!("simulated seconds per second, above 0 and at most {MAX_SPEED}"),
                    )),
                },
                "embed" => match value.as_str() {
                    "1" | "true" | "" => config.embed = true,
                    "0" | "false" => config.embed = false,
                    _ => notices.push(bad("embed", value, "1 or 0")),
                },
                "chrome" => match value.as_str() {
                    "min" => config.minimal = true,
                    "full" => config.minimal = false,
                    _ => notices.push(bad("chrome", value, "min or full")),
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
        notices.extend(errors);
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
            match value.parse::<u32>() {
                Ok(n) if (1..=total).contains(&n) => config.follow = Some(n - 1),
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
            Some(Moment::At(at)) if at > SimTime::ZERO || self.scene == SceneId::Inside => {
                parts.push(format!("t={}", at.secs_text()))
            }
            _ => {}
        }
        if let Some(speed) = self.speed {
            parts.push(format!("speed={speed}"));
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
        if self.minimal {
            parts.push("chrome=min".to_string());
        }
        if self.embed {
            parts.push("embed=1".to_string());
        }
        parts.join("&")
    }
}

/// What a guess may be.
const GUESS_ALLOWED: &str = "a number of seconds from 0 to 86400";

/// A guess of the last wait, in seconds.
fn parse_guess(value: &str) -> Option<SimTime> {
    let s: f64 = value.trim().parse().ok()?;
    (s.is_finite() && (0.0..=86_400.0).contains(&s)).then(|| SimTime::from_secs_f64(s))
}

fn parse_moment(value: &str) -> Option<Moment> {
    if value == "end" {
        return Some(Moment::End);
    }
    let s: f64 = value.parse().ok()?;
    (s.is_finite() && (0.0..=86_400.0).contains(&s)).then(|| Moment::At(SimTime::from_secs_f64(s)))
}

/// `key=value` pairs of a query string, percent-decoded, in order.
pub fn decode_query(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// Percent-decoding, `+` as a space; a malformed escape is kept as it is.
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
    String::from_utf8_lossy(&out).into_owned()
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
        assert!(min.minimal);
        assert_eq!(min.to_query(None), "scene=async&chrome=min");
        check("scene=async&chrome=tiny", SceneId::Async, &["chrome"]);
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
    }

    #[test]
    fn percent_escapes_decode() {
        assert_eq!(
            decode_query("a=1%2C2&b=x+y&c=%zz"),
            [
                ("a".to_string(), "1,2".to_string()),
                ("b".to_string(), "x y".to_string()),
                ("c".to_string(), "%zz".to_string()),
            ]
        );
        assert_eq!(encode("0.5,1 2"), "0.5,1%202");
    }

    #[track_caller]
    fn check_change(query: &str, change: Change, expect: &str) {
        let (config, _) = PageConfig::parse(query);
        let got = match config.apply(change.clone()) {
            Ok(next) => next.to_query(Some(next.moment)),
            Err(e) => format!("error: {e}"),
        };
        assert_eq!(got, expect, "{change:?} on {query:?}");
    }

    #[test]
    fn every_change_goes_through_apply() {
        check_change(
            "scene=async&students=7&embed=1",
            Change::Scene(SceneId::Race),
            "scene=race&embed=1",
        );
        check_change(
            "scene=inside&db_pool=unlimited&t=2",
            Change::Defaults,
            "scene=inside",
        );
        check_change(
            "scene=workers&extra_arrivals=1",
            Change::Students(1001),
            "scene=workers&students=1001",
        );
        check_change(
            "scene=await",
            Change::Variant(Variant::BlockingCall),
            "scene=await&await_db=false&await_email=false",
        );
        check_change("scene=race&t=0.1", Change::NextSeed, "scene=race&seed=7");
        let field = |key: &str, value: &str| Change::Field {
            key: key.to_string(),
            value: value.to_string(),
        };
        check_change(
            "scene=async",
            field("students", "20"),
            "scene=async&students=20",
        );
        check_change(
            "scene=async",
            field("students", "-5"),
            "error: students=-5: expected an integer from 1 to 1000000",
        );
        check_change(
            "scene=blocking",
            Change::Register(SimTime::from_millis(1500)),
            "scene=blocking&extra_arrivals=1.5&follow=101",
        );
        check_change(
            "scene=blocking",
            Change::Follow(Some(41)),
            "scene=blocking&follow=42",
        );
        check_change(
            "scene=blocking&t=50",
            Change::Predict,
            "scene=blocking&predict=1",
        );
        check_change(
            "scene=blocking&predict=1",
            Change::Guess("150".to_string()),
            "scene=blocking&predict=1&guess=150",
        );
        check_change(
            "scene=blocking&predict=1",
            Change::Guess("soon".to_string()),
            "error: guess=soon: expected a number of seconds from 0 to 86400",
        );
        check_change(
            "scene=blocking&follow=42",
            Change::Follow(None),
            "scene=blocking",
        );
        check_change(
            "scene=workers&follow=1500",
            Change::Students(1000),
            "scene=workers",
        );
    }

    #[test]
    fn registering_by_hand_has_a_limit() {
        let mut c = PageConfig::for_scene(SceneId::Blocking);
        for _ in 0..MAX_REGISTERED + 5 {
            c = c.apply(Change::Register(SimTime::from_secs(1))).unwrap();
        }
        assert_eq!(c.scenario.extra_arrivals.len(), MAX_REGISTERED);
        assert!(!PageConfig::for_scene(SceneId::Blocking)
            .can_register(MAX_EXTRA_ARRIVAL + SimTime::from_secs(1)));
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
