//! Playback state: the current simulated time and how it moves, as a pure reducer over a closed
//! `Action` enum. No web imports: the app wraps it in `use_reducer`, tests drive it natively.

/// Simulated seconds per real second that `+` and `-` step through.
pub const SPEEDS: [f64; 13] = [
    0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0,
];

/// Where playback stands. Times are simulated microseconds, as in the core.
#[derive(Clone, Debug, PartialEq)]
pub struct Playback {
    /// The current simulated time, within `0..=end`.
    pub t: u64,
    /// The end of the run (the last completion).
    pub end: u64,
    pub playing: bool,
    /// Simulated seconds per real second.
    pub speed: f64,
}

/// Everything that can move the clock.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    TogglePlay,
    Pause,
    /// Jump to a time (clamped to the run); used by the scrub bar, Home/End and steps, whose
    /// targets (the trace's change times) the caller looks up.
    Seek(u64),
    Faster,
    Slower,
    SetSpeed(f64),
    /// Real time passed while playing (milliseconds).
    Tick(f64),
    /// A new trace: keep the time if it is still inside the run.
    NewRun {
        end: u64,
    },
}

impl Playback {
    pub fn new(t: u64, end: u64, speed: f64) -> Self {
        Self {
            t: t.min(end),
            end,
            playing: false,
            speed,
        }
    }

    /// The index in `SPEEDS` nearest to the current speed.
    fn speed_index(&self) -> usize {
        SPEEDS
            .iter()
            .enumerate()
            .min_by(|a, b| {
                let da = (a.1.ln() - self.speed.ln()).abs();
                let db = (b.1.ln() - self.speed.ln()).abs();
                da.total_cmp(&db)
            })
            .map(|(i, _)| i)
            .unwrap_or(4)
    }

    /// The state after `action`; the same state when nothing changes.
    #[must_use]
    pub fn apply(mut self, action: Action) -> Self {
        match action {
            Action::TogglePlay => {
                if !self.playing && self.t >= self.end {
                    // Play at the end starts over, as a video player does.
                    self.t = 0;
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
                    let advance = (real_ms.max(0.0) * 1000.0 * self.speed) as u64;
                    self.t = self.t.saturating_add(advance.max(1)).min(self.end);
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

    const SEC: u64 = 1_000_000;

    fn run(start: Playback, actions: &[Action]) -> Playback {
        actions.iter().cloned().fold(start, Playback::apply)
    }

    #[test]
    fn ticks_advance_only_while_playing_and_stop_at_the_end() {
        let p = Playback::new(0, 10 * SEC, 2.0);
        assert_eq!(
            run(p.clone(), &[Action::Tick(500.0)]).t,
            0,
            "paused: no motion"
        );
        let p = run(p, &[Action::TogglePlay, Action::Tick(500.0)]);
        assert_eq!(p.t, SEC, "2 simulated s per real s, for half a second");
        let p = run(p, &[Action::Tick(60_000.0)]);
        assert_eq!((p.t, p.playing), (10 * SEC, false));
    }

    #[test]
    fn play_at_the_end_starts_over() {
        let p = run(
            Playback::new(10 * SEC, 10 * SEC, 1.0),
            &[Action::TogglePlay],
        );
        assert_eq!((p.t, p.playing), (0, true));
    }

    #[test]
    fn seek_is_clamped_to_the_run() {
        let p = run(Playback::new(0, 5 * SEC, 1.0), &[Action::Seek(9 * SEC)]);
        assert_eq!(p.t, 5 * SEC);
    }

    #[test]
    fn speed_steps_through_the_ladder_and_stops_at_its_ends() {
        let p = run(
            Playback::new(0, SEC, 1.0),
            &[Action::Faster, Action::Faster],
        );
        assert_eq!(p.speed, 5.0);
        let p = run(p, &vec![Action::Slower; 20]);
        assert_eq!(p.speed, SPEEDS[0]);
        let p = run(p, &[Action::SetSpeed(f64::NAN), Action::SetSpeed(-1.0)]);
        assert_eq!(p.speed, SPEEDS[0], "bad speeds are ignored");
    }

    #[test]
    fn a_shorter_run_pulls_the_clock_back_inside_it() {
        let p = run(
            Playback::new(8 * SEC, 10 * SEC, 1.0),
            &[Action::NewRun { end: 3 * SEC }],
        );
        assert_eq!((p.t, p.end), (3 * SEC, 3 * SEC));
    }
}
