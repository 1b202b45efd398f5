// The calculator page: form state, autosave, share links, import/export and rendering.
// Every figure and number text comes from spbe_core (Python in the worker); this module only
// moves data between the form, the worker and the page. User text is only ever set with
// textContent or as an input value, never as HTML.

import { READ_LIMIT, Tools, download, keptContract, megabytes, readContract, slug } from "./tools.js";

const STORAGE_KEY = "spbe-kalkulator/penilaian";
// The last result the engine computed, with the exact request and build it belongs to: shown at
// once on the next visit while Python starts (see compute()).
const RESULT_KEY = "spbe-kalkulator/hasil-terakhir";
const EXTRA_FIELDS = ["verifikasi", "catatan", "tindak_lanjut"]; // format 2; edited in tools.js
const STALL_MS = 45000; // no progress for this long: give up (a bad .wasm MIME type hangs forever)
let engine = null; // one per document; survives instant navigation between pages
const started = new WeakSet();

// data-aktif is set once saved work is restored and the form is live.
export function start(root) {
  if (started.has(root)) return;
  started.add(root);
  engine ??= new Engine(window.spbeMesin, new URL(root.dataset.worker, document.baseURI));
  const url = new URL(root.dataset.kontrak, document.baseURI);
  const begin = (contract) => {
    if (!root.isConnected) return;
    new Calculator(root, engine, contract).init();
    root.dataset.aktif = "ya";
  };
  // A return visit has the contract at hand: start now, before the page has finished loading.
  const kept = keptContract(url);
  if (kept) {
    begin(kept);
    return;
  }
  readContract(url).then(
    begin,
    (error) => {
      const status = document.getElementById("status-teks");
      if (status) status.textContent = "Kalkulator gagal dimuat. Muat ulang halaman ini.";
      console.error(error);
    },
  );
}

// Writes only what changed: after every level change the page re-renders dozens of figures,
// and an unchanged write still costs style and layout work on this long page.
function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

function setData(element, key, value) {
  if (element.dataset[key] !== value) element.dataset[key] = value;
}

const PRINT_DATE = new Intl.DateTimeFormat("id-ID", { dateStyle: "long" });

// A performance mark (read by `make bench` and the tests) when the frame that paints what was
// just written starts. Not a task queued after that frame: on a first load Material's bundle
// (~150 ms, deferred on this page) runs before any such task, though the frame came first.
function markPainted(name) {
  requestAnimationFrame(() => performance.mark(name));
}

// --- offline -------------------------------------------------------------------------------

// After the first result (never earlier: it would compete with Pyodide's start): register the
// service worker, which precaches the app, then ask it for the Pyodide snapshot that makes the
// next visits start fast. sw.js is at the site root, so its scope covers the whole site.
// sw.js ships as it is; the build it caches is named by its URL: sw.js?v=<version>, the version
// in offline.json (scripts/offline.py). That file is read from the network once per visit, so a
// new build registers (and installs) during this visit. Offline the read just fails; the cached
// build stays.
function enableOffline() {
  if (!("serviceWorker" in navigator)) return;
  const manifest = new URL("../../offline.json", import.meta.url);
  fetch(manifest, { cache: "no-cache" })
    .then((response) => (response.ok ? response.json() : null))
    .catch(() => null)
    .then((found) => {
      if (!found?.version) return null; // offline: the registered build (if any) stays
      const script = new URL(`../../sw.js?v=${encodeURIComponent(found.version)}`, import.meta.url);
      return navigator.serviceWorker.register(script);
    })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => registration.active?.postMessage({ type: "fill" }))
    .catch((error) => console.warn("Mode luring tidak aktif:", String(error?.message ?? error)));
}

// --- the worker --------------------------------------------------------------------------

class Engine {
  constructor(early, workerURL) {
    this.state = "memuat"; // memuat | siap | gagal
    this.stage = "unduh"; // unduh | python | spbe
    this.progress = 0;
    this.error = "";
    this.listeners = new Set();
    this.pending = new Map();
    this.nextId = 1;
    let inbox = [];
    if (early?.worker) {
      this.worker = early.worker;
      inbox = early.inbox;
    } else if (!early?.error) {
      try {
        this.worker = new Worker(workerURL, { type: "module" });
        // Instant navigation may run the page's inline starter after this: it must not
        // start a second engine.
        window.spbeMesin = { worker: this.worker, inbox: [], error: null };
      } catch (error) {
        this.fail(String(error));
        return;
      }
    }
    if (early?.error) {
      this.fail("berkas mesin hitung tidak dapat dijalankan");
      return;
    }
    this.worker.onmessage = (event) => this.receive(event.data);
    // A module worker that cannot load (404, wrong MIME type, no module-worker support)
    // reports a bare Event without a message.
    this.worker.onerror = (event) => {
      event.preventDefault?.();
      this.fail(event.message || "berkas mesin hitung tidak dapat dijalankan");
    };
    inbox.forEach((message) => this.receive(message));
    this.watchdog();
  }

