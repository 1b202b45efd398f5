// The target planner: the cheapest level increases that reach a predikat or an index (the
// core's `plan`), with per-item constraints; and the stored planner settings (Prefs), kept per
// framework like the assessment.

import {
  beforeOpen,
  cell,
  download,
  isObject,
  itemFields,
  labelCells,
  option,
  setData,
  setText,
  showProblems,
} from "./dom.js";
import { frameworkStorage } from "./store.js";

/**
 * @typedef {import("./app.js").Calculator} Calculator
 * @typedef {import("./contract.js").FrameworkFacts} FrameworkFacts
 * @typedef {{target: string, indeks: string, effort: Record<string, string>, tidak: string[],
 *   max: Record<string, number>, verifikasi: boolean, langkah: number | null, ringkas: boolean}} PrefsData
 */

const TOOLS_KEY = "spbe-kalkulator/alat"; // planner target and constraints, UI switches

export class Prefs {
  /** @param {Calculator} calc */
  constructor(calc) {
    this.calc = calc;
    /** @type {PrefsData} */
    this.data = { target: "", indeks: "", effort: {}, tidak: [], max: {}, verifikasi: false, langkah: 1, ringkas: false };
    // Settings of the release before frameworks were plural belong to the default framework.
    const owner = () => calc.contract.default_framework;
    this.storage = frameworkStorage(TOOLS_KEY, calc.fw.id, (text) => (readPrefs(text, calc.fw) ? owner() : null));
  }

  restore() {
    let text = null;
    try {
      text = this.storage.read();
    } catch {
      return;
    }
    if (text === null) return;
    const prefs = readPrefs(text, this.calc.fw);
    if (prefs) {
      this.data = prefs;
      return;
    }
    this.forget();
    this.calc.notice(
      "alat",
      "galat",
      "Batasan rencana yang tersimpan tidak dapat dibaca, jadi batasan dikosongkan.",
      ["Isian penilaian tidak terpengaruh."],
    );
  }

  save() {
    try {
      this.storage.write(JSON.stringify(this.data));
    } catch {
      // the page already tells the user when storage is unavailable
    }
  }

  forget() {
    try {
      this.storage.remove();
    } catch {
      // nothing stored
    }
  }
}

export class Planner {
  /** @param {Calculator} calc */
  constructor(calc) {
    this.calc = calc;
    this.fw = calc.fw;
    /** @type {string | null} what the plan on screen was computed from */
    this.planKey = null;
    /** @type {any} */
    this.planView = null;
  }

  get prefs() {
    return this.calc.prefs.data;
  }

  // The constraints table is in the page (calculator/page.md); its rows are copied from the
  // page's row template when the table is first opened or used. Only the targets are built.
  build() {
    this.buildTargets();
  }

  // Predikat targets from the framework's bands, the lowest (which every index reaches) left out.
  buildTargets() {
    const options = this.fw.predikat
      .slice(1)
      .map((band) => option(band.name, `Predikat ${band.name} (indeks ≥ ${band.min_text})`));
    options.push(option("indeks", "Indeks tertentu…"));
    const target = this.calc.$("rencana-target");
    target.replaceChildren(...options);
    target.value = options.length > 2 ? options[1].value : options[0].value;
  }

  bind() {
    const calc = this.calc;
    calc.$("rencana-target").addEventListener("change", (/** @type {any} */ event) => {
      this.prefs.target = event.target.value;
      calc.prefs.save();
      this.showTarget();
      this.markStale();
    });
    calc.$("rencana-indeks").addEventListener("input", (/** @type {any} */ event) => {
      this.prefs.indeks = event.target.value;
      calc.prefs.save();
      this.markStale();
    });
    calc.$("rencana-langkah-maks").addEventListener("change", (/** @type {any} */ event) => {
      this.prefs.langkah = event.target.value === "" ? null : Number(event.target.value);
      calc.prefs.save();
      this.showLimits();
      this.markStale();
    });
    calc.$("rencana-indeks").addEventListener("keydown", (/** @type {KeyboardEvent} */ event) => {
      if (event.key === "Enter") this.makePlan();
    });
    calc.$("batasan-isi").addEventListener("input", (/** @type {any} */ event) => this.onConstraint(event.target));
    beforeOpen(calc.$("panel-rencana"), "#rencana-batasan", () => this.showRows());
    calc.$("batasan-kosongkan").addEventListener("click", () => {
      Object.assign(this.prefs, { effort: {}, tidak: [], max: {} });
      calc.prefs.save();
      this.apply();
      this.markStale();
    });
    calc.$("rencana-hitung").addEventListener("click", () => this.makePlan());
    calc.$("rencana-ulang").addEventListener("click", () => this.makePlan());
    calc.$("rencana-salin").addEventListener("click", () =>
      calc.copy(this.planView?.text ?? "", "rencana-status", "Rencana sudah disalin ke papan klip."),
    );
    calc.$("rencana-csv").addEventListener("click", () => {
      if (!this.planView) return;
      download(`\ufeff${this.planView.csv}`, `${calc.fileStem("rencana-spbe")}.csv`, "text/csv");
    });
  }

