//! The scenes of the page, one per picture of the article: their URL names, their words and the
//! scenario each starts from. Words and defaults only; every number shown is simulated.

use crate::sim::lang::presets;
use crate::sim::order;
use crate::sim::scenario::{Arrival, HandlerKind, IoDist, Mode, Scenario};
use crate::sim::time::SimTime;
use crate::view::change::Change;
use crate::view::format;
use crate::view::handler_code::Variant;
use crate::view::load;

/// The control beside a scene's picture: a group of buttons, the setup's own pressed.
#[derive(Clone, Debug, PartialEq)]
pub struct SceneControl {
    /// The group's name, for screen readers.
    pub label: String,
    /// Words before the buttons, if any.
    pub lead: Option<String>,
    pub choices: Vec<Choice>,
}

/// One button of a scene's control.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub text: String,
    /// `data-choice`, for tests.
    pub data: String,
    /// Whether the setup is this choice.
    pub pressed: bool,
    pub change: Change,
}

/// A scene of the page (URL key `scene=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SceneId {
    Blocking,
    Async,
    Inside,
    Await,
    Workers,
    Compare,
    Race,
    Load,
    Playground,
}

impl SceneId {
    /// Every scene, in the order of the article.
    pub const ALL: [SceneId; 9] = [
        SceneId::Blocking,
        SceneId::Async,
        SceneId::Inside,
        SceneId::Await,
        SceneId::Workers,
        SceneId::Compare,
        SceneId::Race,
        SceneId::Load,
        SceneId::Playground,
    ];

