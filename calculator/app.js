// The calculator page: the form, the results and the status line, around one store (store.js)
// and the engine (engine.js). Every figure and number text comes from spbe_core (Python in the
// worker); the modules only move data between the form, the worker and the page. User text is
// only ever set with textContent or as an input value, never as HTML.

import { followChoice } from "./choice.js";
import { bandOf, keptContract, levelLabel, onScale, parseValue, readContract, valueText } from "./contract.js";
import { setData, setText, slug } from "./dom.js";
import { Engine } from "./engine.js";
import { Files } from "./files.js";
import { writtenDate, FollowUp } from "./followup.js";
import { Comparison } from "./comparison.js";
import { FormNav } from "./nav.js";
import { Planner, Prefs } from "./planner.js";
import { ShareLinks } from "./share.js";
import { describeFields, startOverText, Store, validYear } from "./store.js";
import { Verification } from "./verification.js";

/**
 * @typedef {import("./contract.js").Contract} Contract
 * @typedef {import("./contract.js").FrameworkFacts} FrameworkFacts
 * @typedef {import("./engine.js").EngineReply} EngineReply
 */

// The last result the engine computed, with the exact request and build it belongs to: shown at
// once on the next visit while Python starts (see compute()). The page's inline starter
// (calculator/theme/main.html) reads the request under the same key, to send it early.
const RESULT_KEY = "spbe-kalkulator/hasil-terakhir";

/** @type {Engine | null} one per document; survives instant navigation between pages */
let engine = null;
const started = new WeakSet();

// data-aktif is set once saved work is restored and the form is live.
/** @param {HTMLElement} root */
export function start(root) {
  if (started.has(root)) return;
  started.add(root);
  if (followChoice(root)) return; // leaving for the framework last chosen
  const early = /** @type {any} */ (window).spbeMesin;
  const mesin = (engine ??= new Engine(early, new URL(String(root.dataset.worker), document.baseURI)));
  const url = new URL(String(root.dataset.kontrak), document.baseURI);
  /** @param {Contract} contract */
  const begin = (contract) => {
    if (!root.isConnected) return;
    new Calculator(root, mesin, contract).init();
    root.dataset.aktif = "ya";
  };
  // A return visit has the contract at hand: start now, before the page has finished loading.
  const kept = keptContract(url);
  if (kept) {
    begin(kept);
    return;
  }
  readContract(url).then(begin, (error) => {
    const status = document.getElementById("status-teks");
    if (status) status.textContent = "Kalkulator gagal dimuat. Muat ulang halaman ini.";
    console.error(error);
  });
}

// A performance mark (read by `make bench` and the tests) when the frame that paints what was
// just written starts. Not a task queued after that frame: on a first load Material's bundle
// (~150 ms, deferred on this page) runs before any such task, though the frame came first.
/** @param {string} name */
function markPainted(name) {
  requestAnimationFrame(() => performance.mark(name));
}

// sw.js ships as it is; the build it caches is named by its URL: sw.js?v=<version>, the version
// in offline.json (scripts/offline.py). Registered after the first result (never earlier: it
// would compete with Pyodide's start); offline.json is read from the network once per visit,
// so a new build registers (and installs) during this visit. Offline the service worker
// answers with the build it has. Then the service worker is asked for the Pyodide snapshot
// that makes the next visits start fast.
function enableOffline() {
  if (!("serviceWorker" in navigator)) return;
  const manifest = new URL("../../offline.json", import.meta.url);
  fetch(manifest, { cache: "no-cache" })
    .then((response) => (response.ok ? response.json() : null))
    .catch(/** @returns {null} */ () => null)
    .then((/** @type {{version?: string} | null} */ found) => {
      if (!found?.version) return null; // the registered build (if any) stays
      const version = encodeURIComponent(found.version);
      return navigator.serviceWorker.register(new URL(`../../sw.js?v=${version}`, import.meta.url));
    })
    .then((registration) => registration && installed(registration))
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => registration.active?.postMessage({ type: "fill" }))
    .catch((error) => console.warn("Mode luring tidak aktif:", String(error?.message ?? error)));
}

