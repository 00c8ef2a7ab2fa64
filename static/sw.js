// The app's service worker: once the app has loaded, a reload with no network still draws it.
// Never stale: every request for one of the app's files goes to the network first, and only a
// failed one is answered from the copy of its last good response. Anything else (an author's
// pages beside the app, say) passes through untouched.
const CACHE = 'async-lanes';
const FILES = ['index.html', 'boot.js', 'async-lanes.js', 'async-lanes_bg.wasm', 'al.css', 'icon.svg'];
// The folder this file is served from, where the app's files are.
const BASE = new URL('./', self.location.href);

/** The cache key of a request for one of the app's files (the page under any query), or null. */
function fileOf(request) {
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== BASE.origin || !url.pathname.startsWith(BASE.pathname)) {
    return null;
  }
  const file = url.pathname.slice(BASE.pathname.length) || 'index.html';
  return FILES.includes(file) ? new URL(file, BASE).href : null;
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES.map((file) => new URL(file, BASE).href)))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const key = fileOf(event.request);
  if (!key) return;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(key, copy)));
        }
        return response;
      })
      .catch(() => caches.match(key).then((cached) => cached || Response.error())),
  );
});