    /// The value of `scene=` in the URL.
    pub fn slug(self) -> &'static str {
        match self {
            SceneId::Blocking => "blocking",
            SceneId::Async => "async",
            SceneId::Inside => "inside",
            SceneId::Await => "await",
            SceneId::Workers => "workers",
            SceneId::Compare => "compare",
            SceneId::Race => "race",
            SceneId::Load => "load",
            SceneId::Playground => "playground",
        }
    }

    /// The scene named by a URL value, if any.
    pub fn from_slug(slug: &str) -> Option<SceneId> {
        SceneId::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// Every slug, for the notice a bad `scene=` gets.
    pub fn allowed() -> String {
        let slugs: Vec<&str> = SceneId::ALL.iter().map(|s| s.slug()).collect();
        crate::sim::text::join(&slugs, ", ")
    }

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            SceneId::Blocking => "Blocking",
            SceneId::Async => "Async",
            SceneId::Inside => "Inside a worker",
            SceneId::Await => "await",
            SceneId::Workers => "Many workers",
            SceneId::Compare => "Side by side",
            SceneId::Race => "Race",
            SceneId::Load => "Load curve",
            SceneId::Playground => "Try it",
        }
    }

    /// The article section the scene illustrates.
    pub fn section(self) -> &'static str {
        match self {
            SceneId::Blocking => "Blocking I/O",
            SceneId::Async => "Async I/O",
            SceneId::Inside => "Inside a single worker",
            SceneId::Await => "How async works in FastAPI",
            SceneId::Workers => "Why a few workers can handle thousands of requests",
            SceneId::Compare => "Blocking I/O and Async I/O",
            SceneId::Race => "And that is where race conditions begin",
            SceneId::Load => {
                "Why a few workers can handle thousands of requests, under steady load"
            }
            SceneId::Playground => "How async works in FastAPI: your own handler",
        }
    }

    /// One sentence: what the reader is looking at. Words only: the numbers of the run (which
    /// the reader can change) are shown beside it, computed.
    pub fn lede(self) -> &'static str {
        match self {
            SceneId::Blocking => {
                "A blocking worker serves students one at a time; while it waits for each \
                 email, everybody else waits in the queue."
            }
            SceneId::Async => {
                "The same worker, with await: it starts one student's email, and while the email \
                 service works it takes the next student."
            }
            SceneId::Inside => {
                "Inside one worker: the students it is serving right now, and what each one is \
                 waiting for."
            }
            SceneId::Await => {
                "The handler's code beside its timeline: whether each call is awaited decides \
                 whether the worker waits."
            }
            SceneId::Workers => {
                "A few workers, each with room for many requests in flight: how many students \
                 they hold at once, and what happens to the next one when every slot is taken."
            }
            SceneId::Compare => "Blocking and async on the same arrivals and the same clock.",
            SceneId::Race => {
                "Workers register students against one shared number, seats_left: each request \
                 reads it, decides, and writes it back, and nothing stops another request in \
                 between."
            }
            SceneId::Load => {
                "Students arrive as a steady stream. Below the setup's capacity the waits stay \
                 short; past it the queue grows for as long as students keep coming. Each point \
                 is a run of the same length; click one to watch it."
            }
            SceneId::Playground => {
                "Write the handler yourself: what you await, and whether it is async def or def, \
                 decides what the worker does. The timeline below runs your code as you type."
            }
        }
    }

    /// Whether the scene says, above its picture, what to watch now (the timeline scenes; the
    /// others say it in their own picture).
    pub fn watches(self) -> bool {
        matches!(
            self,
            SceneId::Blocking
                | SceneId::Async
                | SceneId::Await
                | SceneId::Compare
                | SceneId::Playground
        )
    }

    /// Whether the scene asks the reader to predict before playing (`predict=1`, "Predict
    /// first"): the scenes whose answer is one number a reader can guess.
    pub fn predicts(self) -> bool {
        matches!(
            self,
            SceneId::Blocking | SceneId::Async | SceneId::Workers | SceneId::Compare
        )
    }

    /// The one control that carries the scene's point, beside its picture (the scenes not listed
    /// carry theirs in the picture: the moment, the presets, another interleaving): how many
    /// students register in the blocking scene (at once, the last waits that many emails), with
    /// the words for how they arrive; `await` on or off in the async scene (the same worker with
    /// blocking calls).
    pub fn control(self, s: &Scenario) -> Option<SceneControl> {
        match self {
            SceneId::Blocking => {
                let mut counts = vec![10, 20, 50, 100, 200];
                if !counts.contains(&s.students) {
                    counts.push(s.students);
                    order::short(&mut counts, |c| *c);
                }
                // A run opened from the load curve is a stream, not a crowd at the door.
                let how = match s.arrival {
                    Arrival::Burst => "Students at once".to_string(),
                    Arrival::Uniform => {
                        format!("Students, one every {}", format::secs(1.0 / s.rate))
                    }
                    Arrival::Poisson => format!(
                        "Students, arriving at random (Poisson), {} on average",
                        format::per_sec(s.rate)
                    ),
                };
                let choices = counts
                    .into_iter()
                    .map(|n| Choice {
                        text: format::count(n.into()),
                        data: n.to_string(),
                        // A student registered by the reader makes the setup none of these.
                        pressed: n == s.students && s.extra_arrivals.is_empty(),
                        change: Change::Students(n),
                    })
                    .collect();
                Some(SceneControl {
                    lead: Some(format!("{how}:")),
                    label: how,
                    choices,
                })
            }
            SceneId::Async => {
                let current = Variant::of(s);
                let choice = |v: Variant, text: &str, data: &str| Choice {
                    text: text.to_string(),
                    data: data.to_string(),
                    pressed: current == Some(v),
                    change: Change::Variant(v),
                };
                Some(SceneControl {
                    label: "The handler's calls".to_string(),
                    lead: None,
                    choices: vec![
                        choice(Variant::Awaited, "with await", "await"),
                        choice(
                            Variant::BlockingCall,
                            "without await (blocking calls)",
                            "blocking",
                        ),
                    ],
                })
            }
            _ => None,
        }
    }

    /// What the scene simulates for `setup`: the load scene's own run lasts as long as each run
    /// of its curve (`view::load::at_rate`), so its numbers are the curve's at the setup's rate.
    pub fn run(self, setup: &Scenario) -> Scenario {
        match self {
            SceneId::Load => load::at_rate(setup, setup.mode, setup.rate),
            _ => setup.clone(),
        }
    }

    /// Whether the scene has a clock. The load curve is the same at every moment (each point is
    /// a whole run), so it has no playback and its numbers are its run's at the end.
    pub fn has_clock(self) -> bool {
        self != SceneId::Load
    }

    /// The scenario the scene starts from; URL keys change it. Each scene sets its own fields
    /// on the defaults: a struct built anew from them would copy every field in the wasm.
    pub fn defaults(self) -> Scenario {
        let mut s = Scenario::default();
        match self {
            SceneId::Blocking | SceneId::Compare => {}
            // A little CPU and database time per request, and students arriving one every 10 ms
            // (all 100 within a second): each is validated as it comes, so from 60 ms on the
            // worker runs one student's code while the first ones wait for their emails, as in
            // the article. Arriving all at once, the worker would validate all 100 first (the
            // loop's ready queue is first come, first served) and start every email at 0.5 s.
            // The worker keeps up, so each waits its own 5 ms + 50 ms + 2 s.
            SceneId::Async => {
                (s.mode, s.validate_ms, s.db_ms) = (Mode::Async, 5.0, 50.0);
                (s.arrival, s.rate) = (Arrival::Uniform, 100.0);
            }
            // The article's snapshot with the article's letters. Visible CPU and database time;
            // A arrives first, then D, C and B (letters are ids, and the extra arrivals are
            // numbered in the order given, whatever their times): at 0.55 s A waits for its
            // email, B starts validating, C's query is in the database and D's, sent earlier,
            // waits for its response (`view::inside` finds the moment; its test pins it). E and
            // F come later, so the ready queue shows again.
            SceneId::Inside => {
                (s.mode, s.students) = (Mode::Async, 1);
                s.extra_arrivals = [550, 300, 200, 750, 950].map(SimTime::from_millis).to_vec();
                (s.validate_ms, s.db_ms, s.email_ms) = (100.0, 350.0, 2000.0);
            }
            // The article's 100 students and 2 s email, with a little CPU and database time so
            // every line of the handler is visited: awaited, all are done in under 3 s; with a
            // blocking call they are served one by one again, just over the article's 200 s.
            SceneId::Await => (s.mode, s.validate_ms, s.db_ms) = (Mode::Async, 5.0, 50.0),
            SceneId::Workers => {
                (s.mode, s.workers) = (Mode::Async, 4);
                (s.students, s.concurrency) = (1000, 250);
            }
            // Three students 100 ms apart for two seats, queries of about 50 ms (exponential, so
            // the seed picks the interleaving), 10 ms to decide. With seed 6 the first student
            // registers alone; the next two, on different workers, both read 1 and both write 0.
            // About two seeds in five lose an update (the tests pin both facts).
            SceneId::Race => {
                (s.mode, s.workers, s.students) = (Mode::Async, 2, 3);
                (s.arrival, s.rate) = (Arrival::Uniform, 10.0);
                (s.validate_ms, s.db_ms, s.io_dist) = (10.0, 50.0, IoDist::Exp);
                (s.handler, s.seats, s.seed) = (HandlerKind::Race, 2, 6);
            }
            // The article's blocking worker under a steady stream at 80 % of its capacity (0.5 /s):
            // the waits already stretch to tens of seconds.
            SceneId::Load => (s.arrival, s.rate, s.students) = (Arrival::Poisson, 0.4, 2000),
            // The `await` scene's setup running the article's handler as text the reader edits.
            SceneId::Playground => {
                s = SceneId::Await.defaults();
                s.code = Some(presets::PRESETS[0].code.to_string());
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The control's lead, and each choice as (its data, whether it is pressed).
    fn choices(scene: SceneId, s: &Scenario) -> (Option<String>, Vec<(String, bool)>) {
        let c = scene.control(s).unwrap();
        let pairs = c.choices.into_iter().map(|c| (c.data, c.pressed)).collect();
        (c.lead, pairs)
    }

    #[track_caller]
    fn pressed(pairs: &[(String, bool)]) -> Vec<&str> {
        pairs.iter().filter(|p| p.1).map(|p| p.0.as_str()).collect()
    }

    #[test]
    fn each_scene_offers_its_one_control() {
        let blocking = SceneId::Blocking.defaults();
        let (lead, pairs) = choices(SceneId::Blocking, &blocking);
        assert_eq!(lead.as_deref(), Some("Students at once:"));
        let all: Vec<&str> = pairs.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(all, ["10", "20", "50", "100", "200"]);
        assert_eq!(pressed(&pairs), [blocking.students.to_string()]);
        let seven = Scenario {
            students: 7,
            ..blocking
        };
        let (_, pairs) = choices(SceneId::Blocking, &seven);
        assert_eq!(pairs.len(), 6);
        assert_eq!(pressed(&pairs), ["7"]);
        // A student the reader registered makes the setup none of the counts.
        let registered = Scenario {
            extra_arrivals: vec![SimTime::from_secs(1)],
            ..seven.clone()
        };
        assert!(pressed(&choices(SceneId::Blocking, &registered).1).is_empty());
        let (lead, pairs) = choices(SceneId::Async, &SceneId::Async.defaults());
        assert_eq!(lead, None);
        assert_eq!(pressed(&pairs), ["await"]);
        let c = SceneId::Blocking.control(&seven).unwrap();
        assert_eq!(c.choices[0].change, Change::Students(7));
        assert_eq!(SceneId::Race.control(&seven), None);
    }

    #[test]
    fn slugs_round_trip_and_defaults_are_valid() {
        for scene in SceneId::ALL {
            assert_eq!(SceneId::from_slug(scene.slug()), Some(scene));
            assert_eq!(scene.defaults().validate(), Ok(()), "{scene:?}");
        }
        assert_eq!(SceneId::from_slug("nope"), None);
        assert!(SceneId::allowed().starts_with("blocking, async"));
    }
}
