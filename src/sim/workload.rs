//! Who arrives when and how long each of their I/O calls takes: every random draw of a run, made
//! up front from the scenario's seed in a fixed order, before any request is served.

use super::handler::Step;
use super::rng::Rng;
use super::scenario::{Arrival, IoDist, Scenario};
use super::time::SimTime;

/// The drawn workload of a scenario.
pub(crate) struct Workload {
    /// Arrival time of each student, by id.
    pub arrival: Vec<SimTime>,
    /// Student ids in accept-queue order: by arrival time, ties by id.
    pub order: Vec<u32>,
    /// Duration of the handler's two I/O calls for each student, by id, in draw order.
    pub io: Vec<[SimTime; 2]>,
}

impl Workload {
    /// Draws the workload for a handler whose drawn I/O calls are `io_steps`.
    ///
    /// The order of draws is part of the contract (it is what makes a seed reproducible): first
    /// the Poisson gaps of the regular students in id order, then for every student in id order
    /// (extra arrivals last) the duration of each of `io_steps` in turn, with that step's mean
    /// ([`Step::scenario_ms`]), when `io_dist=exp`. So the arrivals of a seed do not depend on
    /// `io_dist`, and the same student gets the same durations in every mode. For the article's
    /// handler that is the database time, then the email time; the race handler's second call
    /// (the write) is drawn in the email's place, with the database's mean.
    pub(crate) fn draw(s: &Scenario, io_steps: [Step; 2]) -> Workload {
        let mut rng = Rng::seed_from_u64(s.seed);
        let total = s.total_students();
        let mut arrival = Vec::with_capacity(total as usize);
        match s.arrival {
            Arrival::Burst => arrival.resize(s.students as usize, SimTime::ZERO),
            Arrival::Uniform => {
                arrival
                    .extend((0..s.students).map(|i| SimTime::from_secs_f64(f64::from(i) / s.rate)));
            }
            Arrival::Poisson => {
                // The sum is kept in seconds and each arrival rounded once, so rounding errors do
                // not accumulate.
                let mut t = 0.0f64;
                for _ in 0..s.students {
                    t += rng.exp(1.0 / s.rate);
                    arrival.push(SimTime::from_secs_f64(t));
                }
            }
        }
        arrival.extend_from_slice(&s.extra_arrivals);

        let mut order: Vec<u32> = (0..total).collect();
        if !s.extra_arrivals.is_empty() {
            // By arrival, then id: equal arrival times keep id order.
            let mut keyed: Vec<(SimTime, u32)> =
                order.iter().map(|&id| (arrival[id as usize], id)).collect();
            crate::sim::order::events(&mut keyed);
            order = keyed.into_iter().map(|(_, id)| id).collect();
        }

        let draw = |rng: &mut Rng, ms: f64| match s.io_dist {
            IoDist::Fixed => SimTime::from_millis_f64(ms),
            IoDist::Exp => SimTime::from_millis_f64(rng.exp(ms)),
        };
        let means = io_steps.map(|step| step.scenario_ms(s));
        let io = (0..total)
            .map(|_| means.map(|ms| draw(&mut rng, ms)))
            .collect();
        Workload { arrival, order, io }
    }
}
