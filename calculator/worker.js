// Module worker: self-hosted Pyodide plus the spbe_core wheel. Answers {id, request} messages
// with spbe_core.handle_request(); every figure the page shows is computed there.
//
// Messages to the page: {type: "progress", loaded, total}, {type: "stage", stage},
// {type: "ready", ms, snapshot, timings}, {type: "failed", error}, {type: "reply", id, reply | error}.
// Imported dynamically, not statically: a static import would hold back this whole module (and
// with it the snapshot read and the wheel's download below) until pyodide.mjs has arrived.
// @ts-expect-error -- the build copies Pyodide next to the calculator (assets/pyodide/)
const pyodideModule = import("../pyodide/pyodide.mjs");

// The build's settings, in this worker's URL (worker.js?c=<JSON>, written into the page by
// scripts/build_calculator.py; the same object as the contract's `runtime`, plus the page's
// framework): the paths of the wheel and of the standard library made for it (in a
// content-hashed folder, so a new build never meets a cached old file), the lock file's info,
// the byte size of each file fetched, for progress, and the framework and level range used by
// the self-checks. Paths are relative to this file.
/**
 * @typedef {object} WorkerConfig
 * @property {string} wheel
 * @property {string} stdlib
 * @property {string} snapshot
 * @property {{info: object, packages: object}} lock
 * @property {Record<string, number>} sizes
 * @property {string} framework
 * @property {[number, number]} levels
 */
/** @type {WorkerConfig} */
// Where the start-up's time goes (`make bench` reads these as page marks "spbe-mesin-<name>",
// engine.js): name -> ms since the epoch, sent with "ready".
/** @type {Record<string, number>} */
const timings = { modul: performance.timeOrigin + performance.now() };
const stamp = (/** @type {string} */ name) => {
  timings[name] = performance.timeOrigin + performance.now();
};

const BUILD = JSON.parse(new URL(import.meta.url).searchParams.get("c") ?? "null") ?? {
  wheel: "",
  stdlib: "",
  snapshot: "",
  lock: { info: {}, packages: {} },
  sizes: {},
  framework: "",
  levels: [0, 0],
};

// Pyodide's own files, except two (scripts/make_runtime.mjs): a standard library holding only
// the modules used, precompiled, which saves most of Python's start-up; and, as no optional
// package is ever loaded, the lock file's info instead of fetching the whole file.
const runtime = {
  indexURL: new URL("../pyodide/", import.meta.url).href,
  stdLibURL: new URL(BUILD.stdlib, import.meta.url).href,
  lockFileContents: BUILD.lock,
};
const wheelURL = new URL(BUILD.wheel, import.meta.url).href;
const total = Object.values(BUILD.sizes).reduce((sum, size) => sum + size, 0);
const counted = {};
let lastReport = 0;
let downloaded = false;

function report(name, bytes) {
  counted[name] = bytes;
  const loaded = Object.values(counted).reduce((sum, size) => sum + size, 0);
  const now = performance.now();
  if (downloaded || (loaded < total && now - lastReport < 100)) return;
  lastReport = now;
  postMessage({ type: "progress", loaded: Math.min(loaded, total), total });
  if (loaded >= total) {
    downloaded = true;
    postMessage({ type: "stage", stage: "python" });
  }
}

// Count the bytes of a response on a clone, so Pyodide still gets the original (its URL and
// streaming compilation of the .wasm stay untouched).
async function countBody(name, response) {
  const reader = response.body.getReader();
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    report(name, bytes);
  }
  report(name, BUILD.sizes[name] ?? bytes);
}

const nativeFetch = globalThis.fetch;
let counting = true; // off when restoring: nothing is downloaded, and a clone costs time
globalThis.fetch = async (input, init) => {
  const response = await nativeFetch(input, init);
  // Pyodide asks for its files by URL object: without this, its two largest files were never
  // counted and the progress bar stayed at 0 % for the whole download.
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  const name = new URL(url, import.meta.url).pathname.split("/").pop();
  if (counting && response.ok && response.body && Object.hasOwn(BUILD.sizes, name)) {
    countBody(name, response.clone()).catch(() => {});
  }
  return response;
};

// Fetch our wheel in parallel with Pyodide's own files instead of after the boot.
const wheel = fetch(wheelURL).then((response) => {
  if (!response.ok) throw new Error(`${BUILD.wheel}: HTTP ${response.status}`);
  return response.arrayBuffer();
});

// A memory snapshot of Pyodide with spbe_core imported and warm, made at build time by
// scripts/make_runtime.mjs (which installs the wheel exactly as below) and versioned with the
// wheel. The service worker fetches it (gzipped) after a first visit and caches it unzipped
// under its name without ".gz"; it is read only from that cache, never downloaded on the
// critical path.
const GZIP = /\.gz$/;
const snapshotURL = new URL(BUILD.snapshot.replace(GZIP, ""), import.meta.url).href;

