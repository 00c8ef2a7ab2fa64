//! What a run keeps once: asked again for the same thing, it hands back the same value, and a
//! new question is answered anew.

use super::*;
use crate::view::scenes::SceneId;

fn run(students: &str) -> SharedTrace {
    let scenario = Scenario::parse_pairs([("students", students)]).unwrap();
    SharedTrace::run(&scenario).unwrap()
}

#[test]
fn the_same_drawing_is_the_same_allocation_and_a_new_size_a_new_one() {
    let trace = run("5");
    let first = trace.drawing(900.0, 520.0, None, (None, None));
    let again = trace.drawing(900.0, 520.0, None, (None, None));
    assert!(Rc::ptr_eq(&first, &again));
    let narrower = trace.drawing(600.0, 520.0, None, (None, None));
    assert!(!Rc::ptr_eq(&first, &narrower));
    assert!(narrower.width < first.width);
    let followed = trace.drawing(600.0, 520.0, None, (Some(2), None));
    assert!(!Rc::ptr_eq(&narrower, &followed));
    assert_eq!(
        *followed,
        Drawing::new(
            trace.trace(),
            trace.series().0,
            600.0,
            520.0,
            None,
            (Some(2), None)
        )
    );
}

#[test]
fn the_inside_caption_and_the_load_curve_are_made_once_per_run() {
    let scenario = SceneId::Inside.defaults();
    let trace = SharedTrace::run(&scenario).unwrap();
    let (caption_a, mine_a) = trace.inside();
    let (caption_b, mine_b) = trace.inside();
    assert!(std::ptr::eq(caption_a, caption_b) && std::ptr::eq(mine_a, mine_b));
    assert_eq!(mine_a, students_of(trace.trace(), WORKER).as_slice());

    let setup = SceneId::Load.defaults();
    let load_run = SharedTrace::run(&SceneId::Load.run(&setup)).unwrap();
    let curve = load_run.load_curve(&setup);
    assert!(std::ptr::eq(curve, load_run.load_curve(&setup)));
    assert_eq!(curve.curves.len(), LoadCurve::new(&setup).curves.len());
}

#[test]
fn a_new_run_gets_a_new_workers_frame_even_at_the_same_moment() {
    let (t, width) = (SimTime::from_millis(500), 900.0);
    let a = run("5");
    let key = a.workers_frame_key(t, width, false, None);
    assert_eq!(key, a.workers_frame_key(t, width, false, None));
    // The same setup run again is another run, whatever address it is given.
    drop(a);
    let b = run("5");
    assert_ne!(key, b.workers_frame_key(t, width, false, None));
    assert_ne!(
        b.workers_frame_key(t, width, false, None),
        b.workers_frame_key(t, width, true, None)
    );
}

#[test]
fn a_frame_is_painted_again_for_a_new_moment_width_theme_or_guess_only() {
    let run = run("5");
    let (t, g) = (SimTime::from_millis(1500), Some(SimTime::from_secs(2)));
    let key = run.workers_frame_key(t, 900.0, false, g);
    assert_eq!(key, run.workers_frame_key(t, 900.0, false, g));
    for other in [
        run.workers_frame_key(SimTime::from_millis(1501), 900.0, false, g),
        run.workers_frame_key(t, 899.5, false, g),
        run.workers_frame_key(t, 900.0, true, g),
        run.workers_frame_key(t, 900.0, false, None),
        run.workers_frame_key(t, 900.0, false, Some(SimTime::ZERO)),
    ] {
        assert_ne!(key, other);
    }
}