// Settles once the worker this registration is installing (if any) is active or has failed:
// the snapshot is asked of the build just registered, not of the one it replaces.
/** @param {ServiceWorkerRegistration} registration @returns {Promise<void>} */
function installed(registration) {
  const worker = registration.installing ?? registration.waiting;
  if (!worker) return Promise.resolve();
  return new Promise((resolve) => {
    const settle = () => {
      if (worker.state === "activated" || worker.state === "redundant") resolve();
    };
    worker.addEventListener("statechange", settle);
    settle();
  });
}

export class Calculator {
  /** @param {HTMLElement} root @param {Engine} engine @param {Contract} contract */
  constructor(root, engine, contract) {
    this.root = root;
    this.engine = engine;
    this.contract = contract;
    const fw = contract.frameworks.find((framework) => framework.id === root.dataset.framework);
    if (!fw) throw new Error(`kerangka ${root.dataset.framework} tidak ada di kontrak`);
    /** @type {FrameworkFacts} */
    this.fw = fw;
    this.items = fw.items.map((item) => item.id);
    this.form = /** @type {HTMLFormElement} */ (root.querySelector("#form-penilaian"));
    this.store = new Store(contract, fw);
    this.inFlight = false;
    this.queued = false;
    /** @type {number | null} */
    this.changedAt = null;
    /** @type {number | null} */
    this.roundTrip = null;
    this.shown = false;
    this.computed = false;
    this.saveWarned = false;
    /** @type {(() => void) | null} */
    this.settleQuestion = null;
    /** @type {(import("./store.js").Merge & {box: HTMLElement}) | null} the notice of the last */
    this.lastMerge = null;
    /** @type {Map<string, any>} */
    this.found = new Map();
    this.prefs = new Prefs(this);
    this.followUp = new FollowUp(this);
    this.verification = new Verification(this);
    this.planner = new Planner(this);
    this.nav = new FormNav(this);
    this.comparison = new Comparison(this);
    this.files = new Files(this);
    this.shareLinks = new ShareLinks(this);
  }

  get state() {
    return this.store.state;
  }

  // Elements are looked up a hundred times per level change, and none moves once the page is
  // built: find each once.
  /** @template T @param {string} key @param {() => T} find @returns {T} */
  memo(key, find) {
    let value = this.found.get(key);
    if (value === undefined) {
      value = find();
      if (value) this.found.set(key, value);
    }
    return value;
  }

  /** @param {string} id @returns {any} */
  $(id) {
    return this.memo(`#${id}`, () => this.root.querySelector(`#${CSS.escape(id)}`));
  }

  /** @param {string} id */
  itemName(id) {
    return this.fw.items.find((item) => item.id === id)?.label ?? id;
  }

  /** The band of a predikat name (its position colours it). @param {string} name */
  band(name) {
    return bandOf(this.fw, name);
  }

  init() {
    // Instant navigation may swap this page out while the engine lives on: then stop listening.
    const listener = () => {
      if (this.root.isConnected) this.showEngine();
      else this.engine.listeners.delete(listener);
    };
    this.engine.listeners.add(listener);
    this.followUp.build();
    this.planner.build();
    // Levels clicked before this module ran are kept, unless saved work replaces them.
    if (!this.restore()) this.state.levels = this.readForm();
    this.prefs.restore();
    this.updatePrintDate();
    this.bind();
    this.followUp.bind();
    this.verification.bind();
    this.planner.bind();
    this.nav.bind();
    this.comparison.bind();
    this.store.subscribe((reason, merge) => this.onStore(reason, merge));
    this.store.watchOtherTabs(() => this.root.isConnected);
    this.applyToForm();
    this.showEngine();
    this.updateLocal();
    // A share link that needs no question is applied (and sent) first; otherwise the saved
    // work is computed while the question waits.
    this.shareLinks.load();
    if (!this.inFlight) this.compute();
  }

