// Service worker for the guide and the calculator, registered by the calculator page with the
// site root as its scope (so it works under a sub-path such as /panduan-spbe/).
// - Precached app files (calculator page and assets, Pyodide, wheel): cache-first.
// - Other pages and files of the site: network-first; a copy is kept so visited pages open offline.
// - DEFERRED files (the Pyodide memory snapshot) are fetched only when the page asks, after the
//   calculator's first result, so the first visit stays light. A gzipped one is stored unzipped
//   under its name without ".gz": unzipping it would cost the worker time at every start, the
//   service worker once, in the background.
// Every cache name carries the build VERSION; an updated build installs a fresh cache (reusing
// unchanged files from the old one) and deletes the old caches on activation.
// Never two builds in one page: every page links the site's files as `path?v=<revision>`
// (scripts/offline.py), so a page of a newer build than this worker's (network-first) gets its
// files from the network, not this build's copies. Visited pages move into the new build's page
// cache at install, fetched again (their new HTML matches the new files), so they still open
// offline after an update.
//
// This file ships as it is. The build's list of files is offline.json next to it, written by
// scripts/offline.py: {version, precache, deferred}, each list URL (relative to this file) ->
// first 16 hex digits of the file's SHA-256. The page reads offline.json from the network and
// registers sw.js?v=<version>: a new build is a new script URL, which the browser installs.
// The install checks that offline.json still holds that version and keeps it in the app cache,
// where every later start of this worker reads it.

const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));
const ROOT = new URL("./", self.location.href).href;
const VERSION = new URL(self.location.href).searchParams.get("v") ?? "";
// Registered without a version: by a page of the release before this one (its own registration
// or update check of plain sw.js). This worker then only bridges to the versioned one: it
// installs at once, leaves every request to the network and every cache in place (their files
// are reused), and the next page of this release registers sw.js?v=<version>.
const BRIDGE = VERSION === "";
const MANIFEST_URL = new URL("offline.json", ROOT).href;
const SW_URL = new URL("sw.js", ROOT).href;
// One origin can host several sites (user.github.io/a/, user.github.io/b/): prefix by path.
const PREFIX = `spbe:${new URL(ROOT).pathname}:`;
const APP_CACHE = `${PREFIX}app:${VERSION}`;
const PAGE_CACHE = `${PREFIX}pages:${VERSION}`;
const REV_HEADER = "x-spbe-rev";
const abs = (/** @type {string} */ path) => new URL(path, ROOT).href;
const GZIP = ".gz";
// Where the copy of `path` lives in the cache (unzipped files drop ".gz").
const stored = (/** @type {string} */ path) =>
  abs(path.endsWith(GZIP) ? path.slice(0, -GZIP.length) : path);

/**
 * @typedef {object} Manifest
 * @property {string} version
 * @property {Record<string, string>} precache
 * @property {Record<string, string>} deferred
 */

/** @returns {Promise<Manifest | null>} this version's manifest, as kept by the install */
async function keptManifest() {
  const hit = await caches.match(MANIFEST_URL, { cacheName: APP_CACHE });
  return hit ? hit.json() : null;
}

// Read once per start of this worker; every request waits for it (a cache read, a few ms).
let manifest = keptManifest().catch(() => null);
let revisions = manifest.then(revisionsOf);

/** Where each file of `found` is cached -> its revision. @param {Manifest | null} found */
function revisionsOf(found) {
  const all = { ...found?.precache, ...found?.deferred };
  return new Map(Object.entries(all).map(([path, rev]) => [stored(path), rev]));
}

// Shown for a page that was never visited while online.
const OFFLINE_PAGE = `<!doctype html><html lang="id"><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Tanpa koneksi</title>
<link rel="icon" href="${ROOT}assets/icons/icon.svg">
<body style="font-family:sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem">
<h1>Tanpa koneksi</h1><p>Halaman ini belum pernah dibuka di perangkat ini, jadi belum tersimpan
untuk dibaca tanpa internet. Kalkulator tetap dapat dipakai.</p>
<p><a href="${ROOT}kalkulator/">Buka kalkulator</a></p></body></html>`;

