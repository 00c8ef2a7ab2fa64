// The scenes: each loads cleanly, the article's numbers appear, the keys move the clock, bad URL
// values get a notice, and the numbers shown are the core's (checked against the CLI).
import { test, expect, openApp, stat, simulate } from './fixtures.js';

const SCENES = ['blocking', 'async', 'inside', 'await', 'workers', 'compare', 'race', 'load', 'playground'];

for (const scene of SCENES) {
  for (const width of [1280, 390]) {
    test(`scene ${scene} loads cleanly at ${width} px`, async ({ page }) => {
      await page.setViewportSize({ width, height: 900 });
      await openApp(page, `scene=${scene}`);
      await expect(page.locator('.al-tab[aria-current="page"]')).toHaveCount(1);
      await expect(page.locator('.al-picture')).toBeVisible();
      await expect(page.locator('.al-notice')).toHaveCount(0);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, 'the page never scrolls sideways; only the picture may').toBeLessThanOrEqual(0);
    });
  }
}

// The legend lists exactly the looks the picture draws (the DOM's own classes): every one for
// the timelines, the race and its shapes; for the worker box and the code, whose rows show only
// the present, at least every one shown now.
for (const [query, exact] of [
  ['scene=blocking&t=end', true],
  ['scene=async&validate_ms=5&db_ms=50&t=end', true],
  ['scene=compare&mode=threadpool&threads=4&students=12&validate_ms=20&t=end', true],
  ['scene=race&t=end', true],
  ['scene=inside&t=0.6', false],
  ['scene=await&await_db=false&await_email=false&t=1', false],
]) {
  test(`the legend names what the picture draws: ${query}`, async ({ page }) => {
    await openApp(page, query);
    const legend = await page.locator('.al-legend [data-look]').evaluateAll((els) => els.map((e) => e.dataset.look).sort());
    const drawn = await page.locator('.al-picture').evaluate((root) => {
      const classes = new Set();
      for (const el of root.querySelectorAll('[class*="al-s-"]')) {
        for (const c of el.classList) if (c.startsWith('al-s-')) classes.add(c);
      }
      return [...classes].sort();
    });
    expect(drawn.length).toBeGreaterThan(1);
    if (exact) expect(drawn).toEqual(legend);
    else for (const c of drawn) expect(legend, `${c} is drawn`).toContain(c);
  });
}

test('blocking at t=end: the last student waited 200 s, 100 completed', async ({ page }) => {
  await openApp(page, 'scene=blocking&students=100&t=end');
  expect(await stat(page, 'last-wait-s')).toBe(200);
  expect(await stat(page, 'completed')).toBe(100);
  await expect(page.locator('.al-stats [data-stat="last-wait-s"]')).toHaveText('200 s (3 min 20 s)');
  await expect(page.locator('[data-formula-value]')).toHaveAttribute('data-formula-value', '200');
});

test('async at t=end: everybody is done in under 3 s', async ({ page }) => {
  await openApp(page, 'scene=async&t=end');
  expect(await stat(page, 'completed')).toBe(100);
  expect(await stat(page, 'last-wait-s')).toBeLessThan(3);
  expect(await stat(page, 'max-in-flight')).toBe(100);
});

test('workers: 1000 requests in flight at once', async ({ page }) => {
  await openApp(page, 'scene=workers&t=1');
  expect(await stat(page, 'in-flight')).toBe(1000);
});

test('the keys move the clock, and not while typing in a field', async ({ page }) => {
  await openApp(page, 'scene=blocking');
  expect(await stat(page, 'time-s')).toBe(0);
  await page.keyboard.press('End');
  await expect.poll(() => stat(page, 'time-s')).toBe(200);
  await page.keyboard.press('Home');
  await expect.poll(() => stat(page, 'time-s')).toBe(0);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => stat(page, 'time-s')).toBe(2);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => stat(page, 'time-s')).toBe(4);
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => stat(page, 'time-s')).toBe(2);
  await page.keyboard.press('+');
  await expect(page.locator('[data-stat="speed"]')).toHaveAttribute('data-value', '50');
  await page.keyboard.press('-');
  await page.keyboard.press('-');
  await expect(page.locator('[data-stat="speed"]')).toHaveAttribute('data-value', '10');
  await page.keyboard.press(' ');
  await expect(page.locator('.al-btn-play')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => stat(page, 'time-s')).toBeGreaterThan(2);
  await page.keyboard.press(' ');
  await expect(page.locator('.al-btn-play')).toHaveAttribute('aria-pressed', 'false');
  // In a text field the keys type; the clock stays.
  await page.locator('.al-setup summary').click();
  const before = await stat(page, 'time-s');
  await page.locator('.al-field input').first().focus();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  // Checked over half a second, long enough for a move the keys might have asked for to show.
  await page.waitForTimeout(500);
  expect(await stat(page, 'time-s')).toBe(before);
});

