// Where and how the end-to-end tests serve dist/: a sub-path, and the strict CSP the README promises.
export const SUB_PATH = '/series/part-2/';
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
].join('; ');
