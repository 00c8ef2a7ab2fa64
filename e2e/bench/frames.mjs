// Frame-time benchmark of the release build in dist/: for every scene with a clock (the load
// curve has none: nothing plays there), load `?scene=X`, press Space to play, and record for about 3 s of playing
//   - the interval between animation frames (what a reader sees as smoothness), and
//   - each frame's work: from the frame's start to a task posted from its rAF callback, which
//     runs once the frame's scripts, style, layout and paint are done;
// plus any long tasks (over 50 ms) the browser reports. Prints one table row per scene.
//
//   cd e2e && node bench/frames.mjs            (or scripts/bench, which builds dist/ first)
//
// Env: AL_BENCH_PORT (default 4199), AL_BENCH_MS (default 3000), AL_BENCH_SCENES (comma list),
// AL_BENCH_WIDTH (default 1280), CHROMIUM (default /usr/bin/chromium).
import { loadavg, cpus } from 'node:os';
import { chromium } from 'playwright';
import { CHROMIUM, CHROMIUM_ARGS as args } from '../site.mjs';
import { serveDist } from './serve.mjs';

const port = Number(process.env.AL_BENCH_PORT || 4199);
const measureMs = Number(process.env.AL_BENCH_MS || 3000);
const width = Number(process.env.AL_BENCH_WIDTH || 1280);
const scenes = (process.env.AL_BENCH_SCENES || 'blocking,async,inside,await,workers,compare,race,playground').split(',');


/** Runs in the page: plays, collects frame intervals and per-frame work for `ms` of playing. */
function collect(ms) {
  return new Promise((resolve) => {
    const intervals = [];
    const work = [];
    const longTasks = [];
    let observer = null;
    try {
      observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) longTasks.push(e.duration);
      });
      observer.observe({ type: 'longtask' });
    } catch {
      // no Long Tasks API: the column stays empty
    }
    const channel = new MessageChannel();
    const frameStarts = [];
    channel.port1.onmessage = () => work.push(performance.now() - frameStarts.shift());
    const playButton = () => document.querySelector('.al-btn-play');
    const playing = () => playButton()?.getAttribute('aria-pressed') === 'true';
    const space = () => document.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true }));
    let last = null;
    let played = 0;
    let restarts = 0;
    function frame(now) {
      if (last !== null && playing()) {
        intervals.push(now - last);
        played += now - last;
      } else if (last !== null) {
        // The run reached its end: play again (it starts over), so every scene is measured
        // while it moves, never while it rests.
        restarts += 1;
        space();
      }
      last = now;
      // `now` is the frame's start, shared by every rAF callback of this frame.
      frameStarts.push(now);
      channel.port2.postMessage(0);
      if (played < ms) {
        requestAnimationFrame(frame);
      } else {
        setTimeout(() => {
          observer?.disconnect();
          resolve({ intervals, work, longTasks, restarts });
        }, 50);
      }
    }
    requestAnimationFrame(frame);
  });
}

function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

const fmt = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');

// The server's address and how to stop it, once it runs.
let base = '';
let stop = () => {};
let failed = false;
try {
  ({ base, stop } = await serveDist(port));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args,
  });
  console.log(
    `async-lanes frame benchmark: headless Chromium ${browser.version()}, ${width} px, ` +
      `${measureMs / 1000} s of playing per scene, ${cpus().length} cores, ` +
      `load average ${loadavg()[0].toFixed(2)}`,
  );
  const header = ['scene', 'frames', 'p50 ms', 'p95 ms', 'max ms', 'work p50', 'work p95', 'work max', 'long tasks'];
  const rows = [header];
  for (const scene of scenes) {
    // No service worker: its first copy of the app would download during the measured frames.
    const page = await browser.newPage({ viewport: { width, height: 900 }, serviceWorkers: 'block' });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${base}?scene=${scene}`);
    await page.locator('.al-stats').waitFor();
    // Let the first render and any layout settle before timing.
    await page.waitForTimeout(300);
    await page.keyboard.press(' ');
    await page.locator('.al-btn-play[aria-pressed="true"]').waitFor({ timeout: 5000 });
    const r = await page.evaluate(collect, measureMs);
    await page.close();
    if (errors.length) {
      failed = true;
      console.error(`async-lanes: ${scene}: ${errors.join('; ')}`);
    }
    rows.push([
      scene,
      String(r.intervals.length),
      fmt(percentile(r.intervals, 50)),
      fmt(percentile(r.intervals, 95)),
      fmt(Math.max(...r.intervals)),
      fmt(percentile(r.work, 50)),
      fmt(percentile(r.work, 95)),
      fmt(Math.max(...r.work)),
      r.longTasks.length ? `${r.longTasks.length} (max ${fmt(Math.max(...r.longTasks))})` : '0',
    ]);
    if (percentile(r.intervals, 95) > 20) {
      console.error(`async-lanes: ${scene}: p95 frame interval above the 20 ms goal`);
    }
  }
  await browser.close();
  const widths = header.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) {
    console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
  }
  console.log('frames: intervals between animation frames while playing; work: frame start to the end of its rendering.');
  const [load] = loadavg();
  if (load > cpus().length) {
    console.log(
      `note: the machine was busy (load average ${load.toFixed(2)} on ${cpus().length} cores); ` +
        'long tasks then mostly mean the browser waited for a core: measure again when it is idle.',
    );
  }
} catch (e) {
  failed = true;
  console.error(`async-lanes: frame benchmark failed: ${e.message}`);
} finally {
  stop();
}
process.exit(failed ? 1 : 0);