test('a step goes to the next thing that happens: 99 validations are one step, the first email the next', async ({ page }) => {
  await openApp(page, 'scene=await&mode=async&students=100&validate_ms=5&db_ms=0');
  const end = Number((await page.locator('.al-clock').innerText()).split('/')[1].replace(/[^0-9.]/g, ''));
  let presses = 0;
  while ((await stat(page, 'time-s')) < 0.5 && presses < 5) {
    const before = await stat(page, 'time-s');
    await page.keyboard.press('ArrowRight');
    presses += 1;
    await expect.poll(() => stat(page, 'time-s')).toBeGreaterThan(before);
  }
  expect(await stat(page, 'time-s')).toBe(0.5);
  expect(await stat(page, 'time-s')).toBeLessThan(end);
  await expect(page.locator('.al-code-line[data-line="5"] [data-phase="waiting-email"]')).toBeVisible();
});

test('the speed follows the run: a 40 s run does not play at the 200 s run\'s 20×', async ({ page }) => {
  await openApp(page, 'scene=blocking&students=20');
  await expect(page.locator('[data-stat="speed"]')).toHaveAttribute('data-value', '5');
  await openApp(page, 'scene=blocking');
  await expect(page.locator('[data-stat="speed"]')).toHaveAttribute('data-value', '20');
});

