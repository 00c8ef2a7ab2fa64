//! The scene model's rules, one test each: the run shown, the clock, the slot, the strip under
//! each level of chrome, the words and when the live region speaks.

use super::*;

/// `scene`'s page at its defaults, with `query` applied on top.
fn config(scene: SceneId, query: &str) -> PageConfig {
    let (config, errors) = PageConfig::parse(&format!("scene={}&{query}", scene.slug()));
    assert!(errors.is_empty(), "{query}: {errors:?}");
    config
}

/// The runs `config` shows, with no earlier run.
fn runs(config: &PageConfig) -> SceneRuns {
    let (run, other) = SceneRuns::runs_of(config.scene, &config.scenario);
    SceneRuns::pick(config.scene, run, other, None)
}

fn broken_playground() -> PageConfig {
    let mut c = config(SceneId::Playground, "");
    c.scenario.code = Some("async def register(:\n".to_string());
    c
}

#[test]
fn the_playground_keeps_its_last_good_run_while_its_code_has_a_problem() {
    let good = runs(&config(SceneId::Playground, "")).shown.unwrap();
    let bad = broken_playground();
    let (run, _) = SceneRuns::runs_of(bad.scene, &bad.scenario);
    let error = run.clone().unwrap_err();
    let kept = SceneRuns::pick(SceneId::Playground, run.clone(), None, Some(good.clone()));
    assert_eq!(kept.shown, Ok(good.clone()));
    assert_eq!(kept.failure, Some(error.clone()));
    assert_eq!(kept.slot(true), Slot::Picture);
    // Nothing has run yet: the editor, to fix the code.
    let none = SceneRuns::pick(SceneId::Playground, run.clone(), None, None);
    assert_eq!(
        (none.slot(false), none.slot(true)),
        (Slot::Pending, Slot::Editor)
    );
    assert_eq!(none.failure, Some(error));
    // Any other scene shows the problem, and keeps no older run.
    let other = SceneRuns::pick(SceneId::Blocking, run, None, Some(good));
    assert!(other.run().is_none() && other.failure.is_none());
    assert!(matches!(other.slot(false), Slot::Error(ref e)
        if e.starts_with("async-lanes: this setup cannot be simulated: ")));
    assert_eq!(other.end(), SimTime::ZERO);
    assert_eq!(other.legend(None), Vec::new());
}

#[test]
fn a_run_is_drawn_once_its_slot_is_measured() {
    let r = runs(&config(SceneId::Blocking, ""));
    assert_eq!(
        (r.slot(false), r.slot(true)),
        (Slot::Pending, Slot::Picture)
    );
    assert_eq!(r.all().len(), 1);
    // The compare scene runs the other side too, and shows both.
    let c = runs(&config(SceneId::Compare, ""));
    assert_eq!(c.all().len(), 2);
    assert!(c.all()[0] != c.all()[1]);
}

#[test]
fn the_clock_starts_where_the_url_says_or_at_the_scenes_moment() {
    let c = config(SceneId::Blocking, "students=10");
    let r = runs(&c);
    let end = r.end();
    assert_eq!(end, SimTime::from_secs(20));
    assert_eq!(r.clock(&c).start, SimTime::ZERO);
    assert_eq!(
        r.clock(&config(SceneId::Blocking, "students=10&t=end"))
            .start,
        end
    );
    let at = config(SceneId::Blocking, "students=10&t=3");
    assert_eq!(r.clock(&at).start, SimTime::from_secs(3));
    // The load curve's numbers are the whole run's: it opens at the end.
    let load = config(SceneId::Load, "");
    let lr = runs(&load);
    assert_eq!(lr.clock(&load).start, lr.end());
}

#[test]
fn the_speed_follows_the_run_unless_the_reader_chose_one() {
    let c = config(SceneId::Blocking, "students=10");
    let clock = runs(&c).clock(&c);
    assert_eq!(clock.speed, clock.auto);
    assert_eq!(clock.auto, auto_speed(SimTime::from_secs(20)));
    assert_eq!(clock.chosen(clock.auto), None);
    assert_eq!(clock.chosen(clock.auto * 2.0), Some(clock.auto * 2.0));
    let chosen = config(SceneId::Blocking, "students=10&speed=5");
    assert_eq!(runs(&chosen).clock(&chosen).speed, 5.0);
    // Only a chosen speed is in the link.
    let moment = Moment::At(SimTime::from_secs(1));
    assert!(!clock.query(&c, clock.auto, moment).contains("speed"));
    assert!(clock.query(&c, 5.0, moment).contains("speed=5"));
    assert!(clock.query(&c, 5.0, moment).contains("t=1"));
}

#[test]
fn a_scene_without_a_clock_shows_its_end() {
    let c = config(SceneId::Load, "");
    let clock = runs(&c).clock(&c);
    assert!(!SceneId::Load.has_clock());
    assert_eq!(clock.shown(SceneId::Load, SimTime::ZERO), clock.end);
    let t = SimTime::from_secs(1);
    assert_eq!(clock.shown(SceneId::Blocking, t), t);
}

