// The panels after the form: target planner, self-assessment vs verified levels, year-over-year
// comparison and the follow-up list, plus the per-item extras (verified level, catatan,
// tindak lanjut). As in app.js, every figure and text about scores comes from spbe_core through
// the worker; this module moves data and renders it, user text only via textContent or values.

const TOOLS_KEY = "spbe-kalkulator/alat"; // planner target and constraints, UI switches
const FOLLOW_UP_TEXT = ["rekomendasi", "unit", "tenggat"];
const SVG = "http://www.w3.org/2000/svg";

export class Tools {
  constructor(calculator) {
    this.calc = calculator;
    this.root = calculator.root;
    this.items = calculator.items;
    this.fw = calculator.fw;
    this.statuses = calculator.contract.follow_up_statuses;
    this.prefs = { target: "", indeks: "", effort: {}, tidak: [], max: {}, verifikasi: false };
    this.planKey = null; // what the plan on screen was computed from
    this.planView = null;
    this.compared = []; // [{name, label, assessment}] loaded files
    this.comparison = null;
    this.compareBusy = false;
    this.compareAgain = false;
  }

  $(id) {
    return this.calc.$(id);
  }

  // --- set-up --------------------------------------------------------------------------

  build() {
    const template = this.$("tpl-butir");
    for (const id of this.items) {
      const fieldset = this.$(`butir-${id}`);
      const extras = template.content.cloneNode(true);
      for (const field of extras.querySelectorAll("[data-isian]")) field.dataset.butir = id;
      for (const element of extras.querySelectorAll("[data-untuk]")) {
        const key = `${element.dataset.untuk}-${id}`;
        if (element.tagName === "LABEL") element.htmlFor = key;
        else element.id = key;
      }
      extras.querySelector(".butir-beda").id = `beda-${id}`;
      const which = document.createElement("span");
      which.className = "sr-only";
      which.textContent = ` butir ${id}`;
      extras.querySelector(".butir-ekstra-tanda").before(which, " ");
      extras.querySelector(`[data-isian="verifikasi"]`).setAttribute("aria-describedby", `beda-${id}`);
      fieldset.append(extras);
    }
    this.buildTargets();
    this.buildConstraints();
    const choice = this.$("tindak-butir");
    choice.replaceChildren(...this.items.map((id) => option(id, `${id}. ${this.itemName(id)}`)));
  }

  itemName(id) {
    return this.fw.items.find((item) => item.id === id).label;
  }

  // Predikat targets from the framework's bands, the lowest (which every index reaches) left out.
  buildTargets() {
    const options = [];
    for (const band of this.fw.predikat.slice(1)) {
      options.push(option(band.name, `Predikat ${band.name} (indeks ≥ ${band.min_text})`));
    }
    options.push(option("indeks", "Indeks tertentu…"));
    this.$("rencana-target").replaceChildren(...options);
    this.$("rencana-target").value = options.length > 2 ? options[1].value : options[0].value;
  }

  buildConstraints() {
    const rows = this.items.map((id) => {
      const row = document.createElement("tr");
      row.dataset.butir = id;
      const name = this.itemName(id);
      const effort = document.createElement("input");
      Object.assign(effort, { type: "text", inputMode: "decimal", maxLength: 8, placeholder: "1" });
      effort.dataset.batasan = "effort";
      effort.setAttribute("aria-label", `Upaya per level, butir ${id}`);
      const stuck = document.createElement("input");
      stuck.type = "checkbox";
      stuck.dataset.batasan = "tidak";
      stuck.setAttribute("aria-label", `Butir ${id} tidak mungkin naik`);
      const max = document.createElement("select");
      max.dataset.batasan = "max";
      max.setAttribute("aria-label", `Level maksimum butir ${id}`);
      for (const level of this.levels()) max.append(option(String(level), String(level)));
      max.value = String(this.fw.max_level);
      const level = document.createElement("td");
      level.className = "batasan-level";
      row.append(cell(id), cell(name), level, cell(effort), cell(stuck), cell(max));
      return row;
    });
    this.$("batasan-isi").replaceChildren(...rows);
  }

  levels() {
    const { min_level: low, max_level: high } = this.fw;
    return Array.from({ length: high - low + 1 }, (_, n) => low + n);
  }

  bind() {
    const form = this.calc.form;
    // "input" fires for every kind of field here (text, date, select), once per change.
    form.addEventListener("input", (event) => this.onItemField(event.target));
    this.$("tampil-verifikasi").addEventListener("change", (event) => {
      this.prefs.verifikasi = event.target.checked;
      this.savePrefs();
      this.showVerifyFields();
    });
    this.$("verifikasi-dari-mandiri").addEventListener("click", () => {
      const extra = this.calc.state.extra;
      const verified = { ...object(extra.verifikasi) };
      for (const [id, level] of Object.entries(this.calc.state.levels)) if (!(id in verified)) verified[id] = level;
      setOrDrop(extra, "verifikasi", verified);
      this.apply();
      this.calc.changed();
    });
    for (const link of this.root.querySelectorAll("[data-buka]")) {
      link.addEventListener("click", () => (this.$(link.dataset.buka).open = true));
    }
    this.bindPlanner();
    this.bindCompare();
    this.$("tindak-tambah").addEventListener("click", () => this.openItem(this.$("tindak-butir").value));
    this.$("tindak-salin").addEventListener("click", () => this.copyFollowUp());
    this.$("tindak-csv").addEventListener("click", () => this.followUpCsv());
  }

