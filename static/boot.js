// Loads the app from a file rather than an inline script, so that the page runs under
// `script-src 'self' 'wasm-unsafe-eval'` with no 'unsafe-inline'.
import init from './async-lanes.js';

function load() {
  init({ module_or_path: new URL('./async-lanes_bg.wasm', import.meta.url) }).then(() => {
    // On the app's own page (not an author's page with inline widgets), after the first render:
    // keep a copy of the app so that it works offline once loaded (static/sw.js).
    if (document.getElementById('al-root') && 'serviceWorker' in navigator) {
      navigator.serviceWorker.register(new URL('./sw.js', import.meta.url)).catch(() => {});
    }
  });
}

// On an author's page the app is fetched only once one of its widgets (or numbers in the prose)
// comes within about a screen of the viewport: a reader who never scrolls to them costs nothing.
const parts = document.querySelectorAll('[data-async-lanes], [data-async-lanes-stat]');
if (document.getElementById('al-root') || parts.length === 0 || !('IntersectionObserver' in window)) {
  load();
} else {
  const near = new IntersectionObserver(
    (entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        near.disconnect();
        load();
      }
    },
    { rootMargin: '100% 0px' },
  );
  parts.forEach((el) => near.observe(el));
}
