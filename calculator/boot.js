// Loaded on every page of the site (mkdocs.yml extra_javascript). It does nothing unless the
// page holds the calculator (or a stacking table, which loads only dom.js), so guide pages never
// load the calculator code or Pyodide.
// Material's instant navigation swaps pages without a reload and announces each new page on
// `document$`; without it (a plain page load) the calculator starts once, right away.

import { remember } from "./choice.js";

// A click on a framework's link (the calculator's chooser, Beranda's "Pilih kerangka") records
// that framework before the page changes, so choosing the default one never bounces back.
document.addEventListener(
  "click",
  (event) => {
    const target = /** @type {Element | null} */ (event.target instanceof Element ? event.target : null);
    const link = /** @type {HTMLElement | null} */ (target?.closest("a[data-kerangka]") ?? null);
    if (link?.dataset.kerangka) remember(link.dataset.kerangka);
  },
  { capture: true },
);

function startCalculator() {
  const root = document.getElementById("kalkulator");
  if (!root) return;
  import("./app.js").then(
    (app) => app.start(root),
    (error) => {
      const status = document.getElementById("status-teks");
      if (status) status.textContent = "Kalkulator gagal dimuat. Muat ulang halaman ini.";
      console.error(error);
    },
  );
}

// Guide tables that stack into cards on a phone (a .tabel-tumpuk wrapper, extra.css) get their
// column names on every cell, with the calculator's own helper; pages without one load nothing.
// The calculator's own stacking tables (table.tabel-tumpuk) are labelled as their rows are made.
function labelGuideTables() {
  const bodies = document.querySelectorAll("div.tabel-tumpuk tbody");
  if (bodies.length === 0) return;
  import("./dom.js").then(
    ({ labelCells }) => bodies.forEach((tbody) => labelCells(/** @type {HTMLElement} */ (tbody))),
    (error) => console.error(error),
  );
}

function startPage() {
  labelGuideTables();
  startCalculator();
}

const material = /** @type {any} */ (window); // Material for MkDocs' globals
if (typeof material.document$?.subscribe === "function") {
  material.document$.subscribe(startPage);
} else {
  startPage();
}