  // --- per-item extras -----------------------------------------------------------------

  onItemField(field) {
    const kind = field.dataset.isian;
    const id = field.dataset.butir;
    if (!kind || !id) return;
    const extra = this.calc.state.extra;
    if (kind === "verifikasi") {
      const levels = { ...object(extra.verifikasi) };
      if (field.value === "") delete levels[id];
      else levels[id] = Number(field.value);
      setOrDrop(extra, "verifikasi", levels);
      this.calc.changed();
      return;
    }
    if (kind === "catatan") {
      const notes = { ...object(extra.catatan) };
      if (field.value.trim()) notes[id] = field.value;
      else delete notes[id];
      setOrDrop(extra, "catatan", notes);
    } else {
      const all = { ...object(extra.tindak_lanjut) };
      const entry = { rekomendasi: "", unit: "", tenggat: "", status: "belum", ...object(all[id]) };
      entry[kind] = field.value;
      const used = FOLLOW_UP_TEXT.some((key) => String(entry[key]).trim()) || entry.status !== "belum";
      if (used) all[id] = entry;
      else delete all[id];
      setOrDrop(extra, "tindak_lanjut", all);
    }
    this.calc.save();
    this.markFilled(id);
    this.renderFollowUps();
  }

  // State -> the per-item fields (after restore, import, share link or Mulai ulang).
  apply() {
    const extra = this.calc.state.extra;
    const verified = object(extra.verifikasi);
    const notes = object(extra.catatan);
    const followUps = object(extra.tindak_lanjut);
    for (const id of this.items) {
      const fieldset = this.$(`butir-${id}`);
      const set = (kind, value) => {
        const field = fieldset.querySelector(`[data-isian="${kind}"]`);
        field.value = value;
      };
      set("verifikasi", Number.isInteger(verified[id]) ? String(verified[id]) : "");
      set("catatan", typeof notes[id] === "string" ? notes[id] : "");
      const entry = object(followUps[id]);
      for (const key of FOLLOW_UP_TEXT) set(key, typeof entry[key] === "string" ? entry[key] : "");
      const known = this.statuses.some((status) => status.id === entry.status);
      set("status", known ? entry.status : this.statuses[0].id);
      this.markFilled(id);
    }
    if (Object.keys(verified).length) this.prefs.verifikasi = true;
    this.$("tampil-verifikasi").checked = this.prefs.verifikasi;
    this.showVerifyFields();
    this.renderFollowUps();
    this.applyPrefs();
  }

  markFilled(id) {
    const extra = this.calc.state.extra;
    const filled = id in object(extra.catatan) || id in object(extra.tindak_lanjut);
    this.$(`butir-${id}`).querySelector(".butir-ekstra-tanda").hidden = !filled;
  }

  showVerifyFields() {
    this.root.dataset.verifikasi = this.prefs.verifikasi ? "ya" : "tidak";
  }

  openItem(id) {
    const details = this.$(`butir-${id}`).querySelector(".butir-ekstra");
    details.open = true;
    details.scrollIntoView({ block: "center" });
    this.$(`rekomendasi-${id}`).focus();
  }

  // Print cell text for an item: the level label plus the verified level when there is one.
  verifiedText(id) {
    const level = object(this.calc.state.extra.verifikasi)[id];
    return Number.isInteger(level) ? ` (verifikasi: level ${level})` : "";
  }

  // --- stored planner settings ---------------------------------------------------------

  restorePrefs() {
    let text = null;
    try {
      text = localStorage.getItem(TOOLS_KEY);
    } catch {
      return;
    }
    if (text === null) return;
    const prefs = readPrefs(text, this.items, this.fw);
    if (prefs) {
      this.prefs = prefs;
      return;
    }
    this.forgetPrefs();
    this.calc.notice(
      "alat",
      "galat",
      "Batasan rencana yang tersimpan tidak dapat dibaca, jadi batasan dikosongkan.",
      ["Isian penilaian tidak terpengaruh."],
    );
  }

  savePrefs() {
    try {
      localStorage.setItem(TOOLS_KEY, JSON.stringify(this.prefs));
    } catch {
      // app.js already tells the user when storage is unavailable
    }
  }

  forgetPrefs() {
    try {
      localStorage.removeItem(TOOLS_KEY);
    } catch {
      // nothing stored
    }
  }

