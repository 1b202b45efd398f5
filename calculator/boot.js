// Loaded on every page of the site (mkdocs.yml extra_javascript). It does nothing unless the
// page holds the calculator (or a stacking table, which loads only dom.js), so guide pages never
// load the calculator code or Pyodide.
// Material's instant navigation swaps pages without a reload and announces each new page on
// `document$`; without it (a plain page load) the calculator starts once, right away.

// The framework last chosen (a chooser link clicked, or a calculator page opened): the plain
// default calculator page (kalkulator/) opens the calculator of this framework instead.
const CHOICE_KEY = "spbe-kalkulator/kerangka";

/** @param {string} id */
function remember(id) {
  try {
    localStorage.setItem(CHOICE_KEY, id);
  } catch {
    // storage blocked or full: the choice is simply not remembered
  }
}

/** @returns {string | null} */
function recall() {
  try {
    return localStorage.getItem(CHOICE_KEY);
  } catch {
    return null;
  }
}

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

// The default page opened without a fragment (a share link #l=…/#k=… or a link to an item
// belongs to this page's framework) goes to the remembered framework's page, taken from the
// chooser's links (built from the page data); any other calculator page records its framework.
// Returns true when the page is being left.
/** @param {HTMLElement} root */
function followChoice(root) {
  const here = root.dataset.framework ?? "";
  const chooser = root.querySelector(".kalk-kerangka");
  const chosen = recall();
  if (chooser?.hasAttribute("data-bawaan") && !location.hash && chosen && chosen !== here) {
    const link = chooser.querySelector(`a[data-kerangka="${CSS.escape(chosen)}"]`);
    if (link instanceof HTMLAnchorElement) {
      location.replace(link.href);
      return true;
    }
  }
  if (here) remember(here);
  return false;
}

function startCalculator() {
  const root = document.getElementById("kalkulator");
  if (!root || followChoice(root)) return;
  import("./app.js").then(
    (app) => app.start(root),
    (error) => {
      const status = document.getElementById("status-teks");
      if (status) status.textContent = "Kalkulator gagal dimuat. Muat ulang halaman ini.";
      console.error(error);
    },
  );
}

// Guide tables that stack into cards on a phone (.tabel-tumpuk, extra.css) get their column
// names on every cell, with the calculator's own helper; pages without one load nothing.
function labelGuideTables() {
  const bodies = document.querySelectorAll(".tabel-tumpuk tbody");
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
