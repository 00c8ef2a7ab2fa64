// A `test` whose every page records failed requests, console errors and page errors, and fails the
// test at its end if there was any: a quiet console is part of what every test checks.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test as base, expect } from '@playwright/test';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const test = base.extend({
  // Automatic: every test gets it and is checked at its end, with nothing to write in the test.
  problems: [async ({ page }, use) => {
    const problems = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') {
        problems.push(`console ${msg.type()}: ${msg.text()}`);
      }
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('requestfailed', (req) => {
      const error = req.failure()?.errorText;
      // Chromium fetches the icon again when the page replaces its URL (history.replaceState),
      // and aborts the fetch it no longer needs: not a failure of the page.
      if (req.url().endsWith('/icon.svg') && error === 'net::ERR_ABORTED') return;
      problems.push(`failed request: ${req.url()} ${error}`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
    });
    await use(problems);
    expect(problems, 'the page must load with no failed request, console error or page error').toEqual([]);
  }, { auto: true }],
});

export { expect };

/** The raw number (`data-value`) of the figure `key` in the stats strip, or under `scope`. */
export async function stat(page, key, scope = '.al-stats') {
  return Number(await page.locator(`${scope} [data-stat="${key}"]`).getAttribute('data-value'));
}

/**
 * What the command line prints for `keys` (`key=value` strings), as JSON. Through `cargo run`, so
 * it is always the CLI of the code under test (a no-op build when `cargo test` has just made it).
 */
export function simulate(keys) {
  const out = execFileSync('cargo', ['run', '-q', '--example', 'simulate', '--', ...keys, 'format=json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

/** Opens the app at `query` and waits until the root component has mounted. */
export async function openApp(page, query = '') {
  // Leaving a page mid-load aborts its last requests (the icon): let the previous one finish.
  if (page.url() !== 'about:blank') await page.waitForLoadState('networkidle');
  await page.goto(query ? `./?${query}` : './');
  await expect(page.locator('.al-app')).toBeVisible();
}

/**
 * Opens an author's page of our own, served from the app's folder like the example page, holding
 * one inline widget of `query`.
 */
export async function openHostPage(page, name, query) {
  await page.route(`**/${name}`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>
        <link rel="icon" href="icon.svg"><link rel="stylesheet" href="al.css">
        <script type="module" src="boot.js"></script></head>
        <body><main><div data-async-lanes="${query}"></div></main></body></html>`,
    }),
  );
  await page.goto(`./${name}`);
}
