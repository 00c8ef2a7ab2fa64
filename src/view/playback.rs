//! Playback state: the current simulated time and how it moves, as a pure reducer over a closed
//! `Action` enum; the reader's controls and keys, and what each does to the clock. No web
//! imports: the app wraps it in `use_reducer`, tests drive it natively.

use crate::sim::time::SimTime;
use crate::sim::trace::Trace;
use crate::view::config::Moment;
use crate::view::format;
use crate::view::series::Series;
use crate::view::steps;

/// Simulated seconds per real second that `+` and `-` step through.
pub const SPEEDS: [f64; 13] = [
    0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0,
];

/// About how many real seconds a run plays for at the speed that follows its length.
const PLAY_SECONDS: f64 = 10.0;

/// The index in `SPEEDS` nearest to `speed` (on a log scale).
fn nearest_speed(speed: f64) -> usize {
    SPEEDS
        .iter()
        .enumerate()
        .min_by(|a, b| {
            let da = (a.1.ln() - speed.ln()).abs();
            let db = (b.1.ln() - speed.ln()).abs();
            da.total_cmp(&db)
        })
        .map_or(4, |(i, _)| i)
}

/// The speed, from `SPEEDS`, at which a run ending at `end` plays in about ten real seconds:
/// 20× for the article's 200 s, 0.25× for a 2.5 s async run, 0.05× for the race.
pub fn auto_speed(end: SimTime) -> f64 {
    SPEEDS[nearest_speed(end.as_secs_f64().max(1e-6) / PLAY_SECONDS)]
}

/// Scrub bar resolution: 1000 steps over the run.
pub const SCRUB_STEPS: u32 = 1000;

/// Where playback stands.
#[derive(Clone, Debug, PartialEq)]
pub struct Playback {
    /// The current simulated time, within `0..=end`.
    pub t: SimTime,
    /// The end of the run (the last completion).
    pub end: SimTime,
    pub playing: bool,
    /// Simulated seconds per real second.
    pub speed: f64,
}

/// Everything that can move the clock.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    TogglePlay,
    Pause,
    /// Jump to a time (clamped to the run).
    Seek(SimTime),
    Faster,
    Slower,
    SetSpeed(f64),
    /// Real time passed while playing (milliseconds).
    Tick(f64),
    /// A new trace: keep the time if it is still inside the run.
    NewRun {
        end: SimTime,
    },
}

/// What the reader asked for, with a button, a key or the scrub bar.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Control {
    TogglePlay,
    StepBack,
    StepForward,
    ToStart,
    ToEnd,
    Faster,
    Slower,
    /// Scrub to a position of the bar, `0..=SCRUB_STEPS`.
    Scrub(u32),
}

/// Where the keyboard's focus is, as far as the playback keys care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// A text field, a number field, a select box, the scrub bar, editable text: every key types
    /// or chooses there.
    Typing,
    /// A radio button or a checkbox: the arrow keys move between choices, the rest is ours.
    Choice,
    /// Anywhere else.
    Page,
}

impl Focus {
    /// The focus on an element with this tag (`INPUT`) and input type (`radio`).
    pub fn of(tag: &str, input_type: &str, editable: bool) -> Focus {
        match (tag, input_type) {
            _ if editable => Focus::Typing,
            ("INPUT", "radio" | "checkbox") => Focus::Choice,
            ("INPUT" | "TEXTAREA" | "SELECT", _) => Focus::Typing,
            _ => Focus::Page,
        }
    }
}

impl Control {
    /// The control a key stands for where the focus is: none while typing, and none for the
    /// arrows on a radio button (they choose).
    pub fn from_key_at(key: &str, focus: Focus) -> Option<Control> {
        match focus {
            Focus::Typing => None,
            Focus::Choice if key.starts_with("Arrow") => None,
            _ => Control::from_key(key),
        }
    }

    /// The control a key stands for (`KeyboardEvent.key`), if any.
    pub fn from_key(key: &str) -> Option<Control> {
        Some(match key {
            " " => Control::TogglePlay,
            "ArrowRight" => Control::StepForward,
            "ArrowLeft" => Control::StepBack,
            "Home" => Control::ToStart,
            "End" => Control::ToEnd,
            "+" | "=" => Control::Faster,
            "-" | "_" => Control::Slower,
            _ => return None,
        })
    }
}

/// The moments the step keys go to, sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes(pub Vec<SimTime>);

impl Changes {
    /// The moments the step keys stop at in `trace` ([`steps::step_times`]), given its accept
    /// queue and its workers' requests over time.
    pub fn of(trace: &Trace, backlog: &Series, lanes: &[Series]) -> Changes {
        Changes(steps::step_times(trace, backlog, lanes))
    }

    /// The first change after `t`.
    pub fn after(&self, t: SimTime) -> Option<SimTime> {
        self.0.get(self.0.partition_point(|x| *x <= t)).copied()
    }

