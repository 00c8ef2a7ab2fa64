import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './site.mjs';
const code = encodeURIComponent('async def register(student):\n    await asyncio.sleep(0.5)\n');
const shots = [
  ['pg', `scene=playground&code=${code}&t=end`, 1280, false],
  ['pg390', `scene=playground&code=${code}&t=end`, 390, true],
  ['load', `scene=load&mode=async&code=${code}`, 1280, false],
];
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
for (const [name, q, w, dark] of shots) {
  const page = await browser.newPage({ viewport: { width: w, height: 1000 }, colorScheme: dark ? 'dark' : 'light' });
  await page.goto(`http://localhost:4399/?${q}`);
  await page.waitForTimeout(1500);
  const more = page.locator('summary', { hasText: 'More' });
  for (const m of await more.all()) { try { await m.click(); } catch {} }
  await page.waitForTimeout(300);
  const cap = await page.locator('[data-stat="capacity-per-s"]').evaluateAll((e) => e.map((x) => x.closest('div').innerText));
  console.log(name, JSON.stringify(cap));
  await page.screenshot({ path: `/tmp/${name}.png`, fullPage: true });
}
await browser.close();
