// End-to-end tests run against the release build in dist/, served under a sub-path with a strict CSP,
// in Debian's Chromium (Playwright never downloads a browser here).
import { defineConfig } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from './site.mjs';

const port = Number(process.env.AL_E2E_PORT || 4173);

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  workers: 2,
  reporter: [['list'], ['json', { outputFile: 'results.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}/series/part-2/`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    command: 'node server.mjs',
    url: `http://127.0.0.1:${port}/series/part-2/index.html`,
    reuseExistingServer: false,
    env: { AL_E2E_PORT: String(port) },
  },
});
