// Embedding: the strict CSP, the example page's widgets, the iframe's resize messages and its
// validated seek message, and the share buttons.
import { test, expect, openApp } from './fixtures.js';
import { CSP } from '../site.mjs';

test('the app is served with the strict CSP and runs under it', async ({ page }) => {
  const response = await page.goto('./');
  expect(response.headers()['content-security-policy']).toBe(CSP);
  await expect(page.locator('.al-app')).toBeVisible();
  // No inline script: everything runs from files.
  expect(await page.locator('script:not([src])').count()).toBe(0);
});

for (const width of [1280, 390]) {
  test(`the example page mounts every widget and the iframe, ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto('./embed-example.html');
    const widgets = page.locator('[data-async-lanes] > .al-app');
    await expect(widgets).toHaveCount(3);
    for (const [i, title] of ['Blocking', 'Async', 'Many workers'].entries()) {
      await expect(widgets.nth(i).locator('.al-scene')).toHaveAttribute('aria-label', new RegExp(title));
      await expect(widgets.nth(i).locator('.al-picture')).toBeVisible();
    }
    // chrome=min: the title with a link to the full version, the legend of what it draws, the
    // picture, play, the scrubber and one number; no setup form, no step buttons.
    const min = widgets.nth(1);
    await expect(min.locator('.al-legend')).toBeVisible();
    await expect(min.locator('.al-setup')).toHaveCount(0);
    await expect(min.locator('.al-widget-title')).toContainText('Async Lanes: Async');
    await expect(min.locator('.al-full-link')).toHaveAttribute('href', /\/series\/part-2\/\?scene=async&students=20$/);
    await expect(min.locator('.al-scene-control')).toHaveCount(0);
    await expect(min.locator('.al-watch')).toHaveCount(0);
    await expect(min.getByRole('button', { name: 'Step forward' })).toHaveCount(0);
    await expect(min.locator('.al-btn-play')).toBeVisible();
    await expect(min.locator('.al-scrub-input')).toBeVisible();
    await expect(min.locator('[data-stat]:not([data-stat="speed"])')).toHaveCount(1);
    // The host page's `button { background: hotpink }` does not reach the widgets.
    const bg = await widgets.first().locator('.al-btn').first().evaluate((b) => getComputedStyle(b).backgroundColor);
    expect(bg).not.toBe('rgb(255, 105, 180)');
    const frame = page.frameLocator('iframe');
    await expect(frame.locator('.al-app')).toBeVisible();
    await expect(frame.locator('.al-header')).toHaveCount(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
}

test('each widget has its own clock and keys, and the prose its numbers', async ({ page }) => {
  await page.goto('./embed-example.html');
  const widgets = page.locator('[data-async-lanes] > .al-app');
  await expect(widgets).toHaveCount(3);
  const time = (i) => widgets.nth(i).locator('[data-stat="time-s"]').getAttribute('data-value').then(Number);
  // The end of each widget's own run, as its clock shows it (`0.00 s / 40.00 s`).
  const end = (i) => widgets.nth(i).locator('.al-clock').innerText().then((t) => Number(t.split('/')[1].replace(/[^0-9.]/g, '')));
  await widgets.nth(0).locator('.al-scene').focus();
  await page.keyboard.press('End');
  await expect.poll(() => time(0)).toBe(40);
  expect(await time(2)).toBe(0);
  await widgets.nth(2).locator('.al-scene').focus();
  await page.keyboard.press('End');
  const workersEnd = await end(2);
  await expect.poll(async () => (await time(2)).toFixed(2)).toBe(workersEnd.toFixed(2));
  expect(await time(0)).toBe(40);
  // The article's words say what the widget shows.
  const shown = await widgets.nth(0).locator('.al-stats [data-stat="last-wait-s"]').innerText();
  await expect(page.locator('[data-async-lanes-of="scene=blocking&students=20"]')).toHaveText(shown);
  await expect(page.locator('[data-async-lanes-of="scene=blocking"]')).toHaveText('200 s (3 min 20 s)');
});

test('the iframe reports its content height and the host sizes it', async ({ page }) => {
  await page.addInitScript(() => {
    window.__alMessages = [];
    window.addEventListener('message', (e) => window.__alMessages.push(e.data));
  });
  await page.goto('./embed-example.html');
  const frameEl = page.locator('iframe');
  await frameEl.scrollIntoViewIfNeeded();
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('.al-app')).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.__alMessages.filter((m) => m?.type === 'async-lanes:resize').length)).toBeGreaterThan(0);
  const contentHeight = await frame.locator('.al-app').evaluate((el) => el.getBoundingClientRect().height);
  const reported = await page.evaluate(() => window.__alMessages.filter((m) => m?.type === 'async-lanes:resize').at(-1).height);
  expect(Math.abs(reported - contentHeight)).toBeLessThanOrEqual(1);
  // The iframe's inner height (without the host's border) is the reported one: no scroll bar.
  await expect.poll(() => frameEl.evaluate((f) => f.clientHeight)).toBe(reported);
});

test('the iframe accepts a valid seek message from its parent and ignores others', async ({ page }) => {
  await page.goto('./embed-example.html');
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('.al-app')).toBeVisible();
  // The iframe is the compare scene at chrome=article: its clock is the playback's readout
  // (`12.00 s / 40.00 s`), the one place it shows.
  const time = () => frame.locator('.al-clock').innerText().then((t) => Number(t.split('/')[0].replace(/[^0-9.]/g, '')));
  const post = (msg) => page.evaluate((m) => document.querySelector('iframe').contentWindow.postMessage(m, '*'), msg);
  await post({ type: 'async-lanes:seek', t: 'soon' });
  await post({ type: 'nope', t: 5 });
  await post('async-lanes:seek');
  await post({ type: 'async-lanes:seek', t: -3 });
  await page.waitForTimeout(200);
  expect(await time()).toBe(0);
  await post({ type: 'async-lanes:seek', t: 12 });
  await expect.poll(time).toBe(12);
});

test('copy link and copy embed code give the state on screen', async ({ page }) => {
  await openApp(page, 'scene=blocking&students=7&email_ms=1500&t=3');
  await page.getByRole('button', { name: 'Copy link to this moment' }).click();
  const copied = page.locator('.al-copied-text');
  await expect(copied).toHaveValue(/\/series\/part-2\/\?scene=blocking&students=7&email_ms=1500&t=3$/);
  await page.getByRole('button', { name: 'Copy embed code' }).click();
  // First an iframe of the scene, at its own moment, sized by embed-host.js: no inline script.
  const origin = /http:\/\/127\.0\.0\.1:\d+\/series\/part-2\//.source;
  await expect(copied).toHaveValue(new RegExp(`^<iframe src="${origin}\\?scene=blocking&amp;students=7&amp;email_ms=1500&amp;embed=1"`));
  let snippet = await copied.inputValue();
  expect(snippet).toContain('loading="lazy"');
  expect(snippet).toMatch(new RegExp(`<script src="${origin}embed-host\\.js" defer></script>$`));
  expect(snippet).not.toMatch(/<script>/);
  expect(Number(snippet.match(/height="(\d+)"/)[1])).toBeGreaterThan(900);
  // The moment on screen only when asked for; the level of chrome as chosen.
  await page.getByLabel(/Open at this moment \(3(\.00)? s\)/).check();
  await expect(copied).toHaveValue(/email_ms=1500&amp;t=3&amp;embed=1"/);
  await page.getByLabel('Around the picture').selectOption('article');
  await expect(copied).toHaveValue(/t=3&amp;chrome=article&amp;embed=1"/);
  snippet = await copied.inputValue();
  expect(Number(snippet.match(/height="(\d+)"/)[1])).toBeLessThan(900);
  await page.getByLabel('In the page itself').check();
  await expect(copied).toHaveValue(new RegExp(
    `^<link rel="stylesheet" href="${origin}al\\.css">\\n<script type="module" src="${origin}boot\\.js"></script>\\n` +
      '<div data-async-lanes="scene=blocking&amp;students=7&amp;email_ms=1500&amp;t=3&amp;chrome=article"></div>$',
  ));
  // The link opens the same moment.
  await page.goto('./?scene=blocking&students=7&email_ms=1500&t=3');
  await expect(page.locator('.al-stats [data-stat="time-s"]')).toHaveAttribute('data-value', '3');
});

test('the embed code shown is the one copied, while the clock plays on', async ({ page }) => {
  await openApp(page, 'scene=blocking&students=7&email_ms=1500&t=3');
  await page.getByRole('button', { name: 'Copy embed code' }).click();
  await page.getByLabel(/Open at this moment \(3(\.00)? s\)/).check();
  const copied = page.locator('.al-copied-text');
  await expect(copied).toHaveValue(/&amp;t=3&amp;embed=1"/);
  const snippet = await copied.inputValue();
  await page.locator('.al-btn-play').click();
  await expect(page.locator('.al-btn-play')).toHaveAttribute('aria-pressed', 'true');
  // Half a second of frames later the box still holds what the clipboard got, and says when.
  await page.waitForTimeout(500);
  await expect(copied).toHaveValue(snippet);
  await expect(page.getByLabel(/Open at this moment \(3(\.00)? s\)/)).toBeChecked();
});

test('both embed snippets work as pasted into a page with the strict CSP', async ({ page }) => {
  await openApp(page, 'scene=async&students=5');
  await page.getByRole('button', { name: 'Copy embed code' }).click();
  const copied = page.locator('.al-copied-text');
  await page.getByLabel('Around the picture').selectOption('min');
  const iframe = await copied.inputValue();
  await page.getByLabel('In the page itself').check();
  await expect(copied).toHaveValue(/^<link/);
  const inline = await copied.inputValue();
  await page.route('**/pasted.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      headers: { 'content-security-policy': CSP },
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pasted</title>
        <link rel="icon" href="icon.svg"></head><body><main><h1>An article</h1>
        ${inline}
        ${iframe}
        </main></body></html>`,
    }),
  );
  await page.goto('./pasted.html');
  const widget = page.locator('[data-async-lanes] > .al-app');
  await expect(widget.locator('.al-picture')).toBeVisible();
  await expect(widget.locator('.al-legend')).toBeVisible();
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('.al-picture')).toBeVisible();
  await expect(frame.locator('.al-full-link')).toBeVisible();
  // embed-host.js sized the iframe to the height the app reports.
  const content = await frame.locator('.al-app').evaluate((el) => Math.ceil(el.getBoundingClientRect().height));
  await expect.poll(() => page.locator('iframe').evaluate((f) => f.clientHeight)).toBeGreaterThanOrEqual(content - 1);
});

