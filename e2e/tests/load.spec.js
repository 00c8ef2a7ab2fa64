// The load curve: the capacity from the setup, the p95 at the setup's own rate as the CLI gives it,
// both curves drawn at every rate, and a point opening its run in a timeline scene.
import { test, expect, openApp, stat, simulate } from './fixtures.js';

test('the load curve: capacity, the p95 at the setup\'s rate, both curves, a point opens its run', async ({ page }) => {
  await openApp(page, 'scene=load');
  await expect(page.locator('.al-load-run-0 .al-load-point')).toHaveCount(16);
  await expect(page.locator('.al-load-run-1 .al-load-point')).toHaveCount(16);
  expect(await stat(page, 'capacity-per-s')).toBe(0.5);
  const want = simulate(['students=2000', 'arrival=poisson', 'rate=0.4']);
  expect(await stat(page, 'p95-wait-s')).toBeCloseTo(want.latency_s.p95, 6);
  // Past the capacity the blocking waits run away; the async ones stay near 2 s.
  const p95 = (run) => page.locator(`.al-load-run-${run} .al-load-point`).evaluateAll((els) => els.map((e) => Number(e.dataset.p95)));
  const blocking = await p95(0);
  expect(blocking[15]).toBeGreaterThan(100 * blocking[0] / 10);
  for (const w of await p95(1)) expect(w).toBeLessThan(2.1);
  await expect(page.locator('[data-caption]')).toContainText('capacity 0.5 /s');
  // A point opens its run.
  const point = page.locator('.al-load-run-0 .al-load-point').nth(3);
  const rate = await point.getAttribute('data-rate');
  await point.click();
  await expect(page.locator('.al-tab[aria-current="page"]')).toHaveText('Blocking');
  await expect.poll(() => new URL(page.url()).searchParams.get('rate')).toBe(rate);
  expect(new URL(page.url()).searchParams.get('arrival')).toBe('poisson');
});

test('an async setup of 4 workers can take 500 students a second', async ({ page }) => {
  await openApp(page, 'scene=load&mode=async&workers=4');
  await expect(page.locator('g.al-load-run-0')).toHaveAttribute('data-mode', 'async');
  expect(await stat(page, 'capacity-per-s')).toBe(500);
  await page.locator('.al-load details summary').click();
  await expect(page.locator('.al-load-table tbody tr')).toHaveCount(16);
});
