// The load curve: the capacity from the setup, the p95 at the setup's own rate as the CLI gives it,
// both curves drawn at every rate, waits that grow with the run past capacity, round ticks, labels
// apart at every width, no clock, and a point opening its run with words for a Poisson stream.
import { test, expect, openApp, stat, simulate } from './fixtures.js';

/** The p95 waits of curve `run` (0: the setup's mode, 1: the other), in the order of the rates. */
const p95 = (page, run) =>
  page.locator(`.al-load-run-${run} .al-load-point`).evaluateAll((els) => els.map((e) => Number(e.dataset.p95)));

test('the load curve: capacity, the p95 at the setup\'s rate, both curves, a point opens its run', async ({ page }) => {
  await openApp(page, 'scene=load');
  await expect(page.locator('.al-load-run-0 .al-load-point')).toHaveCount(16);
  await expect(page.locator('.al-load-run-1 .al-load-point')).toHaveCount(16);
  expect(await stat(page, 'capacity-per-s')).toBe(0.5);
  // The setup's own run lasts as long as each of the curve's: 2,000 students at capacity take
  // 4,000 s, so 1,600 arrive at 0.4 /s.
  const want = simulate(['students=1600', 'arrival=poisson', 'rate=0.4']);
  expect(await stat(page, 'p95-wait-s')).toBeCloseTo(want.latency_s.p95, 6);
  // Past the capacity the blocking waits run away; the async ones stay near 2 s.
  const blocking = await p95(page, 0);
  expect(blocking[15]).toBeGreaterThan(100 * blocking[0] / 10);
  for (const w of await p95(page, 1)) expect(w).toBeLessThan(2.1);
  await expect(page.locator('[data-caption]')).toContainText('capacity 0.5 /s');
  // A point opens its run.
  const point = page.locator('.al-load-run-0 .al-load-point').nth(3);
  const rate = await point.getAttribute('data-rate');
  await point.click();
  await expect(page.locator('.al-tab[aria-current="page"]')).toHaveText('Blocking');
  await expect.poll(() => new URL(page.url()).searchParams.get('rate')).toBe(rate);
  const params = new URL(page.url()).searchParams;
  expect(params.get('arrival')).toBe('poisson');
  expect(Number(params.get('students'))).toBe(Math.round(Number(rate) * 4000));
});

test('past capacity the p95 grows with the run\'s length; below it, it does not', async ({ page }) => {
  // `students` sets how long every run lasts: as long as that many take to arrive at capacity.
  await openApp(page, 'scene=load&students=1000');
  await expect(page.locator('.al-load-run-0 .al-load-point')).toHaveCount(16);
  const short = await p95(page, 0);
  await openApp(page, 'scene=load&students=4000');
  await expect(page.locator('.al-load-run-0 .al-load-point')).toHaveCount(16);
  const long = await p95(page, 0);
  // At 1.5 times the capacity the queue grows all run long: four times the run, about four
  // times the wait. At a third of the capacity the waits have settled.
  expect(long[15]).toBeGreaterThan(3 * short[15]);
  expect(long[4] / short[4]).toBeGreaterThan(0.7);
  expect(long[4] / short[4]).toBeLessThan(1.4);
  // Along the curve, past capacity, every point is well above the one before.
  for (let i = 12; i < 16; i++) expect(long[i]).toBeGreaterThan(1.1 * long[i - 1]);
  // The caption says so, with a run twice as long simulated.
  const caption = page.locator('[data-caption]');
  await expect(caption).toContainText('the waits grow with the run');
  await expect(caption).toContainText('in a run twice as long');
});

