//! The playground's rules, pinned: lines, problems, presets, edits and the log.
use super::*;
use crate::sim::lang::{presets, CodeError};
use crate::sim::time::SimTime;

#[test]
fn the_log_shows_what_was_printed_by_the_moment_shown() {
    let code = "async def f(student):\n    print('start', student.email)\n    await send_email(student)\n    print(f'sent {student.name}')";
    let pairs = [("students", "12"), ("code", code)].map(|(k, v)| (k.to_string(), v.to_string()));
    let scenario = crate::sim::Scenario::parse_pairs(pairs).unwrap();
    let trace = crate::sim::simulate(&scenario).unwrap();
    let at = |s: f64| printed_at(&trace, SimTime::from_millis_f64(s * 1000.0)).unwrap();
    // Twelve starts at 0 s (each request's first line), twelve sends at the email's end.
    let start = at(0.0);
    assert_eq!(start.title, "printed: the last 8 of 12 lines so far");
    assert_eq!(start.rows.len(), 8);
    assert_eq!(start.rows[7].text, "start student12@example.org");
    assert_eq!(
        (start.rows[7].student.as_str(), start.rows[7].time.as_str()),
        ("L", "0 s")
    );
    let end = at(trace.end.as_secs_f64());
    assert_eq!(end.title, "printed: the last 8 of 24 lines so far");
    assert!(end.rows.iter().all(|r| r.text.starts_with("sent Student ")));
    // Logging below the level leaves no line, and the log says why.
    let code = "async def f(student):\n    logging.info('hi')";
    let pairs = [("students", "3"), ("code", code)].map(|(k, v)| (k.to_string(), v.to_string()));
    let trace = crate::sim::simulate(&crate::sim::Scenario::parse_pairs(pairs).unwrap()).unwrap();
    let log = printed_at(&trace, trace.end).unwrap();
    assert_eq!(
        (log.title.as_str(), log.rows.len()),
        ("printed: 0 lines so far", 0)
    );
    assert!(log
        .note
        .unwrap()
        .starts_with("3 of this run's logging calls fell below"));
    // Responses by status, once one is not a 200.
    let code = "async def f(student):\n    await send_email(student)\n    if student.name == 'Student 2':\n        raise HTTPException(409)";
    let pairs = [("students", "3"), ("code", code)].map(|(k, v)| (k.to_string(), v.to_string()));
    let trace = crate::sim::simulate(&crate::sim::Scenario::parse_pairs(pairs).unwrap()).unwrap();
    assert_eq!(responses_at(&trace, SimTime::ZERO), None);
    assert_eq!(
        responses_at(&trace, trace.end).as_deref(),
        Some("responses so far: 2 × 200, 1 × 409")
    );
    // A run that prints nothing has no log.
    let quiet = crate::sim::simulate(&crate::sim::Scenario::default()).unwrap();
    assert_eq!(printed_at(&quiet, SimTime::ZERO), None);
}

#[test]
fn lines_are_numbered_as_an_editor_does() {
    assert_eq!(lines("a\nb\n"), vec!["a", "b"]);
    assert_eq!(lines("a\n\nb"), vec!["a", "", "b"]);
    assert_eq!(lines(""), vec![""]);
    assert_eq!(lines(PRESETS[0].code).len(), 5);
}

#[test]
fn a_problem_points_at_its_line_and_column() {
    let code = "async def register(student):\n    validate(studnet)\n";
    let error = SimError::Code(CodeError {
        line: 2,
        column: 14,
        message: "name 'studnet' is not defined".into(),
    });
    let p = Problem::of(&error, code);
    assert_eq!(p.line, Some(2));
    assert_eq!(
        p.pointer,
        Some((
            "    validate(studnet)".into(),
            format!("{}^", " ".repeat(13))
        ))
    );
    assert_eq!(p.words, "line 2, column 14: name 'studnet' is not defined");
    // Requests that can never finish point at a line, with no column.
    let stuck = |line| {
        let error = SimError::Stuck {
            at: SimTime::ZERO,
            unfinished: 3,
            line,
        };
        Problem::of(&error, PRESETS[0].code)
    };
    assert_eq!(
        (stuck(Some(4)).line, stuck(Some(4)).pointer),
        (Some(4), None)
    );
    assert_eq!(stuck(None).line, None);
    assert!(stuck(None).words.contains("3 requests can never finish"));
}

#[test]
fn the_playground_keeps_code_that_does_not_compile() {
    use crate::view::config::PageConfig;
    let (config, notices) = PageConfig::parse("scene=playground&code=def%20(");
    assert_eq!(config.scenario.code.as_deref(), Some("def ("));
    assert_eq!(notices, vec![]);
    // Elsewhere a bad `code` is a notice, and the scene's own handler runs.
    let (config, notices) = PageConfig::parse("scene=await&code=def%20(");
    assert_eq!(config.scenario.code, None);
    assert_eq!(notices.len(), 1);
}