  // --- autosave ------------------------------------------------------------------------

  // Returns true when saved work was restored (or dropped as unreadable).
  restore() {
    const outcome = this.store.load();
    if (outcome === "unavailable") {
      this.notice("penyimpanan", "info", "Penyimpanan otomatis tidak tersedia di peramban ini.", [
        "Isian hanya bertahan selama halaman ini terbuka. Gunakan Ekspor berkas untuk menyimpannya.",
      ]);
      return false;
    }
    if (outcome === "unreadable") {
      this.forgetResult();
      this.notice(
        "penyimpanan",
        "galat",
        "Data tersimpan di peramban ini tidak dapat dibaca, jadi kalkulator dimulai dari awal.",
        ["Data itu rusak atau bukan milik kalkulator ini, dan sudah dihapus."],
      );
      return true; // a clean start: ignore whatever the form shows
    }
    return outcome === "restored";
  }

  readForm() {
    /** @type {Record<string, number>} */
    const levels = {};
    for (const input of this.form.querySelectorAll('input[name^="l-"]:checked')) {
      const radio = /** @type {HTMLInputElement} */ (input);
      if (radio.value !== "") levels[radio.name.slice(2)] = Number(radio.value);
    }
    for (const element of this.form.querySelectorAll("input[data-nilai]")) {
      const field = /** @type {HTMLInputElement} */ (element);
      const value = parseValue(this.fw, field.value);
      if (typeof value === "number") levels[String(field.dataset.nilai)] = value;
    }
    return levels;
  }

  save() {
    if (this.store.save() || this.saveWarned) return;
    this.saveWarned = true;
    this.notice("penyimpanan", "info", "Isian tidak dapat disimpan otomatis di peramban ini.", [
      "Gunakan Ekspor berkas agar isian tidak hilang saat halaman ditutup.",
    ]);
  }

  forget() {
    this.store.forget();
    this.forgetResult();
  }

  forgetResult() {
    try {
      localStorage.removeItem(RESULT_KEY);
    } catch {
      // storage unavailable: nothing to forget
    }
  }

  // --- events --------------------------------------------------------------------------

  bind() {
    this.form.addEventListener("change", (event) => {
      const input = /** @type {HTMLInputElement} */ (event.target);
      if (!input.name?.startsWith("l-")) return;
      const id = input.name.slice(2);
      if (input.value === "") delete this.state.levels[id];
      else this.state.levels[id] = Number(input.value);
      this.showValue(id);
      this.store.changed();
    });
    // A decimal-valued framework: the value field of every item (the quick choices follow it).
    this.form.addEventListener("input", (event) => {
      const field = /** @type {HTMLInputElement} */ (event.target);
      const id = field.dataset.nilai;
      if (!id) return;
      const value = parseValue(this.fw, field.value);
      field.setAttribute("aria-invalid", String(value === undefined));
      this.$(`nilai-galat-${id}`).hidden = value !== undefined;
      if (value === undefined) return; // kept until it reads as a value
      if (value === null) delete this.state.levels[id];
      else this.state.levels[id] = value;
      this.checkLevel(id);
      this.store.changed();
    });
    this.form.addEventListener("submit", (event) => event.preventDefault());
    for (const element of this.root.querySelectorAll('input[name="skema"]')) {
      const input = /** @type {HTMLInputElement} */ (element);
      input.addEventListener("change", () => {
        this.state.scheme = input.value;
        this.store.changed();
      });
    }
    this.$("instansi").addEventListener("input", (/** @type {any} */ event) => {
      this.state.instansi = event.target.value;
      this.store.changed("isian");
    });
    this.$("tahun").addEventListener("input", (/** @type {any} */ event) => {
      this.state.tahun = event.target.value;
      this.store.changed("isian");
    });
    this.files.bind();
    this.$("tombol-cetak").addEventListener("click", () => {
      this.updatePrintDate();
      window.print();
    });
    this.$("tombol-bagikan").addEventListener("click", () => this.shareLinks.share());
    for (const link of this.root.querySelectorAll("[data-buka]")) {
      const target = String(/** @type {HTMLElement} */ (link).dataset.buka);
      link.addEventListener("click", () => (this.$(target).open = true));
    }
    this.$("tombol-mulai-ulang").addEventListener("click", () => this.startOver());
    window.addEventListener("beforeprint", () => this.updatePrintDate());
    window.addEventListener("hashchange", () => {
      if (this.root.isConnected) this.shareLinks.load();
    });
  }

