// The workers scene: 4 workers x 250 in flight, drawn on a canvas; the backlog with 1001 and 2000
// students; the presets change the run and the URL.
import { test, expect, openApp, stat } from './fixtures.js';

/**
 * How much of the canvas is painted (`share`), how much of it is ink rather than the lanes'
 * background (the most common colour), and with how many distinct colours.
 */
async function painted(page) {
  return page.locator('.al-workers-canvas').evaluate((canvas) => {
    // Read a copy, so the page's own canvas is never read back (Chromium warns when one is
    // read repeatedly).
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const ctx = copy.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(canvas, 0, 0);
    const data = ctx.getImageData(0, 0, copy.width, copy.height).data;
    let count = 0;
    const colours = new Map();
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 0) {
        count += 1;
        const rgb = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
        colours.set(rgb, (colours.get(rgb) || 0) + 1);
      }
    }
    const background = Math.max(...colours.values());
    const total = canvas.width * canvas.height;
    return { share: count / total, ink: (count - background) / total, colours: colours.size };
  });
}

test('at 1 s all 1000 are in flight, 250 on each worker, and the canvas shows them', async ({ page }) => {
  await openApp(page, 'scene=workers&t=1');
  expect(await stat(page, 'in-flight')).toBe(1000);
  const canvas = page.locator('.al-workers-canvas');
  await expect(canvas).toHaveAttribute('data-in-flight', '250,250,250,250');
  await expect(canvas).toHaveAttribute('data-cap', '250');
  await expect(canvas).toHaveAttribute('data-backlog', '0');
  await expect(canvas).toHaveAttribute('aria-label', /worker 1 250, worker 2 250, worker 3 250, worker 4 250; 0 waiting/);
  // Drawn, and drawn up to now: more of it is painted at 1 s than at the start.
  await expect.poll(async () => (await painted(page)).share).toBeGreaterThan(0.3);
  const at1 = await painted(page);
  expect(at1.colours).toBeGreaterThan(4);
  expect(at1.ink).toBeGreaterThan(0.1);
  await page.keyboard.press('Home');
  await expect(canvas).toHaveAttribute('data-in-flight', '250,250,250,250');
  await expect.poll(async () => (await painted(page)).ink).toBeLessThan(at1.ink / 2);
});

test('2000 students come in two waves: 1000 wait in the backlog, all 2000 complete', async ({ page }) => {
  await openApp(page, 'scene=workers&students=2000&t=end');
  expect(await stat(page, 'completed')).toBe(2000);
  expect(await stat(page, 'time-s')).toBe(4);
  const canvas = page.locator('.al-workers-canvas');
  await expect(canvas).toHaveAttribute('data-backlog-peak', '1000');
  await expect(canvas).toHaveAttribute('data-in-flight', '0,0,0,0');
  await expect(page.locator('.al-workers-caption')).toContainText(/1\u202f000 students found them all taken/);
  await page.keyboard.press('Home');
  await expect(canvas).toHaveAttribute('data-backlog', '1000');
});

test('the presets change the run: the 1001st waits for a slot', async ({ page }) => {
  await openApp(page, 'scene=workers&t=1');
  const presets = page.locator('.al-preset');
  await expect(presets).toHaveText(['1\u202f000 students', '1\u202f001', '2\u202f000']);
  await expect(presets.first()).toHaveAttribute('aria-pressed', 'true');
  await presets.nth(1).click();
  await expect(presets.nth(1)).toHaveAttribute('aria-pressed', 'true');
  const canvas = page.locator('.al-workers-canvas');
  await expect(canvas).toHaveAttribute('data-backlog', '1');
  await expect(page.locator('.al-workers-caption')).toContainText('1 student found them all taken and waited 2 s');
  await page.keyboard.press('End');
  await expect(page).toHaveURL(/students=1001/);
  // The key's redraw may land after the URL (already naming the preset) is read.
  await expect.poll(() => stat(page, 'completed')).toBe(1001);
  expect(await stat(page, 'time-s')).toBe(4);
});

test('on a phone the presets are touch-sized and the canvas scrolls inside its box', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 900 });
  await openApp(page, 'scene=workers&t=1');
  for (const box of await page.locator('.al-preset').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()))) {
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.width).toBeGreaterThanOrEqual(44);
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  expect((await painted(page)).share).toBeGreaterThan(0.3);
});

test('the 1001st student is one square in the queue, the size of a slot, and gone once it has one', async ({ page }) => {
  /** The colour at the centre of the queue's first square, and the lane's background beside it. */
  const square = () =>
    page.locator('.al-workers-canvas').evaluate((canvas) => {
      const [x, y] = canvas.dataset.queueSquare.split(',').map(Number);
      const scale = canvas.width / canvas.getBoundingClientRect().width;
      const copy = document.createElement('canvas');
      copy.width = canvas.width;
      copy.height = canvas.height;
      const ctx = copy.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(canvas, 0, 0);
      const at = (px, py) => Array.from(ctx.getImageData(Math.round(px * scale), Math.round(py * scale), 1, 1).data).join(',');
      return { square: at(x + 1, y + 1), beside: at(x + 1, y - 12) };
    });
  await openApp(page, 'scene=workers&students=1001&t=1');
  await expect(page.locator('.al-workers-canvas')).toHaveAttribute('data-backlog', '1');
  await expect.poll(async () => { const s = await square(); return s.square !== s.beside; }).toBe(true);
  // At 3 s it has a slot on worker 1: the queue is empty again.
  await openApp(page, 'scene=workers&students=1001&t=3');
  await expect(page.locator('.al-workers-canvas')).toHaveAttribute('data-backlog', '0');
  await expect.poll(async () => { const s = await square(); return s.square === s.beside; }).toBe(true);
});
