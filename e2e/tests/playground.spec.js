// The playground: the reader's code runs as they type; a problem keeps the last run and points at
// its line; the text lives in the URL; presets; the numbers equal the command line's for the same
// code; the await scene opens its handler here.
import { test, expect, openApp, openHostPage, stat, simulate } from './fixtures.js';

/** The textarea's text. */
const editor = (page) => page.locator('.al-editor-text');

/** Waits until the URL's `code=` is `text` (the run follows a pause in the typing). */
async function codeInUrl(page, text) {
  await expect.poll(() => new URL(page.url()).searchParams.get('code')).toBe(text);
}

test('typing a blocking call into async def changes the numbers; the text survives a reload', async ({ page }) => {
  await openApp(page, 'scene=playground&t=end');
  const before = await stat(page, 'last-wait-s');
  expect(before).toBeLessThan(3);
  // Line 5, `await send_email(student)`, becomes the blocking client's call.
  const text = (await editor(page).inputValue()).replace('await send_email(student)', 'smtp.send(welcome(student))');
  await editor(page).fill(text);
  await codeInUrl(page, text);
  // The clock stays where it was (2.55 s); at the new run's end the last wait is 200.5 s.
  await page.locator('[aria-label="Jump to end"]').click();
  await expect.poll(() => stat(page, 'last-wait-s')).toBeGreaterThan(200);
  await page.reload();
  await expect(editor(page)).toHaveValue(text);
  expect(await stat(page, 'last-wait-s')).toBeGreaterThan(200);
});

test('a problem keeps the last run on screen and points at its line and column', async ({ page }) => {
  await openApp(page, 'scene=playground&t=end');
  const good = await stat(page, 'last-wait-s');
  const text = (await editor(page).inputValue()).replace('validate(student)', 'validate(student');
  await editor(page).fill(text);
  const problem = page.locator('.al-problem');
  await expect(problem).toContainText("line 3, column 13: '(' was never closed");
  await expect(problem).toHaveAttribute('data-problem-line', '3');
  await expect(page.locator('.al-problem-pointer')).toContainText('validate(student');
  await expect(page.locator('.al-editor-gutter .al-line-error')).toHaveText('3');
  await expect(page.locator('.al-timeline')).toBeVisible();
  expect(await stat(page, 'last-wait-s')).toBe(good);
  // Nothing the reader wrote is lost: the broken text is in the URL and comes back.
  await codeInUrl(page, text);
  await page.reload();
  await expect(editor(page)).toHaveValue(text);
  await expect(problem).toContainText('line 3, column 13');
});

test('a misspelled name runs as Python runs it: a warning at its line, and every request fails there', async ({ page }) => {
  await openApp(page, 'scene=playground&t=end');
  const text = (await editor(page).inputValue()).replace('validate(student)', 'validate(studnet)');
  await editor(page).fill(text);
  await expect(page.locator('.al-warning')).toHaveText("warning: line 3: name 'studnet' is not defined: this line raises NameError when it runs");
  await expect(page.locator('.al-problem')).toHaveCount(0);
  // Each of the 100 requests raised NameError on line 3: answered with a 500.
  await expect.poll(() => stat(page, 'errors')).toBe(100);
});