  /** @param {HTMLInputElement} field */
  onConstraint(field) {
    const id = /** @type {HTMLElement | null} */ (field.closest("tr"))?.dataset.butir;
    if (!id || !field.dataset.batasan) return;
    const { effort, max } = this.prefs;
    if (field.dataset.batasan === "effort") {
      if (field.value.trim()) effort[id] = field.value;
      else delete effort[id];
    } else if (field.dataset.batasan === "tidak") {
      this.prefs.tidak = this.prefs.tidak.filter((item) => item !== id);
      if (field.checked) this.prefs.tidak.push(id);
    } else if (field.value === String(this.fw.max_level)) delete max[id];
    else max[id] = Number(field.value);
    this.calc.prefs.save();
    this.updateRows();
    this.markStale();
  }

  // Stored settings -> the planner's fields.
  apply() {
    const calc = this.calc;
    const target = calc.$("rencana-target");
    if (this.prefs.target && [...target.options].some((o) => o.value === this.prefs.target)) {
      target.value = this.prefs.target;
    }
    calc.$("rencana-indeks").value = this.prefs.indeks;
    calc.$("rencana-langkah-maks").value = this.prefs.langkah === null ? "" : String(this.prefs.langkah);
    this.showTarget();
    // Constraints in use are shown in the page as before, even while the table is closed.
    if (calc.items.some((id) => this.constrained(id))) this.showRows();
    this.fillRows();
    this.updateRows();
  }

  /** Whether the stored settings constrain the item. @param {string} id */
  constrained(id) {
    return this.prefs.tidak.includes(id) || id in this.prefs.effort || id in this.prefs.max;
  }

  // The constraint rows into the page (the first time), showing the stored settings.
  showRows() {
    const calc = this.calc;
    const tbody = calc.$("batasan-isi");
    if (tbody.rows.length) return;
    const template = calc.$("templat-batasan");
    for (const id of calc.items) {
      const row = /** @type {HTMLTableRowElement} */ (itemFields(template, id).firstElementChild);
      row.cells[0].textContent = id;
      row.cells[1].textContent = calc.itemName(id);
      tbody.append(row);
    }
    this.fillRows();
    this.updateRows();
  }

  // Stored constraints -> the rows in the page (none until the table is first opened). Written
  // only where they differ: most rows keep the page's defaults.
  fillRows() {
    for (const row of this.calc.$("batasan-isi").rows) {
      const id = row.dataset.butir;
      const effort = row.querySelector('[data-batasan="effort"]');
      const stuck = row.querySelector('[data-batasan="tidak"]');
      const max = row.querySelector('[data-batasan="max"]');
      const value = this.prefs.effort[id] ?? "";
      if (effort.value !== value) effort.value = value;
      if (stuck.checked !== this.prefs.tidak.includes(id)) stuck.checked = !stuck.checked;
      const top = String(this.prefs.max[id] ?? this.fw.max_level);
      if (max.value !== top) max.value = top;
    }
  }

  // The limits in force, in one line next to the plan (not only in the collapsed table).
  showLimits() {
    const step = this.prefs.langkah;
    const perItem = step === null ? "tanpa batas kenaikan per butir" : `paling banyak ${step} level per butir per siklus evaluasi`;
    const used = this.calc.$("batasan-jumlah").textContent;
    const extra = used ? ` Batasan per butir: ${used.replace(/[()]/g, "")}.` : "";
    this.calc.$("rencana-batas-teks").textContent = `Batas yang berlaku: ${perItem}.${extra}`;
  }

  showTarget() {
    const byIndex = this.calc.$("rencana-target").value === "indeks";
    this.calc.$("rencana-indeks-isian").hidden = !byIndex;
  }