test('after a click on a handler, Space plays and End jumps', async ({ page }) => {
  await openApp(page, 'scene=await');
  await page.getByRole('radio', { name: 'blocking call in async def' }).click();
  await expect(page.getByRole('radio', { name: 'blocking call in async def' })).toBeChecked();
  await page.keyboard.press(' ');
  await expect(page.locator('.al-btn-play')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press(' ');
  await page.keyboard.press('End');
  await expect.poll(() => stat(page, 'last-wait-s')).toBeGreaterThan(200);
});

test('the words follow the setup and the moment', async ({ page }) => {
  await openApp(page, 'scene=blocking&mode=async&students=20');
  await expect(page.locator('.al-lede')).toContainText('with await');
  await expect(page.locator('.al-lede')).not.toContainText('blocking worker');
  await openApp(page, 'scene=blocking&t=71');
  await expect(page.locator('.al-watch')).toHaveText("The worker waits for #36's email and can do nothing else; 64 students wait in the queue.");
  // The numbers that carry the point come first; the rest are one click away.
  await expect(page.locator('.al-stats-main [data-stat="last-wait-s"]')).toBeVisible();
  await expect(page.locator('.al-stats-more [data-stat="throughput-per-s"]')).toBeHidden();
  await page.locator('.al-more summary').click();
  await expect(page.locator('.al-stats-more [data-stat="throughput-per-s"]')).toBeVisible();
});

test('numbers that teach: a waiting worker is blocked, not busy; waits count the queue', async ({ page }) => {
  await openApp(page, 'scene=blocking&t=71');
  // 64 students have waited 71 s in the queue: the longest wait counts them.
  expect(await stat(page, 'last-wait-s')).toBeGreaterThanOrEqual(71);
  await openApp(page, 'scene=blocking&t=end');
  expect(await stat(page, 'blocked')).toBeGreaterThan(0.99);
  expect(await stat(page, 'cpu-busy')).toBeLessThan(0.01);
  await openApp(page, 'scene=workers&t=1');
  expect(await stat(page, 'in-flight')).toBe(1000);
  expect(await stat(page, 'blocked')).toBe(0);
});

test('workers: past the cap, a request waits for a slot or gets a 503 at once', async ({ page }) => {
  await openApp(page, 'scene=workers&students=1001&t=end');
  expect(await stat(page, 'rejected')).toBe(0);
  await page.getByRole('button', { name: '503 at once' }).click();
  await expect(page).toHaveURL(/overflow=reject/);
  await page.keyboard.press('End');
  await expect.poll(() => stat(page, 'rejected')).toBe(1);
  expect(await stat(page, 'completed')).toBe(1000);
  await expect(page.locator('.al-workers-canvas')).toHaveAttribute('aria-label', /1 rejected with a 503/);
  await expect(page.locator('.al-legend [data-look="al-s-rejected"]')).toBeVisible();
  await expect(page.locator('[data-cap-note]')).toContainText("the article's figure");
});

test('compare: both runs\' numbers side by side, with the same keys', async ({ page }) => {
  await openApp(page, 'scene=compare&t=100');
  const side = (mode, key) => page.locator(`.al-stats [data-side="${mode}"] [data-stat="${key}"]`).getAttribute('data-value').then(Number);
  expect(await side('blocking', 'completed')).toBe(50);
  expect(await side('async', 'completed')).toBe(100);
  expect(await side('blocking', 'blocked')).toBe(1);
  expect(await stat(page, 'time-s')).toBe(100);
  await expect(page.locator('.al-formula')).toContainText('Blocking, formula:');
  // At the end each run's throughput is over its own time: 100 in 200 s against 100 in 2 s.
  await openApp(page, 'scene=compare&t=end');
  const blocking = await side('blocking', 'throughput-per-s');
  const async_ = await side('async', 'throughput-per-s');
  expect(blocking).toBeCloseTo(0.5, 3);
  expect(async_).toBeCloseTo(50, 0);
  expect(await stat(page, 'time-s')).toBe(200);
});

test('follow one student: a click bands their row and tells their story; your own is followed', async ({ page }) => {
  await openApp(page, 'scene=blocking&t=84');
  await page.locator('.al-timeline .al-row').nth(41).click();
  await expect(page).toHaveURL(/follow=42/);
  await expect(page.locator('.al-story')).toHaveText('#42: arrived at 0 s; queued 82 s, email 2 s; done at 84 s, 84 s after arriving.');
  await expect(page.locator('.al-timeline .al-followed')).toHaveCount(1);
  await page.getByLabel('Follow a student').selectOption({ label: 'nobody' });
  await expect(page.locator('.al-story')).toHaveCount(0);
  // The reader's own student is followed, and drawn below the first hundred rows.
  await openApp(page, 'scene=blocking&t=71');
  await page.getByRole('button', { name: 'Register a student now' }).click();
  await page.keyboard.press(' ');
  await expect(page).toHaveURL(/follow=101/);
  await expect(page.locator('.al-timeline .al-row')).toHaveCount(101);
  await expect(page.locator('.al-timeline .al-followed')).toContainText('#101');
  await expect(page.locator('.al-story')).toContainText('#101: arrived at 71 s');
});

test('predict, then reveal: the question hides the answer until the guess is in', async ({ page }) => {
  await openApp(page, 'scene=blocking&predict=1');
  await expect(page.locator('.al-question')).toHaveText('100 students arrive at once, each email takes 2 s, one blocking worker: how long will the last one wait?');
  await expect(page.locator('.al-picture')).toHaveCount(0);
  await page.getByLabel('Your guess').fill('150');
  await page.getByLabel('Your guess').press('Enter');
  await expect(page.locator('.al-btn-play')).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Jump to end' }).click();
  // The address follows the state once the clock rests.
  await expect(page).toHaveURL(/guess=150/);
  await expect(page.locator('.al-reveal')).toHaveText('You guessed 150 s (2 min 30 s); the last student waited 200 s (3 min 20 s).');
  await expect(page.locator('.al-timeline .al-guess')).toContainText('your guess: 150 s');
  // "Predict first" asks again, from the start.
  await page.getByRole('button', { name: 'Predict first' }).click();
  await expect(page.locator('.al-question')).toBeVisible();
});

test('the one control beside the picture: students at once, await on or off', async ({ page }) => {
  await openApp(page, 'scene=blocking');
  await page.locator('.al-scene-control [data-choice="20"]').click();
  await expect(page).toHaveURL(/students=20/);
  await page.keyboard.press('End');
  await expect.poll(() => stat(page, 'last-wait-s')).toBe(40);
  await openApp(page, 'scene=async');
  await expect(page.locator('.al-scene-control [data-choice="await"]')).toHaveAttribute('aria-pressed', 'true');
  await page.locator('.al-scene-control [data-choice="blocking"]').click();
  await expect(page.locator('.al-lede')).toContainText('holds the event loop');
  await page.keyboard.press('End');
  await expect.poll(() => stat(page, 'last-wait-s')).toBeGreaterThan(200);
});

test('on a phone the handler\'s comments stay on screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 900 });
  await openApp(page, 'scene=await&await_db=false&await_email=false');
  const comment = page.locator('.al-code-line[data-line="5"] .al-code-comment');
  await expect(comment).toContainText('blocks the loop');
  const box = await comment.boundingBox();
  const code = await page.locator('.al-code').boundingBox();
  expect(box.x + box.width).toBeLessThanOrEqual(code.x + code.width + 1);
});