    /// The last change before `t`.
    pub fn before(&self, t: SimTime) -> Option<SimTime> {
        let i = self.0.partition_point(|x| *x < t);
        i.checked_sub(1).map(|i| self.0[i])
    }
}

impl Playback {
    pub fn new(t: SimTime, end: SimTime, speed: f64) -> Self {
        Self {
            t: t.min(end),
            end,
            playing: false,
            speed,
        }
    }

    /// Whether the clock rests at the end of a run that has one.
    pub fn at_end(&self) -> bool {
        self.t >= self.end && self.end > SimTime::ZERO
    }

    /// The moment a link to this state names: `end` at the end, so it stays the end of a run
    /// that changes.
    pub fn moment(&self) -> Moment {
        if self.at_end() {
            Moment::End
        } else {
            Moment::At(self.t)
        }
    }

    /// The clock as the control bar writes it: now (`0:05`), the end after it (` / 0:20`), and
    /// both for a screen reader (`0:05 of 0:20`).
    pub fn clock_words(&self) -> (String, String, String) {
        let (now, end) = (
            format::clock(self.t.as_secs_f64()),
            format::clock(self.end.as_secs_f64()),
        );
        (now.clone(), format!(" / {end}"), format!("{now} of {end}"))
    }

    /// Where the scrub bar's thumb is, `0..=SCRUB_STEPS`.
    pub fn scrub_position(&self) -> u64 {
        let end = self.end.max(SimTime::from_micros(1));
        self.t.times(SCRUB_STEPS.into()).div_floor(end)
    }

    /// The actions a control means here: steps go to the next or previous change of `changes`;
    /// anything that moves the clock by hand pauses it first.
    pub fn actions_for(&self, control: Control, changes: &Changes) -> Vec<Action> {
        let seek = |t: SimTime| vec![Action::Pause, Action::Seek(t)];
        match control {
            Control::TogglePlay => vec![Action::TogglePlay],
            Control::Faster => vec![Action::Faster],
            Control::Slower => vec![Action::Slower],
            Control::ToStart => seek(SimTime::ZERO),
            Control::ToEnd => seek(self.end),
            Control::StepForward => seek(changes.after(self.t).unwrap_or(self.end)),
            Control::StepBack => seek(changes.before(self.t).unwrap_or(SimTime::ZERO)),
            Control::Scrub(pos) => seek(self.end.scale(pos.min(SCRUB_STEPS), SCRUB_STEPS)),
        }
    }

    /// The index in `SPEEDS` nearest to the current speed.
    fn speed_index(&self) -> usize {
        nearest_speed(self.speed)
    }

