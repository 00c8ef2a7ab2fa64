// The benchmarks' static server: e2e/server.mjs (dist/ under the sub-path, with the strict CSP) on
// a port of their own, started and awaited in one call.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SUB_PATH } from '../site.mjs';

const here = fileURLToPath(new URL('..', import.meta.url));

/** Starts the server on `port` and resolves, once it answers, to `{ base, stop }`. */
export async function serveDist(port, ms = 10_000) {
  const server = spawn(process.execPath, ['server.mjs'], {
    cwd: here,
    env: { ...process.env, AL_E2E_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}${SUB_PATH}`;
  const stop = () => server.kill();
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${base}index.html`)).ok) return { base, stop };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error(`async-lanes: the static server did not answer at ${base}`);
}
