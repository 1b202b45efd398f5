// Small DOM helpers shared by the calculator's modules. User text is only ever set with
// textContent or as an attribute or input value, never as HTML.

const SVG = "http://www.w3.org/2000/svg";

// Writes only what changed: after every level change the page re-renders dozens of figures,
// and an unchanged write still costs style and layout work on this long page.
/** @param {Element} element @param {string} text */
export function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

/** @param {HTMLElement} element @param {string} key @param {string} value */
export function setData(element, key, value) {
  if (element.dataset[key] !== value) element.dataset[key] = value;
}

/** @param {string} value @param {string} text */
export function option(value, text) {
  const element = document.createElement("option");
  element.value = value;
  element.textContent = text;
  return element;
}

/** @param {string | Node} content */
export function cell(content) {
  const td = document.createElement("td");
  td.append(content);
  return td;
}

/**
 * Copies each column header's text onto the cells below it as data-label, so that on a phone
 * the stacked rows (calculator.css) can show which column a value belongs to.
 * @param {HTMLElement} tbody
 */
export function labelCells(tbody) {
  const table = tbody.closest("table");
  const headers = table ? [...table.querySelectorAll("thead th")].map((th) => th.textContent ?? "") : [];
  for (const row of tbody.querySelectorAll(":scope > tr")) {
    [...row.children].forEach((cell, n) => setData(/** @type {HTMLElement} */ (cell), "label", headers[n] ?? ""));
  }
}

/**
 * One item's copy of a field template of the page (calculator/page.md): every attribute that
 * names the template's stand-in item (its data-ganti) names the item instead.
 * @param {HTMLTemplateElement} template @param {string} id
 */
export function itemFields(template, id) {
  const stand = String(template.dataset.ganti);
  const copy = /** @type {DocumentFragment} */ (template.content.cloneNode(true));
  for (const element of copy.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      if (attribute.value.includes(stand)) attribute.value = attribute.value.replaceAll(stand, id);
    }
  }
  return copy;
}

/**
 * Calls `fill(details)` before a <details> under `root` that matches `selector` shows its
 * content: on its summary's click, which opens it after the listeners have run (mouse, Enter,
 * Space), and on its toggle for any other way of opening it.
 * @param {Element} root @param {string} selector @param {(details: HTMLDetailsElement) => void} fill
 */
export function beforeOpen(root, selector, fill) {
  root.addEventListener("click", (event) => {
    const summary = /** @type {Element} */ (event.target).closest("summary");
    const details = summary?.parentElement;
    if (details instanceof HTMLDetailsElement && details.matches(selector) && !details.open) fill(details);
  });
  root.addEventListener(
    "toggle",
    (event) => {
      const details = event.target;
      if (details instanceof HTMLDetailsElement && details.matches(selector) && details.open) fill(details);
    },
    true, // toggle does not bubble
  );
}

/** @param {(string | Node)[]} values */
export function rowOf(values) {
  const row = document.createElement("tr");
  row.append(...values.map((value) => cell(value)));
  return row;
}

/** A table row: a row header and one cell per value. @param {string} name @param {string[]} values */
export function headedRow(name, values) {
  const row = document.createElement("tr");
  const th = document.createElement("th");
  th.scope = "row";
  th.textContent = name;
  row.append(th, ...values.map((value) => cell(value)));
  return row;
}

/** @param {string} name @param {Record<string, string | number>} attributes */
export function svgEl(name, attributes) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

/**
 * @param {string} text @param {number} x @param {number} y @param {string} anchor
 * @param {string} cls
 */
export function svgText(text, x, y, anchor, cls) {
  const element = svgEl("text", { x, y, "text-anchor": anchor, class: cls });
  element.textContent = text;
  return element;
}

/** A title and a list of lines into `box` (problems from the core, one per line). */
/** @param {HTMLElement} box @param {string} title @param {string[]} lines */
export function showProblems(box, title, lines) {
  box.hidden = false;
  const heading = document.createElement("p");
  heading.className = "kalk-pesan-judul";
  heading.textContent = title;
  const list = document.createElement("ul");
  for (const line of lines) {
    const li = document.createElement("li");
    li.textContent = line;
    list.append(li);
  }
  box.replaceChildren(heading, ...(lines.length ? [list] : []));
}

/** "naik", "turun" or "tetap" for a signed figure text such as "+0,12" or "−0,05". */
/** @param {string} signed */
export function arrow(signed) {
  if (signed.startsWith("-") || signed.startsWith("−")) return "turun";
  return /[1-9]/.test(signed) ? "naik" : "tetap";
}

/** @param {string} text */
export function slug(text) {
  return String(text)
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** Offer `text` as a file download. @param {string} text @param {string} name @param {string} type */
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

/** @param {unknown} value @returns {Record<string, any>} the value if a plain object, else {} */
export function object(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? /** @type {Record<string, any>} */ (value)
    : {};
}

/** @param {unknown} value @returns {value is Record<string, any>} */
export function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
