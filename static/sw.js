// Service worker of 文明实践: precaches the app shell of one build and serves it with the
// network off. `cargo xtask dist` replaces the placeholder below with the build's asset
// list and version, so every build installs as a new worker and drops the old cache.
// The API (/api/) is never cached: records travel only through the app's outbox.
//
// The same file serves both builds: the volunteers' app (scope /) and the workbench
// (scope /work/). The manifest says which shell is this worker's and which paths belong
// to the other build's worker, so the worker at / never answers for /work/.
'use strict';

const MANIFEST = __PRECACHE_MANIFEST__;
const PREFIX = 'wenming-shell:' + MANIFEST.scope + ':';
const CACHE = PREFIX + MANIFEST.version;
// Caches of builds before the app was split in two.
const LEGACY = 'wenming-shell-';

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // 'reload' bypasses the HTTP cache, so a stale copy never enters the precache.
    await cache.addAll(MANIFEST.assets.map((url) => new Request(url, { cache: 'reload' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if ((key.startsWith(PREFIX) && key !== CACHE) || key.startsWith(LEGACY)) {
        await caches.delete(key);
      }
    }
    await self.clients.claim();
  })());
});

async function fromCache(request, fallbackUrl) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(fallbackUrl || request, { ignoreSearch: true });
  return hit || fetch(request);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) {
    return;
  }
  if (MANIFEST.elsewhere.some((prefix) => url.pathname.startsWith(prefix))) {
    return;
  }
  // Every page of the app is the one shell; the enrollment link's ?enroll= is read by the app.
  if (request.mode === 'navigate') {
    event.respondWith(fromCache(request, MANIFEST.shell));
    return;
  }
  event.respondWith(fromCache(request));
});