  // Every change of the store: save, then update what depends on it.
  /**
   * @param {string} reason "nilai" (results change), "isian" (other fields), "ganti" (all),
   *   "lain" (another tab's work taken in)
   * @param {import("./store.js").Merge} [merge] with "lain"
   */
  onStore(reason, merge) {
    if (reason === "ganti" || reason === "lain") this.applyToForm();
    if (merge) this.tellMerge(merge);
    this.save();
    this.updateLocal();
    if (reason === "isian") return;
    this.changedAt ??= performance.now();
    // A remembered result on screen no longer matches the form: grey it out until the engine
    // answers (once the engine runs, answers come within milliseconds).
    if (this.engine.state !== "siap") this.$("hasil").setAttribute("aria-busy", "true");
    this.compute();
    this.planner.changed();
    this.comparison.refresh();
  }

  applyToForm() {
    // One pass over the level radios and one over the value fields, not two queries of the
    // whole form per item.
    for (const element of this.form.querySelectorAll('input[name^="l-"]')) {
      const radio = /** @type {HTMLInputElement} */ (element);
      radio.checked = radio.value === this.levelValue(radio.name.slice(2));
    }
    for (const element of this.form.querySelectorAll("input[data-nilai]")) {
      this.showValue(String(/** @type {HTMLInputElement} */ (element).dataset.nilai));
    }
    for (const element of this.root.querySelectorAll('input[name="skema"]')) {
      const input = /** @type {HTMLInputElement} */ (element);
      input.checked = input.value === this.state.scheme;
    }
    this.$("instansi").value = this.state.instansi;
    this.$("tahun").value = this.state.tahun;
    this.followUp.apply();
    this.verification.apply();
    this.planner.apply();
  }

  // The item's radio for its value; none when the value is between two levels.
  /** @param {string} id */
  checkLevel(id) {
    const value = this.levelValue(id);
    // Compared here, not in a selector: no data ever becomes selector syntax.
    for (const element of this.form.querySelectorAll(`input[name="l-${CSS.escape(id)}"]`)) {
      const radio = /** @type {HTMLInputElement} */ (element);
      radio.checked = radio.value === value;
    }
  }

  // Each item's cell in the print table, found in one pass.
  /** @returns {Map<string, HTMLElement>} */
  printCells() {
    return this.memo("[data-cetak]", () => {
      const cells = new Map();
      for (const element of this.root.querySelectorAll("[data-cetak]")) {
        const cell = /** @type {HTMLElement} */ (element);
        cells.set(String(cell.dataset.cetak), cell);
      }
      return cells;
    });
  }

  // An item's level as its radio's value: "" when empty.
  /** @param {string} id */
  levelValue(id) {
    const level = this.state.levels[id];
    return level === undefined ? "" : String(level);
  }

  // The item's value field (decimal-valued frameworks only).
  /** @param {string} id */
  showValue(id) {
    /** @type {HTMLInputElement | null} */
    const field = this.memo(`nilai-${id}`, () => this.root.querySelector(`input[data-nilai="${CSS.escape(id)}"]`));
    if (!field) return;
    const level = this.state.levels[id];
    field.value = level === undefined ? "" : valueText(level);
    field.setAttribute("aria-invalid", "false");
    this.$(`nilai-galat-${id}`).hidden = true;
  }