  watchdog() {
    clearTimeout(this.timer);
    if (this.state !== "memuat") return;
    this.timer = setTimeout(() => this.fail("waktu memuat habis"), STALL_MS);
  }

  request(request) {
    if (this.state === "gagal") return Promise.reject(new Error(this.error));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, request });
    });
  }

  receive(message) {
    if (this.state === "gagal") return;
    switch (message.type) {
      case "progress":
        this.progress = message.total ? message.loaded / message.total : 0;
        break;
      case "stage":
        this.stage = message.stage;
        break;
      case "ready":
        this.state = "siap";
        this.start = message.snapshot ? "snapshot" : "biasa"; // how Python started
        break;
      case "failed":
        this.fail(message.error);
        return;
      case "reply": {
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (!waiting) return;
        if (message.error) waiting.reject(new Error(message.error));
        else waiting.resolve(message.reply);
        return;
      }
      default:
        return;
    }
    this.watchdog();
    this.notify();
  }

  fail(reason) {
    if (this.state === "gagal") return;
    this.state = "gagal";
    this.error = reason;
    clearTimeout(this.timer);
    this.worker?.terminate();
    for (const waiting of this.pending.values()) waiting.reject(new Error(reason));
    this.pending.clear();
    this.notify();
  }

  notify() {
    this.listeners.forEach((listener) => listener());
  }
}

// --- the page ----------------------------------------------------------------------------

class Calculator {
  constructor(root, engine, contract) {
    this.root = root;
    this.engine = engine;
    this.contract = contract;
    this.fw = contract.frameworks.find((framework) => framework.id === root.dataset.framework);
    this.framework = this.fw.id;
    this.items = this.fw.items.map((item) => item.id);
    this.form = root.querySelector("#form-penilaian");
    this.schemes = this.fw.schemes.map((scheme) => scheme.id);
    this.defaultScheme = this.fw.default_scheme;
    this.state = this.blank();
    this.inFlight = false;
    this.queued = false;
    this.changedAt = null;
    this.shown = false;
    this.computed = false;
    this.found = new Map();
    this.tools = new Tools(this);
  }

  // Elements are looked up a hundred times per level change, and none moves once the page is
  // built: find each once.
  memo(key, find) {
    let value = this.found.get(key);
    if (value === undefined) {
      value = find();
      if (value) this.found.set(key, value);
    }
    return value;
  }

  $(id) {
    return this.memo(`#${id}`, () => this.root.querySelector(`#${id}`));
  }

  init() {
    // Instant navigation may swap this page out while the engine lives on: then stop listening.
    const listener = () => {
      if (this.root.isConnected) this.showEngine();
      else this.engine.listeners.delete(listener);
    };
    this.engine.listeners.add(listener);
    this.tools.build();
    // Levels clicked before this module ran are kept, unless saved work replaces them.
    if (!this.restore()) this.state.levels = this.readForm();
    this.tools.restorePrefs();
    this.updatePrintDate();
    this.bind();
    this.tools.bind();
    this.applyToForm();
    this.showEngine();
    this.updateLocal();
    // A share link that needs no question is applied (and sent) first; otherwise the saved
    // work is computed while the question waits.
    this.loadShareLink();
    if (!this.inFlight) this.compute();
  }

  blank() {
    return { scheme: this.defaultScheme, instansi: "", tahun: "", levels: {}, extra: {} };
  }

  // The assessment in the CLI's file format (the same file works in both).
  assessment(state = this.state) {
    const extended = EXTRA_FIELDS.some((key) => !isEmpty(state.extra[key]));
    const [plain, withExtras] = this.contract.assessment_formats;
    const data = { format: extended ? withExtras : plain, framework: this.framework };
    data.scheme = state.scheme;
    if (state.instansi.trim()) data.instansi = state.instansi.trim();
    const tahun = validYear(state.tahun);
    if (tahun !== null) data.tahun = tahun;
    data.levels = {};
    for (const id of this.items) if (id in state.levels) data.levels[id] = state.levels[id];
    for (const key of EXTRA_FIELDS) if (!isEmpty(state.extra[key])) data[key] = state.extra[key];
    return data;
  }

