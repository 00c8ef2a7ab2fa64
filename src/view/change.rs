//! The one way to change the page's state: a [`Change`] from any scene (a preset, a handler, a
//! seed, a form field, a registered student, a guess, ...) applied by [`PageConfig::apply`].

use crate::sim::decimal;
use crate::sim::lang::presets;
use crate::sim::scenario::{Mode, ParamError, Scenario, MAX_EXTRA_ARRIVAL};
use crate::sim::time::SimTime;
use crate::view::config::{Moment, PageConfig};
use crate::view::handler_code::Variant;
use crate::view::load::at_rate;
use crate::view::scenes::SceneId;

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
    /// The playground's code, as typed: where it runs follows its `async def` or `def` (once it
    /// compiles; until then, the setup keeps where the last good code ran).
    Code(String),
    /// A point of the load curve: the run at that rate, in the timeline scene of that mode.
    OpenRate { rate: f64, mode: Mode },
    /// "Edit this handler": the playground, from this scene's setup and the handler it runs as
    /// text.
    EditHandler,
}

/// What a guess may be.
pub(crate) const GUESS_ALLOWED: &str = "a number of seconds from 0 to 86400";

/// A guess of the last wait, in seconds.
pub(crate) fn parse_guess(value: &str) -> Option<SimTime> {
    let s = decimal::parse(value.trim())?;
    (s.is_finite() && (0.0..=86_400.0).contains(&s)).then(|| SimTime::from_secs_f64(s))
}

impl PageConfig {
    /// The state after `change`. Only a form field can be refused: its error names the key,
    /// the value and what it accepts, and the state stays as it was.
    ///
    /// # Errors
    /// The form field's [`ParamError`].
    pub fn apply(&self, change: Change) -> Result<PageConfig, ParamError> {
        let mut next = self.clone();
        match change {
            Change::Scene(scene) => {
                next = PageConfig::for_scene(scene);
                (next.embed, next.chrome) = (self.embed, self.chrome);
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
            Change::Code(text) => {
                next.scenario.code = Some(text);
                if let Some(mode) = next.scenario.code_mode() {
                    next.scenario.mode = mode;
                }
            }
            Change::OpenRate { rate, mode } => {
                let scene = if mode == Mode::Async {
                    SceneId::Async
                } else {
                    SceneId::Blocking
                };
                next = PageConfig::for_scene(scene);
                (next.embed, next.chrome) = (self.embed, self.chrome);
                next.scenario = at_rate(&self.scenario, mode, rate);
            }
            Change::EditHandler => {
                let code = (self.scenario.code.clone())
                    .unwrap_or_else(|| presets::for_scenario(&self.scenario));
                next.scene = SceneId::Playground;
                // The code says what is awaited now: the switches go back to their defaults.
                let defaults = Scenario::default();
                next.scenario.await_db = defaults.await_db;
                next.scenario.await_email = defaults.await_email;
                next.scenario.code = Some(code);
                next.scenario.extra_arrivals.clear();
                next.moment = Moment::At(SimTime::ZERO);
                next.speed = None;
                next.follow = None;
                next.predict = false;
                next.guess = None;
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_point_of_the_load_curve_opens_its_run() {
        check_change(
            "scene=load",
            Change::OpenRate {
                rate: 0.25,
                mode: Mode::Blocking,
            },
            // The curve's runs last 4,000 s: 1,000 students at 0.25 /s.
            "scene=blocking&students=1000&arrival=poisson&rate=0.25",
        );
        check_change(
            "scene=load&workers=2",
            Change::OpenRate {
                rate: 1.5,
                mode: Mode::Async,
            },
            // Two blocking workers take 1 /s: runs of 2,000 s, 3,000 students at 1.5 /s.
            "scene=async&workers=2&students=3000&validate_ms=0&db_ms=0&arrival=poisson&rate=1.5",
        );
    }

    #[test]
    fn code_changes_and_the_handler_opens_in_the_playground() {
        // The await scene's handler, as text: the article's, which is the playground's default.
        check_change("scene=await", Change::EditHandler, "scene=playground");
        check_change(
            "scene=await&await_email=false&students=7&t=3",
            Change::EditHandler,
            "scene=playground&students=7&code=%40app.post%28%22%2Fregister%22%29%0Aasync%20def%20register%28student%3A%20Student%29%3A%0A%20%20%20%20validate%28student%29%0A%20%20%20%20await%20save_to_database%28student%29%0A%20%20%20%20smtp.send%28welcome%28student%29%29%0A",
        );
        // `def` runs on the thread pool; the URL needs no `mode` for it.
        let def = "def register(student):\n    db.save(student)\n";
        let (config, _) = PageConfig::parse("scene=playground");
        let next = config.apply(Change::Code(def.to_string())).unwrap();
        assert_eq!(next.scenario.mode, Mode::Threadpool);
        let (back, notices) = PageConfig::parse(&next.to_query(None));
        assert_eq!((back, notices), (next.clone(), vec![]));
        // Code that does not compile is kept as typed; where it runs stays.
        let broken = next.apply(Change::Code("async def register(student):\n    x(".into()));
        let broken = broken.unwrap();
        assert_eq!(broken.scenario.mode, Mode::Threadpool);
        assert!(broken.scenario.code.as_deref().unwrap().ends_with("x("));
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
}
