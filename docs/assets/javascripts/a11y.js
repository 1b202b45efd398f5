// Material's search panel has role="dialog" but no accessible name (axe: aria-dialog-name).
document.querySelector(".md-search")?.setAttribute("aria-label", "Pencarian");