  // What needs no worker: counts, the year check, the print header and the print table.
  updateLocal() {
    const filled = this.items.filter((id) => id in this.state.levels).length;
    const text = `${filled} dari ${this.items.length} butir terisi`;
    setText(this.$("hasil-terisi"), text);
    setText(this.$("ringkas-terisi"), text);
    for (const id of this.items) {
      setData(this.$(`butir-${id}`), "terisi", id in this.state.levels ? "ya" : "tidak");
      const cell = this.printCells().get(id);
      const level = this.state.levels[id];
      setText(
        cell,
        (level === undefined ? "belum diisi" : levelLabel(this.fw, id, level)) +
          this.verification.printed(id),
      );
    }
    this.nav.update();
    const yearBad = this.state.tahun.trim() !== "" && validYear(this.state.tahun) === null;
    this.$("tahun").setAttribute("aria-invalid", String(yearBad));
    this.$("tahun-galat").hidden = !yearBad;
    setText(this.$("cetak-instansi"), this.state.instansi.trim() || "–");
    setText(this.$("cetak-tahun"), String(validYear(this.state.tahun) ?? "–"));
    const scheme = this.fw.schemes.find((entry) => entry.id === this.state.scheme);
    const byDefault = scheme?.id === this.fw.default_scheme ? " (bawaan)" : "";
    setText(this.$("cetak-skema"), scheme ? `${scheme.name}${byDefault}` : "–");
  }

  updatePrintDate() {
    const now = new Date();
    setText(this.$("cetak-tanggal"), writtenDate(now.getFullYear(), now.getMonth() + 1, now.getDate()));
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
    /** @type {import("./protocol.js").ScoreRequest} */
    const request = { op: "score", assessment: this.store.assessment() };
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
    return `${this.store.shareCode()}|${this.state.scheme}`;
  }

  // While Python starts, show the result remembered for this very request from this very build
  // (data-versi: the hash of the wheel and runtime files). spbe_core is deterministic, so it is
  // the reply the engine is about to give, and the engine's own reply replaces it anyway.
  /** @param {string} text @param {string} key */
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

