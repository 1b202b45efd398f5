// The per-item extras (catatan and tindak lanjut: an item's fields, copied from the page's
// template when its extras are first opened or hold something) and the follow-up list panel:
// what is recorded, who does it, by when.

import { beforeOpen, download, itemFields, object, option, rowOf } from "./dom.js";

/** @typedef {import("./app.js").Calculator} Calculator */

const FOLLOW_UP_TEXT = ["rekomendasi", "unit", "tenggat"];

// Written out by hand, as id-ID's long date style does: the first Intl date format a page
// creates costs some 35 ms (locale data), at start-up for a date only print shows.
const MONTHS = [
  "Januari", "Februari", "Maret", "April", "Mei", "Juni",
  "Juli", "Agustus", "September", "Oktober", "November", "Desember",
];

/** A calendar day as printed: 3, 12, 2026 -> "3 Desember 2026". @param {number} year @param {number} month 1-12 @param {number} day */
export function writtenDate(year, month, day) {
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/** "2026-12-03" -> "3 Desember 2026" for print; anything else is shown as entered. @param {string} text */
export function longDate(text) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return text;
  // UTC both ways, so the printed day is the entered day in every time zone.
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (Number.isNaN(date.getTime())) return text;
  return writtenDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/** Set `target[key]` to `value`, or drop the key when `value` is empty. */
/** @param {Record<string, any>} target @param {string} key @param {Record<string, any>} value */
export function setOrDrop(target, key, value) {
  if (Object.keys(value).length) target[key] = value;
  else delete target[key];
}

export class FollowUp {
  /** @param {Calculator} calc */
  constructor(calc) {
    this.calc = calc;
    this.statuses = calc.contract.follow_up_statuses;
  }

  // Every item's fields are in the page (calculator/page.md); only the item choice is built.
  build() {
    const calc = this.calc;
    const choice = calc.$("tindak-butir");
    choice.replaceChildren(...calc.items.map((id) => option(id, `${id}. ${calc.itemName(id)}`)));
  }

  bind() {
    const calc = this.calc;
    // "input" fires for every kind of field here (text, date, select), once per change.
    calc.form.addEventListener("input", (event) => this.onField(/** @type {HTMLInputElement} */ (event.target)));
    beforeOpen(calc.form, ".butir-ekstra", (details) => this.showFields(String(details.closest("fieldset")?.dataset.butir)));
    calc.$("tindak-tambah").addEventListener("click", () => this.openItem(calc.$("tindak-butir").value));
    calc.$("tindak-salin").addEventListener("click", () => this.copySummary());
    calc.$("tindak-csv").addEventListener("click", () => this.csv());
  }

  /** @param {HTMLInputElement} field */
  onField(field) {
    const kind = field.dataset.isian;
    const id = field.dataset.butir;
    if (!kind || !id || kind === "verifikasi") return; // verification.js
    const extra = this.calc.state.extra;
    if (kind === "catatan") {
      const notes = { ...object(extra.catatan) };
      if (field.value.trim()) notes[id] = field.value;
      else delete notes[id];
      setOrDrop(extra, "catatan", notes);
    } else {
      const all = { ...object(extra.tindak_lanjut) };
      const first = this.statuses[0].id;
      /** @type {Record<string, any>} */
      const entry = { rekomendasi: "", unit: "", tenggat: "", status: first, ...object(all[id]) };
      entry[kind] = field.value;
      const used = FOLLOW_UP_TEXT.some((key) => String(entry[key]).trim()) || entry.status !== first;
      if (used) all[id] = entry;
      else delete all[id];
      setOrDrop(extra, "tindak_lanjut", all);
    }
    this.calc.store.changed("isian");
    this.markFilled(id);
    this.render();
  }

  // State -> the per-item fields (after restore, import, share link or Mulai ulang): those of
  // items with something recorded are put in the page; fields already there are rewritten.
  apply() {
    for (const id of this.calc.items) {
      if (this.markFilled(id)) this.showFields(id);
      else this.fill(id);
    }
    this.render();
  }

  /** The item's fields into the page (the first time), showing the state. @param {string} id */
  showFields(id) {
    const details = this.calc.$(`butir-${id}`).querySelector(".butir-ekstra");
    if (!details.querySelector("[data-isian]")) details.append(itemFields(this.calc.$("templat-ekstra"), id));
    this.fill(id);
  }

  /** State -> the item's fields, where they are in the page. @param {string} id */
  fill(id) {
    const extra = this.calc.state.extra;
    const fields = this.calc.$(`butir-${id}`).querySelectorAll(".butir-ekstra [data-isian]");
    if (!fields.length) return;
    const note = object(extra.catatan)[id];
    const entry = object(object(extra.tindak_lanjut)[id]);
    const known = this.statuses.some((status) => status.id === entry.status);
    for (const element of fields) {
      const field = /** @type {HTMLInputElement} */ (element);
      const kind = String(field.dataset.isian);
      let value = kind === "catatan" ? note : entry[kind];
      if (kind === "status") value = known ? entry.status : this.statuses[0].id;
      if (typeof value !== "string") value = "";
      if (field.value !== value) field.value = value; // writing an equal value still costs
    }
  }

  /** Shows whether the item's extras hold something, and returns it. @param {string} id */
  markFilled(id) {
    const extra = this.calc.state.extra;
    const filled = id in object(extra.catatan) || id in object(extra.tindak_lanjut);
    const mark = this.calc.$(`butir-${id}`).querySelector(".butir-ekstra-tanda");
    if (mark.hidden === filled) mark.hidden = !filled;
    return filled;
  }

  /** @param {string} id */
  openItem(id) {
    this.showFields(id);
    const details = this.calc.$(`butir-${id}`).querySelector(".butir-ekstra");
    details.open = true;
    details.scrollIntoView({ block: "center" });
    this.calc.$(`rekomendasi-${id}`).focus();
  }

  render() {
    const calc = this.calc;
    const extra = calc.state.extra;
    const followUps = object(extra.tindak_lanjut);
    const notes = object(extra.catatan);
    /** @param {string} value */
    const statusText = (value) => this.statuses.find((status) => status.id === value)?.name ?? value;
    const rows = [];
    const printed = [];
    for (const id of calc.items) {
      const entry = followUps[id] ? object(followUps[id]) : null;
      const note = typeof notes[id] === "string" ? notes[id] : "";
      if (!entry && !note) continue;
      const values = entry
        ? [entry.rekomendasi, entry.unit, entry.tenggat, statusText(entry.status)].map((v) => String(v ?? ""))
        : ["", "", "", ""];
      const printValues = values.map((value, n) => (n === 2 ? longDate(value) : value));
      printed.push(rowOf([id, calc.itemName(id), ...printValues, note]));
      if (!entry) continue;
      const link = document.createElement("a");
      link.href = `#butir-${id}`;
      link.textContent = id;
      link.addEventListener("click", (event) => {
        event.preventDefault();
        this.openItem(id);
      });
      const row = rowOf(["", calc.itemName(id), ...values]);
      row.dataset.butir = id;
      row.firstElementChild?.append(link);
      rows.push(row);
    }
    calc.$("tindak-isi").replaceChildren(...rows);
    calc.$("tindak-tabel").hidden = rows.length === 0;
    calc.$("tindak-kosong").hidden = rows.length > 0;
    calc.$("cetak-tindak-isi").replaceChildren(...printed);
    calc.$("cetak-tindak").hidden = printed.length === 0;
  }

  async summary() {
    const reply = await this.calc.engine.request({ op: "follow_up", assessment: this.calc.store.assessment() });
    if (!reply.ok) throw new Error((reply.problems ?? []).join("; "));
    return reply;
  }

  async copySummary() {
    let reply;
    try {
      reply = await this.summary();
    } catch (error) {
      this.calc.$("tindak-status").textContent = `Ringkasan tidak dapat dibuat: ${error.message}`;
      return;
    }
    await this.calc.copy(reply.text, "tindak-status", "Ringkasan tindak lanjut sudah disalin ke papan klip.");
  }

  async csv() {
    try {
      const reply = await this.summary();
      download(`\ufeff${reply.csv}`, `${this.calc.fileStem("tindak-lanjut-spbe")}.csv`, "text/csv");
      this.calc.$("tindak-status").textContent = "";
    } catch (error) {
      this.calc.$("tindak-status").textContent = `CSV tidak dapat dibuat: ${error.message}`;
    }
  }
}
