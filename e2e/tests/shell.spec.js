// The app shell: served under a sub-path with a strict CSP, it loads cleanly, light and dark, wide and narrow.
import { test, expect, openApp, openHostPage } from './fixtures.js';

for (const colorScheme of ['light', 'dark']) {
  for (const width of [1280, 390]) {
    test(`loads cleanly under a sub-path, ${colorScheme}, ${width} px`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height: 900 });
      await openApp(page);
      await expect(page.locator('h1')).toContainText('Async Lanes');
      await expect(page.locator('.al-header')).toContainText('The Life of a Backend Request');
      await expect(page.locator('.al-scene')).toBeVisible();
      await expect(page.locator('.al-controls')).toBeVisible();
      await expect(page.locator('.al-stats')).toBeVisible();
      // Nothing wider than the window: the page itself never scrolls sideways.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }
}

test('every asset URL is relative to the sub-path', async ({ page }) => {
  const urls = [];
  page.on('request', (req) => urls.push(req.url()));
  await openApp(page);
  expect(urls.length).toBeGreaterThan(2);
  for (const url of urls) expect(url).toContain('/series/part-2/');
});

test('once loaded, the app works offline: a reload with no network draws the scene again', async ({ page, context }) => {
  await openApp(page, 'scene=async');
  await expect(page.locator('.al-stats')).toBeVisible();
  // After the first render the page registers its service worker, which keeps a copy of the app.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await page.waitForLoadState('networkidle');
  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('.al-scene')).toHaveAttribute('aria-label', /Async/);
  await expect(page.locator('.al-stats [data-stat="completed"]')).toBeVisible();
  await context.setOffline(false);
});

test('a page with only inline widgets registers no service worker', async ({ page }) => {
  await openHostPage(page, 'article.html', 'scene=async');
  await expect(page.locator('[data-async-lanes] > .al-app .al-stats')).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length))).toBe(0);
});