  fromAssessment(data) {
    const extra = {};
    for (const key of EXTRA_FIELDS) if (data[key] !== undefined) extra[key] = data[key];
    const levels = {};
    for (const [id, level] of Object.entries(data.levels)) if (level !== null) levels[id] = level;
    return {
      scheme: data.scheme ?? this.defaultScheme,
      instansi: data.instansi ?? "",
      tahun: data.tahun == null ? "" : String(data.tahun),
      levels,
      extra,
    };
  }

  // The levels in the framework's item order: one character each, or "-" (belum diisi).
  shareCode(levels = this.state.levels) {
    return this.items.map((id) => (id in levels ? String(levels[id]) : "-")).join("");
  }

  // --- autosave ------------------------------------------------------------------------

  // Returns true when saved work was restored.
  restore() {
    let text = null;
    try {
      text = localStorage.getItem(STORAGE_KEY);
    } catch {
      this.notice("penyimpanan", "info", "Penyimpanan otomatis tidak tersedia di peramban ini.", [
        "Isian hanya bertahan selama halaman ini terbuka. Gunakan Ekspor berkas untuk menyimpannya.",
      ]);
      return false;
    }
    if (text === null) return false;
    const state = this.readStored(text);
    if (state) {
      this.state = state;
      return true;
    }
    this.forget();
    this.notice(
      "penyimpanan",
      "galat",
      "Data tersimpan di peramban ini tidak dapat dibaca, jadi kalkulator dimulai dari awal.",
      ["Data itu rusak atau bukan milik kalkulator ini, dan sudah dihapus."],
    );
    return true; // a clean start: ignore whatever the form shows
  }

  readForm() {
    const levels = {};
    for (const input of this.form.querySelectorAll('input[name^="l-"]:checked')) {
      if (input.value !== "") levels[input.name.slice(2)] = Number(input.value);
    }
    return levels;
  }

  // Structural check of stored data; the worker's own validation backs it up (see render).
  readStored(text) {
    let data;
    try {
      data = JSON.parse(text);
    } catch {
      return null;
    }
    const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
    if (!isObject(data) || !this.contract.assessment_formats.includes(data.format)) return null;
    if (data.framework !== this.framework || !isObject(data.levels)) return null;
    if (data.scheme !== undefined && !this.schemes.includes(data.scheme)) return null;
    if (data.instansi !== undefined && typeof data.instansi !== "string") return null;
    if (data.tahun !== undefined && data.tahun !== null && validYear(String(data.tahun)) === null) {
      return null;
    }
    for (const [id, level] of Object.entries(data.levels)) {
      if (!this.items.includes(id)) return null;
      if (level !== null && !this.isLevel(level)) {
        return null;
      }
    }
    if (EXTRA_FIELDS.some((key) => key in data && !isObject(data[key]))) return null;
    return this.fromAssessment(data);
  }

  isLevel(value) {
    return Number.isInteger(value) && value >= this.fw.min_level && value <= this.fw.max_level;
  }

  // The predikat band of a predikat name (its position colours it), from the contract.
  band(name) {
    return this.fw.predikat.find((band) => band.name === name);
  }