  updateRows() {
    const calc = this.calc;
    for (const row of calc.$("batasan-isi").rows) {
      const id = row.dataset.butir;
      const stuck = this.prefs.tidak.includes(id);
      for (const kind of ["effort", "max"]) {
        const field = row.querySelector(`[data-batasan="${kind}"]`);
        if (field.disabled !== stuck) field.disabled = stuck;
      }
      const level = calc.state.levels[id];
      setText(row.querySelector(".batasan-level"), level === undefined ? "–" : String(level));
      setData(row, "dipakai", this.constrained(id) ? "ya" : "tidak");
    }
    const count = calc.items.filter((id) => this.constrained(id)).length;
    calc.$("batasan-jumlah").textContent = count ? `(${count} butir dibatasi)` : "";
    this.showLimits();
  }

  targetText() {
    const choice = this.calc.$("rencana-target").value;
    return choice === "indeks" ? this.calc.$("rencana-indeks").value.trim() : choice;
  }

  // The constraints as the core's effort file: typed text that is not a number is passed as
  // it is, so the core's message names the item and the problem.
  constraints() {
    /** @type {Record<string, number | null>} */
    const effort = {};
    /** @type {Record<string, number>} */
    const maxLevel = {};
    for (const [id, text] of Object.entries(this.prefs.effort)) {
      const value = Number(String(text).trim().replace(",", "."));
      const number = /^\s*\d+([.,]\d+)?\s*$/.test(text) && Number.isFinite(value);
      effort[id] = number ? value : /** @type {any} */ (text); // the core names the problem
    }
    for (const id of this.prefs.tidak) effort[id] = null;
    for (const [id, level] of Object.entries(this.prefs.max)) maxLevel[id] = level;
    return { effort, max_level: maxLevel };
  }

  /** @returns {import("./protocol.js").PlanRequest} */
  request() {
    return {
      op: "plan",
      assessment: this.calc.store.assessment(),
      target: this.targetText(),
      constraints: this.constraints(),
      max_step: this.prefs.langkah,
    };
  }

  async makePlan() {
    const calc = this.calc;
    const request = this.request();
    const error = calc.$("rencana-galat");
    this.clearInvalid();
    if (request.target === "") {
      showProblems(error, "Tulis indeks target, mis. 3,00.", []);
      calc.$("rencana-indeks").setAttribute("aria-invalid", "true");
      calc.$("rencana-indeks").focus();
      return;
    }
    const button = calc.$("rencana-hitung");
    button.disabled = true;
    calc.$("rencana-status").textContent = "";
    const key = JSON.stringify(request);
    let reply;
    try {
      reply = await calc.engine.request(request);
    } catch (failure) {
      reply = { ok: false, problems: [String(failure.message)] };
    } finally {
      button.disabled = false;
    }
    if (!reply.ok) {
      const problems = reply.problems ?? [];
      showProblems(error, "Rencana tidak dapat dihitung. Isian dan batasan Anda tidak diubah.", problems);
      this.markInvalid(problems);
      return;
    }
    error.hidden = true;
    this.planKey = key;
    this.planView = reply.plan;
    this.render(reply.plan);
  }

  clearInvalid() {
    for (const field of this.calc.root.querySelectorAll("#panel-rencana [aria-invalid]")) {
      field.removeAttribute("aria-invalid");
    }
  }

  // Point at the fields the core's messages name ("target: …", "effort.5: …").
  /** @param {string[]} problems */
  markInvalid(problems) {
    const calc = this.calc;
    for (const problem of problems) {
      const match = /^(target|effort|max_level)(?:\.([\w-]+))?:/.exec(problem);
      if (!match) continue;
      let field = null;
      if (match[1] === "target") field = calc.$("rencana-indeks");
      else if (match[2]) {
        const kind = match[1] === "effort" ? "effort" : "max";
        this.showRows();
        field = calc.root.querySelector(`#batasan-isi tr[data-butir="${match[2]}"] [data-batasan="${kind}"]`);
        calc.$("rencana-batasan").open = true;
      }
      field?.setAttribute("aria-invalid", "true");
    }
  }