  applyPrefs() {
    const target = this.$("rencana-target");
    if (this.prefs.target && [...target.options].some((o) => o.value === this.prefs.target)) {
      target.value = this.prefs.target;
    }
    this.$("rencana-indeks").value = this.prefs.indeks;
    for (const row of this.$("batasan-isi").rows) {
      const id = row.dataset.butir;
      row.querySelector('[data-batasan="effort"]').value = this.prefs.effort[id] ?? "";
      row.querySelector('[data-batasan="tidak"]').checked = this.prefs.tidak.includes(id);
      row.querySelector('[data-batasan="max"]').value = String(this.prefs.max[id] ?? this.fw.max_level);
    }
    this.showTarget();
    this.updateConstraintRows();
  }

  // --- planner -------------------------------------------------------------------------

  bindPlanner() {
    this.$("rencana-target").addEventListener("change", (event) => {
      this.prefs.target = event.target.value;
      this.savePrefs();
      this.showTarget();
      this.markPlanStale();
    });
    this.$("rencana-indeks").addEventListener("input", (event) => {
      this.prefs.indeks = event.target.value;
      this.savePrefs();
      this.markPlanStale();
    });
    this.$("rencana-indeks").addEventListener("keydown", (event) => {
      if (event.key === "Enter") this.makePlan();
    });
    const table = this.$("batasan-isi");
    const onConstraint = (event) => {
      const field = event.target;
      const id = field.closest("tr")?.dataset.butir;
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
      this.savePrefs();
      this.updateConstraintRows();
      this.markPlanStale();
    };
    table.addEventListener("input", onConstraint);
    this.$("batasan-kosongkan").addEventListener("click", () => {
      Object.assign(this.prefs, { effort: {}, tidak: [], max: {} });
      this.savePrefs();
      this.applyPrefs();
      this.markPlanStale();
    });
    this.$("rencana-hitung").addEventListener("click", () => this.makePlan());
    this.$("rencana-ulang").addEventListener("click", () => this.makePlan());
    this.$("rencana-salin").addEventListener("click", () =>
      this.copy(this.planView?.text ?? "", "rencana-status", "Rencana sudah disalin ke papan klip."),
    );
    this.$("rencana-csv").addEventListener("click", () => {
      if (!this.planView) return;
      download(`\ufeff${this.planView.csv}`, `${this.calc.fileStem("rencana-spbe")}.csv`, "text/csv");
    });
  }

  showTarget() {
    const byIndex = this.$("rencana-target").value === "indeks";
    this.$("rencana-indeks-isian").hidden = !byIndex;
  }

  updateConstraintRows() {
    let count = 0;
    for (const row of this.$("batasan-isi").rows) {
      const id = row.dataset.butir;
      const stuck = this.prefs.tidak.includes(id);
      row.querySelector('[data-batasan="effort"]').disabled = stuck;
      row.querySelector('[data-batasan="max"]').disabled = stuck;
      const level = this.calc.state.levels[id];
      row.querySelector(".batasan-level").textContent = level === undefined ? "–" : String(level);
      const used = stuck || id in this.prefs.effort || id in this.prefs.max;
      row.dataset.dipakai = used ? "ya" : "tidak";
      if (used) count++;
    }
    this.$("batasan-jumlah").textContent = count ? `(${count} butir dibatasi)` : "";
  }

  targetText() {
    const choice = this.$("rencana-target").value;
    return choice === "indeks" ? this.$("rencana-indeks").value.trim() : choice;
  }

  // The constraints as the core's effort file: typed text that is not a number is passed as
  // it is, so the core's message names the item and the problem.
  constraints() {
    const effort = {};
    const maxLevel = {};
    for (const [id, text] of Object.entries(this.prefs.effort)) {
      const value = Number(String(text).trim().replace(",", "."));
      effort[id] = /^\s*\d+([.,]\d+)?\s*$/.test(text) && Number.isFinite(value) ? value : text;
    }
    for (const id of this.prefs.tidak) effort[id] = null;
    for (const [id, level] of Object.entries(this.prefs.max)) maxLevel[id] = level;
    return { effort, max_level: maxLevel };
  }

  planRequest() {
    return {
      op: "plan",
      assessment: this.calc.assessment(),
      target: this.targetText(),
      constraints: this.constraints(),
    };
  }

  async makePlan() {
    const request = this.planRequest();
    const error = this.$("rencana-galat");
    this.clearInvalid();
    if (request.target === "") {
      this.showProblems(error, "Tulis indeks target, mis. 3,00.", []);
      this.$("rencana-indeks").setAttribute("aria-invalid", "true");
      this.$("rencana-indeks").focus();
      return;
    }
    const button = this.$("rencana-hitung");
    button.disabled = true;
    this.$("rencana-status").textContent = "";
    const key = JSON.stringify(request);
    let reply;
    try {
      reply = await this.calc.engine.request(request);
    } catch (failure) {
      reply = { ok: false, problems: [String(failure.message)] };
    } finally {
      button.disabled = false;
    }
    if (!reply.ok) {
      this.showProblems(error, "Rencana tidak dapat dihitung. Isian dan batasan Anda tidak diubah.", reply.problems);
      this.markInvalid(reply.problems);
      return;
    }
    error.hidden = true;
    this.planKey = key;
    this.planView = reply.plan;
    this.renderPlan(reply.plan);
  }

