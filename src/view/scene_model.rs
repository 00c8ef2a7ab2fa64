//! What one scene shows around its picture, decided apart from the page: which run is on screen
//! (the playground keeps its last good one), where the clock starts and how fast it plays,
//! whether the reader chose the speed, what fills the picture's slot, the stats and how
//! `chrome=` cuts them, the words (lede, headline, story, question, reveal, formula), when the
//! live region speaks, and the query the address bar carries. The app maps this to elements and
//! events; it decides none of it. No web imports; tests in `scene_model/tests.rs`.

use std::rc::Rc;

use crate::sim::time::SimTime;
use crate::sim::{Scenario, SimError};
use crate::view::chrome::Parts;
use crate::view::config::{Moment, PageConfig};
use crate::view::follow::story;
use crate::view::page::{
    compare_stats, compare_with, formula_line, legend, narrate, scene_moment, split_stats,
    stats_at, Entry, FormulaLine, SideStats, Stat,
};
use crate::view::playback::auto_speed;
use crate::view::run::SharedTrace;
use crate::view::scenes::SceneId;
use crate::view::story::{lede, question, reveal, students_in_words, watch};
use crate::view::timeline::Rows;

/// A scene's run and, for `compare`, its other side, each or why it did not run.
pub type Simulated = (
    Result<SharedTrace, SimError>,
    Option<Result<SharedTrace, SimError>>,
);

/// What a scene works out once and keeps from one render to the next: its runs, once per
/// setup; the last run that worked; the legend, once per run and followed student.
#[derive(Default)]
pub struct Remembered {
    setup: Option<(SceneId, Scenario)>,
    simulated: Option<Simulated>,
    last_good: Option<SharedTrace>,
    legend: Option<LegendOf>,
}

/// The runs and the followed student a legend was worked out for, and the legend.
type LegendOf = (Vec<SharedTrace>, Option<u32>, Rc<Vec<Entry>>);

impl Remembered {
    /// The runs `scene` draws for `setup`: simulated when the setup changed, not otherwise.
    pub fn runs(&mut self, scene: SceneId, setup: &Scenario) -> SceneRuns {
        let same = self
            .setup
            .as_ref()
            .is_some_and(|(s, kept)| *s == scene && kept == setup);
        let (run, other) = match (&self.simulated, same) {
            (Some(simulated), true) => simulated.clone(),
            _ => {
                let simulated = SceneRuns::runs_of(scene, setup);
                self.setup = Some((scene, setup.clone()));
                self.simulated = Some(simulated.clone());
                simulated
            }
        };
        if let Ok(trace) = &run {
            self.last_good = Some(trace.clone());
        }
        SceneRuns::pick(scene, run, other, self.last_good.clone())
    }

    /// The legend of `runs` (it reads every span of the runs: once per run, not per frame).
    pub fn legend(&mut self, runs: &SceneRuns, follow: Option<u32>) -> Rc<Vec<Entry>> {
        let all = runs.all();
        match &self.legend {
            Some((r, f, legend)) if *r == all && *f == follow => legend.clone(),
            _ => {
                let legend = Rc::new(legend_of(runs.scene, &all, follow));
                self.legend = Some((all, follow, legend.clone()));
                legend
            }
        }
    }
}

/// The runs a scene draws.
#[derive(Clone, Debug, PartialEq)]
pub struct SceneRuns {
    pub scene: SceneId,
    /// The run on screen, or why there is none: the scenario's run, or, in the playground
    /// while its code has a problem, the last run that worked.
    pub shown: Result<SharedTrace, SimError>,
    /// The `compare` scene's other run (the other mode on the same arrivals), when it ran.
    pub other: Option<SharedTrace>,
    /// Why the playground's code as it stands has no run (the run shown is an older one).
    pub failure: Option<SimError>,
}

impl SceneRuns {
    /// The runs of `scene`: `run` of its scenario, `other` of the compare scene's other side,
    /// and `last_good`, the last run of this scene that worked (the playground shows it while
    /// its code has a problem; every other scene shows the problem).
    pub fn pick(
        scene: SceneId,
        run: Result<SharedTrace, SimError>,
        other: Option<Result<SharedTrace, SimError>>,
        last_good: Option<SharedTrace>,
    ) -> SceneRuns {
        let playground = scene == SceneId::Playground;
        let (shown, failure) = match (run, last_good) {
            (Err(e), Some(last)) if playground => (Ok(last), Some(e)),
            (Err(e), _) if playground => (Err(e.clone()), Some(e)),
            (run, _) => (run, None),
        };
        SceneRuns {
            scene,
            shown,
            other: other.and_then(Result::ok),
            failure,
        }
    }