  /** @param {any} view the core's plan */
  render(view) {
    const calc = this.calc;
    const box = calc.$("rencana-hasil");
    box.hidden = false;
    box.dataset.tercapai = view.reachable ? "ya" : "tidak";
    calc.$("rencana-basi").hidden = true;
    const summary = calc.$("rencana-ringkas");
    const target = calc.$("rencana-target");
    const targetName = target.value === "indeks" ? `indeks ${view.target_text}` : `predikat ${target.value}`;
    if (!view.reachable) {
      summary.textContent = `Target ${targetName} (indeks terbit ≥ ${view.target_text}) tidak dapat dicapai dengan batasan ini. Kenaikan terbaik yang mungkin ditampilkan di bawah.`;
    } else if (view.steps.length === 0) {
      summary.textContent = `Indeks sekarang ${view.start_text} sudah mencapai target ${targetName} (≥ ${view.target_text}); tidak perlu kenaikan level.`;
    } else {
      summary.textContent = `Dari indeks ${view.start_text} ke target ${targetName} (indeks terbit ≥ ${view.target_text}): ${view.steps.length} butir dinaikkan, urut dari tambahan indeks terbesar per upaya.`;
    }
    const rows = view.steps.map((/** @type {any} */ step, /** @type {number} */ n) => {
      const row = document.createElement("tr");
      const link = document.createElement("a");
      link.href = `#butir-${step.item}`;
      link.textContent = step.item;
      row.append(
        cell(String(n + 1)),
        cell(link),
        cell(step.name),
        cell(`${step.from} → ${step.to}`),
        cell(step.gain_text),
        cell(step.effort_text),
      );
      return row;
    });
    calc.$("rencana-langkah").replaceChildren(...rows);
    labelCells(calc.$("rencana-langkah"));
    calc.$("rencana-tabel").hidden = rows.length === 0;
    calc.$("rencana-akhir").textContent = view.reachable
      ? `Hasil: indeks ${view.index_text} (${view.predikat}), total upaya ${view.effort_text}.`
      : `Terbaik yang mungkin: indeks ${view.index_text} (${view.predikat}), total upaya ${view.effort_text}. Longgarkan batasan (kenaikan per butir, upaya, tidak mungkin naik, level maksimum) untuk mencapai target.`;
    calc.$("rencana-akhir").dataset.pita = String(calc.band(view.predikat).position);
    calc.$("rencana-salin").hidden = calc.$("rencana-csv").hidden = rows.length === 0;
    this.renderPrint(rows);
  }

  // The printed copy of the plan (the panel itself is not printed): the same lines and steps,
  // with the limits this plan was computed under.
  /** @param {HTMLTableRowElement[]} rows */
  renderPrint(rows) {
    const calc = this.calc;
    calc.$("cetak-rencana").hidden = false;
    calc.$("cetak-rencana-basi").hidden = true;
    calc.$("cetak-rencana-ringkas").textContent = calc.$("rencana-ringkas").textContent;
    calc.$("cetak-rencana-batas").textContent = calc.$("rencana-batas-teks").textContent;
    calc.$("cetak-rencana-akhir").textContent = calc.$("rencana-akhir").textContent;
    const printed = rows.map((row) => {
      const copy = /** @type {HTMLTableRowElement} */ (row.cloneNode(true));
      const link = copy.querySelector("a");
      link?.replaceWith(link.textContent ?? "");
      return copy;
    });
    calc.$("cetak-rencana-langkah").replaceChildren(...printed);
    calc.$("cetak-rencana-tabel").hidden = rows.length === 0;
  }

  markStale() {
    if (!this.planKey || this.calc.$("rencana-hasil").hidden) return;
    const stale = JSON.stringify(this.request()) !== this.planKey;
    this.calc.$("rencana-basi").hidden = !stale;
    this.calc.$("cetak-rencana-basi").hidden = !stale;
  }

  // After every change of the assessment.
  changed() {
    this.updateRows();
    this.markStale();
  }
}

/** Stored settings, checked; null when unreadable. @param {string} text @param {FrameworkFacts} fw */
function readPrefs(text, fw) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  const known = new Set(fw.items.map((item) => item.id));
  if (!isObject(data) || !isObject(data.effort) || !isObject(data.max) || !Array.isArray(data.tidak)) return null;
  if (typeof data.target !== "string" || typeof data.indeks !== "string") return null;
  if (Object.entries(data.effort).some(([id, v]) => !known.has(id) || typeof v !== "string" || v.length > 20)) {
    return null;
  }
  /** @param {unknown} v */
  const isLevel = (v) => Number.isInteger(v) && Number(v) >= fw.min_level && Number(v) <= fw.max_level;
  if (Object.entries(data.max).some(([id, v]) => !known.has(id) || !isLevel(v))) return null;
  if (data.tidak.some((/** @type {string} */ id) => !known.has(id))) return null;
  return {
    target: data.target,
    indeks: data.indeks.slice(0, 10),
    effort: data.effort,
    tidak: data.tidak,
    max: data.max,
    verifikasi: data.verifikasi === true,
    // Added later: settings stored before keep the realistic default.
    langkah: data.langkah === null || (Number.isInteger(data.langkah) && data.langkah >= 1) ? data.langkah : 1,
    ringkas: data.ringkas === true,
  };
}