  clearInvalid() {
    for (const field of this.root.querySelectorAll("#panel-rencana [aria-invalid]")) {
      field.removeAttribute("aria-invalid");
    }
  }

  // Point at the fields the core's messages name ("target: …", "effort.5: …").
  markInvalid(problems) {
    for (const problem of problems) {
      const match = /^(target|effort|max_level)(?:\.([\w-]+))?:/.exec(problem);
      if (!match) continue;
      let field = null;
      if (match[1] === "target") field = this.$("rencana-indeks");
      else if (match[2]) {
        const kind = match[1] === "effort" ? "effort" : "max";
        field = this.root.querySelector(`#batasan-isi tr[data-butir="${match[2]}"] [data-batasan="${kind}"]`);
        this.$("rencana-batasan").open = true;
      }
      field?.setAttribute("aria-invalid", "true");
    }
  }

  renderPlan(view) {
    const box = this.$("rencana-hasil");
    box.hidden = false;
    box.dataset.tercapai = view.reachable ? "ya" : "tidak";
    this.$("rencana-basi").hidden = true;
    const summary = this.$("rencana-ringkas");
    const target = this.$("rencana-target");
    const targetName = target.value === "indeks" ? `indeks ${view.target_text}` : `predikat ${target.value}`;
    if (!view.reachable) {
      summary.textContent = `Target ${targetName} (indeks terbit ≥ ${view.target_text}) tidak dapat dicapai dengan batasan ini. Kenaikan terbaik yang mungkin ditampilkan di bawah.`;
    } else if (view.steps.length === 0) {
      summary.textContent = `Indeks sekarang ${view.start_text} sudah mencapai target ${targetName} (≥ ${view.target_text}); tidak perlu kenaikan level.`;
    } else {
      summary.textContent = `Dari indeks ${view.start_text} ke target ${targetName} (indeks terbit ≥ ${view.target_text}): ${view.steps.length} butir dinaikkan, urut dari tambahan indeks terbesar per upaya.`;
    }
    const rows = view.steps.map((step, n) => {
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
    this.$("rencana-langkah").replaceChildren(...rows);
    this.$("rencana-tabel").hidden = rows.length === 0;
    this.$("rencana-akhir").textContent = view.reachable
      ? `Hasil: indeks ${view.index_text} (${view.predikat}), total upaya ${view.effort_text}.`
      : `Terbaik yang mungkin: indeks ${view.index_text} (${view.predikat}), total upaya ${view.effort_text}. Longgarkan batasan (upaya, tidak mungkin naik, level maksimum) untuk mencapai target.`;
    this.$("rencana-akhir").dataset.pita = String(this.calc.band(view.predikat).position);
    this.$("rencana-salin").hidden = this.$("rencana-csv").hidden = rows.length === 0;
  }

  markPlanStale() {
    if (!this.planKey || this.$("rencana-hasil").hidden) return;
    const stale = JSON.stringify(this.planRequest()) !== this.planKey;
    this.$("rencana-basi").hidden = !stale;
  }

  showProblems(box, title, problems) {
    box.hidden = false;
    const heading = document.createElement("p");
    heading.className = "kalk-pesan-judul";
    heading.textContent = title;
    const list = document.createElement("ul");
    for (const problem of problems) {
      const li = document.createElement("li");
      li.textContent = problem;
      list.append(li);
    }
    box.replaceChildren(heading, ...(problems.length ? [list] : []));
  }

  // --- self-assessment vs verified -----------------------------------------------------

  renderVerification(reply) {
    const verified = reply.verified;
    const has = Boolean(verified);
    this.$("verifikasi-kosong").hidden = has;
    this.$("verifikasi-hasil").hidden = !has;
    this.$("hasil-verifikasi").hidden = !has;
    for (const fieldset of this.root.querySelectorAll(".butir[data-beda]")) {
      delete fieldset.dataset.beda;
      fieldset.querySelector(".butir-beda").hidden = true;
    }
    this.$("cetak-verifikasi").hidden = !has;
    const panel = this.$("panel-verifikasi");
    const key = `${this.calc.shareCode(object(this.calc.state.extra.verifikasi))}|${this.calc.state.scheme}`;
    if (!has) {
      panel.dataset.kunci = key;
      return;
    }
    const self = reply.result;
    const missing = verified.missing.length
      ? `${verified.missing.length} butir belum diverifikasi dan dihitung ${this.fw.partial.empty_value} pada indeks verifikasi.`
      : "";
    this.$("verifikasi-kurang").textContent = missing;
    this.$("hasil-verifikasi-kurang").textContent = missing;
    this.$("hasil-verifikasi-indeks").textContent = verified.index_text;
    const badge = this.$("hasil-verifikasi-predikat");
    badge.textContent = verified.predikat;
    badge.dataset.pita = String(this.calc.band(verified.predikat).position);
    const rows = [figureRow(this.fw.index_name, self.index_text, verified.index_text, "indeks")];
    rows.push(figureRow("Predikat", self.predikat, verified.predikat, "predikat"));
    self.domains.forEach((domain, n) => {
      rows.push(figureRow(`Domain ${domain.id}: ${domain.name}`, domain.text, verified.domains[n].text, "domain"));
      self.aspects.forEach((aspect, m) => {
        if (aspect.domain !== domain.id) return;
        rows.push(figureRow(`Aspek ${aspect.id}: ${aspect.label}`, aspect.text, verified.aspects[m].text, "aspek"));
      });
    });
    this.$("verifikasi-angka").replaceChildren(...rows);
    const level = (value) => (value === null ? "belum diisi" : String(value));
    const diffs = reply.differences.map((diff) => {
      const row = document.createElement("tr");
      row.dataset.butir = diff.item;
      row.dataset.arah = arrow(diff.impact);
      const link = document.createElement("a");
      link.href = `#butir-${diff.item}`;
      link.textContent = diff.item;
      row.append(cell(link), cell(diff.label), cell(level(diff.self)), cell(level(diff.verified)), cell(diff.impact));
      const fieldset = this.$(`butir-${diff.item}`);
      fieldset.dataset.beda = row.dataset.arah;
      const note = fieldset.querySelector(".butir-beda");
      note.hidden = false;
      note.textContent = `Berbeda dari mandiri (${level(diff.self)}); dampak ${diff.impact}`;
      return row;
    });
    this.$("verifikasi-beda").replaceChildren(...diffs);
    this.$("verifikasi-sama").hidden = diffs.length > 0;
    this.$("verifikasi-beda").closest("table").hidden = diffs.length === 0;
    this.$("cetak-verifikasi-ringkas").textContent =
      `Indeks mandiri ${self.index_text} (${self.predikat}); indeks verifikasi ${verified.index_text} (${verified.predikat}). ` +
      (diffs.length
        ? `${diffs.length} butir berbeda: ${reply.differences.map((d) => `${d.item} (${level(d.self)} → ${level(d.verified)}, ${d.impact})`).join("; ")}.`
        : "Semua level verifikasi sama dengan penilaian mandiri.");
    panel.dataset.kunci = key;
  }

  // --- year over year ------------------------------------------------------------------

  bindCompare() {
    this.$("banding-tambah").addEventListener("click", () => this.$("banding-berkas").click());
    this.$("banding-berkas").addEventListener("change", (event) => {
      const files = [...event.target.files];
      event.target.value = "";
      this.addFiles(files);
    });
    this.$("banding-saat-ini").addEventListener("change", () => this.runCompare());
    this.$("banding-domain").addEventListener("change", () => this.renderChart());
    this.$("banding-salin").addEventListener("click", () =>
      this.copy(this.comparison?.text ?? "", "banding-status", "Perbandingan sudah disalin ke papan klip."),
    );
  }

  async addFiles(files) {
    this.$("banding-galat").replaceChildren();
    for (const file of files) {
      let reply;
      try {
        if (file.size > READ_LIMIT) {
          throw new Error(`berkas terlalu besar; batasnya ${megabytes(this.calc.contract.limits.max_bytes)}`);
        }
        reply = await this.calc.engine.request({ op: "import", text: await file.text() });
      } catch (error) {
        reply = { ok: false, problems: [String(error.message)] };
      }
      if (!reply.ok) {
        this.compareProblem(`Berkas "${file.name}" tidak dapat dibandingkan. Masalahnya:`, reply.problems);
        continue;
      }
      this.compared.push({ name: file.name, assessment: reply.assessment });
    }
    this.runCompare();
  }

  compareProblem(title, problems) {
    const box = document.createElement("div");
    box.className = "kalk-pesan";
    box.dataset.jenis = "galat";
    box.setAttribute("role", "alert");
    this.showProblems(box, title, problems);
    this.$("banding-galat").append(box);
  }

  // Entries in time order (stable; entries without a year keep their place after the rest),
  // labelled like `spbe banding`: the year, or file names when years are missing or repeat.
  entries() {
    const list = this.compared.map((entry) => ({ ...entry, current: false }));
    if (this.$("banding-saat-ini").checked) {
      list.push({ name: "isian-saat-ini", assessment: this.calc.assessment(), current: true });
    }
    const year = (entry) => entry.assessment.tahun ?? Infinity;
    list.sort((a, b) => year(a) - year(b));
    const stem = (entry) => (entry.current ? "Isian saat ini" : entry.name.replace(/\.[^.]*$/, ""));
    let labels = list.map((entry) => (entry.assessment.tahun ? String(entry.assessment.tahun) : stem(entry)));
    if (new Set(labels).size < labels.length) labels = list.map(stem);
    list.forEach((entry, n) => (entry.label = labels[n]));
    return list;
  }

  renderEntries(list) {
    const rows = list.map((entry) => {
      const li = document.createElement("li");
      const title = document.createElement("strong");
      title.textContent = entry.label;
      const detail = document.createElement("span");
      const who = entry.assessment.instansi ? ` · ${entry.assessment.instansi}` : "";
      detail.textContent = entry.current ? ` — isian di formulir${who}` : ` — ${entry.name}${who}`;
      li.append(title, detail);
      if (!entry.current) {
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "banding-hapus";
        remove.textContent = "Hapus";
        remove.setAttribute("aria-label", `Hapus ${entry.name} dari perbandingan`);
        remove.addEventListener("click", () => {
          this.compared = this.compared.filter((item) => item.assessment !== entry.assessment);
          this.runCompare();
        });
        li.append(" ", remove);
      }
      return li;
    });
    this.$("banding-daftar").replaceChildren(...rows);
  }

  // At most one comparison in flight; the latest state wins.
  async runCompare() {
    if (this.compareBusy) {
      this.compareAgain = true;
      return;
    }
    const list = this.entries();
    this.renderEntries(list);
    this.$("banding-kurang").hidden = list.length >= 2;
    const panel = this.$("panel-banding");
    if (list.length < 2) {
      this.$("banding-hasil").hidden = true;
      this.comparison = null;
      panel.dataset.kunci = "";
      return;
    }
    this.compareBusy = true;
    let reply;
    try {
      reply = await this.calc.engine.request({
        op: "compare",
        assessments: list.map((entry) => entry.assessment),
        labels: list.map((entry) => entry.label),
      });
    } catch (error) {
      reply = { ok: false, problems: [String(error.message)] };
    }
    this.compareBusy = false;
    if (this.compareAgain) {
      this.compareAgain = false;
      this.runCompare();
      return;
    }
    if (!reply.ok) {
      this.compareProblem("Perbandingan tidak dapat dihitung.", reply.problems);
      this.$("banding-hasil").hidden = true;
      return;
    }
    this.comparison = reply.comparison;
    this.renderComparison(reply.comparison);
    panel.dataset.kunci = list.map((entry) => entry.label).join("|") + `|${this.calc.shareCode()}`;
  }

  refreshCompare() {
    if (this.$("banding-saat-ini").checked && this.compared.length) this.runCompare();
  }

  renderComparison(view) {
    this.$("banding-hasil").hidden = false;
    const head = [document.createElement("th")];
    head[0].scope = "col";
    head[0].textContent = "Indeks";
    for (const label of view.labels) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = label;
      head.push(th);
    }
    const change = document.createElement("th");
    change.scope = "col";
    change.textContent = `Perubahan ${view.labels[0]}–${view.labels.at(-1)}`;
    this.$("banding-kepala").replaceChildren(...head, change);
    const rows = view.rows.map((figure) => {
      const row = document.createElement("tr");
      row.dataset.jenis = figure.kind;
      const name = figure.kind === "indeks" ? figure.name : `${figure.kind === "domain" ? "Domain" : "Aspek"} ${figure.id}: ${figure.name}`;
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = name;
      const delta = cell(figure.change);
      delta.dataset.arah = arrow(figure.change);
      row.append(th, ...figure.values.map((value) => cell(value)), delta);
      return row;
    });
    const predikat = document.createElement("tr");
    predikat.dataset.jenis = "predikat";
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = "Predikat";
    predikat.append(th, ...view.predikat.map((name) => cell(name)), cell(""));
    rows.splice(1, 0, predikat);
    this.$("banding-angka").replaceChildren(...rows);

    const blocks = view.changes.map((changes, n) => {
      const block = document.createElement("div");
      block.className = "banding-ubah";
      const title = document.createElement("h3");
      title.textContent = `Butir yang berubah dari ${view.labels[n]} ke ${view.labels[n + 1]}`;
      block.append(title);
      if (!changes.length) {
        const none = document.createElement("p");
        none.textContent = "Tidak ada butir yang berubah.";
        block.append(none);
        return block;
      }
      const list = document.createElement("ul");
      for (const diff of changes) {
        const li = document.createElement("li");
        li.dataset.arah = arrow(diff.impact_text);
        li.dataset.butir = diff.item;
        const level = (value) => (value === null ? "–" : String(value));
        const tag = document.createElement("span");
        tag.className = "banding-arah";
        tag.textContent = li.dataset.arah === "turun" ? "turun" : "naik";
        li.append(tag, ` ${diff.item}. ${diff.name}: level ${level(diff.from)} → ${level(diff.to)} (${diff.impact_text})`);
        list.append(li);
      }
      block.append(list);
      return block;
    });
    this.$("banding-ubah").replaceChildren(...blocks);
    this.renderChart();
  }

  // A line chart of the index (and optionally the domains) over the assessments. The figures
  // and labels are the core's; numbers are only used to place points.
  renderChart() {
    const view = this.comparison;
    if (!view) return;
    const width = 640;
    const height = 260;
    const pad = { left: 46, right: 36, top: 20, bottom: 34 };
    const plotW = width - pad.left - pad.right;
    const plotH = height - pad.top - pad.bottom;
    const n = view.labels.length;
    const x = (i) => pad.left + (n === 1 ? plotW / 2 : (plotW * i) / (n - 1));
    const { min_level: low, max_level: high } = this.fw;
    const y = (value) => pad.top + plotH * (1 - (value - low) / (high - low));
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("class", "tren");
    svg.setAttribute("role", "img");
    const summary = view.labels.map((label, i) => `${label}: ${view.rows[0].values[i]}`).join("; ");
    svg.setAttribute("aria-label", `Grafik tren ${this.fw.index_name}. ${summary}.`);
    // The framework's predikat bands, lowest first (the contract).
    const bands = this.fw.predikat;
    bands.forEach((band, i) => {
      const top = i + 1 < bands.length ? Number(bands[i + 1].min) : high;
      const rect = svgEl("rect", {
        x: pad.left,
        width: plotW,
        y: y(top),
        height: y(Math.max(Number(band.min), low)) - y(top),
        class: "tren-pita",
        "data-pita": band.position,
      });
      svg.append(rect);
    });
    for (const level of this.levels()) {
      svg.append(svgEl("line", { x1: pad.left, x2: width - pad.right, y1: y(level), y2: y(level), class: "tren-garis" }));
      svg.append(svgText(String(level), pad.left - 8, y(level) + 4, "end", "tren-sumbu"));
    }
    view.labels.forEach((label, i) => svg.append(svgText(label, x(i), height - 10, "middle", "tren-sumbu")));
    const series = [];
    if (this.$("banding-domain").checked) {
      const count = view.results[0].domains.length;
      view.results[0].domains.forEach((domain, d) => {
        series.push({
          name: `Domain ${domain.id}`,
          values: view.results.map((result) => result.domains[d].index),
          cls: "tren-domain",
          // Spread over the colour wheel, as many hues as the framework has domains.
          style: `--tren-warna: hsl(${Math.round(30 + (300 * d) / Math.max(count, 1))} 70% 38%)`,
        });
      });
    }
    series.push({ name: this.fw.index_name, values: view.results.map((r) => r.index), cls: "tren-indeks", texts: view.rows[0].values });
    for (const line of series) {
      const points = line.values.map((value, i) => `${x(i)},${y(value)}`).join(" ");
      const style = line.style ? { style: line.style } : {};
      svg.append(svgEl("polyline", { points, class: line.cls, ...style }));
      line.values.forEach((value, i) => {
        svg.append(svgEl("circle", { cx: x(i), cy: y(value), r: line.texts ? 4.5 : 3, class: line.cls, ...style }));
        if (line.texts) svg.append(svgText(line.texts[i], x(i), y(value) - 10, "middle", "tren-nilai"));
      });
      if (!line.texts) {
        const last = line.values.length - 1;
        const name = svgText(line.name, x(last) + 4, y(line.values[last]) + 14, "end", `tren-nama ${line.cls}`);
        if (line.style) name.setAttribute("style", line.style);
        svg.append(name);
      }
    }
    this.$("banding-svg").replaceChildren(svg);
  }

  // --- follow-up list ------------------------------------------------------------------

  renderFollowUps() {
    const extra = this.calc.state.extra;
    const followUps = object(extra.tindak_lanjut);
    const notes = object(extra.catatan);
    const statusText = (value) => this.statuses.find((status) => status.id === value)?.name ?? value;
    const rows = [];
    const printed = [];
    for (const id of this.items) {
      const entry = followUps[id] ? object(followUps[id]) : null;
      const note = typeof notes[id] === "string" ? notes[id] : "";
      if (!entry && !note) continue;
      const values = entry
        ? [entry.rekomendasi, entry.unit, entry.tenggat, statusText(entry.status)].map((v) => String(v ?? ""))
        : ["", "", "", ""];
      printed.push(rowOf([id, this.itemName(id), ...values, note]));
      if (!entry) continue;
      const link = document.createElement("a");
      link.href = `#butir-${id}`;
      link.textContent = id;
      link.addEventListener("click", (event) => {
        event.preventDefault();
        this.openItem(id);
      });
      const row = rowOf(["", this.itemName(id), ...values]);
      row.dataset.butir = id;
      row.firstChild.append(link);
      rows.push(row);
    }
    this.$("tindak-isi").replaceChildren(...rows);
    this.$("tindak-tabel").hidden = rows.length === 0;
    this.$("tindak-kosong").hidden = rows.length > 0;
    this.$("cetak-tindak-isi").replaceChildren(...printed);
    this.$("cetak-tindak").hidden = printed.length === 0;
  }

  async followUpText() {
    const reply = await this.calc.engine.request({ op: "follow_up", assessment: this.calc.assessment() });
    if (!reply.ok) throw new Error(reply.problems.join("; "));
    return reply;
  }

  async copyFollowUp() {
    let reply;
    try {
      reply = await this.followUpText();
    } catch (error) {
      this.$("tindak-status").textContent = `Ringkasan tidak dapat dibuat: ${error.message}`;
      return;
    }
    await this.copy(reply.text, "tindak-status", "Ringkasan tindak lanjut sudah disalin ke papan klip.");
  }

  async followUpCsv() {
    try {
      const reply = await this.followUpText();
      download(`\ufeff${reply.csv}`, `${this.calc.fileStem("tindak-lanjut-spbe")}.csv`, "text/csv");
      this.$("tindak-status").textContent = "";
    } catch (error) {
      this.$("tindak-status").textContent = `CSV tidak dapat dibuat: ${error.message}`;
    }
  }

  // Copy to the clipboard; without permission, show the text to copy by hand.
  async copy(text, statusId, done) {
    const status = this.$(statusId);
    const fallback = this.$("salin-cadangan");
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = done;
      status.dataset.jenis = "siap";
      if (statusId === "tindak-status") fallback.hidden = true;
      return;
    } catch {
      status.dataset.jenis = "galat";
    }
    status.textContent = "Peramban tidak mengizinkan penyalinan otomatis. Salin teks yang ditampilkan (Ctrl+C).";
    // The fallback box lives in the follow-up panel; move it next to the button that asked.
    status.closest(".panel-isi").append(fallback);
    fallback.hidden = false;
    const area = this.$("salin-teks");
    area.value = text;
    area.focus();
    area.select();
  }

