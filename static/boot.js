// Loads the app from a file rather than an inline script, so that the page runs under
// `script-src 'self' 'wasm-unsafe-eval'` with no 'unsafe-inline'.
import init from './async-lanes.js';

init({ module_or_path: new URL('./async-lanes_bg.wasm', import.meta.url) }).then(() => {
  // On the app's own page (not an author's page with inline widgets), after the first render:
  // keep a copy of the app so that it works offline once loaded (static/sw.js).
  if (document.getElementById('al-root') && 'serviceWorker' in navigator) {
    navigator.serviceWorker.register(new URL('./sw.js', import.meta.url)).catch(() => {});
  }
});
