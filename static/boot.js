// Loads the app from a file rather than an inline script, so that the page runs under
// `script-src 'self' 'wasm-unsafe-eval'` with no 'unsafe-inline'.
import init from './async-lanes.js';

init({ module_or_path: new URL('./async-lanes_bg.wasm', import.meta.url) });
