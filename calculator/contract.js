// The build's contract (scripts/build_calculator.py writes it as kalkulator.<hash>.json and
// names it in the page): every fact about the frameworks and the runtime files the browser
// needs, so nothing is read back from the page's text.

/**
 * @typedef {object} Band A predikat band, lowest first; `position` colours it (CSS data-pita).
 * @property {number} position
 * @property {string} name
 * @property {string} min exact lower bound as decimal text ("2.60")
 * @property {string} min_text the lower bound as shown ("2,60")
 * @property {string} range the range it covers as shown ("2,60–3,49")
 * @property {string} width its share of the scale bar (CSS)
 *
 * @typedef {object} ItemFacts An item, in the framework's (share link) order.
 * @property {string} id
 * @property {string} label the indicator's name, with the item's label when it has several
 * @property {string} indicator
 * @property {string} aspect
 * @property {string} model
 *
 * @typedef {object} FrameworkFacts
 * @property {string} id
 * @property {string} name
 * @property {string} short_name
 * @property {string} period the evaluations it governed, e.g. "evaluasi SPBE 2021–2025"
 * @property {string} index_name
 * @property {"level" | "decimal"} value_kind
 * @property {number} min_level
 * @property {number} max_level
 * @property {{id: string, name: string, level_names: string[]}[]} models
 * @property {{id: string, name: string}[]} domains
 * @property {{id: string, domain: string, name: string, label: string}[]} aspects
 * @property {ItemFacts[]} items
 * @property {{id: string, name: string}[]} schemes
 * @property {string} default_scheme
 * @property {Band[]} predikat
 * @property {{empty_value: number, text: string}} partial
 *
 * @typedef {object} Contract
 * @property {string} format
 * @property {string} default_framework what a share link or stored work without one means
 * @property {FrameworkFacts[]} frameworks
 * @property {Record<string, string>} pages each framework's calculator, from the site root
 * @property {string[]} assessment_formats without and with the per-item extras
 * @property {{id: string, name: string}[]} follow_up_statuses the first is the default
 * @property {{max_bytes: number, max_text: number}} limits
 * @property {Record<string, any>} runtime
 */

const CONTRACT_KEY = "spbe-kalkulator/kontrak";
/** @type {Map<string, Promise<Contract>>} */
const contracts = new Map();

// Fetched once per document (see fetchContract). Its name carries its content hash, so a
// copy kept in localStorage under that name is the same document: on a return visit the page
// starts with no wait for it (see keptContract).
/** @param {URL} url @returns {Promise<Contract>} */
export function readContract(url) {
  const key = String(url);
  let read = contracts.get(key);
  if (!read) {
    const kept = keptContract(url);
    read = kept
      ? Promise.resolve(kept)
      : fetchContract(url).then(async (response) => {
          if (!response.ok) throw new Error(`${key}: HTTP ${response.status}`);
          const text = await response.text();
          try {
            localStorage.setItem(CONTRACT_KEY, JSON.stringify({ url: url.pathname, text }));
          } catch {
            // storage full or unavailable: the next visit fetches it again
          }
          return JSON.parse(text);
        });
    contracts.set(key, read);
    read.catch(() => contracts.delete(key));
  }
  return read;
}

/** The contract at `url` if this browser kept it, else null; synchronous. @param {URL} url */
export function keptContract(url) {
  try {
    const kept = JSON.parse(localStorage.getItem(CONTRACT_KEY) ?? "null");
    return kept?.url === url.pathname ? /** @type {Contract} */ (JSON.parse(kept.text)) : null;
  } catch {
    return null;
  }
}

// The page's inline starter (calculator/theme/main.html) asks for the contract while the page
// is still loading; that response is taken once, by the first read.
/** @param {URL} url @returns {Promise<Response>} */
function fetchContract(url) {
  const mesin = /** @type {any} */ (window).spbeMesin;
  const early = mesin?.kontrak;
  if (early?.url !== url.href) return fetch(url);
  mesin.kontrak = undefined;
  return early.response;
}

/** @param {Contract} contract @param {string} id */
export function frameworkOf(contract, id) {
  return contract.frameworks.find((framework) => framework.id === id) ?? null;
}

/** The levels of a framework, lowest first. @param {FrameworkFacts} fw */
export function levelsOf(fw) {
  return Array.from({ length: fw.max_level - fw.min_level + 1 }, (_, n) => fw.min_level + n);
}

const DECIMAL = /^\d+(\.\d{1,4})?$/; // at most 4 decimals, as the core keeps them exactly

/** A value an item can have: a whole level, or for a decimal-valued framework a number with
 * at most 4 decimals; within the framework's range. @param {FrameworkFacts} fw @param {unknown} value */
export function isLevel(fw, value) {
  if (typeof value !== "number" || value < fw.min_level || value > fw.max_level) return false;
  return fw.value_kind === "decimal" ? DECIMAL.test(String(value)) : Number.isInteger(value);
}

/** Typed text ("3,25" or "3.25") -> the value; null when empty, undefined when not a value. */
/** @param {FrameworkFacts} fw @param {string} text @returns {number | null | undefined} */
export function parseValue(fw, text) {
  const typed = text.trim();
  if (typed === "") return null;
  if (!/^\d+([.,]\d{1,4})?$/.test(typed)) return undefined;
  const value = Number(typed.replace(",", "."));
  return isLevel(fw, value) ? value : undefined;
}

/** A value as the page shows it (decimal comma). @param {number} value */
export function valueText(value) {
  return String(value).replace(".", ",");
}

/** The band of a predikat name. @param {FrameworkFacts} fw @param {string} name */
export function bandOf(fw, name) {
  return fw.predikat.find((band) => band.name === name) ?? fw.predikat[0];
}

/** @param {FrameworkFacts} fw @param {string} id */
export function itemOf(fw, id) {
  return fw.items.find((item) => item.id === id);
}

/** What an item's value is called: "nilai" (a decimal-valued framework) or "level". */
/** @param {FrameworkFacts} fw */
export function valueWord(fw) {
  return fw.value_kind === "decimal" ? "nilai" : "level";
}

/** "Level 3 Terdefinisi": a level with its name in the item's model. */
/** @param {FrameworkFacts} fw @param {string} id @param {number} level */
export function levelLabel(fw, id, level) {
  if (fw.value_kind === "decimal") return `Nilai ${valueText(level)}`;
  const model = fw.models.find((entry) => entry.id === itemOf(fw, id)?.model);
  const name = model?.level_names[level - fw.min_level];
  return name ? `Level ${level} ${name}` : `Level ${level}`;
}

/** Position of `index` on the framework's scale as a CSS percentage (layout only). */
/** @param {FrameworkFacts} fw @param {number} index */
export function onScale(fw, index) {
  const share = ((index - fw.min_level) / (fw.max_level - fw.min_level)) * 100;
  return Math.max(0, Math.min(100, share));
}

/** "1 MB" @param {number} bytes */
export function megabytes(bytes) {
  return `${String(bytes / 1_000_000).replace(".", ",")} MB`;
}
