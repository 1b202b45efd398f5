// In-page navigation of the long form: chips per aspect with their progress, "next empty
// item" (the button, or Enter on a level), and folding filled items to one line. Only reads
// the store; the fold option is a stored preference (Prefs).

import { levelLabel } from "./contract.js";
import { setData, setText } from "./dom.js";

/** @typedef {import("./app.js").Calculator} Calculator */

export class FormNav {
  /** @param {Calculator} calc */
  constructor(calc) {
    this.calc = calc;
    /** @type {string | null} the item the user was last in: "next" starts after it */
    this.cursor = null;
    /** @type {{link: HTMLElement, items: string[], name: string}[]} */
    this.chips = [...calc.root.querySelectorAll("[data-navigasi]")].map((element) => {
      const link = /** @type {HTMLElement} */ (element);
      return { link, items: String(link.dataset.butirAspek).split(" "), name: String(link.dataset.nama) };
    });
    /** @type {HTMLElement | null} the chip of the aspect being read */
    this.current = null;
    this.tracking = false;
  }

  // The aspect being read: the last one whose heading has gone under the sticky navigation.
  // Its chip is marked and kept in view within the strip (which scrolls sideways on a phone).
  trackAspect() {
    const calc = this.calc;
    const nav = calc.$("navigasi-form");
    const line = nav.getBoundingClientRect().bottom + 8;
    let current = null;
    for (const chip of this.chips) {
      const heading = document.getElementById(/** @type {HTMLAnchorElement} */ (chip.link).hash.slice(1));
      if (!heading || heading.getBoundingClientRect().top > line) break;
      current = chip.link;
    }
    if (current === this.current) return;
    this.current?.removeAttribute("aria-current");
    this.current = current;
    if (!current) return;
    current.setAttribute("aria-current", "location");
    showInStrip(calc.$("navigasi-chip"), current);
  }

  bind() {
    const calc = this.calc;
    // At most once a frame; a calculator left by instant navigation stops listening.
    const onScroll = () => {
      if (!calc.root.isConnected) {
        window.removeEventListener("scroll", onScroll);
        return;
      }
      if (this.tracking) return;
      this.tracking = true;
      requestAnimationFrame(() => {
        this.tracking = false;
        this.trackAspect();
      });
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    onScroll(); // in the first frame, not now: reading positions here forced a layout mid-start
    calc.$("butir-kosong-berikutnya").addEventListener("click", () => this.nextEmpty());
    const fold = calc.$("opsi-ringkas");
    fold.checked = calc.prefs.data.ringkas;
    this.showFold();
    fold.addEventListener("change", () => {
      calc.prefs.data.ringkas = fold.checked;
      calc.prefs.save();
      this.showFold();
    });
    calc.form.addEventListener("focusin", (/** @type {FocusEvent} */ event) => {
      const item = /** @type {HTMLElement} */ (event.target).closest?.("[data-butir]");
      if (item instanceof HTMLElement && item.dataset.butir) this.cursor = item.dataset.butir;
    });
    calc.form.addEventListener("keydown", (/** @type {KeyboardEvent} */ event) => {
      const input = /** @type {HTMLInputElement} */ (event.target);
      const level = input.name?.startsWith("l-") || input.dataset?.nilai;
      if (event.key !== "Enter" || !level || event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      this.nextEmpty();
    });
    calc.form.addEventListener("click", (/** @type {MouseEvent} */ event) => {
      const target = /** @type {HTMLElement} */ (event.target);
      const button = target.closest?.("[data-buka-butir]");
      const legend = target.closest?.(".butir[data-ringkas='ya'] legend");
      const item = button ? /** @type {HTMLElement} */ (button).dataset.bukaButir : legend?.parentElement?.dataset.butir;
      if (item) this.unfold(item);
    });
  }

  showFold() {
    this.calc.root.dataset.ringkas = this.calc.prefs.data.ringkas ? "ya" : "tidak";
    this.update();
  }

  // After every change of the levels (updateLocal): chip progress, folded lines.
  update() {
    const calc = this.calc;
    const levels = calc.state.levels;
    for (const chip of this.chips) {
      const filled = chip.items.filter((id) => id in levels).length;
      const total = chip.items.length;
      setText(chip.link.querySelector(".navigasi-progres"), `${filled}/${total}`);
      setData(chip.link, "lengkap", filled === total ? "ya" : "tidak");
      // Starts with the visible text (axe: label-content-name-mismatch).
      const label = `${chip.link.textContent?.trim()} (${filled} dari ${total} butir terisi), ${chip.name}`;
      if (chip.link.getAttribute("aria-label") !== label) chip.link.setAttribute("aria-label", label);
    }
    const folding = calc.prefs.data.ringkas;
    for (const id of calc.items) {
      const level = levels[id];
      setText(calc.$(`pilihan-${id}`), level === undefined ? "" : `: ${levelLabel(calc.fw, id, level)}`);
      const box = calc.$(`butir-${id}`);
      const folded = folding && level !== undefined && box.dataset.dibuka !== "ya";
      setData(box, "ringkas", folded ? "ya" : "tidak");
      const button = calc.memo(`buka-${id}`, () => box.querySelector("[data-buka-butir]"));
      button.hidden = !folded;
    }
  }

  /** @param {string} id */
  unfold(id) {
    const box = this.calc.$(`butir-${id}`);
    box.dataset.dibuka = "ya";
    this.update();
    this.focusItem(id);
  }

  // Focus moves to the first empty item after the one the user was in, wrapping around.
  nextEmpty() {
    const calc = this.calc;
    const order = calc.items;
    const from = this.cursor === null ? -1 : order.indexOf(this.cursor);
    const rotated = [...order.slice(from + 1), ...order.slice(0, from + 1)];
    const found = rotated.find((id) => !(id in calc.state.levels));
    const status = calc.$("navigasi-status");
    // Folded items that were opened fold again once the user moves on.
    for (const box of calc.form.querySelectorAll('.butir[data-dibuka="ya"]')) delete /** @type {HTMLElement} */ (box).dataset.dibuka;
    if (found === undefined) {
      status.textContent = `Semua ${order.length} butir sudah terisi.`;
      this.update();
      return;
    }
    const left = order.filter((id) => !(id in calc.state.levels)).length;
    status.textContent = `Butir ${found}: ${left} butir belum diisi.`;
    this.update();
    this.focusItem(found);
  }

  /** @param {string} id */
  focusItem(id) {
    this.cursor = id;
    const box = this.calc.$(`butir-${id}`);
    const input =
      box.querySelector("input[data-nilai]") ?? box.querySelector(`input[name="l-${id}"]:checked`) ?? box.querySelector("input");
    input?.focus({ preventScroll: true });
    // Below the sticky navigation (its height varies: the chips wrap on a phone).
    const nav = this.calc.$("navigasi-form");
    const below = parseFloat(getComputedStyle(nav).top) + nav.offsetHeight + 8;
    const top = box.getBoundingClientRect().top + window.scrollY - below;
    window.scrollTo({ top: Math.max(0, top), behavior: "instant" });
  }
}

/**
 * Scrolls `strip` sideways, and nothing else, just enough to show `chip` whole (like
 * scrollIntoView's "nearest", which would also scroll the page).
 * @param {HTMLElement} strip @param {HTMLElement} chip
 */
function showInStrip(strip, chip) {
  const room = strip.getBoundingClientRect();
  const box = chip.getBoundingClientRect();
  const margin = 8;
  if (box.left < room.left) strip.scrollLeft -= room.left - box.left + margin;
  else if (box.right > room.right) strip.scrollLeft += box.right - room.right + margin;
}
