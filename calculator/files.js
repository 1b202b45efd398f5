// Assessment files: import (checked by the core), export in the CLI's format, and the results
// as CSV. The same files work with the `spbe` command.

import { megabytes } from "./contract.js";
import { download } from "./dom.js";

/** @typedef {import("./app.js").Calculator} Calculator */

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
    if (file.size > calc.contract.limits.max_bytes) {
      calc.notice("impor", "galat", `Berkas "${file.name}" tidak dapat diimpor.`, [
        `Berkas terlalu besar; batasnya ${megabytes(calc.contract.limits.max_bytes)}. Isian Anda tidak diubah.`,
      ]);
      return;
    }
    if (calc.engine.state !== "siap") {
      calc.notice("impor", "info", `Berkas "${file.name}" diperiksa setelah mesin hitung siap…`);
    }
    let reply;
    try {
      reply = await calc.engine.request({ op: "import", text: await file.text() });
    } catch (error) {
      calc.notice("impor", "galat", `Berkas "${file.name}" tidak dapat diimpor.`, [String(error.message)]);
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
    const same = JSON.stringify(store.assessment(next)) === JSON.stringify(store.assessment());
    const hasWork = Object.keys(store.state.levels).length > 0 || store.state.instansi.trim();
    if (hasWork && !same) {
      const replace = await calc.confirm(
        "Ganti isian dengan isi berkas?",
        `Isian Anda saat ini akan diganti dengan isi berkas "${file.name}". Ekspor berkas dulu jika ingin menyimpan isian yang sekarang.`,
        "Ganti dengan isi berkas",
      );
      if (!replace) {
        calc.notice("impor", "info", "Impor dibatalkan; isian Anda tetap.");
        return;
      }
    }
    store.replace(next);
    calc.notice("impor", "info", `Berkas "${file.name}" sudah diimpor.`);
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
