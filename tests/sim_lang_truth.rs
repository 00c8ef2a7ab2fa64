//! The handler language never misstates Python: each case below is valid Python (CPython 3.11
//! compiles every one; a FastAPI module would import the names they use), and the language
//! either runs it or says, in its own voice, that it is valid and what runs instead. No message
//! for valid code may claim invalid syntax, an undefined name Python has, or a missing attribute.

#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app

use async_lanes::sim::cli;

#[path = "support/keys.rs"]
mod keys;

/// Code, then what the command line must say: a phrase of its error, or `runs`.
const VALID_PYTHON: &[(&str, &str)] = &[
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    return {\"ok\": True}\n", "runs"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    x = [1, 2]\n", "runs"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    x = (1, 2)\n", "a tuple is valid Python"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    print(\"registered\")\n", "runs"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    x = len(student.name)\n", "runs"),
    ("import asyncio\n@app.post(\"/register\")\nasync def register(student: Student):\n    asyncio.create_task(send_email(student))\n", "runs"),
    ("import asyncio\n@app.post(\"/register\")\nasync def register(student: Student):\n    await asyncio.shield(send_email(student))\n", "'asyncio.shield' is valid Python"),
    ("import asyncio\n@app.post(\"/register\")\nasync def register(student: Student):\n    await asyncio.wait_for(send_email(student), timeout=5)\n", "runs"),
    ("import asyncio\n@app.post(\"/register\")\nasync def register(student: Student):\n    lock = asyncio.Lock()\n", "'asyncio.Lock' is valid Python"),
    ("import time\n@app.post(\"/register\")\nasync def register(student: Student):\n    t = time.monotonic()\n", "'time.monotonic' is valid Python"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    x = f\"hi {student}\"\n", "runs"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    x = 10 / 2\n", "runs"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    x = 10 // 2\n", "runs"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    x = 10 % 3\n", "runs"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    x = None\n    if x is None:\n        pass\n", "runs"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    x = 1\n    if x in range(3):\n        pass\n", "'range' is valid Python"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    x = 1 if True else 2\n", "a conditional expression (x if c else y) is valid Python"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    x = 1\n    if 0 < x < 3:\n        pass\n", "a chained comparison (a < b < c) is valid Python"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    x = y = 1\n", "chained assignment (a = b = 1) is valid Python"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    x = student.email\n", "runs"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    await send_email(student.email)\n", "send_email() expects the student"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    logging.info(\"registered\")\n", "runs"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    raise HTTPException(status_code=400, detail=\"full\")\n", "runs"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    try:\n        pass\n    except Exception:\n        pass\n", "runs"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    while True:\n        break\n", "runs"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    async with lock:\n        pass\n", "this context manager is valid Python"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    for i in range(3):\n        break\n", "runs"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    import json\n", "an import inside the handler is valid Python"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    def helper():\n        pass\n", "a function or an 'async for' inside the handler is valid Python"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    x = [1][0]\n", "indexing a list is valid Python"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    x = lambda: 1\n", "'lambda' is valid Python"),
    ("import logging\n@app.post(\"/register\")\nasync def register(student: Student):\n    pass\n", "runs"),
    ("from fastapi import FastAPI\n@app.post(\"/register\")\nasync def register(student: Student):\n    pass\n", "runs"),
    ("from fastapi.concurrency import iterate_in_threadpool\n@app.post(\"/register\")\nasync def register(student: Student):\n    pass\n", "'iterate_in_threadpool' from fastapi.concurrency is valid Python, but a handler here imports only run_in_threadpool from it"),
    ("app = FastAPI()\n@app.post(\"/register\")\nasync def register(student: Student):\n    pass\n", "runs"),
    ("MAX_SEATS = 5\n@app.post(\"/register\")\nasync def register(student: Student):\n    pass\n", "runs"),
    ("class Student(BaseModel):\n    name: str\n@app.post(\"/register\")\nasync def register(student: Student):\n    pass\n", "runs"),
    // The request model as FastAPI apps write it: a docstring, fields, a default, `pass`.
    (
        "from pydantic import BaseModel\n\nclass Student(BaseModel):\n    \"\"\"A registration.\"\"\"\n    name: str\n    email: str = \"x@example.com\"\n    course: str | None = None\n\n@app.post(\"/register\")\nasync def register(student: Student):\n    await send_email(student)\n    print(student.name, student.email, student.course)\n",
        "runs",
    ),
    ("class Registration(BaseModel):\n    pass\nasync def register(r: Registration):\n    pass\n", "runs"),
    ("class Student(BaseModel): name: str\nasync def register(student: Student):\n    print(student.name)\n", "runs"),
    ("class Student(BaseModel):\n    ...\nasync def register(student: Student):\n    pass\n", "runs"),
    (
        "class Student(BaseModel):\n    name: str\n    age: int\nasync def register(student: Student):\n    pass\n",
        "a field 'age' is valid Python, but the students here send a name, an email and a course only",
    ),
    (
        "class Student(BaseModel):\n    name: str\n    def hello(self):\n        return 1\nasync def register(student: Student):\n    pass\n",
        "the one class here is the request model, class Student(BaseModel):, with fields only",
    ),
    (
        "class Student(Base):\n    name: str\nasync def register(student: Student):\n    pass\n",
        "the one class here is the request model",
    ),
    ("class Config:\n    pass\nasync def register(student):\n    pass\n", "the one class here is the request model"),
    (
        "class Student(BaseModel, Other):\n    pass\nasync def register(student):\n    pass\n",
        "the one class here is the request model",
    ),
    ("@router.post(\"/register\")\nasync def register(student: Student):\n    pass\n", "'@router' is valid Python"),
    ("@app.post(\"/register\")\nasync def register(student: Student, background_tasks: BackgroundTasks):\n    pass\n", "runs"),
    ("@app.post(\"/register\")\nasync def register(student: Student, background_tasks: BackgroundTasks):\n    background_tasks.add_task(send_email, student)\n    return {\"ok\": True}\n", "runs"),
    ("def get_db():\n    return 1\n\n@app.post(\"/register\")\nasync def register(student: Student, db=Depends(get_db)):\n    pass\n", "runs"),
    ("@app.post(\"/register\")\nasync def register(student: Student, page: int = 1):\n    pass\n", "this parameter is valid FastAPI"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    pass\n\nasync def helper(student):\n    pass\n", "runs"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    pass\n@app.get(\"/health\")\nasync def health():\n    pass\n", "a second route is valid FastAPI"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    await validate(student)\nvalidate(student)\n", "this line is not indented"),
    ("@app.post(\"/register\", status_code=201)\nasync def register(student: Student):\n    pass\n", "runs"),
    ("@app.post(\"/register\", status_code=201, response_model=Student,)\nasync def register(student: Student):\n    pass\n", "runs"),
    ("from starlette.concurrency import run_in_threadpool\n@app.post(\"/register\")\nasync def register(student: Student):\n    await run_in_threadpool(cpu_work, 10)\n", "runs"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    \"\"\"Register a student: save, then email.\"\"\"\n    await save_to_database(student)\n", "runs"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    \"\"\"Register a student.\n    \n        Save, then email.\n        \"\"\"\n    await save_to_database(student)\n", "runs"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    '''one line'''\n    pass\n", "runs"),
    ("@app.post(\"/register\")\nasync def register(student: Student):\n    match = 3\n", "runs"),
    (
        "async def f(student):\n    try:\n        await send_email(student)\n    finally:\n        return 1\n",
        "runs",
    ),
    (
        "async def f(student):\n    try:\n        await send_email(student)\n        return 1\n    finally:\n        pass\n",
        "runs",
    ),
    (
        "async def f(student):\n    try:\n        pass\n    except (ValueError, TypeError):\n        pass\n",
        "runs",
    ),
    (
        "async def f(student):\n    x = b'bytes'\n",
        "a bytes literal (b'...') is valid Python",
    ),
    // Python's other operators: read, and owned up to (they were "invalid syntax").
    ("async def f(student):\n    x = 1 | 2\n", "the operator '|' is valid Python"),
    ("async def f(student):\n    x = 6 & 3 ^ 1\n", "the operator '&' is valid Python"),
    ("async def f(student):\n    x = ~1\n", "the operator '~' is valid Python"),
    ("async def f(student):\n    x = 1 << 2\n", "the operator '<<' is valid Python"),
    ("async def f(student):\n    x = 8\n    x >>= 1\n", "the operator '>>' is valid Python"),
    ("async def f(student):\n    if (n := 3) > 2:\n        pass\n", "the operator ':=' is valid Python"),
    ("async def f(student):\n    x = ...\n", "'...' (Ellipsis) is valid Python"),
    // Annotated assignments, and what else Python writes beside a value.
    ("async def f(student):\n    count: int = 0\n    count += 1\n", "runs"),
    ("async def f(student):\n    count: int\n", "an annotation without a value (x: int) is valid Python"),
    ("async def f(student):\n    a, b = 1, 2\n", "a tuple is valid Python"),
    ("async def f(student):\n    a = 1, 2\n", "a tuple is valid Python"),
    ("async def f(student):\n    for i, v in enumerate([1]):\n        pass\n", "a tuple is valid Python"),
    ("async def f(student):\n    student.name = 'x'\n", "assigning to an attribute or an item is valid Python"),
    ("async def f(student):\n    print(*[1])\n", "unpacking with '*' or '**' is valid Python"),
    ("async def f(student):\n    x = {**{}}\n", "unpacking with '*' or '**' is valid Python"),
    (
        "async def f(student):\n    raise HTTPException(\n        status_code=400,\n        detail=\"closed \"\n        \"today\",\n    )\n",
        "runs",
    ),
    // Annotations as FastAPI code writes them: unions, brackets, None.
    ("async def f(student: Student | None) -> dict | None:\n    pass\n", "runs"),
    ("async def f(student: \"Student\") -> dict[str, bool]:\n    return {\"ok\": True}\n", "runs"),
    ("async def f(student: Student) -> None:\n    pass\n", "runs"),
    ("async def f(student: Student, page: int | None = None):\n    pass\n", "this parameter is valid FastAPI"),
];

fn outcome(code: &str) -> (u8, String) {
    let arg = format!("code={code}");
    let out = cli::run(&["students=2", arg.as_str()]);
    (out.code, out.stderr.trim().to_string())
}

#[test]
fn valid_python_runs_or_is_owned_up_to() {
    let mut wrong = Vec::new();
    for (code, want) in VALID_PYTHON {
        let (status, said) = outcome(code);
        let ok = if *want == "runs" {
            status == 0
        } else {
            status != 0
                && said.contains(want)
                && !said.contains("invalid syntax")
                && !said.contains("is not defined")
                && !said.contains("has no attribute")
        };
        if !ok {
            wrong.push(format!(
                "{code:?}\n  wanted: {want}\n  got ({status}): {said}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {}:\n{}",
        wrong.len(),
        VALID_PYTHON.len(),
        wrong.join("\n")
    );
}

#[test]
fn python_mistakes_keep_python_words() {
    // CPython 3.11: NameError "name 'studnet' is not defined", AttributeError "module 'asyncio'
    // has no attribute 'slep'", SyntaxError "unterminated triple-quoted string literal
    // (detected at line 3)" at line 2, offset 5.
    let cases = [
        (
            "import asyncio\nasync def f(student):\n    await asyncio.slep(1)",
            "module 'asyncio' has no attribute 'slep'",
        ),
        (
            "async def f(student):\n    \"\"\"doc\n\n",
            "line 2, column 5: unterminated triple-quoted string literal (detected at line 3)",
        ),
        (
            "async def f(student):\n    x = student.grade",
            "'Student' object has no attribute 'grade'",
        ),
        // CPython 3.11: TypeError "object of type 'Student' has no len()".
        (
            "async def f(student):\n    x = len(student)",
            "object of type 'Student' has no len()",
        ),
        // A logger the code never made: Python's NameError, and where to make it.
        (
            "async def f(student):\n    logger.info('hi')",
            "name 'logger' is not defined: make it above the handler",
        ),
        (
            "async def f(student):\n    else:\n        pass",
            "invalid syntax",
        ),
        // Python 3.11 with Pydantic 2: a model that leaves a field out has no such attribute,
        // named by its class ("'Student' object has no attribute 'course'", "'Empty' object
        // has no attribute 'name'"); a module with imports but not BaseModel's fails at the
        // class with "name 'BaseModel' is not defined".
        (
            "class Student(BaseModel):\n    name: str\nasync def f(student: Student):\n    x = student.course",
            "'Student' object has no attribute 'course'",
        ),
        (
            "class Empty(BaseModel):\n    pass\nasync def f(student: Empty):\n    x = student.name",
            "'Empty' object has no attribute 'name'",
        ),
        (
            "import asyncio\nclass Student(BaseModel):\n    name: str\nasync def f(student: Student):\n    pass",
            "line 2, column 15: name 'BaseModel' is not defined",
        ),
    ];
    for (code, want) in cases {
        let (status, said) = outcome(code);
        assert!(status != 0 && said.contains(want), "{code:?}: {said}");
    }
    // The NameError is raised when the line runs, as in Python: the run goes on, with a warning.
    let (status, said) = outcome("async def f(student):\n    validate(studnet)");
    assert!(
        status == 0 && said.contains("name 'studnet' is not defined"),
        "{said}"
    );
}

#[test]
fn strings_written_side_by_side_are_one() {
    // Python 3.11 prints "ab", "6" and "closed today".
    let code = "async def f(student):|    print('a' 'b')|    y: int = 5|    y += 1|    \
        print(y)|    print('closed '|          'today')";
    let trace = keys::run("students=1", code);
    let printed: Vec<&str> = trace.log.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(printed, ["ab", "6", "closed today"]);
}
