// Make the calculator's Python runtime files, in Node, with the exact Pyodide the site ships:
//
//   stdlib.zip         the standard-library modules the calculator imports (Pyodide's own
//                      start-up included), precompiled to bytecode. Pyodide's
//                      python_stdlib.zip holds only .py sources, so every start compiles about
//                      120 modules: about 1.5 s of a 2 s boot on a 2-core machine. Bytecode
//                      skips that; dropping the modules never imported keeps the download
//                      smaller than the original (about 1.3 MB against 2.5 MB).
//   pyodide.snapshot   a memory snapshot with spbe_core imported and warm (a 31 MB heap, packed
//                      to its 15 MB of non-zero pages by calculator/snapshot.js; 6 MB
//                      gzipped), restored on return visits.
//
// Usage: node scripts/make_runtime.mjs PYODIDE_DIR WHEEL OUT_DIR
//   PYODIDE_DIR  the Pyodide files the site ships. Bytecode and snapshots only fit the exact
//                same build (a snapshot stores a BUILD_ID that loadPyodide checks).
//   WHEEL        the spbe_core wheel the site ships.
//
// Which modules: every module Python has imported after the calculator's whole workload ran on
// the original standard library (every request type, invalid input, a Python error raised to
// JavaScript). Then both files are checked: Pyodide started on the new zip, and restored from
// the snapshot, must give byte-identical answers to the same workload. A module the workload
// misses would fail that check only if it were imported; the browser tests run the calculator
// on these files too.
//
// _makeSnapshot / _loadSnapshot are experimental, undocumented options of Pyodide 314. The
// worker falls back to a plain boot when a restore fails, so a bad snapshot costs time only.
import nodeCrypto from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { packSnapshot, unpackSnapshot } from "../calculator/snapshot.js";

const [pyodideDir, wheel, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: node make_runtime.mjs PYODIDE_DIR WHEEL OUT_DIR");
  process.exit(2);
}

// The same inputs must give the same bytes, or every deploy would make browsers download "new"
// files. Python's hash secret, the random module's state and a few timestamps end up in the
// heap, so feed it fixed random bytes and a fake clock (build time only).
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

// Import this exact copy of Pyodide, not whatever `pyodide` resolves to.
const indexURL = resolve(pyodideDir) + "/";
const { loadPyodide } = await import(pathToFileURL(indexURL + "pyodide.mjs").href);
const wheelBytes = new Uint8Array(await readFile(wheel));
const stdlibOut = resolve(outDir, "stdlib.zip");
const snapshotOut = resolve(outDir, "pyodide.snapshot");

// The lock file lists Pyodide's optional packages; the calculator loads none, so the worker
// passes just its `info` (which loadPyodide checks) instead of fetching 120 kB.
const lockInfo = JSON.parse(await readFile(indexURL + "pyodide-lock.json", "utf8")).info;
const runtime = { indexURL, stdLibURL: stdlibOut, lockFileContents: { info: lockInfo, packages: {} } };

// Install the wheel exactly as calculator/worker.js does, or the restored heap and the file
// system disagree: the wheel file at /tmp/<its name>, imported from directly (zipimport).
// After a restore the worker writes the same bytes to the same path (the file system is not in
// the snapshot; zipimport's table of contents for it is). Not loadPackage(): it records the
// wheel in pyodide.loadedPackages, and makeMemorySnapshot() then refuses to run.
const wheelPath = `/tmp/${basename(wheel)}`;
const installWheel = (pyodide) => pyodide.FS.writeFile(wheelPath, wheelBytes);

