// The `inside` scene (the article's "Worker 1" box and its snapshot) and the `await` scene (the
// handler's code and its three variants), driven as a reader would.
import { test, expect, openApp, simulate } from './fixtures.js';

/** The phases the worker box shows, sorted. */
async function boxPhases(page) {
  const phases = await page.locator('.al-worker-box [data-phase]').evaluateAll((rows) => rows.map((r) => r.dataset.phase));
  return phases.sort();
}

// Sorted: C and D both await the database (the article's "saving to database" and "waiting for DB
// response"), which to the worker is one state.
const SNAPSHOT = ['saving-db', 'saving-db', 'validating', 'waiting-email'];

test('inside opens at the article\'s moment, with the article\'s letters', async ({ page }) => {
  await openApp(page, 'scene=inside');
  const at = Number(await page.locator('[data-snapshot-t]').getAttribute('data-snapshot-t'));
  await expect(page.locator('[data-stat="time-s"]')).toHaveAttribute('data-value', String(at));
  const phase = (name) => page.locator(`.al-worker-box [data-student="${name}"]`).getAttribute('data-phase');
  expect(await phase('A')).toBe('waiting-email');
  expect(await phase('B')).toBe('validating');
  expect(await phase('C')).toBe('saving-db');
  expect(await phase('D')).toBe('saving-db');
  await expect(page.locator('.al-snapshot')).not.toContainText('letters differ');
  // D is the article's "waiting for DB response": its query went out first, and it waits for
  // the answer; no connection pool the article never mentions.
  await expect(page.locator('.al-snapshot')).toContainText('“waiting for DB response”');
  await expect(page.locator('.al-snapshot')).toContainText("C's query went out at 0.4 s, D's at 0.3 s");
  await expect(page.locator('.al-worker-box [data-student="D"]')).toContainText("waits for the database's response");
});

test('inside: the seek button shows the article snapshot, and the link reaches it', async ({ page }) => {
  await openApp(page, 'scene=inside&t=0');
  const box = page.locator('.al-worker-box');
  await expect(box).toContainText('Worker 1');
  // At the start nobody is in the snapshot's states together.
  expect((await boxPhases(page)).filter((p) => SNAPSHOT.includes(p))).not.toEqual(SNAPSHOT);

  const caption = page.locator('[data-snapshot-t]');
  const at = Number(await caption.getAttribute('data-snapshot-t'));
  expect(at).toBeGreaterThan(0);
  await page.getByRole('button', { name: /Show the moment/ }).click();
  await expect(page.locator('[data-stat="time-s"]')).toHaveAttribute('data-value', String(at));
  const phases = await boxPhases(page);
  for (const p of SNAPSHOT) expect(phases, `a row ${p}`).toContain(p);
  // Each in words, not only in colour.
  await expect(box).toContainText('waiting for the email');
  await expect(box).toContainText('validating the request');
  await expect(box).toContainText('saving to the database');
  // Only one request has the worker: the one validating.
  await expect(box.locator('[data-worker-state]')).toHaveAttribute('data-worker-state', 'running');

  const href = await page.getByRole('link', { name: 'Link to this moment' }).getAttribute('href');
  expect(href).toBe(`?scene=inside&t=${at}`);
  // Follow the link once the page has finished loading (a navigation mid-load aborts requests).
  await page.waitForLoadState('networkidle');
  await page.getByRole('link', { name: 'Link to this moment' }).click();
  await expect(page).toHaveURL(new RegExp(`\\?scene=inside&t=${at}$`));
  await expect(page.locator('.al-app')).toBeVisible();
  await expect(page.locator('[data-stat="time-s"]')).toHaveAttribute('data-value', String(at));
  expect((await boxPhases(page)).filter((p) => SNAPSHOT.includes(p))).toEqual(SNAPSHOT);
});

test('inside: a setup without the snapshot says so and offers the defaults back', async ({ page }) => {
  // Queries of 50 ms: never two in the database at once.
  await openApp(page, 'scene=inside&db_ms=50');
  await expect(page.locator('[data-snapshot="none"]')).toBeVisible();
  await page.getByRole('button', { name: 'Back to the defaults' }).click();
  await expect(page.locator('[data-snapshot-t]')).toBeVisible();
});

test('await: the blocking variant takes the last student back to about 200 s, as the CLI says', async ({ page }) => {
  await openApp(page, 'scene=await');
  const radio = (name) => page.getByRole('radio', { name });
  await expect(radio('async def + await')).toBeChecked();
  await expect(page.locator('.al-code')).toContainText('await send_email(student)');

  await radio('blocking call in async def').check();
  await expect(radio('blocking call in async def')).toBeChecked();
  await expect(page.locator('.al-code')).not.toContainText('await ');
  await expect(page.locator('.al-code')).toContainText('db.save(student)');
  await expect(page.locator('[data-note="blocking"]')).toContainText('never awaited');

  await page.getByRole('button', { name: 'Jump to end' }).click();
  const lastWait = Number(await page.locator('[data-stat="last-wait-s"]').getAttribute('data-value'));
  expect(lastWait).toBeGreaterThan(195);
  expect(lastWait).toBeLessThan(215);

  // The URL now holds the variant; with the scene's defaults, the CLI must print the same number.
  await expect(page).toHaveURL(/await_email=false/);
  const query = new URL(page.url()).searchParams;
  const keys = ['mode=async', 'validate_ms=5', 'db_ms=50'];
  for (const [k, v] of query) if (!['scene', 't', 'speed', 'embed'].includes(k)) keys.push(`${k}=${v}`);
  expect(keys).toContain('await_db=false');
  expect(lastWait).toBe(simulate(keys).latency_s.max);
  // And the closed form beside it agrees: 100 students one at a time.
  expect(Number(await page.locator('[data-formula-value]').getAttribute('data-formula-value'))).toBeCloseTo(lastWait, 9);

  // Back to await: done in under 3 s.
  await radio('async def + await').check();
  await page.getByRole('button', { name: 'Jump to end' }).click();
  const fast = Number(await page.locator('[data-stat="last-wait-s"]').getAttribute('data-value'));
  expect(fast).toBeLessThan(3);
});

