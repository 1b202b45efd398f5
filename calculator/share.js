// Share links: the levels of every item in the address's #fragment, one character each in the
// framework's item order ("-" for belum diisi); for a decimal-valued framework the values with
// a decimal comma, separated by "~". `#l=<code>` is the default framework's (every link shared
// so far); another framework's link names it: `#k=<framework id>&l=<code>`.

import { isLevel, parseValue, valueText } from "./contract.js";

const SEPARATOR = "~"; // between decimal values

/** The share code of `levels`. @param {FrameworkFacts} fw @param {Record<string, number>} levels */
export function codeOf(fw, levels) {
  const decimal = fw.value_kind === "decimal";
  const values = fw.items.map(({ id }) => (id in levels ? (decimal ? valueText(levels[id]) : String(levels[id])) : "-"));
  return values.join(decimal ? SEPARATOR : "");
}

/**
 * @typedef {import("./contract.js").Contract} Contract
 * @typedef {import("./contract.js").FrameworkFacts} FrameworkFacts
 * @typedef {{framework: string, code: string}} SharedLevels
 */

/** The share link in `hash`, or null when it holds none. @param {string} hash @param {Contract} contract */
export function readShareHash(hash, contract) {
  if (!/^#(k=[^&]*&)?l=/.test(hash)) return null;
  const [head, ...rest] = hash.slice(1).split("&l=");
  let framework = contract.default_framework;
  let code = rest.join("&l=");
  if (head.startsWith("l=")) code = hash.slice(3);
  else framework = decode(head.slice(2));
  return { framework, code: decode(code) };
}

/** @param {string} text */
function decode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // kept raw; the checks reject it
  }
}

/** The #fragment of a share link. @param {Contract} contract @param {FrameworkFacts} fw @param {string} code */
export function shareHash(contract, fw, code) {
  const which = fw.id === contract.default_framework ? "" : `k=${encodeURIComponent(fw.id)}&`;
  return `#${which}l=${code}`;
}

/**
 * The levels a share code holds, or the problems that make it invalid (Indonesian).
 * @param {FrameworkFacts} fw @param {string} code
 * @returns {{levels: Record<string, number>} | {problems: string[]}}
 */
export function levelsOfCode(fw, code) {
  const ids = fw.items.map((item) => item.id);
  if (fw.value_kind === "decimal") return decimalsOfCode(fw, ids, code);
  const valid = [...code].every((char) => char === "-" || (/^\d$/.test(char) && isLevel(fw, Number(char))));
  if (code.length !== ids.length || !valid) {
    const shown = code.length > 60 ? `${code.slice(0, 60)}…` : code;
    return {
      problems: [
        `Bagian setelah #l= harus ${ids.length} karakter, masing-masing ${fw.min_level}–${fw.max_level} atau - (belum diisi), satu untuk setiap butir dari ${ids[0]} sampai ${ids.at(-1)} berurutan.`,
        `Tautan ini berisi "${shown}" (${code.length} karakter).`,
      ],
    };
  }
  /** @type {Record<string, number>} */
  const levels = {};
  [...code].forEach((char, n) => {
    if (char !== "-") levels[ids[n]] = Number(char);
  });
  return { levels };
}

/** @typedef {import("./app.js").Calculator} Calculator */

const SITE_ROOT = new URL("../../", import.meta.url); // this file is assets/kalkulator/share.js

// The share link on the page: applying one opened in the address, and making one.
export class ShareLinks {
  /** @param {Calculator} calc */
  constructor(calc) {
    this.calc = calc;
  }

  async load() {
    const calc = this.calc;
    const shared = readShareHash(location.hash, calc.contract);
    if (!shared) return;
    if (shared.framework !== calc.fw.id) {
      this.elsewhere(shared.framework);
      return;
    }
    this.dropHash();
    const found = levelsOfCode(calc.fw, shared.code);
    if ("problems" in found) {
      calc.notice("tautan", "galat", "Tautan berbagi ini tidak sah, jadi tidak dimuat.", [
        ...found.problems,
        "Isian Anda tidak diubah.",
      ]);
      return;
    }
    if (shared.code === calc.store.shareCode()) return;
    if (Object.keys(calc.state.levels).length > 0) {
      const replace = await calc.confirm(
        "Ganti isian dengan isi tautan?",
        "Tautan berbagi ini berisi level yang berbeda dari isian Anda saat ini. Jika diganti, level isian Anda yang sekarang hilang (instansi, tahun dan skema bobot tetap). Ekspor berkas dulu jika ingin menyimpannya.",
        "Ganti dengan isi tautan",
      );
      if (!replace) {
        calc.notice("tautan", "info", "Isi tautan berbagi tidak dimuat; isian Anda tetap.");
        return;
      }
    }
    calc.store.replace({ ...calc.state, levels: found.levels });
    calc.notice("tautan", "info", "Level dari tautan berbagi sudah dimuat.");
  }

  // A link for another framework opens that framework's calculator (its own saved work stays).
  /** @param {string} id */
  elsewhere(id) {
    const calc = this.calc;
    const page = calc.contract.pages?.[id];
    if (page) {
      location.replace(new URL(page, SITE_ROOT).href + location.hash);
      return;
    }
    this.dropHash();
    calc.notice("tautan", "galat", "Tautan berbagi ini untuk kerangka yang tidak tersedia di sini.", [
      `Kerangka "${id}" tidak dikenal. Isian Anda tidak diubah.`,
    ]);
  }

  // Drop the #l=… from the address, so a reload does not load the link again. In a task of its
  // own: the same-document navigation costs ~10–20 ms, which must not delay the first result.
  dropHash() {
    const hash = location.hash;
    setTimeout(() => {
      if (location.hash === hash) {
        history.replaceState(history.state, "", location.pathname + location.search);
      }
    });
  }

  async share() {
    const calc = this.calc;
    const url = `${location.href.split("#")[0]}${shareHash(calc.contract, calc.fw, calc.store.shareCode())}`;
    const box = calc.$("bagikan");
    box.hidden = false;
    const field = calc.$("tautan-bagi");
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
    calc.$("bagikan-status").textContent = copied
      ? "Tautan sudah disalin ke papan klip."
      : "Salin tautan di atas (Ctrl+C).";
  }
}

/** @param {FrameworkFacts} fw @param {string[]} ids @param {string} code */
function decimalsOfCode(fw, ids, code) {
  const parts = code.split(SEPARATOR);
  const values = parts.map((part) => (part === "-" ? null : parseValue(fw, part)));
  if (parts.length !== ids.length || values.some((value) => value === undefined)) {
    const shown = code.length > 60 ? `${code.slice(0, 60)}…` : code;
    return {
      problems: [
        `Bagian setelah l= harus ${ids.length} nilai dipisah "${SEPARATOR}", masing-masing ${fw.min_level}–${fw.max_level} (paling banyak 4 desimal) atau - (belum diisi), untuk butir ${ids[0]} sampai ${ids.at(-1)} berurutan.`,
        `Tautan ini berisi "${shown}" (${parts.length} nilai).`,
      ],
    };
  }
  /** @type {Record<string, number>} */
  const levels = {};
  values.forEach((value, n) => {
    if (typeof value === "number") levels[ids[n]] = value;
  });
  return { levels };
}
