// Benchmark baselines on the same self-hosted files as the calculator. Plain: nothing but
// loadPyodide(). With the calculator worker's settings (its ?c=, see worker.js): nothing but
// restoring the calculator's Pyodide snapshot, fetched and unpacked as the calculator does;
// how fast a page that does nothing else can have Python back.
// @ts-expect-error -- the build copies Pyodide next to the calculator (assets/pyodide/)
import { loadPyodide } from "../pyodide/pyodide.mjs";
import { unpackSnapshot } from "./snapshot.js";

const indexURL = new URL("../pyodide/", import.meta.url).href;
const build = JSON.parse(new URL(import.meta.url).searchParams.get("c") ?? "null");

async function restore() {
  const packed = await fetch(new URL(build.snapshot, import.meta.url));
  if (!packed.ok || !packed.body) throw new Error(`${build.snapshot}: HTTP ${packed.status}`);
  const heap = await new Response(packed.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  return loadPyodide({
    indexURL,
    stdLibURL: new URL(build.stdlib, import.meta.url).href,
    lockFileContents: build.lock,
    _loadSnapshot: unpackSnapshot(heap),
  });
}

(build ? restore() : loadPyodide({ indexURL })).then(
  () => postMessage({ ok: true }),
  (error) => postMessage({ ok: false, error: String(error) }),
);