#[test]
fn the_playgrounds_own_waits_have_looks_of_their_own() {
    use crate::sim::{simulate, Scenario};
    use crate::view::phase::Look;
    let look_at = |code: &str, keys: Scenario, ms: u64| {
        let scenario = Scenario {
            code: Some(code.to_string()),
            ..keys
        };
        let trace = simulate(&scenario).unwrap();
        let t = SimTime::from_millis(ms);
        Phase::at(&trace, trace.students.len() as u32 - 1, t).look()
    };
    let one = Scenario {
        students: 1,
        mode: Mode::Async,
        ..Scenario::default()
    };
    let sleep = "async def register(student):\n    await asyncio.sleep(1)\n";
    assert_eq!(look_at(sleep, one.clone(), 500), Some(Look::Sleeping));
    let blocking_sleep = "async def register(student):\n    time.sleep(1)\n";
    assert_eq!(
        look_at(blocking_sleep, one.clone(), 500),
        Some(Look::BlockedSleep)
    );
    // asyncio.to_thread's pool has min(32, 1 + 4) = 5 threads: the sixth request waits.
    let to_thread = "async def register(student):\n    await asyncio.to_thread(time.sleep, 1)\n";
    let six = Scenario {
        students: 6,
        cores: 1,
        ..one
    };
    assert_eq!(look_at(to_thread, six, 500), Some(Look::ThreadSlot));
}

#[test]
fn the_forgotten_await_is_warned_about_at_its_line() {
    let forgotten = presets::named("forgotten-await").unwrap();
    let w = warnings(forgotten.code);
    assert_eq!(w.len(), 1);
    assert_eq!(
        warning_words(&w[0]),
        "line 5: coroutine 'send_email' was never awaited"
    );
    assert!(warnings(PRESETS[0].code).is_empty());
    assert!(warnings("def (").is_empty());
}

#[test]
fn one_check_gives_the_problem_and_the_warnings_of_the_code() {
    let stuck = SimError::Stuck {
        at: SimTime::ZERO,
        unfinished: 3,
        line: Some(4),
    };
    let forgotten = presets::named("forgotten-await").unwrap().code;
    let broken = "async def register(student):\n    validate(student\n";
    let broken_error = SimError::Code(CodeError {
        line: 1,
        column: 1,
        message: "refused before it compiled".into(),
    });
    for (code, failure) in [
        (forgotten, None),
        (forgotten, Some(&stuck)),
        (PRESETS[0].code, None),
        (broken, Some(&broken_error)),
        ("def (", None),
    ] {
        let checked = Checked::of(code, failure);
        assert_eq!(checked.warnings, warnings(code), "{code}");
        assert_eq!(
            checked.problem,
            failure.map(|f| Problem::of(f, code)),
            "{code}"
        );
    }
    // The compiler's own error wins over a reason given before it compiled.
    let p = Checked::of(broken, Some(&broken_error)).problem.unwrap();
    assert_eq!(p.line, Some(2));
}

#[test]
fn presets_are_recognised() {
    assert_eq!(preset_of(PRESETS[2].code).map(|p| p.slug), Some("def"));
    assert_eq!(preset_of("pass"), None);
}

/// What a key does to `text` with the selection `start..end`, as the text afterwards with the
/// caret marked `|`; `None` where the browser's own editing is left to act.
#[track_caller]
fn check(
    key: fn(&str, u32, u32) -> Option<Edit>,
    text: &str,
    start: u32,
    end: u32,
    want: Option<&str>,
) {
    let got = key(text, start, end).map(|edit| {
        let after = edit.apply(text);
        let caret = byte_at(&after, edit.caret);
        format!("{}|{}", &after[..caret], &after[caret..])
    });
    assert_eq!(got.as_deref(), want);
}

/// The UTF-16 offset of `|` in `marked`, and the text without it.
fn at(marked: &str) -> (String, u32) {
    let i = marked.find('|').unwrap();
    let units = marked[..i].encode_utf16().count() as u32;
    (marked.replacen('|', "", 1), units)
}

#[track_caller]
fn check_caret(key: fn(&str, u32, u32) -> Option<Edit>, marked: &str, want: Option<&str>) {
    let (text, caret) = at(marked);
    check(key, &text, caret, caret, want);
}

#[test]
fn tab_replaces_the_selection_with_one_indent() {
    let tab = |text: &str, start, end| Some(indent(text, start, end));
    check(tab, "ab", 1, 1, Some("a    |b"));
    // UTF-16 units, not bytes ("é" is one unit, two bytes); a selection either way round.
    check(tab, "éxyz", 1, 3, Some("é    |z"));
    check(tab, "éxyz", 3, 1, Some("é    |z"));
    check(tab, "x", 9, 9, Some("x    |"));
    assert_eq!(
        indent("éxyz", 1, 3),
        Edit {
            start: 1,
            end: 3,
            insert: INDENT.into(),
            caret: 5
        }
    );
}

