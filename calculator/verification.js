// Self-assessment against the evaluator's verified levels: the verified level field of every
// item (a level choice, or for a decimal-valued framework a value typed like the self value;
// copied from the page's template when first shown), the switch that shows those fields, and the
// comparison panel. The figures are the core's (the score reply's `verified` and `differences`).

import { isLevel, parseValue, valueText, valueWord } from "./contract.js";
import { arrow, cell, headedRow, itemFields, labelCells, object } from "./dom.js";
import { setOrDrop } from "./followup.js";

/** @typedef {import("./app.js").Calculator} Calculator */

export class Verification {
  /** @param {Calculator} calc */
  constructor(calc) {
    this.calc = calc;
  }

  bind() {
    const calc = this.calc;
    calc.form.addEventListener("input", (event) => {
      const field = /** @type {HTMLSelectElement | HTMLInputElement} */ (event.target);
      const id = field.dataset.butir;
      if (field.dataset.isian !== "verifikasi" || !id) return;
      // The same reading as the self value (a select's options always read as levels).
      const value = parseValue(calc.fw, field.value);
      this.showError(id, value === undefined);
      if (value === undefined) return; // kept in the field until it reads as a value
      const extra = calc.state.extra;
      const levels = { ...object(extra.verifikasi) };
      if (value === null) delete levels[id];
      else levels[id] = value;
      setOrDrop(extra, "verifikasi", levels);
      calc.store.changed();
    });
    calc.$("tampil-verifikasi").addEventListener("change", (/** @type {any} */ event) => {
      calc.prefs.data.verifikasi = event.target.checked;
      calc.prefs.save();
      this.showFields();
    });
    calc.$("verifikasi-dari-mandiri").addEventListener("click", () => {
      const extra = calc.state.extra;
      const verified = { ...object(extra.verifikasi) };
      for (const [id, level] of Object.entries(calc.state.levels)) if (!(id in verified)) verified[id] = level;
      setOrDrop(extra, "verifikasi", verified);
      this.apply();
      calc.store.changed();
    });
  }

  // State -> the switch and the verified level fields.
  apply() {
    const calc = this.calc;
    if (Object.keys(object(calc.state.extra.verifikasi)).length) calc.prefs.data.verifikasi = true;
    calc.$("tampil-verifikasi").checked = calc.prefs.data.verifikasi;
    this.showFields();
  }

  // State -> the fields in the page (none until the switch is first on).
  fill() {
    const calc = this.calc;
    const verified = object(calc.state.extra.verifikasi);
    for (const element of calc.form.querySelectorAll('[data-isian="verifikasi"]')) {
      const field = /** @type {HTMLInputElement} */ (element);
      const id = String(field.dataset.butir);
      const value = isLevel(calc.fw, verified[id]) ? valueText(verified[id]) : "";
      if (field.value !== value) field.value = value;
      this.showError(id, false);
    }
  }

  // The error note of a decimal verified value field (a level select has none).
  /** @param {string} id @param {boolean} bad */
  showError(id, bad) {
    const note = this.calc.$(`verifikasi-galat-${id}`);
    if (!note) return;
    note.hidden = !bad;
    this.calc.$(`verifikasi-${id}`).setAttribute("aria-invalid", String(bad));
  }

  showFields() {
    const calc = this.calc;
    const shown = calc.prefs.data.verifikasi;
    if (shown) {
      for (const box of calc.form.querySelectorAll(".butir-verifikasi")) {
        const id = String(/** @type {HTMLElement} */ (box.closest(".butir")).dataset.butir);
        if (!box.querySelector("[data-isian]")) box.prepend(itemFields(calc.$("templat-verifikasi"), id));
      }
    }
    this.fill();
    calc.root.dataset.verifikasi = shown ? "ya" : "tidak";
  }

  // Print cell text for an item: the verified level or value, when there is one.
  /** @param {string} id */
  printed(id) {
    const fw = this.calc.fw;
    const level = object(this.calc.state.extra.verifikasi)[id];
    if (!isLevel(fw, level)) return "";
    return fw.value_kind === "decimal" ? ` (verifikasi: nilai ${valueText(level)})` : ` (verifikasi: level ${level})`;
  }

