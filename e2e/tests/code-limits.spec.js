// A shared link can never blank the page: the deepest code of every recursive rule that fits in
// the 4,000-character limit, opened as `?scene=playground&code=`, gets its problem in words under
// the editor, with no page error (the release build's stack is 1 MiB). The same cases run through
// the command line in tests/sim_lang_limits.rs.
import { test, expect, openApp } from './fixtures.js';

const HEAD = 'async def register(student):\n    x = ';

/** HEAD + `open` repeated, `middle`, `close` repeated, as many times as fit in 4,000 characters. */
function deepest(open, middle, close) {
  const n = Math.floor((4000 - HEAD.length - middle.length) / (open.length + close.length));
  return HEAD + open.repeat(n) + middle + close.repeat(n);
}

const CASES = [
  ['parentheses', deepest('(', '1', ')'), 'line 2, column 209: too many nested parentheses'],
  ['calls', deepest('f(', '1', ')'), 'too many nested parentheses'],
  ['unary minus', deepest('-', '1', ''), 'nests more than 200 levels deep'],
  ['not', deepest('not ', 'True', ''), 'nests more than 200 levels deep'],
  ['minus and parentheses', deepest('-(', '1', ')'), 'nests more than 200 levels deep'],
  ['a chain of +', deepest('', '1', '+1'), 'nests more than 200 levels deep'],
  ['a chain of or', deepest('', 'x', ' or x'), 'nests more than 200 levels deep'],
  ['a chain of attributes', deepest('', 'x', '.y'), 'nests more than 200 levels deep'],
  ['a chain of calls', deepest('', 'f', '()'), 'nests more than 200 levels deep'],
];

for (const [name, code, words] of CASES) {
  test(`the deepest ${name} that fit get words, not a crash`, async ({ page }) => {
    expect(code.length).toBeLessThanOrEqual(4000);
    await openApp(page, `scene=playground&code=${encodeURIComponent(code)}`);
    await expect(page.locator('.al-problem')).toContainText(words);
    // The page still works: the tabs answer and draw their scene.
    await page.getByRole('navigation', { name: 'Scenes' }).getByRole('button', { name: 'Blocking' }).click();
    await expect(page.locator('.al-timeline')).toBeVisible();
  });
}

test('200 brackets and the deepest blocks that fit run', async ({ page }) => {
  const brackets = `async def register(student):\n    x = ${'('.repeat(200)}1${')'.repeat(200)}\n    await send_email(student)`;
  await openApp(page, `scene=playground&code=${encodeURIComponent(brackets)}`);
  await expect(page.locator('.al-timeline')).toBeVisible();
  await expect(page.locator('.al-problem')).toHaveCount(0);
  // One space per level, as deep as 4,000 characters allow (about 80 levels).
  let blocks = 'async def register(student):\n';
  let level = 1;
  for (;;) {
    const line = `${' '.repeat(level)}if True:\n`;
    if (blocks.length + line.length + level + 30 > 4000) break;
    blocks += line;
    level += 1;
  }
  blocks += `${' '.repeat(level)}await send_email(student)`;
  expect(blocks.length).toBeLessThanOrEqual(4000);
  await openApp(page, `scene=playground&code=${encodeURIComponent(blocks)}`);
  await expect(page.locator('.al-timeline')).toBeVisible();
  await expect(page.locator('.al-problem')).toHaveCount(0);
});
