//! The trace taken away: the Chrome Trace Event JSON follows the format's rules (required fields,
//! every track named, no overlapping complete events on one track) and carries every span; the
//! CSV has one row per student span, equal to the trace; the command line prints both.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app

use std::collections::BTreeMap;

use async_lanes::sim::cli;
use async_lanes::sim::export::{csv, perfetto};
use async_lanes::sim::trace::{student_letter, Trace};
use async_lanes::sim::{simulate, Scenario};
use serde_json::Value;

/// Setups that between them use every kind of span: blocking, async with a small pool and
/// awaited I/O, a thread pool, students turned away, the race handler.
fn setups() -> Vec<Scenario> {
    let parse = |args: &[&str]| Scenario::parse_args(args).unwrap();
    vec![
        Scenario::default(),
        parse(&[
            "mode=async",
            "workers=2",
            "students=60",
            "validate_ms=5",
            "db_ms=40",
            "db_pool=3",
        ]),
        parse(&[
            "mode=threadpool",
            "threads=4",
            "students=30",
            "validate_ms=20",
            "db_ms=100",
        ]),
        parse(&[
            "mode=async",
            "workers=2",
            "concurrency=5",
            "students=30",
            "overflow=reject",
        ]),
        parse(&[
            "handler=race",
            "mode=async",
            "workers=2",
            "students=5",
            "io_dist=exp",
            "db_ms=50",
        ]),
    ]
}

fn num(e: &Value, key: &str) -> u64 {
    e[key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key} is not a whole number: {e}"))
}

#[track_caller]
fn check_perfetto(trace: &Trace) {
    let json: Value = serde_json::from_str(&perfetto(trace)).expect("valid JSON");
    let events = json["traceEvents"].as_array().expect("a traceEvents array");
    let mut processes = BTreeMap::new();
    let mut threads = BTreeMap::new();
    let mut tracks: BTreeMap<(u64, u64), Vec<(u64, u64)>> = BTreeMap::new();
    let mut lines = Vec::new();
    for e in events {
        assert!(e["name"].is_string(), "{e}");
        let (pid, tid) = (num(e, "pid"), num(e, "tid"));
        match e["ph"].as_str() {
            Some("M") => {
                let name = e["args"]["name"]
                    .as_str()
                    .expect("a metadata name")
                    .to_string();
                match e["name"].as_str() {
                    Some("process_name") => processes.insert(pid, name),
                    Some("thread_name") => threads.insert((pid, tid), name),
                    other => panic!("unexpected metadata {other:?}"),
                };
            }
            Some("X") => {
                if let Some(line) = e.get("args").map(|a| num(a, "line")) {
                    lines.push(((pid, tid), num(e, "ts"), line));
                }
                tracks
                    .entry((pid, tid))
                    .or_default()
                    .push((num(e, "ts"), num(e, "dur")))
            }
            other => panic!("unexpected phase {other:?} in {e}"),
        }
    }
    // Every track is named, and lies in a named process.
    for (pid, tid) in tracks.keys() {
        assert!(
            threads.contains_key(&(*pid, *tid)),
            "track {pid}/{tid} has no name"
        );
        assert!(processes.contains_key(pid), "process {pid} has no name");
    }
    for w in &trace.workers {
        let pid = u64::from(w.id) + 1;
        assert_eq!(processes[&pid], format!("Worker {pid}"));
        assert_eq!(threads[&(pid, 0)], format!("Worker {pid}"));
    }
    // No two complete events of one track overlap.
    for (track, spans) in &mut tracks {
        spans.sort_unstable();
        for pair in spans.windows(2) {
            assert!(
                pair[0].0 + pair[0].1 <= pair[1].0,
                "overlap on {track:?}: {pair:?}"
            );
        }
    }
    // Every span is there once, in microseconds.
    let worker_spans: usize = trace.workers.iter().map(|w| w.spans.len()).sum();
    let student_spans: usize = trace
        .students
        .iter()
        .map(|s| trace.spans_of(s.id).len())
        .sum();
    let complete: usize = tracks.values().map(Vec::len).sum();
    assert_eq!(complete, worker_spans + student_spans);
    let last = tracks.values().flatten().map(|(ts, dur)| ts + dur).max();
    assert!(last <= Some(trace.end.as_micros()));
    // Each student span with a handler line carries it, and only those.
    let mut want = Vec::new();
    for s in &trace.students {
        let track = (
            s.worker.map_or(0, |w| u64::from(w) + 1),
            u64::from(s.id) + 1,
        );
        for sp in trace.spans_of(s.id) {
            if let Some(line) = sp.line {
                want.push((track, sp.start.as_micros(), u64::from(line)));
            }
        }
    }
    assert!(!want.is_empty(), "every handler runs on lines");
    lines.sort_unstable();
    want.sort_unstable();
    assert_eq!(lines, want);
}