  save() {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(this.assessment()));
    } catch {
      if (this.saveWarned) return;
      this.saveWarned = true;
      this.notice("penyimpanan", "info", "Isian tidak dapat disimpan otomatis di peramban ini.", [
        "Gunakan Ekspor berkas agar isian tidak hilang saat halaman ditutup.",
      ]);
    }
  }

  forget() {
    try {
      localStorage.removeItem(STORAGE_KEY);
      localStorage.removeItem(RESULT_KEY);
    } catch {
      // storage unavailable: nothing to forget
    }
  }

  // --- events --------------------------------------------------------------------------

  bind() {
    this.form.addEventListener("change", (event) => {
      const input = event.target;
      if (!input.name?.startsWith("l-")) return;
      const id = input.name.slice(2);
      if (input.value === "") delete this.state.levels[id];
      else this.state.levels[id] = Number(input.value);
      this.changed();
    });
    this.form.addEventListener("submit", (event) => event.preventDefault());
    this.root.querySelectorAll('input[name="skema"]').forEach((input) =>
      input.addEventListener("change", () => {
        this.state.scheme = input.value;
        this.changed();
      }),
    );
    this.$("instansi").addEventListener("input", (event) => {
      this.state.instansi = event.target.value;
      this.save();
      this.updateLocal();
    });
    this.$("tahun").addEventListener("input", (event) => {
      this.state.tahun = event.target.value;
      this.save();
      this.updateLocal();
    });
    this.$("tombol-impor").addEventListener("click", () => this.$("berkas-impor").click());
    this.$("berkas-impor").addEventListener("change", (event) => {
      const [file] = event.target.files;
      event.target.value = ""; // choosing the same file again must fire "change" again
      if (file) this.importFile(file);
    });
    this.$("tombol-ekspor").addEventListener("click", () => this.exportFile());
    this.$("tombol-csv").addEventListener("click", () => this.exportCsv());
    this.$("tombol-cetak").addEventListener("click", () => {
      this.updatePrintDate();
      window.print();
    });
    this.$("tombol-bagikan").addEventListener("click", () => this.share());
    this.$("tombol-mulai-ulang").addEventListener("click", () => this.startOver());
    window.addEventListener("beforeprint", () => this.updatePrintDate());
    window.addEventListener("hashchange", () => {
      if (this.root.isConnected) this.loadShareLink();
    });
  }

  changed() {
    this.changedAt ??= performance.now();
    // A remembered result on screen no longer matches the form: grey it out until the engine
    // answers (once the engine runs, answers come within milliseconds).
    if (this.engine.state !== "siap") this.$("hasil").setAttribute("aria-busy", "true");
    this.save();
    this.updateLocal();
    this.compute();
    this.tools.changed();
  }

  replaceState(state) {
    this.state = state;
    this.applyToForm();
    this.changed();
  }

  applyToForm() {
    for (const id of this.items) {
      const level = this.state.levels[id];
      const value = level === undefined ? "" : String(level);
      const input = this.form.querySelector(`input[name="l-${id}"][value="${value}"]`);
      if (input) input.checked = true;
    }
    for (const input of this.root.querySelectorAll('input[name="skema"]')) {
      input.checked = input.value === this.state.scheme;
    }
    this.$("instansi").value = this.state.instansi;
    this.$("tahun").value = this.state.tahun;
    this.tools.apply();
  }

  // What needs no worker: counts, the year check, the print header and the print table.
  updateLocal() {
    const filled = this.items.filter((id) => id in this.state.levels).length;
    const text = `${filled} dari ${this.items.length} butir terisi`;
    setText(this.$("hasil-terisi"), text);
    setText(this.$("ringkas-terisi"), text);
    for (const id of this.items) {
      setData(this.$(`butir-${id}`), "terisi", id in this.state.levels ? "ya" : "tidak");
      const cell = this.memo(`cetak-${id}`, () => this.root.querySelector(`[data-cetak="${id}"]`));
      const level = this.state.levels[id];
      setText(
        cell,
        (level === undefined ? "belum diisi" : this.levelLabel(id, level)) + this.tools.verifiedText(id),
      );
    }
    const yearBad = this.state.tahun.trim() !== "" && validYear(this.state.tahun) === null;
    this.$("tahun").setAttribute("aria-invalid", String(yearBad));
    this.$("tahun-galat").hidden = !yearBad;
    setText(this.$("cetak-instansi"), this.state.instansi.trim() || "–");
    setText(this.$("cetak-tahun"), String(validYear(this.state.tahun) ?? "–"));
    const scheme = this.fw.schemes.find((entry) => entry.id === this.state.scheme);
    const isDefault = scheme?.id === this.defaultScheme ? " (bawaan)" : "";
    setText(this.$("cetak-skema"), scheme ? `${scheme.name}${isDefault}` : "–");
  }

  levelLabel(id, level) {
    const item = this.fw.items.find((entry) => entry.id === id);
    const model = this.fw.models.find((entry) => entry.id === item.model);
    const name = model.level_names[level - this.fw.min_level];
    return name ? `Level ${level} ${name}` : `Level ${level}`;
  }

  updatePrintDate() {
    setText(this.$("cetak-tanggal"), PRINT_DATE.format(new Date()));
  }

  // --- scoring -------------------------------------------------------------------------

  // At most one request in flight; changes made meanwhile are sent together when it returns.
  compute() {
    if (this.engine.state === "gagal") return;
    if (this.inFlight) {
      this.queued = true;
      return;
    }
    const key = this.resultKey();
    const request = { op: "score", assessment: this.assessment() };
    const text = JSON.stringify(request);
    if (this.engine.state !== "siap") this.showRemembered(text, key);
    this.inFlight = true;
    const sentAt = performance.now();
    this.engine.request(request).then(
      (reply) => {
        this.inFlight = false;
        this.roundTrip = performance.now() - sentAt;
        if (this.queued) {
          this.queued = false;
          this.compute();
        } else if (this.root.isConnected) {
          this.remember(text, reply);
          this.render(reply, key);
        }
      },
      (error) => {
        this.inFlight = false;
        this.queued = false;
        if (this.engine.state !== "gagal") this.internalError(error);
      },
    );
  }

  resultKey() {
    return `${this.shareCode()}|${this.state.scheme}`;
  }

  // While Python starts, show the result remembered for this very request from this very build
  // (data-versi: the hash of the wheel and runtime files). spbe_core is deterministic, so it is
  // the reply the engine is about to give, and the engine's own reply replaces it anyway.
  showRemembered(text, key) {
    const versi = this.root.dataset.versi;
    try {
      const saved = JSON.parse(localStorage.getItem(RESULT_KEY) ?? "null");
      if (!versi || saved?.versi !== versi || saved.request !== text || !saved.reply?.ok) return;
      this.render(saved.reply, key, "ingatan");
      performance.mark("spbe-hasil-ingatan");
    } catch {
      // unreadable or not a result: the engine's reply follows anyway, and replaces it
    }
  }

  remember(text, reply) {
    const versi = this.root.dataset.versi;
    if (!versi || !reply.ok) return;
    try {
      localStorage.setItem(RESULT_KEY, JSON.stringify({ versi, request: text, reply }));
    } catch {
      // storage full or unavailable: the next visit waits for the engine instead
    }
  }

  // source: "mesin" (the engine's reply) or "ingatan" (remembered from the last visit).
  render(reply, key, source = "mesin") {
    if (!reply.ok) {
      // Only data from outside (storage) can get here: start clean rather than get stuck.
      this.notice(
        "penyimpanan",
        "galat",
        "Data penilaian tidak sah, jadi kalkulator dimulai dari awal.",
        reply.problems,
      );
      this.forget();
      this.replaceState(this.blank());
      return;
    }
    const view = reply.result;
    const hasil = this.$("hasil");
    hasil.setAttribute("aria-busy", "false");
    hasil.dataset.status = "siap";
    hasil.dataset.sumber = source;
    this.$("hasil-menunggu").hidden = true;
    setText(this.$("hasil-indeks"), view.index_text);
    for (const id of ["hasil-predikat", "ringkas-predikat"]) {
      setText(this.$(id), view.predikat);
      setData(this.$(id), "pita", String(this.band(view.predikat).position));
    }
    setText(this.$("ringkas-indeks"), view.index_text);
    this.renderScale(view);
    for (const [kind, figures] of [
      ["domain", view.domains],
      ["aspek", view.aspects],
    ]) {
      for (const figure of figures) {
        const [value, bar] = this.memo(`${kind}-${figure.id}`, () => {
          const row = this.root.querySelector(`[data-${kind}="${figure.id}"]`);
          return [row.querySelector(".grafik-nilai"), row.querySelector(".grafik-isi")];
        });
        setText(value, figure.text);
        const width = `${this.onScale(figure.index)}%`;
        if (bar.style.width !== width) bar.style.width = width;
      }
    }
    this.renderMissing(view);
    for (const item of view.items) {
      setText(
        this.$(`kontribusi-${item.id}`),
        item.level === null
          ? `Setiap level menambah indeks ${item.gain}.`
          : item.level >= this.fw.max_level
            ? `Menyumbang ${item.contribution} ke indeks (level tertinggi).`
            : `Menyumbang ${item.contribution} ke indeks; naik satu level: +${item.gain}.`,
      );
    }
    this.tools.renderVerification(reply);
    hasil.dataset.kunci = key;
    if (!this.shown) {
      this.shown = true;
      markPainted("spbe-hasil-pertama");
    }
    if (source !== "mesin") return;
    const latency = this.changedAt === null ? null : performance.now() - this.changedAt;
    this.changedAt = null;
    if (!this.computed) {
      this.computed = true;
      markPainted("spbe-hasil-mesin");
      enableOffline();
    }
    // For the benchmark: change-to-render time, and how much of it was the worker round trip.
    const detail = { latency, roundTrip: this.roundTrip };
    this.root.dispatchEvent(new CustomEvent("spbe:hasil", { bubbles: true, detail }));
  }

  renderScale(view) {
    const marker = this.$("skala-penanda");
    marker.hidden = false;
    marker.style.left = `${this.onScale(view.index)}%`;
    const band = this.band(view.predikat);
    const position = String(band.position);
    setData(marker, "pita", position);
    const bands = this.memo("skala", () => [...this.root.querySelectorAll(".skala-pita, .skala-segmen")]);
    for (const element of bands) element.classList.toggle("skala-aktif", element.dataset.pita === position);
    setText(
      this.$("skala-keterangan"),
      `Indeks ${view.index_text} berada pada rentang predikat ${view.predikat} (${band.range}).`,
    );
  }

  // Position on the framework's scale as a CSS percentage (layout only; the figures are the
  // core's).
  onScale(index) {
    const { min_level: low, max_level: high } = this.fw;
    return Math.max(0, Math.min(100, ((index - low) / (high - low)) * 100));
  }

  renderMissing(view) {
    const box = this.$("hasil-kurang");
    box.hidden = view.complete;
    setText(this.$("hasil-kurang-jumlah"), String(view.missing.length));
    const list = this.$("hasil-kurang-daftar");
    const missing = view.missing.join(" ");
    if (list.dataset.butir === missing) return;
    list.dataset.butir = missing;
    const entries = view.missing.map((id, n) => {
      const li = document.createElement("li");
      const link = document.createElement("a");
      link.href = `#butir-${id}`;
      link.textContent = `${id}. ${view.missing_labels[n]}`;
      li.append(link);
      return li;
    });
    list.replaceChildren(...entries);
  }

  showEngine() {
    const { state, stage, progress, error } = this.engine;
    const box = this.$("status-mesin");
    box.dataset.status = state;
    if (this.engine.start) box.dataset.mulai = this.engine.start; // read by tests and bench
    const bar = this.$("status-progres");
    const percent = this.$("status-persen");
    let text;
    if (state === "siap") {
      text = "Mesin hitung siap. Semua perhitungan berjalan di peramban ini.";
    } else if (state === "gagal") {
      text = "Mesin hitung gagal dimuat, jadi hasil tidak dapat dihitung.";
    } else if (stage === "unduh") {
      text = "Mengunduh mesin hitung (Pyodide, Python untuk peramban)…";
    } else if (stage === "python") {
      text = "Menyalakan Python…";
    } else {
      text = "Memuat pustaka penghitung spbe_core…";
    }
    const label = this.$("status-teks");
    if (label.textContent !== text) label.textContent = text;
    bar.hidden = percent.hidden = state !== "memuat";
    if (stage === "unduh") {
      bar.value = Math.round(progress * 100);
      percent.textContent = `${bar.value}%`;
    } else {
      bar.removeAttribute("value"); // indeterminate: nothing to count while Python starts
      percent.textContent = "";
    }
    if (state === "gagal") {
      const hasil = this.$("hasil");
      hasil.dataset.status = "gagal";
      hasil.setAttribute("aria-busy", "false");
      this.$("hasil-menunggu").textContent =
        "Hasil tidak dapat dihitung karena mesin hitung gagal dimuat.";
      this.$("hasil-menunggu").hidden = false;
      this.notice("mesin", "galat", "Mesin hitung (Pyodide) gagal dimuat.", [
        `Penyebab: ${error}.`,
        "Isian Anda tetap ada di formulir dan tersimpan di peramban ini; tidak ada yang hilang.",
        "Coba muat ulang halaman. Jika tetap gagal, gunakan peramban versi terbaru (Chrome, Edge, Firefox atau Safari) atau perintah spbe score dari paket spbe_core.",
      ]);
    }
  }

  internalError(error) {
    this.notice("mesin", "galat", "Terjadi kesalahan di mesin hitung.", [String(error.message)]);
  }

  // --- share links ---------------------------------------------------------------------

  async loadShareLink() {
    if (!location.hash.startsWith("#l=")) return;
    let code = location.hash.slice(3);
    try {
      code = decodeURIComponent(code);
    } catch {
      // keep it raw; the check below rejects it
    }
    this.dropShareHash();
    const { min_level: low, max_level: high } = this.fw;
    const valid = [...code].every((char) => char === "-" || (/^\d$/.test(char) && this.isLevel(Number(char))));
    if (code.length !== this.items.length || !valid) {
      const shown = code.length > 60 ? `${code.slice(0, 60)}…` : code;
      const first = this.items[0];
      const last = this.items.at(-1);
      this.notice("tautan", "galat", "Tautan berbagi ini tidak sah, jadi tidak dimuat.", [
        `Bagian setelah #l= harus ${this.items.length} karakter, masing-masing ${low}–${high} atau - (belum diisi), satu untuk setiap butir dari ${first} sampai ${last} berurutan.`,
        `Tautan ini berisi "${shown}" (${code.length} karakter).`,
        "Isian Anda tidak diubah.",
      ]);
      return;
    }
    if (code === this.shareCode()) return;
    const levels = {};
    [...code].forEach((char, n) => {
      if (char !== "-") levels[this.items[n]] = Number(char);
    });
    if (Object.keys(this.state.levels).length > 0) {
      const replace = await this.confirm(
        "Ganti isian dengan isi tautan?",
        "Tautan berbagi ini berisi level yang berbeda dari isian Anda saat ini. Jika diganti, level isian Anda yang sekarang hilang (instansi, tahun dan skema bobot tetap). Ekspor berkas dulu jika ingin menyimpannya.",
        "Ganti dengan isi tautan",
      );
      if (!replace) {
        this.notice("tautan", "info", "Isi tautan berbagi tidak dimuat; isian Anda tetap.");
        return;
      }
    }
    this.replaceState({ ...this.state, levels });
    this.notice("tautan", "info", "Level dari tautan berbagi sudah dimuat.");
  }

  // Drop the #l=… from the address, so a reload does not load the link again. In a task of its
  // own: the same-document navigation costs ~10–20 ms, which must not delay the first result.
  dropShareHash() {
    const hash = location.hash;
    setTimeout(() => {
      if (location.hash === hash) {
        history.replaceState(history.state, "", location.pathname + location.search);
      }
    });
  }

  async share() {
    const url = `${location.href.split("#")[0]}#l=${this.shareCode()}`;
    const box = this.$("bagikan");
    box.hidden = false;
    const field = this.$("tautan-bagi");
    field.value = url;
    let copied = false;
    try {
      await navigator.clipboard.writeText(url);
      copied = true;
    } catch {
      // no clipboard permission: the field is there to copy by hand
    }
    field.focus();
    field.select();
    this.$("bagikan-status").textContent = copied
      ? "Tautan sudah disalin ke papan klip."
      : "Salin tautan di atas (Ctrl+C).";
  }

  // --- files ---------------------------------------------------------------------------

  async importFile(file) {
    this.clearNotices("impor");
    if (this.engine.state === "gagal") {
      this.notice("impor", "galat", "Impor tidak tersedia karena mesin hitung gagal dimuat.");
      return;
    }
    if (file.size > READ_LIMIT) {
      this.notice("impor", "galat", `Berkas "${file.name}" tidak dapat diimpor.`, [
        `Berkas terlalu besar; batasnya ${megabytes(this.contract.limits.max_bytes)}. Isian Anda tidak diubah.`,
      ]);
      return;
    }
    if (this.engine.state !== "siap") {
      this.notice("impor", "info", `Berkas "${file.name}" diperiksa setelah mesin hitung siap…`);
    }
    let reply;
    try {
      reply = await this.engine.request({ op: "import", text: await file.text() });
    } catch (error) {
      this.notice("impor", "galat", `Berkas "${file.name}" tidak dapat diimpor.`, [
        String(error.message),
      ]);
      return;
    }
    if (!reply.ok) {
      this.notice(
        "impor",
        "galat",
        `Berkas "${file.name}" tidak dapat diimpor. Isian Anda tidak diubah. Masalahnya:`,
        reply.problems,
      );
      return;
    }
    const next = this.fromAssessment(reply.assessment);
    const same = JSON.stringify(this.assessment(next)) === JSON.stringify(this.assessment());
    const hasWork = Object.keys(this.state.levels).length > 0 || this.state.instansi.trim();
    if (hasWork && !same) {
      const replace = await this.confirm(
        "Ganti isian dengan isi berkas?",
        `Isian Anda saat ini akan diganti dengan isi berkas "${file.name}". Ekspor berkas dulu jika ingin menyimpan isian yang sekarang.`,
        "Ganti dengan isi berkas",
      );
      if (!replace) {
        this.notice("impor", "info", "Impor dibatalkan; isian Anda tetap.");
        return;
      }
    }
    this.replaceState(next);
    this.notice("impor", "info", `Berkas "${file.name}" sudah diimpor.`);
  }

  async exportFile() {
    const assessment = this.assessment();
    let text;
    if (this.engine.state === "gagal") {
      // Keep the data portable even without the engine: the same file format, built here.
      text = `${JSON.stringify(assessment, null, 2)}\n`;
    } else {
      const reply = await this.ask({ op: "export", assessment });
      if (!reply) return;
      text = reply.text;
    }
    download(text, `${this.fileStem("penilaian-spbe")}.json`, "application/json");
  }

  async exportCsv() {
    if (this.engine.state === "gagal") {
      this.notice("ekspor", "galat", "CSV hasil butuh mesin hitung, yang gagal dimuat.", [
        "Ekspor berkas tetap bisa dipakai untuk menyimpan isian.",
      ]);
      return;
    }
    const reply = await this.ask({ op: "csv", assessment: this.assessment() });
    // A byte-order mark lets spreadsheet programs read the file as UTF-8.
    if (reply) download(`\ufeff${reply.text}`, `${this.fileStem("hasil-spbe")}.csv`, "text/csv");
  }

  async ask(request) {
    this.clearNotices("ekspor");
    if (this.engine.state !== "siap") {
      this.notice("ekspor", "info", "Berkas dibuat setelah mesin hitung siap…");
    }
    try {
      const reply = await this.engine.request(request);
      this.clearNotices("ekspor");
      if (reply.ok) return reply;
      this.notice("ekspor", "galat", "Berkas tidak dapat dibuat.", reply.problems);
    } catch (error) {
      this.notice("ekspor", "galat", "Berkas tidak dapat dibuat.", [String(error.message)]);
    }
    return null;
  }

  fileStem(prefix) {
    const parts = [prefix, slug(this.state.instansi).slice(0, 60), validYear(this.state.tahun)];
    return parts.filter(Boolean).join("-");
  }

  async startOver() {
    const sure = await this.confirm(
      "Mulai ulang?",
      "Semua level, level verifikasi, catatan, tindak lanjut, instansi dan tahun akan dikosongkan dan dihapus dari peramban ini, dan skema bobot kembali ke bawaan. Batasan rencana tetap. Ekspor berkas dulu jika ingin menyimpannya.",
      "Ya, kosongkan",
    );
    if (!sure) return;
    this.clearNotices();
    this.forget();
    this.replaceState(this.blank());
    this.tools.reset();
    this.notice("mulai-ulang", "info", "Isian sudah dikosongkan.");
  }

  // --- notices and the dialog ----------------------------------------------------------

  notice(topic, kind, title, lines = []) {
    this.clearNotices(topic);
    const box = document.createElement("div");
    box.className = "kalk-pesan";
    box.dataset.pesan = topic;
    box.dataset.jenis = kind;
    box.setAttribute("role", kind === "galat" ? "alert" : "status");
    const heading = document.createElement("p");
    heading.className = "kalk-pesan-judul";
    heading.textContent = title;
    box.append(heading);
    if (lines.length) {
      const list = document.createElement("ul");
      for (const line of lines) {
        const li = document.createElement("li");
        li.textContent = line;
        list.append(li);
      }
      box.append(list);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.className = "kalk-pesan-tutup";
    close.textContent = "Tutup";
    close.setAttribute("aria-label", `Tutup pesan: ${title}`);
    close.addEventListener("click", () => box.remove());
    box.append(close);
    this.$("pesan").append(box);
  }

  clearNotices(topic) {
    const selector = topic ? `[data-pesan="${topic}"]` : ".kalk-pesan";
    this.$("pesan").querySelectorAll(selector).forEach((box) => box.remove());
  }

  confirm(title, text, yes) {
    const dialog = this.$("dialog-konfirmasi");
    if (dialog.open) return Promise.resolve(false); // one question at a time
    // The "close" event comes in a later task: a question asked again at once (Escape, then
    // Enter on the button) must neither get the earlier answer nor leave the earlier one open.
    this.settleQuestion?.();
    this.$("dialog-judul").textContent = title;
    this.$("dialog-isi").textContent = text;
    this.$("dialog-ya").textContent = yes;
    dialog.returnValue = "";
    return new Promise((resolve) => {
      const settle = () => {
        if (dialog.open) return; // the close event of an earlier showing
        dialog.removeEventListener("close", settle);
        this.settleQuestion = null;
        resolve(dialog.returnValue === "ya");
      };
      this.settleQuestion = settle;
      dialog.addEventListener("close", settle);
      dialog.showModal();
    });
  }
}

// --- helpers -----------------------------------------------------------------------------

function validYear(text) {
  const value = String(text).trim();
  if (!/^\d{4}$/.test(value)) return null;
  const year = Number(value);
  return year >= 1900 && year <= 2100 ? year : null;
}


function isEmpty(value) {
  return value === undefined || (value !== null && typeof value === "object" && Object.keys(value).length === 0);
}
