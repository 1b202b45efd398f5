// Make a Pyodide memory snapshot with spbe_core imported and warm, for the calculator worker.
//
// Usage: node scripts/make_snapshot.mjs PYODIDE_DIR WHEEL OUT
//   PYODIDE_DIR  the Pyodide files the site ships. A snapshot only restores on the exact same
//                Pyodide build (it stores a BUILD_ID that loadPyodide checks).
//   WHEEL        the spbe_core wheel the site ships.
//   OUT          the raw snapshot (about 31 MB; gzip brings it to about 6 MB).
//
// _makeSnapshot / _loadSnapshot are experimental, undocumented options of Pyodide 314. The
// worker falls back to a plain boot when a restore fails, so a bad snapshot costs time only;
// this script also restores what it made and checks that it answers like the original.
import nodeCrypto from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheel, out] = process.argv.slice(2);
if (!out) {
  console.error("usage: node make_snapshot.mjs PYODIDE_DIR WHEEL OUT");
  process.exit(2);
}

// The same inputs must give the same bytes, or every deploy would make browsers download a
// "new" 6 MB snapshot. Python's hash secret, the random module's state and a few timestamps
// end up in the heap, so feed it fixed random bytes and a fake clock (build time only).
let seed = 1;
nodeCrypto.randomFillSync = (view) => {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  for (let i = 0; i < bytes.length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    bytes[i] = seed >>> 24;
  }
  return view;
};
let fakeMs = 1.7e12;
Date.now = () => (fakeMs += 1);
performance.now = () => fakeMs - 1.7e12;

// Import this exact copy of Pyodide, not whatever `pyodide` resolves to, so the snapshot's
// BUILD_ID matches the files served next to it.
const indexURL = resolve(pyodideDir) + "/";
const { loadPyodide } = await import(pathToFileURL(indexURL + "pyodide.mjs").href);
const wheelBytes = new Uint8Array(await readFile(wheel));

// Install the wheel exactly as calculator/worker.js does, or the restored heap and the file
// system disagree: the wheel file at /tmp/<its name>, imported from directly (zipimport).
// After a restore the worker writes the same bytes to the same path (the file system is not in
// the snapshot; zipimport's table of contents for it is). Not loadPackage(): it records the
// wheel in pyodide.loadedPackages, and makeMemorySnapshot() then refuses to run.
const wheelPath = `/tmp/${basename(wheel)}`;
const installWheel = (pyodide) => pyodide.FS.writeFile(wheelPath, wheelBytes);

// Every request type once, so the snapshot holds all imported modules and the parsed
// framework (load_framework is cached). Returns the answers, to compare after a restore.
const WARM_UP = `
import json
import sys
sys.path.insert(0, ${JSON.stringify(wheelPath)})
import spbe_core

def _warm() -> str:
    blank = {"format": "spbe-assessment/1", "framework": "permenpan-5-2018", "levels": {}}
    full = dict(blank, levels={item.id: 2 for item in spbe_core.load_framework().items})
    answers = []
    for request in (
        {"op": "score", "assessment": blank},
        {"op": "score", "assessment": dict(full, scheme="tabel-pedoman")},
        {"op": "export", "assessment": full},
        {"op": "csv", "assessment": full},
        {"op": "plan", "assessment": full, "target": "Baik"},
        {"op": "compare", "assessments": [blank, full]},
        {"op": "follow_up", "assessment": full},
        {"op": "import", "text": json.dumps(full)},
    ):
        answer = spbe_core.handle_request(json.dumps(request))
        if not json.loads(answer)["ok"]:
            raise RuntimeError(f"warm-up {request['op']} failed: {answer}")
        answers.append(answer)
    return "\\n".join(answers)

_warm()
`;

const pyodide = await loadPyodide({ indexURL, _makeSnapshot: true });
installWheel(pyodide);
const expected = pyodide.runPython(WARM_UP);
const file = pyodide.runPython("spbe_core.__file__"); // inside the wheel: zipimport was used
const snapshot = pyodide.makeMemorySnapshot();

const restored = await loadPyodide({ indexURL, _loadSnapshot: snapshot });
installWheel(restored);
const same = restored.runPython("_warm()") === expected;
if (!same || restored.runPython("spbe_core.__file__") !== file) {
  console.error("make_snapshot: the restored snapshot answers differently; not written");
  process.exit(1);
}

await writeFile(out, snapshot);
console.log(`make_snapshot: ${out} (${snapshot.length} bytes)`);