test('flipping await moves the same students instead of redrawing them', async ({ page }) => {
  await openApp(page, 'scene=async&t=1');
  const bar = await page.locator('.al-timeline .al-row').nth(41).locator('rect:not(.al-row-hit)').first().elementHandle();
  const before = await bar.getAttribute('width');
  expect(await bar.evaluate((e) => getComputedStyle(e).transitionDuration)).toContain('0.6s');
  await page.locator('.al-scene-control [data-choice="blocking"]').click();
  await expect.poll(() => bar.getAttribute('width')).not.toBe(before);
  expect(await bar.evaluate((e) => e.isConnected), 'the same element, moved').toBe(true);
  // With reduced motion the switch is instant.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  expect(await bar.evaluate((e) => getComputedStyle(e).transitionDuration)).toBe('0s');
});

test('async by default: the worker takes the next student while the emails are in flight', async ({ page }) => {
  // One student every 10 ms: at 0.3 s #31 has just arrived, and the first 25 wait for emails.
  await openApp(page, 'scene=async&t=0.3');
  await expect(page.locator('.al-watch')).toContainText("The worker runs #31's code, while #1 waits for its email");
  await expect(page.locator('.al-worker-status')).toContainText('Busy: validating');
  expect(await stat(page, 'in-flight')).toBe(31);
  await page.keyboard.press('End');
  await expect.poll(() => stat(page, 'last-wait-s')).toBeLessThan(3);
});

test('workers: the guess is marked on the canvas, and the queue lane has a fixed scale', async ({ page }) => {
  await openApp(page, 'scene=workers&students=1001&predict=1&guess=3&t=end');
  const canvas = page.locator('.al-workers-canvas');
  await expect(canvas).toHaveAttribute('data-guess', '3');
  await expect(canvas).toHaveAttribute('data-lane-full', '1001');
  await expect(page.locator('.al-reveal')).toHaveText('You guessed 3 s; the last student waited 4 s.');
});

test('race on a phone: the row labels stay in view while the drawing scrolls', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 900 });
  await openApp(page, 'scene=race&seed=7&t=end');
  const scroll = page.locator('.al-race-scroll');
  // It opens at its start (Student A in view); the reader scrolls it sideways.
  await scroll.evaluate((el) => { el.scrollLeft = 200; });
  expect(await scroll.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  const labels = await page.locator('.al-race-labels').boundingBox();
  const view = await scroll.boundingBox();
  expect(labels.x).toBeGreaterThanOrEqual(view.x - 1);
  await expect(page.locator('.al-race-labels')).toContainText('Student A');
});

test('a bad URL value gets a notice naming the key, and falls back', async ({ page }) => {
  await openApp(page, 'scene=blocking&students=abc&t=end');
  await expect(page.locator('.al-notice')).toContainText('students=abc');
  await expect(page.locator('.al-notice')).toContainText('using 100');
  expect(await stat(page, 'completed')).toBe(100);
});

test('a bad scene gets a notice listing the scenes, and the first scene', async ({ page }) => {
  await openApp(page, 'scene=nope');
  await expect(page.locator('.al-notice')).toContainText('scene=nope');
  await expect(page.locator('.al-notice')).toContainText('blocking, async');
  await expect(page.locator('.al-tab[aria-current="page"]')).toHaveText('Blocking');
});

test('a bad form value is named beside the field and the run keeps its value', async ({ page }) => {
  await openApp(page, 'scene=async');
  await page.locator('.al-setup summary').click();
  const students = page.locator('.al-field', { hasText: 'Students' }).locator('input');
  await students.fill('-5');
  await students.press('Enter');
  await students.blur();
  await expect(page.locator('.al-setup .al-notice')).toContainText('students=-5');
  await page.keyboard.press('End');
  await expect.poll(() => stat(page, 'completed')).toBe(100);
});