#[test]
fn enter_keeps_the_indentation_and_opens_a_block_after_a_colon() {
    check_caret(newline, "async def f():|", Some("async def f():\n    |"));
    check_caret(newline, "    x = 1|", Some("    x = 1\n    |"));
    check_caret(newline, "    if x:|", Some("    if x:\n        |"));
    // A comment and spaces after the colon still open the block; a `#` in a string is text.
    check_caret(newline, "if x:  # why|", Some("if x:  # why\n    |"));
    check_caret(newline, "if x: |", Some("if x: \n    |"));
    check_caret(newline, "    s = '#:'|", Some("    s = '#:'\n    |"));
    check_caret(
        newline,
        "    s = 'a\\'#:'|",
        Some("    s = 'a\\'#:'\n    |"),
    );
    check_caret(newline, "    d = {'a':|", Some("    d = {'a':\n        |"));
    // Only the text before the caret counts: the rest of the line moves down with it.
    check_caret(
        newline,
        "    return x:|y",
        Some("    return x:\n        |y"),
    );
    check_caret(newline, "  |  x", Some("  \n  |  x"));
    check_caret(newline, "\tx|", Some("\tx\n\t|"));
    // The line the caret is on, after earlier lines and non-ASCII text before the caret.
    check_caret(
        newline,
        "def f():\n    é😀 = 1|\nz",
        Some("def f():\n    é😀 = 1\n    |\nz"),
    );
    // A selection is replaced; the indentation is that of the line where it starts.
    let (text, start) = at("    if a:|bc\nd");
    check(
        newline,
        &text,
        start,
        start + 3,
        Some("    if a:\n        |d"),
    );
    // Nothing to add to a plain newline: the browser's own.
    check_caret(newline, "x = 1|", None);
    check_caret(newline, "|", None);
    check_caret(newline, "if x:\n|", None);
    check_caret(newline, "x = ':'|", None);
    check_caret(newline, "x = 1  # note:|", None);
}

#[test]
fn backspace_after_indentation_takes_back_one_level() {
    check_caret(backspace, "    |", Some("|"));
    check_caret(backspace, "x\n        |y", Some("x\n    |y"));
    // Back to the previous multiple of four, then one level at a time.
    check_caret(backspace, "      |", Some("    |"));
    check_caret(backspace, "     |", Some("    |"));
    check_caret(backspace, " |", Some("|"));
    // UTF-16 units: "é" is one, "😀" two, so the caret is at 1 + 2 + 1 + 1 + 4 = 9.
    let (text, caret) = at("é😀:\n    |");
    assert_eq!(caret, 9);
    assert_eq!(
        backspace(&text, caret, caret),
        Some(Edit {
            start: 5,
            end: 9,
            insert: String::new(),
            caret: 5
        })
    );
    // Anything else is the browser's own: text before the caret, a tab, no space, a selection.
    check_caret(backspace, "    x|", None);
    check_caret(backspace, "  é  |", None);
    check_caret(backspace, "\t|", None);
    check_caret(backspace, "x\n|", None);
    check_caret(backspace, "|", None);
    check(backspace, "        ", 4, 8, None);
}

#[test]
fn the_editor_counts_only_the_code_that_ran_and_marks_its_lines() {
    let code =
        "async def f(student):\n    send_email(student)\n    await save_to_database(student)";
    let pairs = [("students", "3"), ("code", code)].map(|(k, v)| (k.to_string(), v.to_string()));
    let run = SharedTrace::run(&crate::sim::Scenario::parse_pairs(pairs).unwrap()).unwrap();
    let checked = Checked::of(code, None);
    let t = SimTime::ZERO;
    let editor = Editor::at(code, code, &checked, Some(&run), t);
    // Three lines, the forgotten await warned at line 2; the editor at least six lines tall.
    let marks: Vec<_> = editor
        .gutter
        .iter()
        .map(|g| (g.n, g.error, g.warned))
        .collect();
    assert_eq!(
        marks,
        [(1, false, false), (2, false, true), (3, false, false)]
    );
    assert_eq!(editor.rows, 6);
    assert_eq!(editor.states, run.code_lines_at(t, code).0);
    // While the text differs from the code that ran, nobody is counted on its lines.
    let typed = format!("{code}\n    print('more')");
    let typing = Editor::at(&typed, code, &checked, Some(&run), t);
    assert_eq!(typing.states, vec![LineState::default(); 4]);
    assert_eq!((typing.done, typing.gutter.len()), (0, 4));
    // A problem marks its line, and nothing is counted.
    let broken = "async def register(student):\n    validate(student\n";
    let error = SimError::Code(CodeError {
        line: 1,
        column: 1,
        message: "refused before it compiled".into(),
    });
    let failed = Checked::of(broken, Some(&error));
    let editor = Editor::at(broken, broken, &failed, Some(&run), t);
    let errors: Vec<u32> = editor
        .gutter
        .iter()
        .filter(|g| g.error)
        .map(|g| g.n)
        .collect();
    assert_eq!(errors, [2]);
    assert_eq!(editor.done, 0);
}
