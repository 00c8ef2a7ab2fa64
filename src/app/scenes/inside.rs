//! The `inside` scene: the article's "Worker 1" box (each request on one worker and what it is
//! doing, in words and in the legend's colours), beside the timeline of the same run, and the
//! moment the article's snapshot occurs, with a button and a link that go there.

use yew::prelude::*;

use crate::app::SharedTrace;

use crate::app::scenes::PictureProps;
use crate::app::timeline::{Timeline, MAX_ROWS};
use crate::sim::handler::Step;
use crate::sim::time::SimTime;
use crate::sim::trace::Trace;
use crate::view::config::Moment;
use crate::view::format;
use crate::view::inside::{
    first_snapshot, rows, students_of, worker_activity, Phase, Row, Snapshot, WorkerActivity,
    ARTICLE_WORDS,
};
use crate::view::scenes::SceneId;
use crate::view::timeline::student_name;

/// The worker the box shows (the article's "Worker 1").
const WORKER: u32 = 0;
/// Up to this many students of the worker, the box keeps a row for each, so rows never move;
/// beyond it lists only those in flight.
const MAX_BOX_ROWS: usize = 12;
/// Width of the box beside the timeline, and the picture width from which they sit side by side.
const BOX_W: f64 = 400.0;
const SIDE_BY_SIDE_FROM: f64 = 900.0;
const GAP: f64 = 16.0;