test('chrome=article keeps the headline, the legend, the playback bar, one number and a way to the rest', async ({ page }) => {
  await openApp(page, 'scene=compare&chrome=article&t=end');
  const scene = page.locator('.al-scene');
  await expect(page.locator('.al-widget-title')).toContainText('Async Lanes: Side by side');
  await expect(page.locator('.al-full-link')).toHaveAttribute('href', /\/series\/part-2\/\?scene=compare$/);
  await expect(scene.locator('.al-watch')).toBeVisible();
  await expect(scene.locator('.al-legend')).toBeVisible();
  await expect(scene.getByRole('button', { name: 'Step forward' })).toBeVisible();
  await expect(scene.locator('.al-lede, .al-setup, .al-actions, .al-formula, .al-stats-side')).toHaveCount(0);
});

test('a widget scrolled out of view pauses', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 700 });
  await page.goto('./embed-example.html');
  const first = page.locator('[data-async-lanes] > .al-app').first();
  await first.locator('.al-btn-play').click();
  await expect(first.locator('.al-btn-play')).toHaveAttribute('aria-pressed', 'true');
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await expect(first.locator('.al-btn-play')).toHaveAttribute('aria-pressed', 'false');
});

test('Download trace and Download CSV save the run on screen', async ({ page }) => {
  await openApp(page, 'scene=async&students=5&validate_ms=5');
  const [trace] = await Promise.all([page.waitForEvent('download'), page.locator('[data-download="perfetto"]').click()]);
  expect(trace.suggestedFilename()).toBe('async-lanes-async.json');
  const { readFile } = await import('node:fs/promises');
  const json = JSON.parse(await readFile(await trace.path(), 'utf8'));
  const names = json.traceEvents.filter((e) => e.ph === 'M').map((e) => e.args.name);
  expect(names).toContain('Worker 1');
  // Named as the page names them: five students are A to E.
  expect(names).toContain('Student E');
  const complete = json.traceEvents.filter((e) => e.ph === 'X');
  expect(complete.length).toBeGreaterThan(10);
  for (const e of complete) expect(e.dur).toBeGreaterThanOrEqual(0);
  const [table] = await Promise.all([page.waitForEvent('download'), page.locator('[data-download="csv"]').click()]);
  expect(table.suggestedFilename()).toBe('async-lanes-async.csv');
  const rows = (await readFile(await table.path(), 'utf8')).trim().split('\n');
  expect(rows[0]).toBe('student,worker,state,step,start_s,end_s,line');
  // Each row's student is one of the five, on worker 1.
  for (const row of rows.slice(1)) expect(row).toMatch(/^[A-E],1,[a-z_]+,[a-z_]*,\d+\.\d{6},\d+\.\d{6},\d*$/);
  // The handler runs on its lines: the email's await is one of them.
  expect(rows.some((row) => /,awaiting_io,send_email,.*,\d+$/.test(row))).toBe(true);
  expect(complete.some((e) => e.name === 'awaiting_io send_email' && e.args?.line > 0)).toBe(true);
});

test('an author\'s page fetches the app only once a widget comes within about a screen', async ({ page }) => {
  // A page whose only widget stands three screens down.
  await page.route('**/lazy-example.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Lazy</title>
        <link rel="stylesheet" href="al.css"><script type="module" src="boot.js"></script></head>
        <body><main><h1>An article</h1><div style="height:3000px"></div>
        <div data-async-lanes="scene=blocking&students=10"></div></main></body></html>`,
    }),
  );
  await page.setViewportSize({ width: 1280, height: 800 });
  const fetched = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.wasm')) fetched.push(r.url());
  });
  await page.goto('./lazy-example.html');
  await page.waitForLoadState('networkidle');
  // Stated wait: nothing asked for the app in this time, with the widget out of reach.
  await page.waitForTimeout(500);
  expect(fetched).toEqual([]);
  await page.mouse.wheel(0, 2000);
  await expect(page.locator('[data-async-lanes] > .al-app')).toBeVisible();
  expect(fetched).toHaveLength(1);
});