test('a preset replaces the code; a forgotten await is warned about at its line', async ({ page }) => {
  await openApp(page, 'scene=playground');
  await page.locator('.al-preset[data-preset="forgotten-await"]').click();
  await expect(page.locator('.al-preset[data-preset="forgotten-await"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(editor(page)).toHaveValue(/send_email\(student\)  # no await/);
  await expect(page.locator('.al-warning')).toHaveText("warning: line 5: coroutine 'send_email' was never awaited");
  await page.locator('.al-preset[data-preset="def"]').click();
  await expect(editor(page)).toHaveValue(/^@app.post\("\/register"\)\ndef register/);
  await expect(page.locator('.al-warning')).toHaveCount(0);
});

test('Tab indents in the editor, and Esc then Tab leaves it', async ({ page }) => {
  await openApp(page, 'scene=playground');
  await editor(page).fill('async def register(student):\n');
  await editor(page).press('End');
  await editor(page).press('Control+End');
  await editor(page).press('Tab');
  await expect(editor(page)).toHaveValue('async def register(student):\n    ');
  await editor(page).press('Escape');
  await editor(page).press('Tab');
  await expect(editor(page)).not.toBeFocused();
});

test('Enter keeps the indentation, one more after a colon; Backspace takes back one level', async ({ page }) => {
  await openApp(page, 'scene=playground');
  const area = editor(page);
  await area.fill('');
  await area.pressSequentially('async def f():  # a comment');
  await area.press('Enter');
  await expect(area).toHaveValue('async def f():  # a comment\n    ');
  await area.pressSequentially('if x:');
  await area.press('Enter');
  await expect(area).toHaveValue('async def f():  # a comment\n    if x:\n        ');
  await area.pressSequentially('pass');
  // After an indented line the next one starts at its indentation.
  await area.press('Enter');
  await expect(area).toHaveValue('async def f():  # a comment\n    if x:\n        pass\n        ');
  // Backspace after indentation takes back four spaces, then four more.
  await area.press('Backspace');
  await expect(area).toHaveValue('async def f():  # a comment\n    if x:\n        pass\n    ');
  await area.press('Backspace');
  await expect(area).toHaveValue('async def f():  # a comment\n    if x:\n        pass\n');
  // After text, Backspace deletes one character as everywhere.
  await area.press('Backspace');
  await area.press('Backspace');
  await expect(area).toHaveValue('async def f():  # a comment\n    if x:\n        pas');
});

test('Enter is undone by Ctrl+Z, and the URL and the run follow each text once', async ({ page }) => {
  // Every `code=` the address takes, in order (the page replaces the address as its state moves).
  await page.addInitScript(() => {
    window.alCodes = [];
    const replace = history.replaceState.bind(history);
    history.replaceState = (state, title, url) => {
      const code = url ? new URL(url, location.href).searchParams.get('code') : null;
      if (window.alCodes.at(-1) !== code) window.alCodes.push(code);
      return replace(state, title, url);
    };
  });
  await openApp(page, 'scene=playground');
  const area = editor(page);
  // A handler with no body: as CPython, the checker points at the end of the code (the end of
  // line 1; after Enter, the indentation on line 2).
  const problemLine = page.locator('.al-problem');
  await area.fill('async def register(student):');
  await codeInUrl(page, 'async def register(student):');
  await expect(problemLine).toHaveAttribute('data-problem-line', '1');
  await area.press('End');
  await area.press('Enter');
  const indented = 'async def register(student):\n    ';
  await expect(area).toHaveValue(indented);
  await codeInUrl(page, indented);
  await expect(problemLine).toHaveAttribute('data-problem-line', '2');
  await area.press('Control+z');
  await expect(area).toHaveValue('async def register(student):');
  await codeInUrl(page, 'async def register(student):');
  await expect(problemLine).toHaveAttribute('data-problem-line', '1');
  await page.waitForTimeout(500);
  const codes = await page.evaluate(() => window.alCodes);
  expect(codes.slice(-3)).toEqual(['async def register(student):', indented, 'async def register(student):']);
});

test('on a phone the editor has the width of the page, and the page never scrolls sideways', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openApp(page, 'scene=playground&t=1');
  const area = editor(page);
  const width = async () => (await area.boundingBox()).width;
  expect(await width()).toBeGreaterThanOrEqual(300);
  // The counts are under the code, each with its line.
  const counted = page.locator('.al-editor-info li[data-line]:not(:empty)').first();
  await expect(counted).toBeVisible();
  expect((await counted.boundingBox()).y).toBeGreaterThan((await area.boundingBox()).y + (await area.boundingBox()).height - 1);
  const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
  expect(await pageWidth()).toBeLessThanOrEqual(390);
  // A long line scrolls inside the text area, not the page; so does a problem's copy of it.
  const long = `async def register(student):\n    await send_email(student)  # ${'x'.repeat(120)}\n`;
  for (const code of [long, long.replace('send_email(student)', 'send_email(student')]) {
    await area.fill(code);
    await codeInUrl(page, code);
    await expect(page.locator('.al-problem')).toHaveCount(code === long ? 0 : 1);
    expect(await area.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    expect(await pageWidth()).toBeLessThanOrEqual(390);
    expect(await width()).toBeGreaterThanOrEqual(300);
  }
});

test('the await scene opens its handler in the playground', async ({ page }) => {
  await openApp(page, 'scene=await&await_email=false');
  await page.locator('.al-edit-handler').click();
  await expect(page.locator('.al-tab[aria-current="page"]')).toHaveText('Try it');
  await expect(editor(page)).toHaveValue(/smtp\.send\(welcome\(student\)\)/);
});

for (const preset of ['article', 'blocking-in-async', 'def', 'gather', 'to-thread', 'time-limit', 'after-response', 'forgotten-await', 'race', 'atomic', 'row-lock', 'optimistic', 'lock']) {
  test(`the numbers at t=end equal the CLI's for the preset ${preset}`, async ({ page }) => {
    await openApp(page, 'scene=playground');
    // The race and its fixes are folded in a group of their own.
    if (['race', 'atomic', 'row-lock', 'optimistic', 'lock'].includes(preset)) {
      await page.locator('.al-presets-more > summary').click();
    }
    await page.locator(`.al-preset[data-preset="${preset}"]`).click();
    await expect(page.locator(`.al-preset[data-preset="${preset}"]`)).toHaveAttribute('aria-pressed', 'true');
    const code = await editor(page).inputValue();
    // The article's handler is the scene's default, which the URL leaves out.
    await codeInUrl(page, preset === 'article' ? null : code);
    const want = simulate(['validate_ms=5', 'db_ms=50', `code=${code}`]);
    await page.goto(`${page.url()}&t=end`);
    await expect(page.locator('.al-timeline')).toBeVisible();
    expect(await stat(page, 'completed')).toBe(want.completed);
    expect(await stat(page, 'last-wait-s')).toBeCloseTo(want.latency_s.max, 6);
    expect(await stat(page, 'mean-wait-s')).toBeCloseTo(want.latency_s.mean, 6);
    expect(await stat(page, 'blocked')).toBeCloseTo(want.blocked, 6);
    if (want.status) {
      const errors = Object.entries(want.status).filter(([code]) => Number(code) >= 400).reduce((n, [, k]) => n + k, 0);
      if (errors > 0) expect(await stat(page, 'errors')).toBe(errors);
    }
  });
}

test('an inline widget runs the code its attribute carries', async ({ page }) => {
  const code = 'def register(student):\n    time.sleep(1)\n';
  const query = `scene=playground&students=3&code=${encodeURIComponent(code)}`;
  await openHostPage(page, 'widget-host.html', query);
  const widget = page.locator('[data-async-lanes] > .al-app');
  await expect(widget.locator('.al-editor-text')).toHaveValue(code);
  await widget.locator('[aria-label="Jump to end"]').first().click();
  // Three requests, each one second on its own pool thread: done at 1 s.
  await expect.poll(() => widget.locator('[data-stat="time-s"]').getAttribute('data-value')).toBe('1');
});

test('copy link and copy embed code carry the code', async ({ page }) => {
  await openApp(page, 'scene=playground');
  await page.locator('.al-preset[data-preset="gather"]').click();
  const code = await editor(page).inputValue();
  await codeInUrl(page, code);
  await page.getByRole('button', { name: 'Copy link to this moment' }).click();
  const copied = page.locator('.al-copied-text');
  const link = await copied.inputValue();
  expect(new URL(link).searchParams.get('code')).toBe(code);
  await page.getByRole('button', { name: 'Copy embed code' }).click();
  const src = (await copied.inputValue()).match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
  expect(new URL(src).searchParams.get('code')).toBe(code);
  await page.goto(link);
  await expect(editor(page)).toHaveValue(code);
});

test('what the handler prints is shown under the editor, up to the moment shown', async ({ page }) => {
  const code = [
    'async def register(student):',
    "    print('start', student.email)",
    '    await send_email(student)',
    "    print(f'sent to {student.name}', {'ok': True})",
  ].join('\n');
  await openApp(page, `scene=playground&t=0&code=${encodeURIComponent(code)}`);
  const log = page.locator('.al-log');
  await expect(log.locator('.al-log-title')).toHaveText(/^printed: (the last 8 of )?\d+ lines? so far$/);
  await expect(log.locator('.al-log-text').first()).toContainText(/^start student\d+@example\.org$/);
  await expect(log.locator('.al-log-text', { hasText: 'sent to' })).toHaveCount(0);
  await page.keyboard.press('End');
  await expect(log.locator('.al-log-text').last()).toHaveText(/^sent to Student \d+ \{'ok': True\}$/);
  // Code that never ran has no timeline: the page says where it will be.
  await openApp(page, `scene=playground&code=${encodeURIComponent('async def register(student):\n    print(')}`);
  await expect(page.locator('.al-no-run')).toContainText('Nothing has run yet');
  await expect(page.locator('.al-log')).toHaveCount(0);
});

test('a raised HTTPException is a response with its status, counted under the timeline', async ({ page }) => {
  const code = [
    'async def register(student):',
    '    await send_email(student)',
    "    if student.name == 'Student 2':",
    "        raise HTTPException(status_code=409, detail='course full')",
  ].join('\n');
  await openApp(page, `scene=playground&t=0&code=${encodeURIComponent(code)}`);
  await expect(page.locator('.al-code-responses')).toHaveCount(0);
  await page.keyboard.press('End');
  await expect(page.locator('.al-code-responses')).toHaveText(/^responses so far: \d+ × 200, 1 × 409$/);
  // The strip counts the answers with an error.
  await expect(page.locator('[data-stat="errors"]')).toHaveAttribute('data-value', '1');
});

test('the email after the response: each row marks its response, and the wait ends there', async ({ page }) => {
  await openApp(page, 'scene=playground');
  await page.locator('.al-preset[data-preset="after-response"]').click();
  await expect(page.locator('.al-preset[data-preset="after-response"]')).toHaveAttribute('aria-pressed', 'true');
  await page.goto(`${page.url()}&t=end`);
  await expect(page.locator('.al-timeline')).toBeVisible();
  await expect(page.locator('.al-legend')).toContainText('answered, work goes on');
  // One mark per row (a line of no width, so counted rather than seen).
  await expect(page.locator('.al-timeline .al-answered-mark')).toHaveCount(await page.locator('.al-timeline .al-row').count());
  // The emails take 2 s after the responses; no student waits for one.
  expect(await stat(page, 'last-wait-s')).toBeLessThan(2);
});

test('CPU work on threads takes turns for the interpreter lock, drawn and named', async ({ page }) => {
  // Two threads of 100 ms each under one lock: 0.200 s in all (CPython 3.11: 0.201 s), not
  // 0.100 s; the request waits for the lock between its slices.
  const code = 'import asyncio\nasync def register(student):\n    await asyncio.gather(asyncio.to_thread(cpu_work, ms=100), asyncio.to_thread(cpu_work, ms=100))\n';
  const keys = ['students=2', 'email_ms=0'];
  await openApp(page, `scene=playground&${keys.join('&')}&code=${encodeURIComponent(code)}&t=end`);
  const want = simulate([...keys, 'mode=async', `code=${code}`]);
  expect(want.latency_s.max).toBeCloseTo(0.4, 6);
  expect(await stat(page, 'last-wait-s')).toBeCloseTo(want.latency_s.max, 6);
  await expect(page.locator('.al-legend')).toContainText('waiting for the interpreter lock');
  await expect(page.locator('.al-timeline rect.al-s-thread').first()).toBeAttached();
});

test('a whole FastAPI module runs as pasted: imports, the app, the request model, the route', async ({ page }) => {
  const code = [
    'from fastapi import FastAPI',
    'from pydantic import BaseModel',
    '',
    'app = FastAPI()',
    '',
    '',
    'class Student(BaseModel):',
    '    """What the form sends."""',
    '    name: str',
    '    email: str',
    '    course: str | None = None',
    '',
    '',
    '@app.post("/register", status_code=201)',
    'async def register(student: Student) -> dict:',
    '    validate(student)',
    '    await save_to_database(student)',
    '    await send_email(student)',
    '    return {"ok": True}',
  ].join('\n');
  await openApp(page, `scene=playground&t=end&code=${encodeURIComponent(code)}`);
  await expect(page.locator('.al-problem')).toHaveCount(0);
  expect(await stat(page, 'completed')).toBe(100);
  // The route's status is every response's.
  await expect(page.locator('.al-code-responses')).toHaveText(/^responses so far: 100 × 201$/);
  // A field the students do not send is named on its line, in the language's words.
  await editor(page).fill(code.replace('    name: str', '    age: int'));
  await expect(page.locator('.al-problem')).toContainText("line 9, column 5: a field 'age' is valid Python");
  await expect(page.locator('.al-editor-gutter .al-line-error')).toHaveText('9');
});