test('async\'s knee shows on its own scale', async ({ page }) => {
  await openApp(page, 'scene=load&mode=async&workers=4');
  await expect(page.locator('g.al-load-run-0')).toHaveAttribute('data-mode', 'async');
  const ys = await page.locator('.al-load-run-0 .al-load-point').evaluateAll((els) => els.map((e) => Number(e.getAttribute('cy'))));
  const grid = await page.locator('.al-load-grid line').evaluateAll((els) => els.map((e) => Number(e.getAttribute('y1'))));
  const height = Math.max(...grid) - Math.min(...grid);
  // The last point stands well above the first: a good part of the plot's height.
  expect(ys[0] - ys[15]).toBeGreaterThan(0.3 * height);
  // Blocking on four workers cannot take these rates: the key says it leaves the chart.
  await expect(page.locator('.al-load-key .al-load-run-1')).toContainText('above the chart');
});

/** The numbers of the tick labels matching `selector`, with their unit. */
const ticks = (page, selector) =>
  page.locator(selector).evaluateAll((els) => els.map((e) => e.textContent.trim()));

for (const query of ['scene=load', 'scene=load&mode=async&workers=4', 'scene=load&email_ms=700&workers=3']) {
  test(`the ticks are round numbers: ${query}`, async ({ page }) => {
    await openApp(page, query);
    for (const [selector, unit] of [['.al-load-tick', '/s'], ['.al-load-grid text', 's']]) {
      const labels = await ticks(page, selector);
      expect(labels.length).toBeGreaterThanOrEqual(3);
      const values = labels.map((l) => {
        expect(l.endsWith(` ${unit}`), l).toBe(true);
        return Number(l.slice(0, -unit.length - 1));
      });
      const sorted = [...values].sort((a, b) => a - b);
      expect(sorted[0]).toBe(0);
      // One step between them, 1, 2 or 5 times a power of ten.
      const step = sorted[1];
      const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      expect([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9), `${labels}`).toBe(true);
      sorted.forEach((v, i) => expect(Math.abs(v - i * step)).toBeLessThan(1e-9 * Math.max(1, v)));
    }
  });
}

for (const width of [1280, 390]) {
  for (const query of ['scene=load', 'scene=load&mode=async&workers=4', 'scene=load&rate=0.5']) {
    test(`no label of the load curve overlaps another, a mark's line, a point or the plot at ${width} px: ${query}`, async ({ page }) => {
      await page.setViewportSize({ width, height: 900 });
      await openApp(page, query);
      await expect(page.locator('.al-load-plot')).toBeVisible();
      const boxes = await page.locator('.al-load-plot text').evaluateAll((els) =>
        els.map((e) => { const r = e.getBoundingClientRect(); return { t: e.textContent, l: r.left, r: r.right, top: r.top, b: r.bottom }; }));
      const lines = await page.locator('.al-load-capacity line, .al-load-own line, line.al-load-capacity, line.al-load-own').evaluateAll((els) =>
        els.map((e) => { const r = e.getBoundingClientRect(); return { t: 'line', l: r.left - 1, r: r.right + 1, top: r.top, b: r.bottom }; }));
      // The points drawn (those clipped above the chart are not).
      const gridTop = Math.min(...await page.locator('.al-load-grid line').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top)));
      const points = (await page.locator('.al-load-point').evaluateAll((els) =>
        els.map((e) => { const r = e.getBoundingClientRect(); return { t: `point ${e.dataset.rate}`, l: r.left, r: r.right, top: r.top, b: r.bottom }; })))
        .filter((p) => p.b >= gridTop);
      expect(boxes.length).toBeGreaterThan(8);
      expect(lines.length).toBe(2);
      const meet = (a, b) => a.l < b.r && b.l < a.r && a.top < b.b && b.top < a.b;
      const clashes = [];
      boxes.forEach((a, i) => {
        for (const b of [...boxes.slice(i + 1), ...lines, ...points]) if (meet(a, b)) clashes.push(`${a.t} / ${b.t}`);
      });
      expect(clashes).toEqual([]);
      // The marks' labels sit above the plot, where no curve is drawn to cross them.
      const marks = await page.locator('.al-load-capacity text, .al-load-own text, .al-load-capacity-label, .al-load-own-label').evaluateAll((els) =>
        els.map((e) => e.getBoundingClientRect().bottom));
      expect(marks.length).toBe(2);
      for (const b of marks) expect(b).toBeLessThanOrEqual(gridTop);
    });
  }
}

