// Service worker for the guide and the calculator, registered by the calculator page with the
// site root as its scope (so it works under a sub-path such as /panduan-spbe/).
// - Precached app files (calculator page and assets, Pyodide, wheel): cache-first.
// - Other pages and files of the site: network-first; a copy is kept so visited pages open offline.
// - DEFERRED files (the Pyodide memory snapshot) are fetched only when the page asks, after the
//   calculator's first result, so the first visit stays light. A gzipped one is stored unzipped
//   under its name without ".gz": unzipping 31 MB costs the worker about 0.25 s at every start,
//   the service worker once, in the background.
// Every cache name carries the build VERSION; an updated build installs a fresh cache (reusing
// unchanged files from the old one) and deletes the old caches on activation.
//
// scripts/offline.py writes site/sw.js from this template, replacing the lines between the BUILD
// markers: URL (relative to this file) -> first 16 hex digits of the file's SHA-256.

// BUILD:START
const VERSION = "dev";
const PRECACHE = {};
const DEFERRED = {};
// BUILD:END

const ROOT = new URL("./", self.location).href;
// One origin can host several sites (user.github.io/a/, user.github.io/b/): prefix by path.
const PREFIX = `spbe:${new URL(ROOT).pathname}:`;
const APP_CACHE = `${PREFIX}app:${VERSION}`;
const PAGE_CACHE = `${PREFIX}pages:${VERSION}`;
const REV_HEADER = "x-spbe-rev";
const abs = (path) => new URL(path, ROOT).href;
const GZIP = ".gz";
// Where the copy of `path` lives in the cache (unzipped files drop ".gz").
const stored = (path) => abs(path.endsWith(GZIP) ? path.slice(0, -GZIP.length) : path);
const REVS = new Map(
  Object.entries({ ...PRECACHE, ...DEFERRED }).map(([path, rev]) => [stored(path), rev]),
);

// Shown for a page that was never visited while online.
const OFFLINE_PAGE = `<!doctype html><html lang="id"><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Tanpa koneksi</title>
<link rel="icon" href="${ROOT}assets/icons/icon.svg">
<body style="font-family:sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem">
<h1>Tanpa koneksi</h1><p>Halaman ini belum pernah dibuka di perangkat ini, jadi belum tersimpan
untuk dibaca tanpa internet. Kalkulator tetap dapat dipakai.</p>
<p><a href="${ROOT}kalkulator/">Buka kalkulator</a></p></body></html>`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(APP_CACHE);
      await Promise.all(Object.entries(PRECACHE).map(([path, rev]) => store(cache, path, rev)));
      // An unchanged snapshot moves over to the new cache now; a new one waits for "fill".
      for (const [path, rev] of Object.entries(DEFERRED)) await reuse(cache, path, rev);
      // Pages already open keep what they loaded; every new navigation gets the new build.
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== APP_CACHE && name !== PAGE_CACHE) {
          await caches.delete(name);
        }
      }
    })(),
  );
});

// {type: "fill"}: fetch the DEFERRED files now (best effort; a failure is retried next visit),
// then answer {type: "filled", ok, version} to the page that asked.
self.addEventListener("message", (event) => {
  if (event.data?.type !== "fill") return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(APP_CACHE);
      let ok = true;
      for (const [path, rev] of Object.entries(DEFERRED)) {
        await store(cache, path, rev).catch((err) => {
          ok = false;
          console.warn("sw: not cached:", path, err);
        });
      }
      event.source?.postMessage({ type: "filled", ok, version: VERSION });
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  const key = url.origin + url.pathname; // a query string never selects another version
  if (REVS.has(key)) {
    event.respondWith(cacheFirst(request, key));
  } else if (key.startsWith(ROOT) && url.pathname !== new URL("sw.js", ROOT).pathname) {
    event.respondWith(networkFirst(request));
  }
});

async function cacheFirst(request, key) {
  const hit = await caches.match(key, { cacheName: APP_CACHE });
  return hit ?? fetch(request);
}

async function networkFirst(request) {
  const cache = await caches.open(PAGE_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") await cache.put(request, response.clone());
    return response;
  } catch (err) {
    const hit = await cache.match(request, { ignoreSearch: true });
    if (hit) return hit;
    if (request.mode === "navigate") {
      return new Response(OFFLINE_PAGE, {
        status: 503,
        headers: { "Content-Type": "text/html; charset=utf-8" },
      });
    }
    throw err;
  }
}

// Put the build's version of `path` into `cache`: a copy from an older cache when the content
// hash matches, else a download past the HTTP cache whose hash is checked. A half-deployed site
// or a stale HTTP cache therefore fails the install (the old version stays) instead of mixing.
async function store(cache, path, rev) {
  if (await reuse(cache, path, rev)) return;
  const url = abs(path);
  const response = await fetch(url, { cache: "no-cache" });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  let body = await response.arrayBuffer();
  if ((await sha256(body)) !== rev) throw new Error(`${url}: not the file of build ${VERSION}`);
  // Keep only the type: the body is already decoded, so length/encoding headers would lie.
  const headers = { [REV_HEADER]: rev };
  let type = response.headers.get("Content-Type");
  if (stored(path) !== url) {
    const unzipped = new Blob([body]).stream().pipeThrough(new DecompressionStream("gzip"));
    body = await new Response(unzipped).arrayBuffer();
    type = "application/octet-stream";
  }
  if (type) headers["Content-Type"] = type;
  await cache.put(stored(path), new Response(body, { headers }));
}

// True when `cache` holds this revision of `path`, copied from an older cache if need be.
async function reuse(cache, path, rev) {
  const url = stored(path);
  if (await hasRev(cache, url, rev)) return true;
  for (const name of await caches.keys()) {
    if (!name.startsWith(`${PREFIX}app:`)) continue;
    const old = await caches.open(name);
    if (await hasRev(old, url, rev)) {
      await cache.put(url, await old.match(url));
      return true;
    }
  }
  return false;
}

async function hasRev(cache, url, rev) {
  const hit = await cache.match(url);
  return hit?.headers.get(REV_HEADER) === rev;
}

async function sha256(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return Array.from(digest.subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
}