// The calculator's whole workload: every request type, with valid and invalid input, so all
// imported modules are found (and kept warm in the snapshot; load_framework is cached).
// _warm() returns the answers, to compare across the three runs.
const WARM_UP = `
import json
import sys
sys.path.insert(0, ${JSON.stringify(wheelPath)})
import spbe_core

def _warm() -> str:
    answers = []
    for framework_id in spbe_core.available_frameworks():
        answers += _warm_framework(spbe_core.load_framework(framework_id))
    answers.append(spbe_core.handle_request("[tidak lengkap"))
    return "\\n".join(answers)

def _warm_framework(fw) -> list[str]:
    blank = {"format": "spbe-assessment/1", "framework": fw.id, "levels": {}}
    middle = (fw.min_level + fw.max_level) // 2
    full = dict(blank, levels={item.id: middle for item in fw.items})
    first = fw.items[0].id
    wrong = dict(blank, levels={first: fw.max_level + 2, "tidak-ada": 1}, tahun="dua ribu")
    top = fw.predikat[0].name
    other = fw.schemes[-1].id
    index = spbe_core.format_number(spbe_core.target_index(fw, fw.predikat[1].name))
    requests = [
        ({"op": "score", "assessment": blank}, True),
        ({"op": "score", "assessment": dict(full, scheme=other)}, True),
        ({"op": "export", "assessment": full}, True),
        ({"op": "csv", "assessment": full}, True),
        ({"op": "plan", "assessment": full, "target": top}, True),
        ({"op": "plan", "assessment": full, "target": index,
          "constraints": {"effort": {first: None, fw.items[1].id: 3},
                          "max_level": {fw.items[2].id: fw.max_level - 1}}}, True),
        ({"op": "plan", "assessment": full, "target": top, "constraints": {"effort": 1}}, False),
        ({"op": "compare", "assessments": [blank, full]}, True),
        ({"op": "follow_up", "assessment": full}, True),
        ({"op": "import", "text": json.dumps(full)}, True),
        ({"op": "score", "assessment": wrong}, False),
        ({"op": "import", "text": "{bukan json"}, False),
        ({"op": "import", "text": "\\udcff" * 3}, False),
        ({"op": "plan", "assessment": full, "target": "bukan predikat"}, False),
        ({"op": "tidak-ada"}, False),
    ]
    answers = []
    for request, ok in requests:
        answer = spbe_core.handle_request(json.dumps(request))
        if json.loads(answer)["ok"] is not ok:
            raise RuntimeError(f"warm-up {request['op']}: expected ok={ok}, got {answer}")
        answers.append(answer)
    return answers

_warm()
`;

function workload(pyodide, code = WARM_UP) {
  installWheel(pyodide);
  const answers = pyodide.runPython(code);
  try {
    pyodide.runPython("raise ValueError('uji')"); // what a Python error costs in imports
  } catch {}
  return answers;
}

// 1. The original standard library: the answers, and which of its modules were imported.
const original = await loadPyodide({ indexURL });
const expected = workload(original);
const stdlib = original.runPython(`
import importlib.util
import io
import sys
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

ARCHIVE = next(p for p in sys.path if p.endswith(".zip")) + "/"
used = sorted(
    m.__spec__.origin.removeprefix(ARCHIVE)
    for m in list(sys.modules.values())
    if isinstance(getattr(getattr(m, "__spec__", None), "origin", None), str)
    and m.__spec__.origin.startswith(ARCHIVE)
)
out = io.BytesIO()
with zipfile.ZipFile(ARCHIVE.rstrip("/")) as source, zipfile.ZipFile(out, "w") as target:
    for name in used:
        code = source.read(name)
        # Compiled with the name zipimport would give it, so tracebacks read the same.
        compiled = compile(code, ARCHIVE + name, "exec", dont_inherit=True)
        # Unchecked hash-based bytecode: valid without its source (which is left out).
        pyc = _code_to_hash_pyc(compiled, importlib.util.source_hash(code), checked=False)
        entry = zipfile.ZipInfo(name + "c", date_time=(1980, 1, 1, 0, 0, 0))
        target.writestr(entry, bytes(pyc), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
out.getvalue()
`).toJs();
await writeFile(stdlibOut, stdlib);

// 2. The new standard library: the same answers, then the snapshot.
const pyodide = await loadPyodide({ ...runtime, _makeSnapshot: true });
const fresh = workload(pyodide);
const file = pyodide.runPython("spbe_core.__file__"); // inside the wheel: zipimport was used
const snapshot = pyodide.makeMemorySnapshot();

// 3. Restored from the snapshot as shipped (packed, then unpacked as the worker does): the
// same answers again.
const packed = packSnapshot(snapshot);
const restored = await loadPyodide({ ...runtime, _loadSnapshot: unpackSnapshot(packed.buffer) });
const again = workload(restored, "_warm()"); // as the worker does: imports are in the heap
for (const [what, answers] of [["stdlib.zip", fresh], ["the snapshot", again]]) {
  if (answers !== expected) {
    console.error(`make_runtime: ${what} answers differently from Pyodide's own files`);
    process.exit(1);
  }
}
if (restored.runPython("spbe_core.__file__") !== file) {
  console.error("make_runtime: the snapshot imports spbe_core from elsewhere");
  process.exit(1);
}

await writeFile(snapshotOut, packed);
console.log(
  `make_runtime: stdlib.zip ${stdlib.length} bytes, snapshot ${snapshot.length} bytes (${packed.length} packed)`,
);