test('the load curve has no clock: no playback, and a key leaves the numbers alone', async ({ page }) => {
  await openApp(page, 'scene=load&t=100');
  await expect(page.locator('.al-load-plot')).toBeVisible();
  await expect(page.locator('.al-controls')).toHaveCount(0);
  // The numbers are the whole run's, whatever the URL's t says.
  const want = simulate(['students=1600', 'arrival=poisson', 'rate=0.4']);
  expect(await stat(page, 'p95-wait-s')).toBeCloseTo(want.latency_s.p95, 6);
  await page.keyboard.press('Space');
  await page.waitForTimeout(300);
  expect(await stat(page, 'p95-wait-s')).toBeCloseTo(want.latency_s.p95, 6);
});

test('a clicked point opens its run with words for Poisson arrivals', async ({ page }) => {
  await openApp(page, 'scene=load');
  await page.locator('.al-load-run-0 .al-load-point').nth(5).click();
  await expect(page.locator('.al-tab[aria-current="page"]')).toHaveText('Blocking');
  const label = page.locator('.al-scene-control .al-control-label');
  await expect(label).toContainText('arriving at random (Poisson)');
  await expect(label).toContainText('0.28 /s on average');
  await expect(label).not.toContainText('at once');
  // Its rows span the whole run, not the first hundred arrivals: the last row's student
  // arrives near the run's end.
  await expect(page.locator('.al-note', { hasText: 'one student in every' })).toBeVisible();
  expect(await page.locator('.al-timeline .al-row').count()).toBeGreaterThan(90);
  const labels = await page.locator('.al-timeline .al-row-label').allTextContents();
  expect(labels[1]).not.toBe('#2');
  expect(Number(labels[labels.length - 1].slice(1))).toBeGreaterThan(900);
});

test('the load curve has no clock, so its link names no moment', async ({ page }) => {
  await openApp(page, 'scene=load');
  await expect(page.locator('.al-btn', { hasText: 'Copy link to this moment' })).toHaveCount(0);
  await expect(page.locator('.al-btn', { hasText: /^Copy link$/ })).toBeVisible();
});

test('an async setup of 4 workers can take 500 students a second', async ({ page }) => {
  await openApp(page, 'scene=load&mode=async&workers=4');
  await expect(page.locator('g.al-load-run-0')).toHaveAttribute('data-mode', 'async');
  expect(await stat(page, 'capacity-per-s')).toBe(500);
  await page.locator('.al-load details summary').click();
  await expect(page.locator('.al-load-table tbody tr')).toHaveCount(16);
});

test('a handler of the reader\'s own is measured: one that only sleeps 0.5 s can take 500 a second', async ({ page }) => {
  // The setup's 2 s email would say 250 ÷ 2 s = 125 /s; the handler never sends it.
  const code = encodeURIComponent('async def register(student):\n    await asyncio.sleep(0.5)\n');
  await openApp(page, `scene=load&mode=async&code=${code}`);
  expect(await stat(page, 'capacity-per-s')).toBe(500);
  await expect(page.locator('[data-caption]')).toContainText('capacity 500 /s');
  await expect(page.locator('.al-stats')).toContainText('measured by running this handler');
  // What the requests share counts too: the email sent on one of asyncio.to_thread's 8
  // threads (min(32, cores + 4)) holds it 2 s, so 8 ÷ 2 s = 4 a second get through.
  const onThread = encodeURIComponent('import asyncio\nasync def register(student):\n    await asyncio.to_thread(smtp.send, welcome(student))\n');
  await openApp(page, `scene=load&mode=async&code=${onThread}`);
  expect(await stat(page, 'capacity-per-s')).toBe(4);
  await expect(page.locator('[data-caption]')).toContainText('capacity 4 /s');
  // The article's handler reads its capacity from the setup, with no such note.
  await openApp(page, 'scene=load&mode=async');
  expect(await stat(page, 'capacity-per-s')).toBe(125);
  await expect(page.locator('.al-stats')).not.toContainText('measured by running');
});