  // --- hooks from app.js ---------------------------------------------------------------

  changed() {
    this.updateConstraintRows();
    this.markPlanStale();
    this.refreshCompare();
  }

  reset() {
    this.compared = [];
    this.runCompare();
  }
}

// --- helpers -----------------------------------------------------------------------------

function object(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : {};
}

function setOrDrop(target, key, value) {
  if (Object.keys(value).length) target[key] = value;
  else delete target[key];
}

function option(value, text) {
  const element = document.createElement("option");
  element.value = value;
  element.textContent = text;
  return element;
}

function cell(content) {
  const td = document.createElement("td");
  td.append(content);
  return td;
}

function rowOf(values) {
  const row = document.createElement("tr");
  row.append(...values.map((value) => cell(value)));
  return row;
}

function figureRow(name, self, verified, kind) {
  const row = document.createElement("tr");
  row.dataset.jenis = kind;
  const th = document.createElement("th");
  th.scope = "row";
  th.textContent = name;
  row.append(th, cell(self), cell(verified));
  if (self !== verified) row.dataset.beda = "ya";
  return row;
}

function arrow(signed) {
  if (signed.startsWith("-") || signed.startsWith("−")) return "turun";
  return /[1-9]/.test(signed) ? "naik" : "tetap";
}

function svgEl(name, attributes) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

