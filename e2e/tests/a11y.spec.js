// Accessibility: axe-core audits every scene, light and dark, wide and narrow, at four moments
// (the start, the scene's own, the middle, the end). No serious or critical violation, and no
// landmark violation (the app's page has a <main>; a widget is a named region).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test, expect, openApp } from './fixtures.js';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SCENES = ['blocking', 'async', 'inside', 'await', 'workers', 'compare', 'race', 'load', 'playground'];

/** The violations that fail the audit: serious or critical ones, and any landmark one. */
async function audit(page) {
  // Evaluated through the DevTools protocol, so the page's strict CSP does not apply.
  await page.evaluate(AXE);
  const results = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((v) => ['serious', 'critical'].includes(v.impact) || v.id.startsWith('landmark') || v.id === 'region')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

// Each scene at its start, at the moment it opens on (its own), half-way through its run and at
// its end: what is drawn, and so what can fail, changes with the clock.
const MOMENTS = ['t=0', '', 'middle', 't=end'];

/** The run's length in seconds, from the stats strip at its end. */
async function runEnd(page, scene) {
  await openApp(page, `scene=${scene}&t=end`);
  const time = page.locator('[data-stat="time-s"]').first();
  return Number(await time.getAttribute('data-value'));
}

for (const scene of SCENES) {
  for (const [width, scheme] of [[1280, 'light'], [390, 'dark'], [1280, 'dark'], [390, 'light']]) {
    test(`axe: ${scene} at ${width} px, ${scheme}`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 900 });
      const found = [];
      for (const moment of MOMENTS) {
        const query = moment === 'middle' ? `t=${(await runEnd(page, scene)) / 2}` : moment;
        await openApp(page, `scene=${scene}${query ? `&${query}` : ''}`);
        // The picture is drawn once its width is measured, after the page's frame.
        await expect(page.locator('.al-picture').first()).toBeVisible();
        await expect(page.locator('.al-picture-pending')).toHaveCount(0);
        found.push(...(await audit(page)).map((v) => `${query || 'its own moment'}: ${v}`));
      }
      expect(found).toEqual([]);
    });
  }
}

test('axe: the example article with its widgets and iframe', async ({ page }) => {
  await page.goto('./embed-example.html');
  await expect(page.locator('[data-async-lanes] > .al-app')).toHaveCount(3);
  expect(await audit(page)).toEqual([]);
});

for (const scheme of ['light', 'dark']) {
  test(`axe: the lesser levels of chrome and the embed choices, ${scheme}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const found = [];
    for (const query of ['scene=compare&chrome=article', 'scene=async&chrome=min&embed=1', 'scene=race&chrome=article&t=end']) {
      await openApp(page, query);
      await expect(page.locator('.al-picture').first()).toBeVisible();
      found.push(...(await audit(page)).map((v) => `${query}: ${v}`));
    }
    await openApp(page, 'scene=blocking');
    await page.getByRole('button', { name: 'Copy embed code' }).click();
    await expect(page.locator('.al-embed')).toBeVisible();
    found.push(...(await audit(page)).map((v) => `embed choices: ${v}`));
    expect(found).toEqual([]);
  });
}
