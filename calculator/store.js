// The one store of the page's work: the assessment being edited (levels, scheme, instansi,
// tahun and the per-item extras), kept in localStorage per framework. Modules change it through
// the store and learn of changes by subscribing; the store knows nothing of the page.

import { isLevel } from "./contract.js";
import { isObject } from "./dom.js";
import { codeOf } from "./share.js";

/**
 * @typedef {import("./contract.js").Contract} Contract
 * @typedef {import("./contract.js").FrameworkFacts} FrameworkFacts
 *
 * @typedef {object} State
 * @property {string} scheme
 * @property {string} instansi
 * @property {string} tahun as typed
 * @property {Record<string, number>} levels items left empty are absent
 * @property {Record<string, any>} extra verifikasi, catatan, tindak_lanjut (format 2)
 */

export const EXTRA_FIELDS = ["verifikasi", "catatan", "tindak_lanjut"];
const STORAGE_KEY = "spbe-kalkulator/penilaian";

/**
 * localStorage under `base/<framework id>`. The release before frameworks were plural kept one
 * assessment under `base` alone: it moves to its framework's key on first read, and anything
 * unreadable there counts as this framework's (so the user hears of it and it is cleared).
 * @param {string} base @param {string} frameworkId @param {(text: string) => string | null} owner
 *   the framework an old entry belongs to, null if unreadable
 */
export function frameworkStorage(base, frameworkId, owner) {
  const key = `${base}/${frameworkId}`;
  return {
    /** @returns {string | null} */
    read() {
      const text = localStorage.getItem(key);
      if (text !== null) return text;
      const old = localStorage.getItem(base);
      if (old === null) return null;
      const belongs = owner(old);
      if (belongs !== null && belongs !== frameworkId) return null; // another framework's
      localStorage.setItem(key, old);
      localStorage.removeItem(base);
      return old;
    },
    /** @param {string} text */
    write(text) {
      localStorage.setItem(key, text);
    },
    remove() {
      localStorage.removeItem(key);
      const old = localStorage.getItem(base);
      if (old !== null && owner(old) === null) localStorage.removeItem(base);
    },
  };
}

/** The framework a stored text names, or null when it cannot be read. @param {string} text */
function namedFramework(text) {
  try {
    const data = JSON.parse(text);
    return typeof data?.framework === "string" ? data.framework : null;
  } catch {
    return null;
  }
}

export class Store {
  /** @param {Contract} contract @param {FrameworkFacts} fw */
  constructor(contract, fw) {
    this.contract = contract;
    this.fw = fw;
    this.items = fw.items.map((item) => item.id);
    const known = contract.frameworks.map((framework) => framework.id);
    /** @param {string} text */
    const owner = (text) => {
      const named = namedFramework(text);
      return named !== null && known.includes(named) ? named : null;
    };
    this.storage = frameworkStorage(STORAGE_KEY, fw.id, owner);
    /** @type {State} */
    this.state = this.blank();
    /** @type {Set<(reason: string) => void>} */
    this.listeners = new Set();
  }

  /** @returns {State} */
  blank() {
    return { scheme: this.fw.default_scheme, instansi: "", tahun: "", levels: {}, extra: {} };
  }

  /** @param {(reason: string) => void} listener */
  subscribe(listener) {
    this.listeners.add(listener);
  }

  // "nilai": levels, scheme or verified levels (the results change); "isian": other fields.
  /** @param {string} reason */
  notify(reason) {
    for (const listener of this.listeners) listener(reason);
  }

  // The assessment in the CLI's file format (the same file works in both).
  /** @param {State} state */
  assessment(state = this.state) {
    const extended = EXTRA_FIELDS.some((key) => !isEmpty(state.extra[key]));
    const [plain, withExtras] = this.contract.assessment_formats;
    /** @type {Record<string, any>} */
    const data = { format: extended ? withExtras : plain, framework: this.fw.id };
    data.scheme = state.scheme;
    if (state.instansi.trim()) data.instansi = state.instansi.trim();
    const tahun = validYear(state.tahun);
    if (tahun !== null) data.tahun = tahun;
    data.levels = {};
    for (const id of this.items) if (id in state.levels) data.levels[id] = state.levels[id];
    for (const key of EXTRA_FIELDS) if (!isEmpty(state.extra[key])) data[key] = state.extra[key];
    return data;
  }