  /** @param {string} text @param {EngineReply} reply */
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
  /** @param {EngineReply} reply @param {string} key @param {"mesin" | "ingatan"} source */
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
      this.store.replace(this.store.blank());
      return;
    }
    const view = reply.result;
    const hasil = this.$("hasil");
    hasil.setAttribute("aria-busy", "false");
    hasil.dataset.status = "siap";
    hasil.dataset.sumber = source;
    this.$("hasil-menunggu").hidden = true;
    // Nothing filled yet: a neutral state, not "0,00 Kurang" in red.
    const empty = view.missing.length === view.items.length;
    hasil.dataset.kosong = empty ? "ya" : "tidak";
    const indexText = empty ? "–" : view.index_text;
    setText(this.$("hasil-indeks"), indexText);
    for (const id of ["hasil-predikat", "ringkas-predikat"]) {
      setText(this.$(id), empty ? "belum ada isian" : view.predikat);
      if (empty) delete this.$(id).dataset.pita;
      else setData(this.$(id), "pita", String(this.band(view.predikat).position));
    }
    setText(this.$("ringkas-indeks"), indexText);
    this.renderScale(view, empty);
    this.renderNext(view, empty);
    for (const [kind, figures] of [
      ["domain", view.domains],
      ["aspek", view.aspects],
    ]) {
      for (const figure of figures) {
        const [value, bar] = this.memo(`${kind}-${figure.id}`, () => {
          const row = this.root.querySelector(`[data-${kind}="${figure.id}"]`);
          return [row?.querySelector(".grafik-nilai"), row?.querySelector(".grafik-isi")];
        });
        setText(value, figure.text);
        const width = `${onScale(this.fw, figure.index)}%`;
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
    this.verification.render(reply);
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

  // The distance to the next predikat and the least-effort items to reach it (the core's
  // exact planner, one level per item), each linked to its item.
  /** @param {any} view @param {boolean} empty */
  renderNext(view, empty) {
    const box = this.$("hasil-berikut");
    box.hidden = empty;
    const next = view.next;
    const title = this.$("hasil-berikut-judul");
    const list = this.$("hasil-berikut-daftar");
    if (empty) return;
    if (!next) {
      setText(this.$("hasil-berikut-teks"), `Predikat tertinggi (${view.predikat}) sudah tercapai.`);
      title.hidden = true;
      list.replaceChildren();
      return;
    }
    setText(this.$("hasil-berikut-teks"), `${next.distance_text} menuju ${next.predikat} (indeks ≥ ${next.target_text}).`);
    const shown = next.steps.slice(0, 5);
    const more = next.steps.length - shown.length;
    const partial = view.complete ? "" : " Butir kosong dihitung menurut aturan penilaian belum lengkap.";
    title.hidden = shown.length === 0;
    setText(
      title,
      (next.reachable
        ? `Upaya paling kecil: ${next.steps.length} butir naik satu level.`
        : `Belum tercapai walau semua butir naik satu level; kenaikan terbaik: ${next.steps.length} butir.`) + partial,
    );
    const entries = shown.map((/** @type {any} */ step) => {
      const li = document.createElement("li");
      const link = document.createElement("a");
      link.href = `#butir-${step.item}`;
      const from = step.item in this.state.levels ? valueText(step.level) : "kosong";
      link.textContent = `${step.item}. ${step.label}: ${from} → ${step.to} (${step.gain_text})`;
      li.append(link);
      return li;
    });
    if (more > 0) {
      const li = document.createElement("li");
      const link = document.createElement("a");
      link.href = "#panel-rencana";
      link.dataset.buka = "panel-rencana";
      link.textContent = `dan ${more} butir lainnya: lihat Rencana peningkatan`;
      link.addEventListener("click", () => (this.$("panel-rencana").open = true));
      li.append(link);
      entries.push(li);
    }
    list.replaceChildren(...entries);
  }

  /** @param {any} view @param {boolean} empty */
  renderScale(view, empty = false) {
    const marker = this.$("skala-penanda");
    marker.hidden = empty;
    if (empty) {
      for (const element of this.root.querySelectorAll(".skala-aktif")) element.classList.remove("skala-aktif");
      setText(this.$("skala-keterangan"), "Belum ada isian: pilih level pada butir mana pun untuk melihat indeks dan predikat.");
      return;
    }
    marker.style.left = `${onScale(this.fw, view.index)}%`;
    const band = this.band(view.predikat);
    const position = String(band.position);
    setData(marker, "pita", position);
    const bands = this.memo("skala", () => [
      ...this.root.querySelectorAll(/** @type {"span"} */ (".skala-pita, .skala-segmen")),
    ]);
    for (const element of bands) element.classList.toggle("skala-aktif", element.dataset.pita === position);
    setText(
      this.$("skala-keterangan"),
      `Indeks ${view.index_text} berada pada rentang predikat ${view.predikat} (${band.range}).`,
    );
  }

  /** @param {any} view */
  renderMissing(view) {
    const box = this.$("hasil-kurang");
    box.hidden = view.complete;
    setText(this.$("hasil-kurang-jumlah"), String(view.missing.length));
    const list = this.$("hasil-kurang-daftar");
    const missing = view.missing.join(" ");
    if (list.dataset.butir === missing) return;
    list.dataset.butir = missing;
    const entries = view.missing.map((/** @type {string} */ id, /** @type {number} */ n) => {
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

  /** @param {Error} error */
  internalError(error) {
    this.notice("mesin", "galat", "Terjadi kesalahan di mesin hitung.", [String(error.message)]);
  }

  async startOver() {
    const sure = await this.confirm(
      "Mulai ulang?",
      startOverText(this.fw),
      "Ya, kosongkan",
    );
    if (!sure) return;
    const previous = this.store.snapshot();
    this.clearNotices();
    this.forget();
    this.store.replace(this.store.blank());
    this.comparison.reset();
    this.undoable("mulai-ulang", "Isian sudah dikosongkan.", [], previous);
  }

  // Work from another tab never arrives silently: say what came in, what both tabs changed,
  // and offer to put back this tab's state as it was. While the notice is open, later saves of
  // the other tab add to it: "Batalkan" still goes back to before the first.
  /** @param {import("./store.js").Merge} merge */
  tellMerge(merge) {
    const last = this.lastMerge;
    if (last?.box.isConnected) {
      merge = {
        ...merge,
        previous: last.previous,
        taken: [...new Set([...last.taken, ...merge.taken])],
        both: [...new Set([...last.both, ...merge.both])],
      };
    }
    const lines = [];
    const taken = merge.taken.filter((field) => !merge.both.includes(field));
    if (taken.length) {
      lines.push(`Diambil dari tab lain: ${describeFields(taken, this.items, this.fw).join("; ")}.`);
    }
    if (merge.both.length) {
      const whose = merge.prefer === "mine" ? "tab ini" : "tab lain";
      lines.push(
        `Diubah di kedua tab, yang dipakai isian ${whose}: ${describeFields(merge.both, this.items, this.fw).join("; ")}.`,
      );
    }
    lines.push("Kalkulator ini terbuka di lebih dari satu tab; semua tab menyimpan ke penyimpanan yang sama.");
    const box = this.undoable("tab-lain", "Isian diperbarui dari tab lain.", lines, merge.previous);
    this.lastMerge = { ...merge, box };
  }

  /**
   * An info notice with a "Batalkan" button that puts back `previous`, the whole state before
   * the action the notice reports (levels, verification, notes, follow-ups, instansi, tahun,
   * scheme). Only the last action of a topic: its notice replaces the one before.
   * @param {string} topic @param {string} title @param {string[]} lines
   * @param {import("./store.js").State} previous
   */
  undoable(topic, title, lines, previous) {
    return this.notice(topic, "info", title, lines, {
      label: "Batalkan",
      run: () => {
        this.store.replace(previous);
        this.notice(topic, "info", "Dibatalkan: isian kembali seperti sebelumnya.");
      },
    });
  }

  // --- notices and the dialog ----------------------------------------------------------

  /**
   * @param {string} topic @param {"info" | "galat"} kind @param {string} title @param {string[]} lines
   * @param {{label: string, run: () => void} | null} action a button that acts and closes the notice
   */
  notice(topic, kind, title, lines = [], action = null) {
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
    if (action) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "kalk-pesan-aksi";
      button.textContent = action.label;
      button.addEventListener("click", () => {
        box.remove();
        action.run();
      });
      const line = document.createElement("p");
      line.append(button);
      box.append(line);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.className = "kalk-pesan-tutup";
    close.textContent = "Tutup";
    close.setAttribute("aria-label", `Tutup pesan: ${title}`);
    close.addEventListener("click", () => box.remove());
    box.append(close);
    this.$("pesan").append(box);
    return box;
  }

  /** @param {string} [topic] */
  clearNotices(topic) {
    const selector = topic ? `[data-pesan="${topic}"]` : ".kalk-pesan";
    this.$("pesan").querySelectorAll(selector).forEach((/** @type {Element} */ box) => box.remove());
  }

  /** @param {string} title @param {string} text @param {string} yes @returns {Promise<boolean>} */
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

  // Copy to the clipboard; without permission, show the text to copy by hand.
  /** @param {string} text @param {string} statusId @param {string} done */
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

  /** @param {string} prefix */
  fileStem(prefix) {
    const parts = [prefix, slug(this.state.instansi).slice(0, 60), validYear(this.state.tahun)];
    return parts.filter(Boolean).join("-");
  }
}