    /// The run of `scene` for the reader's `setup`, and the compare scene's other side.
    pub fn runs_of(scene: SceneId, setup: &Scenario) -> Simulated {
        let run = SharedTrace::run(&scene.run(setup));
        let other = (scene == SceneId::Compare).then(|| SharedTrace::run(&compare_with(setup)));
        (run, other)
    }

    /// The run on screen, if any.
    pub fn run(&self) -> Option<&SharedTrace> {
        self.shown.as_ref().ok()
    }

    /// The runs whose numbers and waits the page shows: the run, then the other side.
    pub fn all(&self) -> Vec<SharedTrace> {
        self.run().into_iter().chain(&self.other).cloned().collect()
    }

    /// The last moment of the run on screen (the start when there is none).
    pub fn end(&self) -> SimTime {
        self.run().map_or(SimTime::ZERO, |r| r.trace().end)
    }

    /// The legend: the looks the picture draws over the whole run(s), with `follow`'s band.
    pub fn legend(&self, follow: Option<u32>) -> Vec<Entry> {
        legend_of(self.scene, &self.all(), follow)
    }

    /// Where the clock starts and how fast it plays, for `config`.
    pub fn clock(&self, config: &PageConfig) -> Clock {
        let end = self.end();
        let start = match (config.moment, self.run()) {
            (Moment::End, _) => end,
            (Moment::At(t), _) => t,
            (Moment::Scene, Some(run)) => scene_moment(self.scene, run.trace()),
            (Moment::Scene, None) => SimTime::ZERO,
        };
        // Unless the reader set one, the speed follows the run's length (a handler that runs
        // 100 times longer plays 100 times faster).
        let auto = auto_speed(end);
        Clock {
            start,
            end,
            auto,
            speed: config.speed.unwrap_or(auto),
        }
    }

    /// What fills the picture's slot, once its width is `measured`.
    pub fn slot(&self, measured: bool) -> Slot {
        match (&self.shown, measured) {
            // The frame first: the slot the picture will fill, measured before anything is drawn.
            (Ok(_), false) => Slot::Pending,
            (Err(_), false) if self.scene == SceneId::Playground => Slot::Pending,
            (Ok(_), true) => Slot::Picture,
            // The playground's code has a problem and nothing has run yet: the editor, to fix it.
            (Err(_), true) if self.scene == SceneId::Playground => Slot::Editor,
            (Err(e), _) => Slot::Error(format!("async-lanes: this setup cannot be simulated: {e}")),
        }
    }
}

/// The legend of `scene` drawing `runs` (none: no legend), with `follow`'s band.
pub fn legend_of(scene: SceneId, runs: &[SharedTrace], follow: Option<u32>) -> Vec<Entry> {
    let traces: Vec<_> = runs.iter().map(SharedTrace::trace).collect();
    match traces.is_empty() {
        true => Vec::new(),
        false => legend(scene, &traces, follow),
    }
}

/// What the picture's slot holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Slot {
    /// Nothing yet: the slot is measured first, then drawn.
    Pending,
    /// The scene's picture of the run.
    Picture,
    /// The playground's editor with no run (its code has never run).
    Editor,
    /// Why the setup cannot be simulated, in words.
    Error(String),
}

/// Where playback starts and how fast it goes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Clock {
    pub start: SimTime,
    pub end: SimTime,
    /// The speed that follows the run's length.
    pub auto: f64,
    /// The speed to play at: the reader's, or `auto`.
    pub speed: f64,
}

impl Clock {
    /// The speed the reader chose, if `speed` (the playback's) is not the one that follows the
    /// run: only a chosen speed is part of the state a link carries.
    pub fn chosen(&self, speed: f64) -> Option<f64> {
        (speed != self.auto).then_some(speed)
    }

    /// The moment `scene` shows when playback stands at `t`: a scene without a clock shows its
    /// run's end, whatever the URL or a key says.
    pub fn shown(&self, scene: SceneId, t: SimTime) -> SimTime {
        if scene.has_clock() {
            t
        } else {
            self.end
        }
    }

    /// The query the address bar carries for `config` with the playback at `moment`, playing at
    /// `speed`.
    pub fn query(&self, config: &PageConfig, speed: f64, moment: Moment) -> String {
        let mut shown = config.clone();
        shown.speed = self.chosen(speed);
        shown.to_query(Some(moment))
    }
}

/// The stats strip: the numbers that carry the point, the others folded, and the compare
/// scene's sides.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Strip {
    pub primary: Vec<Stat>,
    pub more: Vec<Stat>,
    pub sides: Vec<SideStats>,
}