test('await: the variant follows the URL and the keyboard switches it', async ({ page }) => {
  await openApp(page, 'scene=await&mode=threadpool');
  await expect(page.getByRole('radio', { name: 'plain def' })).toBeChecked();
  await expect(page.locator('.al-code')).toContainText('def register(student: Student):');
  await expect(page.locator('[data-note="def"]')).toContainText('40 threads');

  // Arrow keys move a radio group (and do not step the clock meanwhile).
  await page.getByRole('radio', { name: 'plain def' }).focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('radio', { name: 'blocking call in async def' })).toBeChecked();
  await expect(page.locator('[data-stat="time-s"]')).toHaveAttribute('data-value', '0');
});

test('await: a mix of awaited and blocking calls is "custom"', async ({ page }) => {
  await openApp(page, 'scene=await&await_email=false');
  for (const name of ['async def + await', 'blocking call in async def', 'plain def']) {
    await expect(page.getByRole('radio', { name })).not.toBeChecked();
  }
  await expect(page.locator('[data-variant="custom"]')).toBeVisible();
  await expect(page.locator('.al-code')).toContainText('await save_to_database(student)');
  await expect(page.locator('.al-code')).toContainText('smtp.send');
});

test('await: each line counts the requests on it and the running line is marked', async ({ page }) => {
  // 1 s into the blocking variant: one request holds the loop in its email call, 99 wait to start.
  await openApp(page, 'scene=await&await_db=false&await_email=false&t=1');
  const line = (n) => page.locator(`.al-code-line[data-line="${n}"]`);
  await expect(line(5)).toHaveAttribute('data-blocked', 'true');
  await expect(line(5)).toContainText('holds the worker');
  await expect(line(5).locator('[data-phase="blocked"]')).toHaveAttribute('data-count', '1');
  await expect(line(2).locator('[data-phase="ready"]')).toHaveAttribute('data-count', '99');
});

for (const scene of ['inside', 'await']) {
  for (const width of [1280, 390]) {
    for (const colorScheme of ['light', 'dark']) {
      test(`${scene} loads cleanly at ${width} px, ${colorScheme}`, async ({ page }) => {
        await page.emulateMedia({ colorScheme });
        await page.setViewportSize({ width, height: 900 });
        await openApp(page, `scene=${scene}`);
        await expect(page.locator(scene === 'inside' ? '.al-worker-box' : '.al-code')).toBeVisible();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        // Touch targets: the variant switch and the snapshot button are at least 44 px tall.
        const target = page.locator(scene === 'inside' ? '.al-snapshot .al-btn' : '.al-variant').first();
        expect((await target.boundingBox()).height).toBeGreaterThanOrEqual(44);
      });
    }
  }
}

test('inside: the setup form shows the six students that run, and the downloads name them A to F', async ({ page }) => {
  await openApp(page, 'scene=inside');
  await page.locator('.al-setup summary').click();
  await expect(page.locator('.al-setup-note')).toHaveText(
    'This run has 6 students: 1 by "Students" and "Arrivals" (A at 0 s), and 5 at set times (B at 0.55 s, C at 0.3 s, D at 0.2 s, E at 0.75 s, F at 0.95 s).',
  );
  await expect(page.locator('.al-field', { hasText: 'Arrivals at set times' }).locator('input')).toHaveValue('0.55,0.3,0.2,0.75,0.95');
  const { readFile } = await import('node:fs/promises');
  const download = async (kind) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-download="${kind}"]`).click()]);
    return readFile(await file.path(), 'utf8');
  };
  const json = JSON.parse(await download('perfetto'));
  const students = json.traceEvents.filter((e) => e.ph === 'M' && e.args.name.startsWith('Student')).map((e) => e.args.name);
  expect([...new Set(students)].sort()).toEqual(['A', 'B', 'C', 'D', 'E', 'F'].map((l) => `Student ${l}`));
  const rows = (await download('csv')).trim().split('\n').slice(1);
  expect(new Set(rows.map((r) => r.split(',')[0]))).toEqual(new Set(['A', 'B', 'C', 'D', 'E', 'F']));
  // The story names them the same way.
  await openApp(page, 'scene=inside&follow=4');
  await expect(page.locator('.al-story')).toContainText(/^D: /);
});
