// Where and how the end-to-end tests serve dist/ (a sub-path, the strict CSP the README promises)
// and how they start Chromium (quiet on a machine with no network).
export const SUB_PATH = '/series/part-2/';
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
].join('; ');

/** Debian's Chromium, as the tests and the frame benchmark start it. */
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
