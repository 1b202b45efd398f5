// Material's search panel has role="dialog" but no accessible name (axe: aria-dialog-name).
document.querySelector(".md-search")?.setAttribute("aria-label", "Pencarian");

// A table wider than the screen scrolls inside Material's wrapper; a keyboard user can only
// scroll it if the wrapper can take focus (axe: scrollable-region-focusable). Each wrapper and
// its table are watched for size changes (window resized, instant navigation): the check runs
// when the browser has laid them out anyway, never forcing a layout of the whole page.
const watcher = new ResizeObserver((entries) => {
  /** @type {Set<HTMLElement>} */
  const boxes = new Set();
  for (const entry of entries) {
    const box = entry.target.closest(".md-typeset__scrollwrap");
    if (box instanceof HTMLElement) boxes.add(box);
  }
  // Read every size before changing any attribute, so the page is laid out once.
  const scrolls = [...boxes].map((box) => ({ box, scrolling: box.scrollWidth > box.clientWidth }));
  for (const { box, scrolling } of scrolls) {
    if (scrolling && !box.hasAttribute("tabindex")) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "Tabel, dapat digeser ke samping");
    } else if (!scrolling && box.getAttribute("role") === "region") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }
});

function watch() {
  watcher.disconnect();
  for (const box of document.querySelectorAll(".md-typeset__scrollwrap")) {
    watcher.observe(box);
    if (box.firstElementChild) watcher.observe(box.firstElementChild);
  }
}

// On the calculator page the theme's script is deferred and runs after this one.
function follow() {
  const material = /** @type {any} */ (window);
  if (typeof material.document$?.subscribe === "function") material.document$.subscribe(watch);
  else watch();
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", follow);
else follow();