async function cachedSnapshot() {
  try {
    const hit = await self.caches?.match(snapshotURL);
    if (!hit) return null;
    // Imported only here: a first visit has no snapshot and loads nothing more.
    const unpack = import("./snapshot.js");
    const bytes = Promise.all([hit.arrayBuffer(), unpack]).then(([packed, { unpackSnapshot }]) =>
      unpackSnapshot(packed),
    );
    bytes.then(() => stamp("snapshot-dibaca")).catch(() => {}); // a failure surfaces later
    return { bytes }; // not awaited here: reading overlaps Pyodide's own start
  } catch {
    return null; // no Cache API here (e.g. not a secure context)
  }
}

// A pure-Python wheel is a zip Python can import from directly (data files included, via
// importlib.resources); that skips unpacking it, which costs more than the import itself.
async function spbeCore(pyodide, restored) {
  const path = `/tmp/${BUILD.wheel.split("/").pop()}`;
  // Also after a restore: the file system is not part of the snapshot (sys.path and
  // zipimport's index of this file are).
  pyodide.FS.writeFile(path, new Uint8Array(await wheel));
  if (!restored) pyodide.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(path)})`);
  const handleRequest = pyodide.pyimport("spbe_core").handle_request;
  stamp("spbe");
  if (restored) {
    // One real request before trusting a restored heap.
    const probe = JSON.parse(handleRequest(scoreRequest({})));
    stamp("uji");
    if (!probe.ok) throw new Error("probe failed");
    itemIds = probe.result.items.map((/** @type {{id: string}} */ item) => item.id);
  }
  return handleRequest;
}

let fromSnapshot = false; // reported with "ready", for the benchmark

const handle = (async () => {
  const snapshot = await cachedSnapshot();
  if (snapshot) {
    // Nothing to download: the page shows Python starting instead of a download at 0 %.
    counting = false;
    postMessage({ type: "stage", stage: "python" });
  }
  const { loadPyodide } = await pyodideModule;
  if (snapshot) {
    try {
      const pyodide = await loadPyodide({ ...runtime, _loadSnapshot: snapshot.bytes });
      stamp("pyodide");
      const handleRequest = await spbeCore(pyodide, true);
      fromSnapshot = true;
      return handleRequest;
    } catch (error) {
      // An experimental Pyodide feature: on any failure, start the normal way.
      console.warn("Snapshot Pyodide tidak terpakai:", String(error?.message ?? error));
      counting = true;
      postMessage({ type: "stage", stage: "unduh" });
    }
  }
  const pyodide = await loadPyodide(runtime);
  stamp("pyodide");
  postMessage({ type: "stage", stage: "spbe" });
  return spbeCore(pyodide, false);
})();

handle.then(
  (handleRequest) => {
    stamp("siap");
    postMessage({ type: "ready", ms: performance.now(), snapshot: fromSnapshot, timings });
    // After the requests already waiting. Not after a plain start: `make bench` showed no gain.
    if (fromSnapshot) setTimeout(() => warmUp(handleRequest));
  },
  (error) => postMessage({ type: "failed", error: String(error?.message ?? error) }),
);

// A restored Python has run almost none of its code in this browser, so V8 has compiled none
// of it to optimized code yet, and the first dozens of requests run several times slower.
// Requests like the page's own, one per task (a real request waits for one at most), get that
// done before the user's first clicks.
let itemIds = [];

function warmUp(handleRequest, left = 60) {
  if (left === 0) return;
  const [low, high] = BUILD.levels;
  const levels = {};
  itemIds.forEach((id, n) => {
    if (n % 9 !== 8) levels[id] = low + ((n * left) % (high - low + 1)); // some left empty
  });
  handleRequest(scoreRequest(levels));
  setTimeout(() => warmUp(handleRequest, left - 1), 0);
}
wheel.catch(() => {}); // reported through `handle`
pyodideModule.catch(() => {}); // likewise

self.onmessage = async ({ data }) => {
  const { id, request } = data;
  try {
    const answer = (await handle)(JSON.stringify(request));
    postMessage({ type: "reply", id, reply: JSON.parse(answer) });
  } catch (error) {
    postMessage({ type: "reply", id, error: String(error?.message ?? error) });
  }
};

// A score request like the page's own, for the worker's self-checks.
function scoreRequest(levels) {
  const assessment = { format: "spbe-assessment/1", framework: BUILD.framework, levels };
  return JSON.stringify({ op: "score", assessment });
}