function svgText(text, x, y, anchor, cls) {
  const element = svgEl("text", { x, y, "text-anchor": anchor, class: cls });
  element.textContent = text;
  return element;
}

function readPrefs(text, items, fw) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  const known = new Set(items);
  const isMap = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
  if (!isMap(data) || !isMap(data.effort) || !isMap(data.max) || !Array.isArray(data.tidak)) return null;
  if (typeof data.target !== "string" || typeof data.indeks !== "string") return null;
  if (Object.entries(data.effort).some(([id, v]) => !known.has(id) || typeof v !== "string" || v.length > 20)) {
    return null;
  }
  const isLevel = (v) => Number.isInteger(v) && v >= fw.min_level && v <= fw.max_level;
  if (Object.entries(data.max).some(([id, v]) => !known.has(id) || !isLevel(v))) {
    return null;
  }
  if (data.tidak.some((id) => !known.has(id))) return null;
  return {
    target: data.target,
    indeks: data.indeks.slice(0, 10),
    effort: data.effort,
    tidak: data.tidak,
    max: data.max,
    verifikasi: data.verifikasi === true,
  };
}

// A file larger than this is not even read (the core's own limit, in the contract, is lower).
export const READ_LIMIT = 20_000_000;

export function megabytes(bytes) {
  return `${String(bytes / 1_000_000).replace(".", ",")} MB`;
}