sw.addEventListener("install", (event) => {
  if (BRIDGE) {
    event.waitUntil(sw.skipWaiting());
    return;
  }
  event.waitUntil(
    (async () => {
      const response = await fetch(MANIFEST_URL, { cache: "no-cache" });
      if (!response.ok) throw new Error(`${MANIFEST_URL}: HTTP ${response.status}`);
      /** @type {Manifest} */
      const found = await response.clone().json();
      // A newer build was deployed since the page read offline.json: the page registers that
      // one on its next visit; this install fails and the old version stays.
      if (found.version !== VERSION) throw new Error(`offline.json is not build ${VERSION}`);
      const cache = await caches.open(APP_CACHE);
      await Promise.all(
        Object.entries(found.precache).map(([path, rev]) => store(cache, path, rev)),
      );
      // An unchanged snapshot moves over to the new cache now; a new one waits for "fill".
      for (const [path, rev] of Object.entries(found.deferred)) await reuse(cache, path, rev);
      await carryPages();
      await cache.put(MANIFEST_URL, response);
      manifest = Promise.resolve(found);
      revisions = manifest.then(revisionsOf);
      // Pages already open keep what they loaded; every new navigation gets the new build.
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener("activate", (event) => {
  if (BRIDGE) return;
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
sw.addEventListener("message", (event) => {
  if (event.data?.type !== "fill") return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(APP_CACHE);
      let ok = true;
      for (const [path, rev] of Object.entries((await manifest)?.deferred ?? {})) {
        await store(cache, path, rev).catch((err) => {
          ok = false;
          console.warn("sw: not cached:", path, err);
        });
      }
      event.source?.postMessage({ type: "filled", ok, version: VERSION });
    })(),
  );
});

sw.addEventListener("fetch", (event) => {
  const { request } = event;
  if (BRIDGE || request.method !== "GET") return;
  const url = new URL(request.url);
  const key = url.origin + url.pathname; // a query string never selects another version
  if (!key.startsWith(ROOT) || key === SW_URL) return;
  // The page asks the network which build is current; offline, this build answers.
  if (key === MANIFEST_URL) {
    event.respondWith(fetch(request).catch(() => cacheFirst(request, key)));
    return;
  }
  const wanted = url.searchParams.get("v");
  event.respondWith(
    revisions.then((revs) => {
      // A page of another build asks for its own revision: this build's copy would mix builds.
      if (wanted !== null && revs.has(key) && revs.get(key) !== wanted) return networkFirst(request);
      return revs.has(key) ? cacheFirst(request, key) : networkFirst(request);
    }),
  );
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
    // A file asked for by revision (`?v=`) is only ever answered by that revision.
    const exact = new URL(request.url).searchParams.has("v");
    const hit = await cache.match(request, { ignoreSearch: !exact });
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

// Fill this build's page cache from the older ones: a file kept by revision (`?v=`) is that
// revision, copied; anything else (pages above all) is fetched again, so that a page and the
// files it links are of one build. A page gone from this build (HTTP error) is dropped; a
// network failure fails the install (the old version stays, the next visit retries).
async function carryPages() {
  const cache = await caches.open(PAGE_CACHE);
  for (const name of await caches.keys()) {
    if (!name.startsWith(`${PREFIX}pages:`) || name === PAGE_CACHE) continue;
    const old = await caches.open(name);
    for (const request of await old.keys()) {
      if (await cache.match(request)) continue;
      if (new URL(request.url).searchParams.has("v")) {
        await cache.put(request, await old.match(request));
        continue;
      }
      const response = await fetch(request.url, { cache: "no-cache" });
      if (response.ok && response.type === "basic") await cache.put(request, response);
    }
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
