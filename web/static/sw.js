// The service worker: the app shell from its cache (so the client opens with
// no connection) and the user's forms and answers network-first with a
// cached fallback. It never sends anything: the outbox lives in IndexedDB
// and the page sends it, so replacing this worker cannot strand queued data.

// VERSION and SHELL are written by `go test ./web -update` from the files.
const VERSION = '8ef71360418f';
const SHELL = ['./', 'app.css', 'icon.svg', 'js/anomaly.js', 'js/api.js', 'js/app.js', 'js/db.js', 'js/dom.js', 'js/engine.js', 'js/form.js', 'js/i18n.js', 'js/outbox.js', 'js/password.js', 'js/period.js', 'js/rules.js', 'js/school.js', 'js/session.js', 'js/setup.js', 'js/values.js', 'manifest.webmanifest', 'vendor/logic.js'];

const SHELL_CACHE = 'tianbao-shell-' + VERSION;
const API_CACHE = 'tianbao-api';
const API = /^\/api\/v1\/(me|tasks|drives|drives\/[^/]+\/(form|context|progress|submissions)|submissions\/[^/]+)$/;

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(SHELL_CACHE).then((c) => c.addAll(SHELL.map((p) => new Request(p, { cache: 'reload' })))));
});

self.addEventListener('activate', (e) => {
  e.waitUntil((async () => {
    for (const k of await caches.keys()) {
      if (k.startsWith('tianbao-shell-') && k !== SHELL_CACHE) await caches.delete(k);
    }
    await self.clients.claim();
  })());
});

// The page asks for the new version once nothing is being sent.
self.addEventListener('message', (e) => {
  if (e.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (e) => {
  const req = e.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== location.origin) return;
  if (url.pathname.startsWith('/api/')) {
    if (API.test(url.pathname)) e.respondWith(apiFirst(req));
    return;
  }
  if (req.mode === 'navigate') {
    e.respondWith(caches.match('./', { cacheName: SHELL_CACHE }).then((r) => r || fetch(req)));
    return;
  }
  e.respondWith(fromShell(req));
});

// fromShell answers a file of the client from this version's cache; one
// loaded on demand (a bureau's screen) is kept there once fetched.
async function fromShell(req) {
  const cache = await caches.open(SHELL_CACHE);
  const hit = await cache.match(req, { ignoreSearch: true });
  if (hit) return hit;
  const res = await fetch(req);
  if (res.ok && res.type === 'basic') await cache.put(req, res.clone());
  return res;
}

// apiFirst asks the network, revalidating with the cached ETag, and answers
// from the cache when the network fails or the server is unavailable.
async function apiFirst(req) {
  const cache = await caches.open(API_CACHE);
  const key = req.url;
  const cached = await cache.match(key);
  const headers = new Headers(req.headers);
  const etag = cached && cached.headers.get('ETag');
  if (etag && !headers.has('If-None-Match')) headers.set('If-None-Match', etag);
  try {
    const res = await fetch(req.url, { headers, cache: 'no-store', credentials: 'omit' });
    if (res.status === 304 && cached && !req.headers.has('If-None-Match')) return cached;
    if (res.ok) {
      await cache.put(key, res.clone());
      return res;
    }
    if (res.status >= 500 && cached) return fromCache(cached);
    return res;
  } catch (err) {
    if (cached) return fromCache(cached);
    throw err;
  }
}

function fromCache(res) {
  const headers = new Headers(res.headers);
  headers.set('X-Tianbao-Cache', '1');
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}