#[test]
fn the_perfetto_json_follows_the_trace_event_format() {
    for scenario in setups() {
        check_perfetto(&simulate(&scenario).unwrap());
    }
}

#[test]
fn the_csv_has_one_row_per_student_span() {
    for scenario in setups() {
        let trace = simulate(&scenario).unwrap();
        let text = csv(&trace);
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("student,worker,state,step,start_s,end_s,line")
        );
        let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
        let spans: Vec<_> = trace
            .students
            .iter()
            .flat_map(|s| trace.spans_of(s.id).iter().map(move |sp| (s, sp)))
            .collect();
        assert_eq!(rows.len(), spans.len());
        let micros = |field: &str| {
            let (s, us) = field.split_once('.').unwrap();
            s.parse::<u64>().unwrap() * 1_000_000 + us.parse::<u64>().unwrap()
        };
        for (row, (s, sp)) in rows.iter().zip(spans) {
            assert_eq!(row.len(), 7);
            // Named as the page names them: letters up to 26 students, numbers beyond.
            let name = match student_letter(s.id, trace.students.len() as u32) {
                Some(letter) => letter.to_string(),
                None => (s.id + 1).to_string(),
            };
            assert_eq!(row[0], name);
            assert_eq!(
                row[1],
                s.worker.map(|w| (w + 1).to_string()).unwrap_or_default()
            );
            assert_eq!(row[2], sp.state.as_str());
            assert_eq!(row[3], sp.step.map_or("", |st| st.as_str()));
            assert_eq!(micros(row[4]), sp.start.as_micros());
            assert_eq!(micros(row[5]), sp.end.as_micros());
            assert_eq!(row[6], sp.line.map(|l| l.to_string()).unwrap_or_default());
        }
    }
}

#[test]
fn the_exports_name_students_as_the_page_does() {
    // The inside scene's six are A to F on the page, in its follow list and its story.
    let inside = simulate(&async_lanes::view::scenes::SceneId::Inside.defaults()).unwrap();
    let json = perfetto(&inside);
    for letter in ["A", "B", "C", "D", "E", "F"] {
        assert!(json.contains(&format!("\"Student {letter}\"")), "{letter}");
    }
    assert!(!json.contains("Student #"));
    let table = csv(&inside);
    let names: Vec<&str> = table.lines().skip(1).map(|l| &l[..1]).collect();
    assert!(names.iter().all(|n| "ABCDEF".contains(n)), "{names:?}");
    // A run of more than 26 numbers them, as the page does (#42).
    let many = simulate(&Scenario::default()).unwrap();
    assert!(perfetto(&many).contains("\"Student #100\""));
    assert!(csv(&many).lines().last().unwrap().starts_with("100,"));
}

#[test]
fn the_command_line_prints_both() {
    let trace = simulate(&Scenario::parse_args(&["students=5", "mode=async"]).unwrap()).unwrap();
    let out = cli::run(&["students=5", "mode=async", "format=perfetto"]);
    assert_eq!((out.code, out.stdout), (0, perfetto(&trace)));
    let out = cli::run(&["students=5", "mode=async", "format=csv"]);
    assert_eq!((out.code, out.stdout), (0, csv(&trace)));
    let out = cli::run(&["format=svg"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("one of text, json, perfetto, csv"),
        "{}",
        out.stderr
    );
}
