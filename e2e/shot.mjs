import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './site.mjs';
const shots = JSON.parse(process.argv[2]);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
for (const [name, q, w, dark, open] of shots) {
  const page = await browser.newPage({ viewport: { width: w, height: 900 }, colorScheme: dark ? 'dark' : 'light' });
  await page.goto(`http://localhost:4399/?${q}`);
  await page.waitForTimeout(1500);
  if (open) for (const m of await page.locator('summary', { hasText: 'More' }).all()) { try { await m.click(); } catch {} }
  await page.waitForTimeout(300);
  const cap = await page.locator('[data-stat="capacity-per-s"]').evaluateAll((e) => e.map((x) => x.closest('div').innerText.replace(/\n/g, ' | ')));
  console.log(name, JSON.stringify(cap));
  await page.screenshot({ path: `/tmp/${name}.png`, fullPage: true });
}
await browser.close();
