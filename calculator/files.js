// Assessment files: import (checked by the core), export in the CLI's format, and the results
// as CSV. The same files work with the `spbe` command.

import { megabytes } from "./contract.js";
import { download } from "./dom.js";
import { describeFields, fieldsOf } from "./store.js";

/**
 * @typedef {import("./app.js").Calculator} Calculator
 * @typedef {import("./store.js").State} State
 */

/**
 * The text of a file the user chose: at most `maxBytes` bytes of UTF-8 (a byte-order mark is
 * dropped), as the CLI reads files. Anything else throws an Error with an Indonesian message;
 * never a text with U+FFFD in place of bytes that are not UTF-8 (Latin-1, a spreadsheet's
 * ANSI export).
 * @param {File} file @param {number} maxBytes @returns {Promise<string>}
 */
export async function readFileText(file, maxBytes) {
  if (file.size > maxBytes) {
    throw new Error(
      `Berkas terlalu besar (lebih dari ${megabytes(maxBytes)}): ${file.size.toLocaleString("id-ID")} byte, batasnya ${maxBytes.toLocaleString("id-ID")} byte.`,
    );
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = firstBadByte(bytes);
    const line = bytes.subarray(0, at).filter((byte) => byte === 0x0a).length + 1;
    throw new Error(
      `Berkas bukan teks UTF-8: byte ke-${at + 1} (baris ${line}) tidak sah. Simpan ulang berkas dengan pengodean UTF-8.`,
    );
  }
}

// The offset of the first byte of the first sequence that is not UTF-8 (as Python reports it):
// the decoder rejects a prefix only once the byte at `stop` shows the sequence is bad, which
// may be a lead byte's unfinished sequence just before it.
/** @param {Uint8Array} bytes */
function firstBadByte(bytes) {
  const rejects = (/** @type {number} */ end) => {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, end), { stream: true });
      return false;
    } catch {
      return true;
    }
  };
  let stop = bytes.length; // no prefix rejected: the last character is cut off
  if (rejects(bytes.length)) {
    let [low, high] = [0, bytes.length]; // the shortest rejected prefix is in (low, high]
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (rejects(middle)) high = middle;
      else low = middle;
    }
    stop = high - 1;
  }
  for (let back = 1; back <= 3 && stop - back >= 0; back++) {
    const byte = bytes[stop - back];
    if (byte < 0x80) break;
    if (byte >= 0xc0) {
      const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return length > back ? stop - back : stop;
    }
  }
  return Math.min(stop, bytes.length - 1);
}

/**
 * The fields of `current` (see fieldsOf) that an import of `next` would replace or drop; none
 * when it only adds. The scheme counts only when one was chosen (not the framework's default).
 * @param {State} current @param {State} next @param {string} defaultScheme
 */
export function replacedFields(current, next, defaultScheme) {
  const after = fieldsOf(next);
  return [...fieldsOf(current)]
    .filter(([field, value]) => after.get(field) !== value)
    .map(([field]) => field)
    .filter((field) => field !== "scheme" || current.scheme !== defaultScheme);
}

export class Files {
  /** @param {Calculator} calc */
  constructor(calc) {
    this.calc = calc;
  }

  bind() {
    const calc = this.calc;
    calc.$("tombol-impor").addEventListener("click", () => calc.$("berkas-impor").click());
    calc.$("berkas-impor").addEventListener("change", (/** @type {any} */ event) => {
      const [file] = event.target.files;
      event.target.value = ""; // choosing the same file again must fire "change" again
      if (file) this.importFile(file);
    });
    calc.$("tombol-ekspor").addEventListener("click", () => this.exportFile());
    calc.$("tombol-csv").addEventListener("click", () => this.exportCsv());
  }

  /** @param {File} file */
  async importFile(file) {
    const calc = this.calc;
    calc.clearNotices("impor");
    if (calc.engine.state === "gagal") {
      calc.notice("impor", "galat", "Impor tidak tersedia karena mesin hitung gagal dimuat.");
      return;
    }
    let text;
    try {
      text = await readFileText(file, calc.contract.limits.max_bytes);
    } catch (error) {
      calc.notice("impor", "galat", `Berkas "${file.name}" tidak dapat diimpor. Isian Anda tidak diubah.`, [
        String(error.message),
      ]);
      return;
    }
    if (calc.engine.state !== "siap") {
      calc.notice("impor", "info", `Berkas "${file.name}" diperiksa setelah mesin hitung siap…`);
    }
    let reply;
    try {
      reply = await calc.engine.request({ op: "import", text });
    } catch (error) {
      calc.notice("impor", "galat", `Berkas "${file.name}" tidak dapat diimpor. Isian Anda tidak diubah.`, [
        String(error.message),
      ]);
      return;
    }
    if (!reply.ok) {
      calc.notice(
        "impor",
        "galat",
        `Berkas "${file.name}" tidak dapat diimpor. Isian Anda tidak diubah. Masalahnya:`,
        reply.problems,
      );
      return;
    }
    const store = calc.store;
    const next = store.fromAssessment(reply.assessment);
    const lost = describeFields(replacedFields(store.state, next, calc.fw.default_scheme), calc.items, calc.fw);
    if (lost.length) {
      const replace = await calc.confirm(
        "Ganti isian dengan isi berkas?",
        `Isi berkas "${file.name}" akan menggantikan isian Anda saat ini: ${lost.join("; ")}. Impor dapat dibatalkan sesudahnya; ekspor berkas dulu jika ingin menyimpan isian yang sekarang.`,
        "Ganti dengan isi berkas",
      );
      if (!replace) {
        calc.notice("impor", "info", "Impor dibatalkan; isian Anda tetap.");
        return;
      }
    }
    const previous = store.snapshot();
    store.replace(next);
    calc.undoable("impor", `Berkas "${file.name}" sudah diimpor.`, [], previous);
  }

  async exportFile() {
    const calc = this.calc;
    const assessment = calc.store.assessment();
    let text;
    if (calc.engine.state === "gagal") {
      // Keep the data portable even without the engine: the same file format, built here.
      text = `${JSON.stringify(assessment, null, 2)}\n`;
    } else {
      const reply = await this.ask({ op: "export", assessment });
      if (!reply) return;
      text = reply.text;
    }
    download(text, `${calc.fileStem("penilaian-spbe")}.json`, "application/json");
  }

  async exportCsv() {
    const calc = this.calc;
    if (calc.engine.state === "gagal") {
      calc.notice("ekspor", "galat", "CSV hasil butuh mesin hitung, yang gagal dimuat.", [
        "Ekspor berkas tetap bisa dipakai untuk menyimpan isian.",
      ]);
      return;
    }
    const reply = await this.ask({ op: "csv", assessment: calc.store.assessment() });
    // A byte-order mark lets spreadsheet programs read the file as UTF-8.
    if (reply) download(`\ufeff${reply.text}`, `${calc.fileStem("hasil-spbe")}.csv`, "text/csv");
  }

  /** @param {import("./engine.js").EngineRequest} request */
  async ask(request) {
    const calc = this.calc;
    calc.clearNotices("ekspor");
    if (calc.engine.state !== "siap") {
      calc.notice("ekspor", "info", "Berkas dibuat setelah mesin hitung siap…");
    }
    try {
      const reply = await calc.engine.request(request);
      calc.clearNotices("ekspor");
      if (reply.ok) return reply;
      calc.notice("ekspor", "galat", "Berkas tidak dapat dibuat.", reply.problems);
    } catch (error) {
      calc.notice("ekspor", "galat", "Berkas tidak dapat dibuat.", [String(error.message)]);
    }
    return null;
  }
}