impl Strip {
    /// The strip of `runs` (two for `compare`) at `t`, every number or (`all_numbers` false) the
    /// one that carries the point.
    pub fn at(scene: SceneId, runs: &[SharedTrace], t: SimTime, all_numbers: bool) -> Strip {
        let mut strip = match runs {
            [] => return Strip::default(),
            [run] => {
                let (primary, more) = split_stats(scene, stats_at(run, t));
                Strip {
                    primary,
                    more,
                    sides: Vec::new(),
                }
            }
            // Two runs: each side has its own strip, and only the clock is shared.
            _ => {
                let (primary, sides) = compare_stats(runs, t);
                Strip {
                    primary,
                    more: Vec::new(),
                    sides,
                }
            }
        };
        if !all_numbers {
            // The one number that carries the point. Two runs carry theirs in the picture (each
            // side's done and longest wait), and their shared clock is the playback's own
            // readout: they keep no number here.
            strip.primary.truncate(usize::from(strip.sides.is_empty()));
            strip.more.clear();
            strip.sides.clear();
        }
        strip
    }
}

/// Everything a scene says around its picture at one moment, each part `None` where the level
/// of chrome leaves it out or the run has none.
#[derive(Clone, Debug, PartialEq)]
pub struct SceneModel {
    /// The parts of the page the chrome keeps.
    pub parts: Parts,
    pub lede: Option<&'static str>,
    /// What to watch now, the headline.
    pub watch: Option<String>,
    /// "Predict first": the question, asked instead of the picture until the reader guesses.
    pub question: Option<String>,
    /// The followed student's story.
    pub story: Option<String>,
    /// The answer to the reader's guess.
    pub reveal: Option<String>,
    /// The stats strip, when there is a run and the chrome keeps a number of it.
    pub strip: Option<Strip>,
    pub formula: Option<FormulaLine>,
    /// Whether "Register a student now" can add one.
    pub can_register: bool,
    /// The rows "Follow a student" picks from, once the picture is drawn.
    pub follow_rows: Option<Rows>,
    /// Who runs, in words, for the setup form.
    pub students: Option<String>,
    /// The sentence the live region would speak now (`Narrator` decides when it does).
    pub narration: String,
}

impl SceneModel {
    /// What `config`'s scene shows of `runs` at `t` (the moment shown, `Clock::shown`), its
    /// picture drawn once `measured`.
    pub fn at(config: &PageConfig, runs: &SceneRuns, t: SimTime, measured: bool) -> SceneModel {
        let scene = config.scene;
        let parts = config.chrome.parts();
        let run = runs.run();
        let trace = run.map(SharedTrace::trace);
        let watching = |run: &SharedTrace| {
            let (backlog, lanes) = run.series();
            watch(run.trace(), backlog, lanes, t)
        };
        SceneModel {
            parts,
            lede: parts.lede.then(|| lede(scene, &config.scenario)),
            watch: run
                .filter(|_| scene.watches() && parts.headline)
                .map(watching),
            question: (config.predict && config.guess.is_none() && scene.predicts() && parts.rest)
                .then(|| question(scene, &config.scenario).unwrap_or_default()),
            story: trace
                .filter(|_| parts.rest)
                .zip(config.follow)
                .and_then(|(trace, id)| story(trace, id, t)),
            reveal: trace
                .filter(|_| parts.rest)
                .zip(config.guess)
                .map(|(trace, guess)| reveal(guess, trace, t)),
            strip: run
                .map(|_| Strip::at(scene, &runs.all(), t, parts.all_numbers))
                .filter(|s| *s != Strip::default()),
            formula: trace
                .filter(|_| parts.rest)
                .and_then(|trace| formula_line(trace, runs.other.is_some())),
            can_register: config.can_register(t),
            // Made with the picture, after the page's frame (a hundred options).
            follow_rows: run
                .filter(|_| scene.watches() && measured)
                .map(SharedTrace::rows),
            students: trace.filter(|_| parts.rest).and_then(students_in_words),
            narration: trace.map(|trace| narrate(trace, t)).unwrap_or_default(),
        }
    }
}

/// How often the live region speaks: at most every few seconds while playing, and at once when
/// the reader steps or scrubs, so a screen reader is not talked over every frame.
#[derive(Clone, Debug, PartialEq)]
pub struct Narrator {
    said: String,
    /// When it last spoke, in the page's milliseconds.
    at_ms: f64,
}

/// The least time between two sentences while the clock plays.
pub const NARRATION_GAP_MS: f64 = 4000.0;

impl Default for Narrator {
    fn default() -> Narrator {
        Narrator {
            said: String::new(),
            at_ms: f64::NEG_INFINITY,
        }
    }
}

impl Narrator {
    /// What the live region says at `now_ms` when the scene would say `candidate`.
    pub fn speak(&mut self, candidate: String, playing: bool, now_ms: f64) -> &str {
        if candidate != self.said && (!playing || now_ms - self.at_ms > NARRATION_GAP_MS) {
            self.said = candidate;
            self.at_ms = now_ms;
        }
        &self.said
    }
}

#[cfg(test)]
mod tests;