    /// The state after `action`; the same state when nothing changes.
    #[must_use]
    pub fn apply(mut self, action: Action) -> Self {
        match action {
            Action::TogglePlay => {
                if !self.playing && self.t >= self.end {
                    // Play at the end starts over, as a video player does.
                    self.t = SimTime::ZERO;
                }
                self.playing = !self.playing;
            }
            Action::Pause => self.playing = false,
            Action::Seek(t) => self.t = t.min(self.end),
            Action::Faster => self.speed = SPEEDS[(self.speed_index() + 1).min(SPEEDS.len() - 1)],
            Action::Slower => self.speed = SPEEDS[self.speed_index().saturating_sub(1)],
            Action::SetSpeed(s) => {
                if s.is_finite() && s > 0.0 {
                    self.speed = s;
                }
            }
            Action::Tick(real_ms) => {
                if self.playing {
                    let advance = SimTime::from_millis_f64(real_ms.max(0.0) * self.speed);
                    self.t = (self.t + advance.max(SimTime::from_micros(1))).min(self.end);
                    if self.t >= self.end {
                        self.playing = false;
                    }
                }
            }
            Action::NewRun { end } => {
                self.end = end;
                self.t = self.t.min(end);
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEC: SimTime = SimTime::from_secs(1);

    fn secs(n: u64) -> SimTime {
        SimTime::from_secs(n)
    }

    fn run(start: Playback, actions: &[Action]) -> Playback {
        actions.iter().cloned().fold(start, Playback::apply)
    }

    #[test]
    fn ticks_advance_only_while_playing_and_stop_at_the_end() {
        let p = Playback::new(SimTime::ZERO, secs(10), 2.0);
        assert_eq!(
            run(p.clone(), &[Action::Tick(500.0)]).t,
            SimTime::ZERO,
            "paused: no motion"
        );
        let p = run(p, &[Action::TogglePlay, Action::Tick(500.0)]);
        assert_eq!(p.t, SEC, "2 simulated s per real s, for half a second");
        let p = run(p, &[Action::Tick(60_000.0)]);
        assert_eq!((p.t, p.playing), (secs(10), false));
    }

    #[test]
    fn play_at_the_end_starts_over() {
        let p = run(
            Playback::new(secs(10), secs(10), 1.0),
            &[Action::TogglePlay],
        );
        assert_eq!((p.t, p.playing), (SimTime::ZERO, true));
    }

    #[test]
    fn seek_is_clamped_to_the_run() {
        let p = run(
            Playback::new(SimTime::ZERO, secs(5), 1.0),
            &[Action::Seek(secs(9))],
        );
        assert_eq!(p.t, secs(5));
    }

    #[test]
    fn speed_steps_through_the_ladder_and_stops_at_its_ends() {
        let p = run(
            Playback::new(SimTime::ZERO, SEC, 1.0),
            &[Action::Faster, Action::Faster],
        );
        assert_eq!(p.speed, 5.0);
        let p = run(p, &vec![Action::Slower; 20]);
        assert_eq!(p.speed, SPEEDS[0]);
        let p = run(p, &[Action::SetSpeed(f64::NAN), Action::SetSpeed(-1.0)]);
        assert_eq!(p.speed, SPEEDS[0], "bad speeds are ignored");
    }

    #[track_caller]
    fn check(t: u64, control: Control, expect: u64) {
        let changes = Changes([0, 2, 5, 9].map(SimTime::from_secs).to_vec());
        let p = Playback::new(secs(t), secs(10), 1.0);
        let after = p
            .actions_for(control, &changes)
            .into_iter()
            .fold(p, Playback::apply);
        assert_eq!(after.t, secs(expect), "{control:?} from {t} s");
    }

    #[test]
    fn controls_move_the_clock() {
        check(0, Control::StepForward, 2);
        check(2, Control::StepForward, 5);
        check(9, Control::StepForward, 10);
        check(3, Control::StepBack, 2);
        check(2, Control::StepBack, 0);
        check(0, Control::StepBack, 0);
        check(4, Control::ToEnd, 10);
        check(4, Control::ToStart, 0);
        check(4, Control::Scrub(500), 5);
        check(4, Control::Scrub(5000), 10);
    }

    #[test]
    fn keys_map_to_controls() {
        for (key, want) in [
            (" ", Some(Control::TogglePlay)),
            ("ArrowRight", Some(Control::StepForward)),
            ("ArrowLeft", Some(Control::StepBack)),
            ("Home", Some(Control::ToStart)),
            ("End", Some(Control::ToEnd)),
            ("+", Some(Control::Faster)),
            ("=", Some(Control::Faster)),
            ("-", Some(Control::Slower)),
            ("a", None),
        ] {
            assert_eq!(Control::from_key(key), want, "{key:?}");
        }
        // After a click on a handler's radio button, Space and End still play and jump; the
        // arrows keep choosing.
        let radio = Focus::of("INPUT", "radio", false);
        assert_eq!(Control::from_key_at(" ", radio), Some(Control::TogglePlay));
        assert_eq!(Control::from_key_at("End", radio), Some(Control::ToEnd));
        assert_eq!(Control::from_key_at("ArrowRight", radio), None);
        assert_eq!(
            Control::from_key_at(" ", Focus::of("INPUT", "number", false)),
            None
        );
        assert_eq!(
            Control::from_key_at(" ", Focus::of("SELECT", "", false)),
            None
        );
        assert_eq!(Control::from_key_at(" ", Focus::of("DIV", "", true)), None);
        assert_eq!(
            Control::from_key_at("ArrowRight", Focus::of("BUTTON", "", false)),
            Some(Control::StepForward)
        );
    }

    #[test]
    fn the_end_is_a_moment_of_its_own() {
        let p = Playback::new(secs(10), secs(10), 1.0);
        assert!(p.at_end());
        assert_eq!(p.moment(), Moment::End);
        assert_eq!(p.scrub_position(), u64::from(SCRUB_STEPS));
        let p = Playback::new(secs(3), secs(10), 1.0);
        assert_eq!(p.moment(), Moment::At(secs(3)));
        assert_eq!(p.scrub_position(), 300);
        assert!(!Playback::new(SimTime::ZERO, SimTime::ZERO, 1.0).at_end());
    }

    #[test]
    fn the_speed_follows_the_runs_length() {
        for (end_ms, speed) in [
            (200_000, 20.0),
            (2_550, 0.25),
            (260, 0.05),
            (40_000, 5.0),
            (0, 0.05),
        ] {
            assert_eq!(
                auto_speed(SimTime::from_millis(end_ms)),
                speed,
                "{end_ms} ms"
            );
        }
    }

    #[test]
    fn a_shorter_run_pulls_the_clock_back_inside_it() {
        let p = run(
            Playback::new(secs(8), secs(10), 1.0),
            &[Action::NewRun { end: secs(3) }],
        );
        assert_eq!((p.t, p.end), (secs(3), secs(3)));
    }

    #[test]
    fn the_clock_reads_now_and_the_end() {
        let p = Playback::new(SimTime::from_secs(5), SimTime::from_secs(20), 1.0);
        let (now, of_end, valuetext) = p.clock_words();
        assert_eq!(
            (now.as_str(), of_end.as_str(), valuetext.as_str()),
            ("5.00 s", " / 20.00 s", "5.00 s of 20.00 s")
        );
    }
}