test('a value being typed into the setup form stays while the clock plays', async ({ page }) => {
  await openApp(page, 'scene=blocking');
  await page.locator('.al-setup summary').click();
  await page.locator('.al-btn-play').click();
  await expect(page.locator('.al-btn-play')).toHaveAttribute('aria-pressed', 'true');
  const students = page.locator('.al-field', { hasText: 'Students' }).locator('input');
  await students.fill('12');
  // Many frames later, the field still holds what the reader typed, not the run's value.
  await page.waitForTimeout(500);
  await expect(students).toHaveValue('12');
  await expect(page.locator('.al-btn-play')).toHaveAttribute('aria-pressed', 'true');
});

const SAME_AS_CLI = [
  ['scene=blocking', []],
  ['scene=async&validate_ms=10&db_ms=50', ['mode=async', 'validate_ms=10', 'db_ms=50', 'arrival=uniform', 'rate=100']],
  ['scene=workers&students=2000', ['mode=async', 'workers=4', 'students=2000']],
  ['scene=blocking&arrival=poisson&rate=0.6&io_dist=exp&seed=7', ['arrival=poisson', 'rate=0.6', 'io_dist=exp', 'seed=7']],
  ['scene=blocking&mode=threadpool&db_ms=300&db_pool=5', ['mode=threadpool', 'db_ms=300', 'db_pool=5']],
];

for (const [query, keys] of SAME_AS_CLI) {
  test(`the numbers at t=end equal the CLI's: ${query}`, async ({ page }) => {
    const want = simulate(keys);
    await openApp(page, `${query}&t=end`);
    expect(await stat(page, 'completed')).toBe(want.completed);
    expect(await stat(page, 'max-in-flight')).toBe(want.max_in_flight);
    expect(await stat(page, 'time-s')).toBeCloseTo(want.makespan_s, 6);
    expect(await stat(page, 'last-wait-s')).toBeCloseTo(want.latency_s.max, 6);
    expect(await stat(page, 'mean-wait-s')).toBeCloseTo(want.latency_s.mean, 6);
    expect(await stat(page, 'p95-wait-s')).toBeCloseTo(want.latency_s.p95, 6);
    expect(await stat(page, 'throughput-per-s')).toBeCloseTo(want.throughput_per_s, 6);
    expect(await stat(page, 'utilization')).toBeCloseTo(want.utilization, 6);
    expect(await stat(page, 'cpu-busy')).toBeCloseTo(want.cpu_busy, 6);
    expect(await stat(page, 'blocked')).toBeCloseTo(want.blocked, 6);
    expect(await stat(page, 'rejected')).toBe(want.rejected);
  });
}

test('the URL holds the state, both ways', async ({ page }) => {
  await openApp(page, 'scene=blocking&students=7&email_ms=1500&t=3');
  expect(await stat(page, 'time-s')).toBe(3);
  await expect(page).toHaveURL(/scene=blocking&students=7&email_ms=1500&t=3/);
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/t=4\.5/);
  await page.keyboard.press('End');
  await expect(page).toHaveURL(/t=end/);
  await page.locator('.al-tab', { hasText: 'Async' }).click();
  // The scene opens at its own moment, and the URL names it.
  await expect(page).toHaveURL(/\?scene=async&t=0\.51$/);
});

test('with reduced motion, play advances in steps of one second, not continuously', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openApp(page, 'scene=blocking');
  await page.keyboard.press(' ');
  await expect(page.locator('.al-btn-play')).toHaveAttribute('aria-pressed', 'true');
  const seen = new Set();
  for (let i = 0; i < 12; i++) {
    seen.add(await stat(page, 'time-s'));
    await page.waitForTimeout(200);
  }
  // 20 simulated seconds per real second, one step a second: only whole steps of 20 s appear.
  for (const t of seen) expect(t % 20, `time ${t} is between steps`).toBe(0);
  expect(seen.size).toBeGreaterThan(1);
});

test('"Register a student now" adds one arrival at the current time', async ({ page }) => {
  await openApp(page, 'scene=async&t=1');
  await page.getByRole('button', { name: 'Register a student now' }).click();
  await page.keyboard.press(' ');
  await expect(page).toHaveURL(/extra_arrivals=1(&|$)/);
  await page.keyboard.press('End');
  await expect.poll(() => stat(page, 'completed')).toBe(101);
  // It arrived at 1 s into a free loop: validated (5 ms), saved (50 ms), emailed (2 s): done at
  // 3.055 s.
  expect(await stat(page, 'time-s')).toBe(3.055);
});