#[test]
fn chrome_min_keeps_the_one_number_that_carries_the_point() {
    let t = SimTime::from_secs(5);
    let model = |scene, query: &str| {
        let c = config(scene, query);
        SceneModel::at(&c, &runs(&c), t, true)
    };
    let strip = |scene, query: &str| model(scene, query).strip.unwrap();
    let full = strip(SceneId::Blocking, "students=10");
    assert!(full.primary.len() > 1 && !full.more.is_empty() && full.sides.is_empty());
    for chrome in ["article", "min"] {
        let min = strip(SceneId::Blocking, &format!("students=10&chrome={chrome}"));
        assert_eq!(min.primary, full.primary[..1]);
        assert!(min.more.is_empty());
    }
    // Two runs: a strip each, and the shared clock; below full chrome, no strip at all: each
    // side's numbers are in the picture, and the clock is the playback's readout (a strip of
    // the clock alone said "Time" twice).
    let compare = strip(SceneId::Compare, "");
    assert_eq!(compare.sides.len(), 2);
    assert_eq!(
        compare.primary.iter().map(|s| s.key).collect::<Vec<_>>(),
        ["time-s"]
    );
    for chrome in ["article", "min"] {
        let model = model(SceneId::Compare, &format!("chrome={chrome}"));
        assert_eq!(model.strip, None, "{chrome}");
    }
}

#[test]
fn the_words_follow_the_chrome() {
    let t = SimTime::from_secs(5);
    let at = |query: &str| {
        let c = config(SceneId::Blocking, query);
        SceneModel::at(&c, &runs(&c), t, true)
    };
    let full = at("students=10&follow=2");
    assert!(full.lede.is_some() && full.watch.is_some() && full.story.is_some());
    assert!(full.formula.is_some());
    assert_eq!(full.follow_rows.map(|r| r.students), Some(10));
    let article = at("students=10&follow=2&chrome=article");
    assert!(article.lede.is_none() && article.watch.is_some() && article.story.is_none());
    assert!(article.formula.is_none() && article.students.is_none());
    // Who runs, in words, where the fields alone do not say it (the inside scene's six).
    let inside = config(SceneId::Inside, "");
    assert!(SceneModel::at(&inside, &runs(&inside), t, true)
        .students
        .is_some());
    let min = at("students=10&follow=2&chrome=min");
    assert!(min.watch.is_none() && !min.parts.full_playback);
    // "Follow a student" comes with the picture, not before it.
    let c = config(SceneId::Blocking, "students=10");
    assert!(SceneModel::at(&c, &runs(&c), t, false)
        .follow_rows
        .is_none());
}

#[test]
fn the_question_comes_before_the_guess_and_the_reveal_after() {
    let t = SimTime::ZERO;
    let at = |query: &str| {
        let c = config(SceneId::Blocking, query);
        SceneModel::at(&c, &runs(&c), t, true)
    };
    let asking = at("students=10&predict=1");
    assert!(asking.question.is_some_and(|q| !q.is_empty()));
    assert!(asking.reveal.is_none());
    let guessed = at("students=10&predict=1&guess=15");
    assert!(guessed.question.is_none() && guessed.reveal.is_some());
    // Not in an article, and not in a scene that asks nothing.
    assert!(at("students=10&predict=1&chrome=article")
        .question
        .is_none());
    let load = config(SceneId::Load, "predict=1");
    assert!(SceneModel::at(&load, &runs(&load), t, true)
        .question
        .is_none());
}

#[test]
fn registering_stops_at_its_limits() {
    let c = config(SceneId::Blocking, "students=10");
    let r = runs(&c);
    assert!(SceneModel::at(&c, &r, SimTime::ZERO, true).can_register);
    let late = SceneModel::at(&c, &r, SimTime::from_secs(100_000), true);
    assert!(!late.can_register);
}

#[test]
fn the_narration_speaks_every_few_seconds_while_playing_and_at_once_when_paused() {
    let mut n = Narrator::default();
    assert_eq!(n.speak("A finished.".into(), true, 0.0), "A finished.");
    // Playing: the next sentence waits out the gap.
    assert_eq!(n.speak("B finished.".into(), true, 1000.0), "A finished.");
    assert_eq!(
        n.speak("B finished.".into(), true, NARRATION_GAP_MS + 1.0),
        "B finished."
    );
    // Paused (a step, a scrub): at once.
    assert_eq!(
        n.speak("C finished.".into(), false, NARRATION_GAP_MS + 2.0),
        "C finished."
    );
    let c = config(SceneId::Blocking, "students=10");
    let model = SceneModel::at(&c, &runs(&c), SimTime::from_secs(20), true);
    assert!(
        model.narration.starts_with("Student "),
        "{}",
        model.narration
    );
}

#[test]
fn a_scene_runs_its_setup_once_and_again_only_when_it_changes() {
    let mut remembered = Remembered::default();
    let c = config(SceneId::Async, "students=5");
    let first = remembered.runs(c.scene, &c.scenario);
    // The same setup: the same run (the same `Rc`, not a new simulation).
    assert_eq!(remembered.runs(c.scene, &c.scenario).shown, first.shown);
    let other = config(SceneId::Async, "students=6");
    let second = remembered.runs(other.scene, &other.scenario);
    assert_ne!(second.shown, first.shown);
    assert_eq!(second.run().map(|r| r.trace().students.len()), Some(6));
}

#[test]
fn the_remembered_runs_keep_the_playgrounds_last_good_one() {
    let mut remembered = Remembered::default();
    let good = config(SceneId::Playground, "");
    let shown = remembered.runs(good.scene, &good.scenario).shown.unwrap();
    let bad = broken_playground();
    let kept = remembered.runs(bad.scene, &bad.scenario);
    assert_eq!(kept.shown, Ok(shown));
    assert!(kept.failure.is_some());
}

#[test]
fn the_legend_is_worked_out_once_per_run_and_followed_student() {
    let mut remembered = Remembered::default();
    let c = config(SceneId::Async, "students=5");
    let runs = remembered.runs(c.scene, &c.scenario);
    let legend = remembered.legend(&runs, None);
    assert!(!legend.is_empty());
    assert!(Rc::ptr_eq(&legend, &remembered.legend(&runs, None)));
    assert!(!Rc::ptr_eq(&legend, &remembered.legend(&runs, Some(1))));
}
