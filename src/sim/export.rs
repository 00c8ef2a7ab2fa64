//! A run taken away: the trace as Chrome Trace Event JSON (what ui.perfetto.dev and
//! chrome://tracing open) and as CSV, one row per student span. Both are written by hand, with
//! times as whole microseconds, so the output is the same on every platform and the page needs
//! no JSON library to offer it.
//!
//! In the JSON, each worker is a process named "Worker N" (metadata events): its first thread,
//! also "Worker N", carries the worker's occupied spans; every student it took is a thread of its
//! own under it ("Student C", or "Student #K" in a run of more than 26: named as the page
//! names them, `trace::student_letter`), carrying that student's spans as complete (`X`) events named by
//! state and step, with the handler's line in `args` where the span has one. Students no worker
//! took (rejected, or still queued at the end) are threads of a process "Accept queue". `ts` and
//! `dur` are microseconds of simulated time.

use std::fmt::Write;

use super::handler::Step;
use super::time::SimTime;
use super::trace::{student_letter, State, Trace};

/// The process of the students no worker took.
const QUEUE_PID: u32 = 0;
/// The worker's own thread in its process; a student's thread is its id plus one more.
const WORKER_TID: u32 = 0;

/// The name of a span: its state, and its step when it has one (`awaiting_io send_email`).
fn span_name(state: State, step: Option<Step>) -> String {
    match step {
        Some(step) => format!("{} {}", state.as_str(), step.as_str()),
        None => state.as_str().to_string(),
    }
}

/// A metadata event naming process `pid` (thread `None`) or thread `tid` of it.
fn name_event(out: &mut Vec<String>, pid: u32, tid: Option<u32>, name: &str) {
    let (kind, tid) = match tid {
        Some(tid) => ("thread_name", tid),
        None => ("process_name", 0),
    };
    out.push(format!(
        r#"{{"name":"{kind}","ph":"M","pid":{pid},"tid":{tid},"args":{{"name":"{name}"}}}}"#
    ));
}

/// A complete event, with the handler line it was on as `args.line` when there is one.
fn span_event(
    out: &mut Vec<String>,
    pid: u32,
    tid: u32,
    name: &str,
    span: (SimTime, SimTime),
    line: Option<u16>,
) {
    let (ts, dur) = (span.0.as_micros(), (span.1 - span.0).as_micros());
    let args = line
        .map(|l| format!(r#","args":{{"line":{l}}}"#))
        .unwrap_or_default();
    out.push(format!(
        r#"{{"name":"{name}","cat":"request","ph":"X","pid":{pid},"tid":{tid},"ts":{ts},"dur":{dur}{args}}}"#
    ));
}

/// The trace as Chrome Trace Event JSON: `{"traceEvents":[...],"displayTimeUnit":"ms"}`.
pub fn perfetto(trace: &Trace) -> String {
    let mut events = Vec::new();
    for w in &trace.workers {
        let pid = w.id + 1;
        let name = format!("Worker {pid}");
        name_event(&mut events, pid, None, &name);
        name_event(&mut events, pid, Some(WORKER_TID), &name);
        for sp in &w.spans {
            let label = span_name(sp.state, Some(sp.step));
            span_event(
                &mut events,
                pid,
                WORKER_TID,
                &label,
                (sp.start, sp.end),
                None,
            );
        }
    }
    if trace.students.iter().any(|s| s.worker.is_none()) {
        name_event(&mut events, QUEUE_PID, None, "Accept queue");
    }
    for s in &trace.students {
        let pid = s.worker.map_or(QUEUE_PID, |w| w + 1);
        let tid = s.id + 1;
        name_event(
            &mut events,
            pid,
            Some(tid),
            &format!("Student {}", student(s.id, trace, "#")),
        );
        for sp in trace.spans_of(s.id) {
            let name = span_name(sp.state, sp.step);
            span_event(&mut events, pid, tid, &name, (sp.start, sp.end), sp.line);
        }
    }
    let mut out = String::from("{\"traceEvents\":[\n");
    out.push_str(&events.join(",\n"));
    out.push_str("\n],\"displayTimeUnit\":\"ms\"}\n");
    out
}

/// Seconds with exactly six decimals, from whole microseconds (no float formatting).
fn secs(t: SimTime) -> String {
    let us = t.as_micros();
    format!("{}.{:06}", us / 1_000_000, us % 1_000_000)
}

/// A student as the page names it: its letter in a run of up to 26, else its number from 1,
/// after `mark` (`#` in a track's name, nothing in a CSV field).
fn student(id: u32, trace: &Trace, mark: &str) -> String {
    match student_letter(id, trace.students.len() as u32) {
        Some(letter) => letter.to_string(),
        None => format!("{mark}{}", id + 1),
    }
}

/// One row per student span: `student,worker,state,step,start_s,end_s,line` (students named as
/// on the page, `A`.. in a run of up to 26 and numbered from 1 otherwise; workers numbered from
/// 1 as on the page, lines of the handler from 1; no worker, step or line is an empty field).
pub fn csv(trace: &Trace) -> String {
    let mut out = String::from("student,worker,state,step,start_s,end_s,line\n");
    for s in &trace.students {
        let worker = s.worker.map(|w| (w + 1).to_string()).unwrap_or_default();
        for sp in trace.spans_of(s.id) {
            let step = sp.step.map_or("", Step::as_str);
            let line = sp.line.map(|l| l.to_string()).unwrap_or_default();
            let _ = writeln!(
                out,
                "{},{worker},{},{step},{},{},{line}",
                student(s.id, trace, ""),
                sp.state.as_str(),
                secs(sp.start),
                secs(sp.end)
            );
        }
    }
    out
}
