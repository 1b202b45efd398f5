// Loaded on every page of the site (mkdocs.yml extra_javascript). It does nothing unless the
// page holds the calculator, so guide pages never load the calculator code or Pyodide.
// Material's instant navigation swaps pages without a reload and announces each new page on
// `document$`; without it (a plain page load) the calculator starts once, right away.

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

const material = /** @type {any} */ (window); // Material for MkDocs' globals
if (typeof material.document$?.subscribe === "function") {
  material.document$.subscribe(startCalculator);
} else {
  startCalculator();
}