test('the distribution of waits behind "More numbers" marks the strip\'s own p95, and compare draws both runs', async ({ page }) => {
  await openApp(page, 'scene=blocking&t=end');
  await page.locator('.al-stats .al-more summary').first().click();
  const p95 = page.locator('.al-hist-mark[data-mark="p95"]');
  await expect(p95).toHaveAttribute('data-value', String(await stat(page, 'p95-wait-s')));
  await expect(page.locator('.al-hist')).toHaveAttribute('aria-label', /^The distribution of 100 waits so far: p50 100 s/);
  await openApp(page, 'scene=compare&t=end');
  await page.getByText('Distribution of waits').click();
  await expect(page.locator('.al-hist-bar.al-hist-run-0').first()).toBeVisible();
  await expect(page.locator('.al-hist-bar.al-hist-run-1')).toHaveCount(1);
  await expect(page.locator('.al-hist')).toHaveAttribute('aria-label', /; Async \(await\): p50 2 s/);
});

test('the step keys follow the run after the setup changes', async ({ page }) => {
  await openApp(page, 'scene=blocking&students=10');
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => stat(page, 'time-s')).toBe(2);
  await page.locator('.al-setup summary').click();
  const email = page.locator('.al-field', { hasText: 'send_email' }).locator('input');
  await email.fill('1500');
  await email.press('Enter');
  await email.blur();
  await expect.poll(() => new URL(page.url()).searchParams.get('email_ms')).toBe('1500');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  // The new run's first email ends at 1.5 s (the first run's at 2 s).
  await expect.poll(() => stat(page, 'time-s')).toBe(1.5);
});

test('a thread pool names its blocked threads, and "Blocked" says what it counts', async ({ page }) => {
  await openApp(page, 'scene=blocking&mode=threadpool&threads=10&students=10&t=1');
  await expect(page.locator('.al-legend')).toContainText('a thread blocked on the email');
  await expect(page.locator('.al-legend')).not.toContainText(/(^|[^d] )blocked on the email/);
  expect(await stat(page, 'blocked')).toBe(0);
  await expect(page.locator('[data-stat="blocked"] + .al-stat-note')).toContainText("leaves the worker's loop free");
  await expect(page.locator('[data-stat="cpu-busy"] + .al-stat-note')).toHaveText("of the workers' time running code");
  // Where the worker itself blocks, the words are the worker's.
  await openApp(page, 'scene=blocking&t=1');
  await expect(page.locator('.al-legend')).toContainText('blocked on the email');
  await expect(page.locator('.al-legend')).not.toContainText('a thread');
});

test('bars move along time with their axis, at once; with reduced motion nothing eases', async ({ page }) => {
  await openApp(page, 'scene=blocking&t=end');
  const eased = () => page.locator('.al-timeline rect').first().evaluate((r) => getComputedStyle(r).transitionProperty);
  expect(await eased()).not.toMatch(/(^|, )(x|width)(,|$)/);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  expect(await eased()).toMatch(/^(none|all)$/);
});

test('async opens on the article\'s picture: one student waits for its email while the worker runs another\'s code', async ({ page }) => {
  await openApp(page, 'scene=async');
  await expect(page.locator('.al-watch')).toHaveText("The worker runs #52's code, while #1 waits for its email and 50 other requests it holds wait on I/O or for their turn.");
  expect(await stat(page, 'time-s')).toBe(0.51);
  await expect(page.locator('.al-worker-status')).toContainText('Busy: validating #52');
  // #1's email bar is drawn in the first screen, and the emails started so far form a staircase.
  const email = page.locator('.al-timeline .al-row').first().locator('.al-s-await-email');
  await expect(email).toHaveCount(1);
  const box = await email.boundingBox();
  expect(box.y + box.height).toBeLessThan(page.viewportSize().height);
});

test('the async question states every time that shapes its answer', async ({ page }) => {
  await openApp(page, 'scene=async&predict=1');
  await expect(page.locator('.al-question')).toHaveText('100 students arrive one every 0.01 s, each request takes 0.005 s of validation, a 0.05 s database save and a 2 s email, one async worker: how long will the last one wait?');
});