#[component]
pub fn Inside(props: &PictureProps) -> Html {
    let trace = &props.trace;
    let total = trace.students.len() as u32;
    let wide = props.width >= SIDE_BY_SIDE_FROM;
    let timeline_w = if wide {
        props.width - BOX_W - GAP
    } else {
        props.width
    };
    let snapshot = use_memo(trace.clone(), |trace| first_snapshot(trace));
    let mine = use_memo(trace.clone(), |trace| students_of(trace, WORKER));

    html! {
        <div class="al-inside">
            <div class={classes!("al-inside-grid", wide.then_some("al-inside-wide"))}>
                <WorkerBox trace={trace.clone()} t={props.t} students={mine.clone()} />
                // Beside the box on a wide screen, the timeline and the caption share a column.
                <div class="al-inside-side">
                    <div class="al-inside-timeline">
                        <Timeline trace={trace.clone()} t={props.t} width={timeline_w} uid={props.uid.clone()}
                            label={format!("Timeline of {total} students")} />
                    </div>
                    { rows_note(total) }
                    { caption(props, *snapshot) }
                </div>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct WorkerBoxProps {
    trace: SharedTrace,
    t: SimTime,
    /// The students the worker takes during the run, by id.
    students: std::rc::Rc<Vec<u32>>,
}

/// The box: the worker, what holds it, and a row per request.
#[component]
fn WorkerBox(props: &WorkerBoxProps) -> Html {
    let trace = &props.trace;
    let t = props.t.min(trace.end);
    let total = trace.students.len() as u32;
    let name = |id: u32| student_name(id, total);
    let all = rows(trace, &props.students, t);
    let in_flight = all
        .iter()
        .filter(|r| !matches!(r.phase, Phase::NotArrived | Phase::Queued | Phase::Done))
        .count();
    let (shown, summary) = if all.len() <= MAX_BOX_ROWS {
        (all.clone(), None)
    } else {
        let active: Vec<Row> = all
            .iter()
            .filter(|r| !matches!(r.phase, Phase::NotArrived | Phase::Queued | Phase::Done))
            .copied()
            .collect();
        let done = all.iter().filter(|r| r.phase == Phase::Done).count();
        let more = active.len().saturating_sub(MAX_BOX_ROWS);
        let mut words = Vec::new();
        if more > 0 {
            words.push(format!("{} more in flight", format::count(more as u64)));
        }
        words.push(format!("{} done", format::count(done as u64)));
        (
            active.into_iter().take(MAX_BOX_ROWS).collect(),
            Some(words.join(" · ")),
        )
    };

    let activity = worker_activity(trace, WORKER, t);
    // The same words as the timeline's worker lane.
    let (state, status) = match activity {
        WorkerActivity::Running {
            student,
            step: Step::Validate,
        } => ("running", format!("Busy: validating {}", name(student))),
        WorkerActivity::Running { student, step } => (
            "running",
            format!("Busy: {}'s {}", name(student), step.as_str()),
        ),
        WorkerActivity::Blocked {
            student,
            step: Step::SaveToDatabase,
        } => (
            "blocked",
            format!("Blocked by {}'s database call", name(student)),
        ),
        WorkerActivity::Blocked { student, .. } => {
            ("blocked", format!("Blocked by {}'s email", name(student)))
        }
        WorkerActivity::Free if in_flight > 0 => {
            ("free", "Free: every request on it is waiting".to_string())
        }
        WorkerActivity::Free => ("free", "Idle: nothing to do".to_string()),
    };
    let workers = trace.workers.len();
    let heading = if workers > 1 {
        format!("Worker 1 of {workers}")
    } else {
        "Worker 1".to_string()
    };

    html! {
        <figure class="al-worker-box" aria-label={format!("{heading}: the requests it is serving")}>
            <figcaption class="al-worker-head">
                <span class="al-worker-name">{ heading }</span>
                <span class="al-worker-count">
                    { format!("{} in flight", format::count(in_flight as u64)) }
                </span>
                <span class={classes!("al-worker-now", format!("al-worker-{state}"))} data-worker-state={state}>
                    { status }
                </span>
            </figcaption>
            <ul class="al-inflight">
                { for shown.iter().map(|row| row_html(row, &name(row.student), t, trace)) }
            </ul>
            if let Some(summary) = summary {
                <p class="al-inflight-more">{ summary }</p>
            }
        </figure>
    }
}

/// One request's row: its name, its state's swatch, the words, and how far it is.
fn row_html(row: &Row, name: &str, t: SimTime, trace: &Trace) -> Html {
    let phase = row.phase;
    let faint = matches!(phase, Phase::NotArrived | Phase::Queued | Phase::Done);
    let timing = match (phase, row.span) {
        (Phase::Done, _) => {
            let st = &trace.students[row.student as usize];
            st.finish
                .map(|f| format!("after {}", format::secs((f - st.arrival).as_secs_f64())))
                .unwrap_or_default()
        }
        (p, Some(sp)) if p.has_known_length() => format!(
            "{} of {}",
            format::secs((t - sp.start).as_secs_f64()),
            format::secs((sp.end - sp.start).as_secs_f64())
        ),
        (_, Some(sp)) => format!("for {}", format::secs((t - sp.start).as_secs_f64())),
        _ => String::new(),
    };
    let bar = (phase.has_known_length() && row.span.is_some()).then(|| {
        let p = row.progress(t) * 100.0;
        html! {
            <svg class="al-bar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true">
                <rect class="al-bar-track" width="100" height="6" />
                <rect class={classes!("al-bar-fill", phase.class())} width={format!("{p:.2}")} height="6" />
            </svg>
        }
    });
    html! {
        <li class={classes!("al-inflight-row", faint.then_some("al-faint"))}
            data-student={name.to_string()} data-phase={phase.slug()}>
            <span class="al-inflight-name">{ name.to_string() }</span>
            <span class={classes!("al-swatch", phase.class())} aria-hidden="true"></span>
            <span class="al-inflight-words">
                <span class="al-inflight-phase">{ phase.words() }</span>
                if !phase.detail().is_empty() {
                    <span class="al-inflight-detail">{ phase.detail() }</span>
                }
            </span>
            <span class="al-inflight-time">{ timing }</span>
            { bar }
        </li>
    }
}

/// The caption under the picture: when the article's snapshot occurs in this run, who is in it,
/// and a button and a link that go there; or, if it never does, a way back to the defaults.
fn caption(props: &PictureProps, snapshot: Option<Snapshot>) -> Html {
    let total = props.trace.students.len() as u32;
    let name = |id: u32| student_name(id, total);
    let honest = html! {
        <p class="al-note">
            { "Where the article simplifies: only one of these requests is on the worker's CPU at a time. \
               The event loop runs one request until it awaits; the others are waiting, which is \
               exactly what lets one worker hold them all." }
        </p>
    };
    let Some(snap) = snapshot else {
        let reset = {
            let on_config = props.on_config.clone();
            Callback::from(move |_: MouseEvent| {
                on_config.emit(crate::view::config::PageConfig::for_scene(SceneId::Inside))
            })
        };
        return html! {
            <div class="al-snapshot">
                <p class="al-snapshot-text" data-snapshot="none">
                    { "With this setup, no moment has one worker waiting for an email, validating, \
                       saving to the database and waiting for the database at once." }
                </p>
                <button type="button" class="al-btn" onclick={reset}>{ "Back to the defaults" }</button>
                { honest }
            </div>
        };
    };
    let [email, validating, saving, waiting] = snap.students.map(name);
    let at = format::secs(snap.t.as_secs_f64());
    let seek = {
        let on_seek = props.on_seek.clone();
        Callback::from(move |_: MouseEvent| on_seek.emit(snap.t))
    };
    let href = format!("?{}", props.config.to_query(Some(Moment::At(snap.t))));
    let pool = match props.trace.scenario.db_pool {
        Some(1) => "the one database connection".to_string(),
        Some(k) => format!("one of the {k} database connections"),
        None => "a database connection".to_string(),
    };
    let worker = if props.trace.workers.len() > 1 {
        format!(" on worker {}", snap.worker + 1)
    } else {
        String::new()
    };
    html! {
        <div class="al-snapshot">
            <p class="al-snapshot-text" data-snapshot-t={snap.t.as_secs_f64().to_string()}>
                <strong>{ format!("The article's snapshot happens at {at}{worker}: ") }</strong>
                { format!("{email} is {} (“{}”), {validating} is {} (“{}”), \
                           {saving} is {} (“{}”: its query holds {pool}) and {waiting} is {} \
                           (“{}”: its query waits for that connection).",
                    Phase::WaitingForEmail.words(), ARTICLE_WORDS[0],
                    Phase::Running(Step::Validate).words(), ARTICLE_WORDS[1],
                    Phase::SavingToDatabase.words(), ARTICLE_WORDS[2],
                    Phase::WaitingForDatabase.words(), ARTICLE_WORDS[3]) }
                if snap.students != [0, 1, 2, 3] {
                    { " Students are lettered in order of arrival, so the letters differ from the article's." }
                }
            </p>
            <div class="al-snapshot-actions">
                <button type="button" class="al-btn al-snapshot-seek" onclick={seek}>
                    { format!("Show the moment ({at})") }
                </button>
                <a class="al-snapshot-link" href={href}>{ "Link to this moment" }</a>
            </div>
            { honest }
        </div>
    }
}

/// Says so when the timeline shows only its first rows.
pub(super) fn rows_note(students: u32) -> Html {
    if students <= MAX_ROWS {
        return html! {};
    }
    html! {
        <p class="al-note">{ format!("The timeline shows the first {MAX_ROWS} of {} students; the numbers count them all.", format::count(students.into())) }</p>
    }
}