const CONTRACT_KEY = "spbe-kalkulator/kontrak";
const contracts = new Map();

// The build's contract (scripts/build_calculator.py), fetched once per document (the page
// preloads it). Its name carries its content hash, so a copy kept in localStorage under that
// name is the same document: on a return visit the page starts with no wait for it.
export function readContract(url) {
  const key = String(url);
  if (!contracts.has(key)) {
    const kept = keptContract(key);
    const read = kept
      ? Promise.resolve(kept)
      : fetch(url).then(async (response) => {
          if (!response.ok) throw new Error(`${key}: HTTP ${response.status}`);
          const text = await response.text();
          try {
            localStorage.setItem(CONTRACT_KEY, JSON.stringify({ url: new URL(key).pathname, text }));
          } catch {
            // storage full or unavailable: the next visit fetches it again
          }
          return JSON.parse(text);
        });
    contracts.set(key, read);
    read.catch(() => contracts.delete(key));
  }
  return contracts.get(key);
}

// The contract at `url` if this browser kept it, else null; synchronous.
export function keptContract(url) {
  try {
    const kept = JSON.parse(localStorage.getItem(CONTRACT_KEY) ?? "null");
    return kept?.url === new URL(url).pathname ? JSON.parse(kept.text) : null;
  } catch {
    return null;
  }
}

export function slug(text) {
  return String(text)
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export function download(text, name, type) {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
