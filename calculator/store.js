// The one store of the page's work: the assessment being edited (levels, scheme, instansi,
// tahun and the per-item extras), kept in localStorage per framework. Modules change it through
// the store and learn of changes by subscribing; the store knows nothing of the page.

import { isLevel, valueWord } from "./contract.js";
import { isObject, object } from "./dom.js";
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
 *
 * @typedef {object} Merge What another tab saved, taken into this tab's state.
 * @property {State} previous this tab's state before
 * @property {string[]} taken the fields (see fieldsOf) that now hold the other tab's values
 * @property {string[]} both the fields both tabs changed; `prefer` says whose value was kept
 * @property {"mine" | "theirs"} prefer
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
    key,
    /** The entry as it is now (no move of an old entry). @returns {string | null} */
    current() {
      return localStorage.getItem(key);
    },
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
    /** @type {Set<(reason: string, merge?: Merge) => void>} */
    this.listeners = new Set();
    // The stored entry as this tab last read or wrote it (null: none). Another tab's save shows
    // as a different text: the entry is the CLI's file format, so the text is its revision.
    /** @type {string | null} */
    this.seen = null;
  }

  /** @returns {State} */
  blank() {
    return { scheme: this.fw.default_scheme, instansi: "", tahun: "", levels: {}, extra: {} };
  }

  /** @param {(reason: string, merge?: Merge) => void} listener */
  subscribe(listener) {
    this.listeners.add(listener);
  }

  // "nilai": levels, scheme or verified levels (the results change); "isian": other fields;
  // "ganti": the whole state; "lain": another tab's work taken in (with the Merge).
  /** @param {string} reason @param {Merge} [merge] */
  notify(reason, merge) {
    for (const listener of this.listeners) listener(reason, merge);
  }

  /**
   * Follow the other tabs of this framework's calculator: their saves (the `storage` event),
   * and whatever they saved while this page was hidden or in the back-forward cache. Stops
   * once `alive()` is false (the page was swapped out by instant navigation).
   * @param {() => boolean} alive
   */
  watchOtherTabs(alive) {
    const check = () => {
      if (!alive()) {
        window.removeEventListener("storage", onStorage);
        document.removeEventListener("visibilitychange", check);
        window.removeEventListener("pageshow", check);
      } else {
        this.takeIn("theirs");
      }
    };
    const onStorage = (/** @type {StorageEvent} */ event) => {
      if (event.key === null || event.key === this.storage.key) check();
    };
    window.addEventListener("storage", onStorage);
    document.addEventListener("visibilitychange", check);
    window.addEventListener("pageshow", check);
  }

  /**
   * Take in what another tab saved since this tab last read or wrote the entry: a three-way
   * merge per field (levels, verified levels, notes and follow-ups per item; instansi, tahun,
   * scheme), the entry this tab last saw as the base. A field only one tab changed gets that
   * tab's value; a field both changed gets `prefer`'s (the newer change: "mine" when this tab is
   * saving a change of its own, "theirs" when the other tab's save arrives). Tells the
   * subscribers ("lain") when anything came from the other tab.
   * @param {"mine" | "theirs"} prefer
   */
  takeIn(prefer) {
    let text;
    try {
      text = this.storage.current();
    } catch {
      return;
    }
    if (text === this.seen) return;
    const base = this.seen === null ? this.blank() : this.readStored(this.seen);
    const theirs = text === null ? this.blank() : this.readStored(text);
    this.seen = text;
    if (!base || !theirs) return; // unreadable: this tab's next save replaces it, as before
    const [old, mine, other] = [fieldsOf(base), fieldsOf(this.state), fieldsOf(theirs)];
    const previous = this.snapshot();
    const next = this.snapshot();
    /** @type {string[]} */
    const taken = [];
    /** @type {string[]} */
    const both = [];
    for (const field of new Set([...old.keys(), ...mine.keys(), ...other.keys()])) {
      const [was, here, there] = [old.get(field), mine.get(field), other.get(field)];
      if (here === there || there === was) continue;
      if (here !== was) both.push(field);
      if (here === was || prefer === "theirs") {
        setField(next, theirs, field);
        taken.push(field);
      }
    }
    if (!taken.length && !both.length) return;
    this.state = next;
    this.notify("lain", { previous, taken, both, prefer });
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
    this.seen = text;
    return "restored";
  }

  // Never over another tab's newer work: what it saved since is taken in first (this tab's
  // change wins where both changed the same field), and the merge is saved.
  /** @returns {boolean} false when the browser refused to store it */
  save() {
    try {
      this.takeIn("mine");
      const text = JSON.stringify(this.assessment());
      if (text !== this.seen) this.storage.write(text);
      this.seen = text;
      return true;
    } catch {
      return false;
    }
  }

  forget() {
    this.seen = null;
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

const TEXT_FIELDS = ["scheme", "instansi", "tahun"];

/**
 * Every field of a state, each as JSON text to compare: "scheme", "instansi", "tahun" (absent
 * when empty), and one per item of the levels and of each extra ("levels/3", "catatan/3").
 * @param {State} state @returns {Map<string, string>}
 */
export function fieldsOf(state) {
  const fields = new Map();
  for (const key of TEXT_FIELDS) {
    const value = String(state[/** @type {"scheme" | "instansi" | "tahun"} */ (key)]).trim();
    if (value) fields.set(key, JSON.stringify(value));
  }
  const groups = { levels: state.levels, ...Object.fromEntries(EXTRA_FIELDS.map((key) => [key, state.extra[key]])) };
  for (const [group, values] of Object.entries(groups)) {
    for (const [id, value] of Object.entries(object(values))) fields.set(`${group}/${id}`, JSON.stringify(value));
  }
  return fields;
}

/** Set `field` of `state` (in place) to its value in `source`, or drop it. */
/** @param {State} state @param {State} source @param {string} field */
function setField(state, source, field) {
  if (TEXT_FIELDS.includes(field)) {
    const key = /** @type {"scheme" | "instansi" | "tahun"} */ (field);
    state[key] = source[key];
    return;
  }
  const [group, id] = [field.slice(0, field.indexOf("/")), field.slice(field.indexOf("/") + 1)];
  const values = group === "levels" ? state.levels : { ...object(state.extra[group]) };
  const value = object(group === "levels" ? source.levels : source.extra[group])[id];
  if (value === undefined) delete values[id];
  else values[id] = value;
  if (group !== "levels") {
    if (Object.keys(values).length) state.extra[group] = values;
    else delete state.extra[group];
  }
}

/** The fields' names in words, in the order they are listed; a decimal-valued framework's
 * items have values ("nilai"), the others levels. @param {FrameworkFacts} fw */
function fieldNames(fw) {
  const word = valueWord(fw);
  return {
    scheme: "skema bobot",
    instansi: "instansi",
    tahun: "tahun",
    levels: word,
    verifikasi: `${word} verifikasi`,
    catatan: "catatan",
    tindak_lanjut: "tindak lanjut",
  };
}

/**
 * Fields in words, grouped in a fixed order: "level butir 1, 2, 7", "catatan 12 butir", "tahun"
 * ("nilai butir 1, 2, 7" for a decimal-valued framework).
 * @param {string[]} fields @param {string[]} items the framework's item order
 * @param {FrameworkFacts} fw the page's framework
 */
export function describeFields(fields, items, fw) {
  const parts = [];
  for (const [group, name] of Object.entries(fieldNames(fw))) {
    if (TEXT_FIELDS.includes(group)) {
      if (fields.includes(group)) parts.push(name);
      continue;
    }
    const ids = items.filter((id) => fields.includes(`${group}/${id}`));
    if (ids.length > 6) parts.push(`${name} ${ids.length} butir`);
    else if (ids.length) parts.push(`${name} butir ${ids.join(", ")}`);
  }
  return parts;
}

/** What "Mulai ulang" clears (Store.blank), for its confirmation. @param {FrameworkFacts} fw */
export function startOverText(fw) {
  const word = valueWord(fw);
  return (
    `Semua ${word}, ${word} verifikasi, catatan, tindak lanjut, instansi dan tahun akan dikosongkan dan dihapus dari ` +
    "peramban ini, dan skema bobot kembali ke bawaan. Batasan rencana tetap. Ekspor berkas dulu jika ingin menyimpannya."
  );
}
