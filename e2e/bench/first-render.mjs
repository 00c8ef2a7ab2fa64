// First-render benchmark of the release build in dist/: for every scene, load `?scene=X` with the
// cache off, five times, and take the median time from navigation to the first stats strip on
// screen; once on loopback as it is, once with the CPU throttled 4× (a mid-range phone, through
// the DevTools protocol's Emulation.setCPUThrottlingRate). Prints one row per scene against the
// budgets: 300 ms, and 650 ms throttled.
//
//   cd e2e && node bench/first-render.mjs      (or scripts/bench, which builds dist/ first)
//
// Env: AL_BENCH_PORT (default 4198), AL_BENCH_RUNS (default 5), AL_BENCH_SCENES (comma list).
import { cpus, loadavg } from 'node:os';
import { chromium } from 'playwright';
import { CHROMIUM, CHROMIUM_ARGS as args } from '../site.mjs';
import { serveDist } from './serve.mjs';

const port = Number(process.env.AL_BENCH_PORT || 4198);
const runs = Number(process.env.AL_BENCH_RUNS || 5);
const scenes = (process.env.AL_BENCH_SCENES || 'blocking,async,inside,await,workers,compare,race,load,playground').split(',');
const BUDGET = { plain: 300, throttled: 650 };

/** Installed before the page's own scripts: notes when the stats strip first exists. */
function watchFirstRender() {
  new MutationObserver((_, observer) => {
    if (document.querySelector('.al-stats')) {
      window.__alFirstRender = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
}

async function once(browser, scene, rate) {
  // A first visit: no service worker from an earlier load (each page is a new context anyway).
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  await page.addInitScript(watchFirstRender);
  await page.goto(`${base}?scene=${scene}`);
  await page.waitForFunction(() => window.__alFirstRender !== undefined, null, { timeout: 30_000 });
  const ms = await page.evaluate(() => window.__alFirstRender);
  await page.close();
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];


// The server's address and how to stop it, once it runs.
let base = '';
let stop = () => {};
let failed = false;
try {
  ({ base, stop } = await serveDist(port));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args });
  console.log(
    `async-lanes first-render benchmark: headless Chromium ${browser.version()}, cache off, median of ` +
      `${runs} loads per scene, ${cpus().length} cores, load average ${loadavg()[0].toFixed(2)}`,
  );
  console.log(`scene      plain ms (budget ${BUDGET.plain})  4x CPU ms (budget ${BUDGET.throttled})`);
  for (const scene of scenes) {
    const plain = [];
    const slow = [];
    for (let i = 0; i < runs; i++) plain.push(await once(browser, scene, 1));
    for (let i = 0; i < runs; i++) slow.push(await once(browser, scene, 4));
    const [p, s] = [median(plain), median(slow)];
    const mark = (v, budget) => `${v.toFixed(0).padStart(6)}${v > budget ? ' over' : '     '}`;
    console.log(`${scene.padEnd(9)}  ${mark(p, BUDGET.plain)}              ${mark(s, BUDGET.throttled)}`);
  }
  await browser.close();
} catch (e) {
  failed = true;
  console.error(`async-lanes: first-render benchmark failed: ${e.message}`);
} finally {
  stop();
}
process.exit(failed ? 1 : 0);
