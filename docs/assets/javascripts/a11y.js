// Material's search panel has role="dialog" but no accessible name (axe: aria-dialog-name).
document.querySelector(".md-search")?.setAttribute("aria-label", "Pencarian");

// A table wider than the screen scrolls inside Material's wrapper; a keyboard user can only
// scroll it if the wrapper can take focus (axe: scrollable-region-focusable). Checked on each
// page (instant navigation included) and when the window changes size.
function focusableTables() {
  for (const box of document.querySelectorAll(".md-typeset__scrollwrap")) {
    const scrolls = box.scrollWidth > box.clientWidth;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "Tabel, dapat digeser ke samping");
    } else if (!scrolls && box.getAttribute("role") === "region") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }
}

let pending = false;
function soon() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    focusableTables();
  });
}

// On the calculator page the theme's script is deferred and runs after this one.
function follow() {
  const material = /** @type {any} */ (window);
  if (typeof material.document$?.subscribe === "function") material.document$.subscribe(soon);
  else soon();
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", follow);
else follow();
window.addEventListener("resize", soon);
