//! Sorting with no copy of the standard sort in the wasm: each element type given to
//! `sort_unstable` or `sort_by_key` adds about 3.5 kB of code, and the page had eleven.
//!
//! Long lists (a run's waits, change times and events) sort with [`times`], [`events`] and, for
//! the metrics' sums in microseconds, [`micros`]: all three through one radix sort of our own, on
//! `(moment, payload)` pairs (a moment or a count of microseconds is sorted as the pair of it and
//! 0; a second copy for `u64`s cost 1,463 bytes gzip). Short lists (a legend, the counts on a
//! line, a handler's warnings) sort with [`short`], an insertion sort of a few dozen bytes per
//! type.

use crate::sim::time::SimTime;

/// Sorts moments ascending, through [`events`]: a copy of the sort of their own would be the
/// same code again.
pub fn times(v: &mut [SimTime]) {
    let mut keyed: Vec<(SimTime, u32)> = v.iter().map(|&t| (t, 0)).collect();
    events(&mut keyed);
    for (t, (sorted, _)) in v.iter_mut().zip(keyed) {
        *t = sorted;
    }
}

/// Sorts microseconds ascending (the metrics work in them; nothing outside `sim` sees them), as
/// the moments they are.
pub(crate) fn micros(v: &mut [u64]) {
    let mut keyed: Vec<(SimTime, u32)> =
        v.iter().map(|&us| (SimTime::from_micros(us), 0)).collect();
    events(&mut keyed);
    for (us, (t, _)) in v.iter_mut().zip(keyed) {
        *us = t.as_micros();
    }
}

/// Sorts `(moment, payload)` events by moment, then payload: the caller packs what it needs into
/// the `u32`, so that every kind of event shares this one copy. A radix sort written here, a byte
/// of the pair at a time from the payload's lowest to the moment's highest, each pass keeping the
/// order of the one before for equal bytes: the standard `sort_unstable` was about 1,800 bytes of
/// the release's gzip, this about 300. A list already in order, and each byte that is the same in
/// every pair (the high bytes of the moments), costs no pass, so the native benchmark's million
/// requests take as long as with the standard sort. Equal pairs are alike in every bit, so any
/// correct sort gives the same list.
pub fn events(v: &mut [(SimTime, u32)]) {
    // Lists that come in order (a burst's arrivals, waits that only grow) take one look.
    if v.windows(2).all(|w| w[0] <= w[1]) {
        return;
    }
    let n = v.len();
    let digit = |e: &(SimTime, u32), pass: u32| {
        let bits = if pass < 4 {
            u64::from(e.1) >> (8 * pass)
        } else {
            e.0.as_micros() >> (8 * (pass - 4))
        };
        (bits & 0xff) as usize
    };
    // How many pairs have each value of each byte, counted in one look at the list: a pass
    // does not change them.
    let mut counts = vec![[0usize; 256]; 12];
    for e in v.iter() {
        for (pass, count) in (0..).zip(&mut counts) {
            count[digit(e, pass)] += 1;
        }
    }
    let mut from = v.to_vec();
    let mut to = from.clone();
    for (pass, mut start) in (0..).zip(counts) {
        if start.contains(&n) {
            continue;
        }
        let mut at = 0;
        for s in &mut start {
            (*s, at) = (at, at + *s);
        }
        for e in &from {
            let d = digit(e, pass);
            to[start[d]] = *e;
            start[d] += 1;
        }
        std::mem::swap(&mut from, &mut to);
    }
    v.copy_from_slice(&from);
}

/// Sorts a short list by `key`, keeping equal keys in order (stable). Quadratic: for lists of at
/// most a few hundred items.
pub fn short<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && key(&v[j - 1]) > key(&v[j]) {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::Rng;

    #[test]
    fn each_sort_agrees_with_the_standard_one() {
        let mut rng = Rng::seed_from_u64(7);
        for len in [0, 1, 2, 3, 5, 8, 40, 300, 1025] {
            let list: Vec<(u32, u32)> =
                (0..len).map(|i| ((rng.next_u64() % 7) as u32, i)).collect();

            let mut ours = list.clone();
            short(&mut ours, |x| x.0);
            let mut std_sorted = list.clone();
            std_sorted.sort_by_key(|x| x.0);
            assert_eq!(ours, std_sorted, "stable, as sort_by_key");

            let mut ours: Vec<SimTime> = list
                .iter()
                .map(|x| SimTime::from_micros(x.0.into()))
                .collect();
            let mut std_sorted = ours.clone();
            times(&mut ours);
            std_sorted.sort_unstable();
            assert_eq!(ours, std_sorted);

            let mut ours: Vec<(SimTime, u32)> = list
                .iter()
                .map(|x| (SimTime::from_micros(x.0.into()), x.1 % 3))
                .collect();
            let mut std_sorted = ours.clone();
            events(&mut ours);
            std_sorted.sort();
            assert_eq!(ours, std_sorted);
        }
        // Every byte of both halves of the pair in play, duplicates among them.
        let mut ours: Vec<(SimTime, u32)> = (0..5000)
            .map(|_| {
                let r = rng.next_u64();
                let shift = r % 64;
                (
                    SimTime::from_micros((r >> shift) % 5000 * (1 << (shift / 2))),
                    (r >> 7) as u32 % [1, 3, u32::MAX][(r % 3) as usize],
                )
            })
            .collect();
        let mut std_sorted = ours.clone();
        events(&mut ours);
        std_sorted.sort();
        assert_eq!(ours, std_sorted);
        let mut ours: Vec<u64> = (0..3000)
            .map(|_| rng.next_u64() >> (rng.next_u64() % 64))
            .collect();
        let mut std_sorted = ours.clone();
        micros(&mut ours);
        std_sorted.sort_unstable();
        assert_eq!(ours, std_sorted);
    }
}