  /** @param {import("./engine.js").EngineReply} reply the score reply */
  render(reply) {
    const calc = this.calc;
    const fw = calc.fw;
    const verified = reply.verified;
    const has = Boolean(verified);
    calc.$("verifikasi-kosong").hidden = has;
    calc.$("verifikasi-hasil").hidden = !has;
    calc.$("hasil-verifikasi").hidden = !has;
    for (const fieldset of calc.root.querySelectorAll(".butir:is([data-beda], [data-belum-verifikasi])")) {
      const element = /** @type {HTMLElement} */ (fieldset);
      delete element.dataset.beda;
      delete element.dataset.belumVerifikasi;
      /** @type {HTMLElement} */ (element.querySelector(".butir-beda")).hidden = true;
    }
    calc.$("cetak-verifikasi").hidden = !has;
    const panel = calc.$("panel-verifikasi");
    const key = `${calc.store.shareCode(object(calc.state.extra.verifikasi))}|${calc.state.scheme}`;
    if (!has) {
      panel.dataset.kunci = key;
      return;
    }
    const self = reply.result;
    const missing = verified.missing.length
      ? `${verified.missing.length} butir belum diverifikasi dan dihitung ${fw.partial.empty_value} pada indeks verifikasi.`
      : "";
    calc.$("verifikasi-kurang").textContent = missing;
    calc.$("hasil-verifikasi-kurang").textContent = missing;
    calc.$("hasil-verifikasi-indeks").textContent = verified.index_text;
    const badge = calc.$("hasil-verifikasi-predikat");
    badge.textContent = verified.predikat;
    badge.dataset.pita = String(calc.band(verified.predikat).position);
    const rows = [figureRow(fw.index_name, self.index_text, verified.index_text, "indeks")];
    rows.push(figureRow("Predikat", self.predikat, verified.predikat, "predikat"));
    /** @param {any} aspect @param {number} m */
    const aspectRow = (aspect, m) =>
      figureRow(`Aspek ${aspect.id}: ${aspect.label}`, aspect.text, verified.aspects[m].text, "aspek");
    self.domains.forEach((/** @type {any} */ domain, /** @type {number} */ n) => {
      rows.push(figureRow(`Domain ${domain.id}: ${domain.name}`, domain.text, verified.domains[n].text, "domain"));
      self.aspects.forEach((/** @type {any} */ aspect, /** @type {number} */ m) => {
        if (aspect.domain === domain.id) rows.push(aspectRow(aspect, m));
      });
    });
    if (!self.domains.length) self.aspects.forEach((/** @type {any} */ a, /** @type {number} */ m) => rows.push(aspectRow(a, m)));
    calc.$("verifikasi-angka").replaceChildren(...rows);
    labelCells(calc.$("verifikasi-angka"));
    /** @param {number | null} value */
    const level = (value) => (value === null ? "belum diisi" : valueText(value));
    const diffs = reply.differences.map((/** @type {any} */ diff) => {
      const row = document.createElement("tr");
      row.dataset.butir = diff.item;
      row.dataset.arah = arrow(diff.impact);
      const link = document.createElement("a");
      link.href = `#butir-${diff.item}`;
      link.textContent = diff.item;
      row.append(cell(link), cell(diff.label), cell(level(diff.self)), cell(level(diff.verified)), cell(diff.impact));
      const fieldset = calc.$(`butir-${diff.item}`);
      const note = fieldset.querySelector(".butir-beda");
      note.hidden = false;
      // Not verified yet is not a disagreement: a neutral note, not the red one.
      if (diff.verified === null) {
        fieldset.dataset.belumVerifikasi = "ya";
        note.textContent = "Belum diverifikasi";
      } else {
        fieldset.dataset.beda = row.dataset.arah;
        note.textContent = `Berbeda dari mandiri (${level(diff.self)}); dampak ${diff.impact}`;
      }
      return row;
    });
    calc.$("verifikasi-beda").replaceChildren(...diffs);
    labelCells(calc.$("verifikasi-beda"));
    calc.$("verifikasi-sama").hidden = diffs.length > 0;
    calc.$("verifikasi-beda").closest("table").hidden = diffs.length === 0;
    const listed = reply.differences
      .map((/** @type {any} */ d) => `${d.item} (${level(d.self)} → ${level(d.verified)}, ${d.impact})`)
      .join("; ");
    calc.$("cetak-verifikasi-ringkas").textContent =
      `Indeks mandiri ${self.index_text} (${self.predikat}); indeks verifikasi ${verified.index_text} (${verified.predikat}). ` +
      (diffs.length
        ? `${diffs.length} butir berbeda: ${listed}.`
        : `Semua ${valueWord(fw)} verifikasi sama dengan penilaian mandiri.`);
    panel.dataset.kunci = key;
  }
}

/** @param {string} name @param {string} self @param {string} verified @param {string} kind */
function figureRow(name, self, verified, kind) {
  const row = headedRow(name, [self, verified]);
  row.dataset.jenis = kind;
  if (self !== verified) row.dataset.beda = "ya";
  return row;
}