  /** @param {Record<string, any>} data @returns {State} */
  fromAssessment(data) {
    /** @type {Record<string, any>} */
    const extra = {};
    for (const key of EXTRA_FIELDS) if (data[key] !== undefined) extra[key] = data[key];
    /** @type {Record<string, number>} */
    const levels = {};
    for (const [id, level] of Object.entries(data.levels)) if (level !== null) levels[id] = level;
    return {
      scheme: data.scheme ?? this.fw.default_scheme,
      instansi: data.instansi ?? "",
      tahun: data.tahun == null ? "" : String(data.tahun),
      levels,
      extra,
    };
  }

  // Structural check of stored data; the worker's own validation backs it up.
  /** @param {string} text @returns {State | null} */
  readStored(text) {
    let data;
    try {
      data = JSON.parse(text);
    } catch {
      return null;
    }
    if (!isObject(data) || !this.contract.assessment_formats.includes(data.format)) return null;
    if (data.framework !== this.fw.id || !isObject(data.levels)) return null;
    const schemes = this.fw.schemes.map((scheme) => scheme.id);
    if (data.scheme !== undefined && !schemes.includes(data.scheme)) return null;
    if (data.instansi !== undefined && typeof data.instansi !== "string") return null;
    if (data.tahun !== undefined && data.tahun !== null && validYear(String(data.tahun)) === null) {
      return null;
    }
    for (const [id, level] of Object.entries(data.levels)) {
      if (!this.items.includes(id)) return null;
      if (level !== null && !isLevel(this.fw, level)) return null;
    }
    if (EXTRA_FIELDS.some((key) => key in data && !isObject(data[key]))) return null;
    return this.fromAssessment(data);
  }

  // "restored", "none" (nothing saved), "unreadable" (dropped) or "unavailable" (no storage).
  /** @returns {"restored" | "none" | "unreadable" | "unavailable"} */
  load() {
    let text = null;
    try {
      text = this.storage.read();
    } catch {
      return "unavailable";
    }
    if (text === null) return "none";
    const state = this.readStored(text);
    if (!state) {
      this.forget();
      return "unreadable";
    }
    this.state = state;
    return "restored";
  }

  /** @returns {boolean} false when the browser refused to store it */
  save() {
    try {
      this.storage.write(JSON.stringify(this.assessment()));
      return true;
    } catch {
      return false;
    }
  }

  forget() {
    try {
      this.storage.remove();
    } catch {
      // storage unavailable: nothing to forget
    }
  }

  /** Replace the whole state (with a copy: `state` may be kept to undo). @param {State} state */
  replace(state) {
    this.state = structuredClone(state);
    this.notify("ganti");
  }

  /** A copy of the whole state, to put back later with replace(). @returns {State} */
  snapshot() {
    return structuredClone(this.state);
  }

  /** Change the state in place and tell the subscribers. @param {string} reason */
  changed(reason = "nilai") {
    this.notify(reason);
  }

  // The levels in the framework's item order: one character each, or "-" (belum diisi).
  /** @param {Record<string, number>} levels */
  shareCode(levels = this.state.levels) {
    return codeOf(this.fw, levels);
  }
}

/** @param {string} text @returns {number | null} */
export function validYear(text) {
  const value = String(text).trim();
  if (!/^\d{4}$/.test(value)) return null;
  const year = Number(value);
  return year >= 1900 && year <= 2100 ? year : null;
}

/** @param {unknown} value */
function isEmpty(value) {
  return value === undefined || (value !== null && typeof value === "object" && Object.keys(value).length === 0);
}
