// Benchmark baseline: nothing but loadPyodide() on the same self-hosted files as the calculator.
import { loadPyodide } from "../pyodide/pyodide.mjs";

loadPyodide({ indexURL: new URL("../pyodide/", import.meta.url).href }).then(
  () => postMessage({ ok: true }),
  (error) => postMessage({ ok: false, error: String(error) }),
);
