// Year-over-year comparison: assessment files (and the work in the form) compared by the
// core's `compare`, as a table, the changed items and a line chart. The figures and labels are
// the core's; numbers are only used to place points.

import { frameworkOf, levelsOf } from "./contract.js";
import { arrow, cell, headedRow, showProblems, svgEl, svgText } from "./dom.js";
import { readFileText } from "./files.js";

/**
 * @typedef {import("./app.js").Calculator} Calculator
 * @typedef {{name: string, assessment: Record<string, any>, current?: boolean, label?: string}} Entry
 */

export class Comparison {
  /** @param {Calculator} calc */
  constructor(calc) {
    this.calc = calc;
    /** @type {Entry[]} loaded files */
    this.compared = [];
    /** @type {any} */
    this.view = null;
    this.busy = false;
    this.again = false;
  }

  bind() {
    const calc = this.calc;
    calc.$("banding-tambah").addEventListener("click", () => calc.$("banding-berkas").click());
    calc.$("banding-berkas").addEventListener("change", (/** @type {any} */ event) => {
      const files = [...event.target.files];
      event.target.value = "";
      this.addFiles(files);
    });
    calc.$("banding-saat-ini").addEventListener("change", () => this.run());
    calc.$("banding-domain").addEventListener("change", () => this.renderChart());
    calc.$("banding-salin").addEventListener("click", () =>
      calc.copy(this.view?.text ?? "", "banding-status", "Perbandingan sudah disalin ke papan klip."),
    );
  }

  /** @param {File[]} files */
  async addFiles(files) {
    const calc = this.calc;
    calc.$("banding-galat").replaceChildren();
    for (const file of files) {
      let reply;
      try {
        const text = await readFileText(file, calc.contract.limits.max_bytes);
        reply = await calc.engine.request({ op: "import", text });
      } catch (error) {
        reply = { ok: false, problems: [String(error.message)] };
      }
      if (!reply.ok) {
        this.problem(`Berkas "${file.name}" tidak dapat dibandingkan. Masalahnya:`, reply.problems ?? []);
        continue;
      }
      this.compared.push({ name: file.name, assessment: reply.assessment });
    }
    this.run();
  }

  /** @param {string} title @param {string[]} problems */
  problem(title, problems) {
    const box = document.createElement("div");
    box.className = "kalk-pesan";
    box.dataset.jenis = "galat";
    box.setAttribute("role", "alert");
    showProblems(box, title, problems);
    this.calc.$("banding-galat").append(box);
  }

  // Entries in time order (stable; entries without a year keep their place after the rest),
  // labelled like `spbe banding`: the year, or file names when years are missing or repeat.
  /** @returns {Entry[]} */
  entries() {
    const calc = this.calc;
    /** @type {Entry[]} */
    const list = this.compared.map((entry) => ({ ...entry, current: false }));
    if (calc.$("banding-saat-ini").checked) {
      list.push({ name: "isian-saat-ini", assessment: calc.store.assessment(), current: true });
    }
    /** @param {Entry} entry */
    const year = (entry) => entry.assessment.tahun ?? Infinity;
    list.sort((a, b) => year(a) - year(b));
    /** @param {Entry} entry */
    const stem = (entry) => (entry.current ? "Isian saat ini" : entry.name.replace(/\.[^.]*$/, ""));
    let labels = list.map((entry) => (entry.assessment.tahun ? String(entry.assessment.tahun) : stem(entry)));
    if (new Set(labels).size < labels.length) labels = list.map(stem);
    list.forEach((entry, n) => (entry.label = labels[n]));
    return list;
  }

  /** @param {Entry[]} list */
  renderEntries(list) {
    const rows = list.map((entry) => {
      const li = document.createElement("li");
      const title = document.createElement("strong");
      title.textContent = entry.label ?? "";
      const detail = document.createElement("span");
      const who = entry.assessment.instansi ? ` · ${entry.assessment.instansi}` : "";
      detail.textContent = entry.current ? ` — isian di formulir${who}` : ` — ${entry.name}${who}`;
      li.append(title, detail);
      if (!entry.current) {
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "banding-hapus";
        remove.textContent = "Hapus";
        remove.setAttribute("aria-label", `Hapus ${entry.name} dari perbandingan`);
        remove.addEventListener("click", () => {
          this.compared = this.compared.filter((item) => item.assessment !== entry.assessment);
          this.run();
        });
        li.append(" ", remove);
      }
      return li;
    });
    this.calc.$("banding-daftar").replaceChildren(...rows);
  }

  // At most one comparison in flight; the latest state wins.
  async run() {
    const calc = this.calc;
    if (this.busy) {
      this.again = true;
      return;
    }
    const list = this.entries();
    this.renderEntries(list);
    calc.$("banding-kurang").hidden = list.length >= 2;
    const panel = calc.$("panel-banding");
    if (list.length < 2) {
      calc.$("banding-hasil").hidden = true;
      this.view = null;
      panel.dataset.kunci = "";
      return;
    }
    this.busy = true;
    let reply;
    try {
      reply = await calc.engine.request({
        op: "compare",
        assessments: list.map((entry) => entry.assessment),
        labels: list.map((entry) => entry.label),
      });
    } catch (error) {
      reply = { ok: false, problems: [String(error.message)] };
    }
    this.busy = false;
    if (this.again) {
      this.again = false;
      this.run();
      return;
    }
    if (!reply.ok) {
      this.problem("Perbandingan tidak dapat dihitung.", reply.problems ?? []);
      calc.$("banding-hasil").hidden = true;
      return;
    }
    this.view = reply.comparison;
    this.render(reply.comparison);
    panel.dataset.kunci = list.map((entry) => entry.label).join("|") + `|${calc.store.shareCode()}`;
  }

  // After every change of the assessment.
  refresh() {
    if (this.calc.$("banding-saat-ini").checked && this.compared.length) this.run();
  }

  reset() {
    this.compared = [];
    this.run();
  }

  /** @param {any} view the core's comparison */
  render(view) {
    const calc = this.calc;
    calc.$("banding-hasil").hidden = false;
    const note = calc.$("banding-catatan");
    note.textContent = view.note ?? "";
    note.hidden = !view.frameworks;
    // Across frameworks the scales and bands differ: no shared chart.
    calc.$("banding-grafik").hidden = Boolean(view.frameworks);
    if (view.frameworks) {
      this.renderAcross(view);
      return;
    }
    const head = ["Indeks", ...view.labels, `Perubahan ${view.labels[0]}–${view.labels.at(-1)}`].map((text) => {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = text;
      return th;
    });
    calc.$("banding-kepala").replaceChildren(...head);
    const rows = view.rows.map((/** @type {any} */ figure) => {
      const kind = figure.kind === "domain" ? "Domain" : "Aspek";
      const name = figure.kind === "indeks" ? figure.name : `${kind} ${figure.id}: ${figure.name}`;
      const row = headedRow(name, figure.values);
      row.dataset.jenis = figure.kind;
      const delta = cell(figure.change);
      delta.dataset.arah = arrow(figure.change);
      row.append(delta);
      return row;
    });
    const predikat = headedRow("Predikat", [...view.predikat, ""]);
    predikat.dataset.jenis = "predikat";
    rows.splice(1, 0, predikat);
    calc.$("banding-angka").replaceChildren(...rows);

    const blocks = view.changes.map((/** @type {any[]} */ changes, /** @type {number} */ n) => {
      const block = document.createElement("div");
      block.className = "banding-ubah";
      const title = document.createElement("h3");
      title.textContent = `Butir yang berubah dari ${view.labels[n]} ke ${view.labels[n + 1]}`;
      block.append(title);
      if (!changes.length) {
        const none = document.createElement("p");
        none.textContent = "Tidak ada butir yang berubah.";
        block.append(none);
        return block;
      }
      const list = document.createElement("ul");
      for (const diff of changes) {
        const li = document.createElement("li");
        li.dataset.arah = arrow(diff.impact_text);
        li.dataset.butir = diff.item;
        /** @param {number | null} value */
        const level = (value) => (value === null ? "–" : String(value));
        const tag = document.createElement("span");
        tag.className = "banding-arah";
        tag.textContent = li.dataset.arah === "turun" ? "turun" : "naik";
        li.append(tag, ` ${diff.item}. ${diff.name}: level ${level(diff.from)} → ${level(diff.to)} (${diff.impact_text})`);
        list.append(li);
      }
      block.append(list);
      return block;
    });
    calc.$("banding-ubah").replaceChildren(...blocks);
    this.renderChart();
  }

  // Assessments of different frameworks: index and predikat only, each column labelled with its
  // framework and index name; no change column, no items, no chart.
  /** @param {import("./protocol.js").ComparisonView} view */
  renderAcross(view) {
    const calc = this.calc;
    const frameworks = view.frameworks ?? [];
    const head = ["", ...view.labels].map((text) => {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = text;
      return th;
    });
    calc.$("banding-kepala").replaceChildren(...head);
    /** @type {[string, string, string[]][]} */
    const lines = [
      ["kerangka", "Kerangka", frameworks.map((f) => f.short_name)],
      ["nama", "Nama indeks", frameworks.map((f) => f.index_name)],
      ["indeks", "Indeks", view.rows[0].values],
      ["predikat", "Predikat", view.predikat],
    ];
    const rows = lines.map(([kind, name, values]) => {
      const row = headedRow(name, values);
      row.dataset.jenis = kind;
      return row;
    });
    calc.$("banding-angka").replaceChildren(...rows);
    calc.$("banding-ubah").replaceChildren();
  }

  // A line chart of the index (and optionally the domains) over the assessments, on the
  // framework's scale with its predikat bands. Drawn at the width it is shown (a phone keeps
  // legible text); no two labels overlap: the domains' names sit in their own column right of
  // the last value, spread apart vertically, each joined to its line's end by a short leader,
  // and year or file labels are shortened (…) to the room they have.
  renderChart() {
    const calc = this.calc;
    const view = this.view;
    if (!view || view.frameworks) return;
    // The compared files' framework (one here), which need not be this page's.
    const fw = frameworkOf(calc.contract, view.results[0].framework) ?? calc.fw;
    const box = calc.$("banding-svg");
    // The panel's width (0 while it is closed: then the widest drawing).
    const width = Math.round(Math.min(640, Math.max(300, box.clientWidth || 640)));
    const height = 260;
    const font = getComputedStyle(box).fontFamily;
    const values = /** @type {string[]} */ (view.rows[0].values);
    const valueHalf = Math.max(...values.map((text) => textWidth(text, `700 ${VALUE_PX}px ${font}`))) / 2;
    /** @typedef {{name: string, values: number[], cls: string, style?: string, texts?: string[]}} Series */
    /** @type {Series[]} */
    const domains = [];
    if (calc.$("banding-domain").checked) {
      const count = view.results[0].domains.length;
      view.results[0].domains.forEach((/** @type {any} */ domain, /** @type {number} */ d) => {
        domains.push({
          name: `Domain ${domain.id}`,
          values: view.results.map((/** @type {any} */ result) => result.domains[d].index),
          cls: "tren-domain",
          // Spread over the colour wheel, as many hues as the framework has domains.
          style: `--tren-warna: hsl(${Math.round(30 + (300 * d) / Math.max(count, 1))} 70% 38%)`,
        });
      });
    }
    const nameFont = `${NAME_PX}px ${font}`;
    const nameWidth = Math.max(0, ...domains.map((line) => textWidth(line.name, nameFont)));
    // Right of the last point: half its value label, then the names' column.
    const nameGap = valueHalf + 8;
    const right = domains.length ? Math.ceil(nameGap + nameWidth + 4) : Math.max(36, Math.ceil(valueHalf + 4));
    const pad = { left: 46, right, top: 20, bottom: 34 };
    const plotW = width - pad.left - pad.right;
    const plotH = height - pad.top - pad.bottom;
    const n = view.labels.length;
    /** @param {number} i */
    const x = (i) => pad.left + (n === 1 ? plotW / 2 : (plotW * i) / (n - 1));
    const { min_level: low, max_level: high } = fw;
    /** @param {number} value */
    const y = (value) => pad.top + plotH * (1 - (value - low) / (high - low));
    const svg = svgEl("svg", { viewBox: `0 0 ${width} ${height}`, class: "tren", role: "img" });
    const summary = view.labels.map((/** @type {string} */ label, /** @type {number} */ i) => `${label}: ${values[i]}`).join("; ");
    svg.setAttribute("aria-label", `Grafik tren ${fw.index_name}. ${summary}.`);
    fw.predikat.forEach((band, i) => {
      const top = i + 1 < fw.predikat.length ? Number(fw.predikat[i + 1].min) : high;
      const bottom = Math.max(Number(band.min), low);
      svg.append(
        svgEl("rect", { x: pad.left, width: plotW, y: y(top), height: y(bottom) - y(top), class: "tren-pita", "data-pita": band.position }),
      );
    });
    for (const level of levelsOf(fw)) {
      svg.append(svgEl("line", { x1: pad.left, x2: width - pad.right, y1: y(level), y2: y(level), class: "tren-garis" }));
      svg.append(svgText(String(level), pad.left - 8, y(level) + 4, "end", "tren-sumbu"));
    }
    // Each x label gets the room between its neighbours and within the drawing's edges.
    const axisFont = `${AXIS_PX}px ${font}`;
    const spacing = n === 1 ? plotW : plotW / (n - 1);
    view.labels.forEach((/** @type {string} */ label, /** @type {number} */ i) => {
      const room = Math.min(spacing - 8, 2 * Math.min(x(i), width - x(i)) - 4);
      const text = svgText(shorten(label, room, axisFont), x(i), height - 10, "middle", "tren-sumbu");
      if (text.textContent !== label) {
        // The whole label on hover; the table above and the chart's name carry it too.
        const title = svgEl("title", {});
        title.textContent = label;
        text.append(title);
      }
      svg.append(text);
    });
    /** @type {Series[]} */
    const series = [
      ...domains,
      { name: fw.index_name, values: view.results.map((/** @type {any} */ r) => r.index), cls: "tren-indeks", texts: values },
    ];
    for (const line of series) {
      const points = line.values.map((value, i) => `${x(i)},${y(value)}`).join(" ");
      const style = line.style ? { style: line.style } : {};
      svg.append(svgEl("polyline", { points, class: line.cls, ...style }));
      line.values.forEach((value, i) => {
        svg.append(svgEl("circle", { cx: x(i), cy: y(value), r: line.texts ? 4.5 : 3, class: line.cls, ...style }));
        if (line.texts) svg.append(svgText(line.texts[i], x(i), y(value) - 10, "middle", "tren-nilai"));
      });
    }
    // The names' baselines: each beside its line's end, then pushed apart to one line apart
    // (in value order), and the whole column kept inside the plot.
    const last = n - 1;
    const order = domains.map((line, d) => ({ d, want: y(line.values[last]) + NAME_PX / 3 })).sort((a, b) => a.want - b.want);
    const step = NAME_PX + 3;
    order.forEach((entry, k) => {
      if (k > 0) entry.want = Math.max(entry.want, order[k - 1].want + step);
    });
    const overflow = order.length ? order[order.length - 1].want - (height - pad.bottom) : 0;
    for (const entry of order) if (overflow > 0) entry.want -= overflow;
    const nameX = x(last) + nameGap;
    for (const { d, want } of order) {
      const line = domains[d];
      const style = line.style ?? "";
      const end = y(line.values[last]);
      svg.append(svgEl("line", { x1: x(last) + 4, y1: end, x2: nameX - 2, y2: want - NAME_PX / 3, class: "tren-penunjuk", style }));
      const name = svgText(line.name, nameX, want, "start", `tren-nama ${line.cls}`);
      name.setAttribute("style", style);
      svg.append(name);
    }
    box.replaceChildren(svg);
  }
}

// Font sizes of the chart's texts (calculator.css: .tren, .tren-nama), in px = chart units.
const AXIS_PX = 12;
const VALUE_PX = 12;
const NAME_PX = 11;

/** @type {CanvasRenderingContext2D | null} */
let measurer = null;

/** A text's width in a CSS font, measured without layout (the panel may be closed). @param {string} text @param {string} font */
function textWidth(text, font) {
  measurer ??= document.createElement("canvas").getContext("2d");
  if (!measurer) return text.length * 0.62 * parseFloat(font.replace(/^\d+ /, ""));
  measurer.font = font;
  return measurer.measureText(text).width;
}

/** `text`, cut with "…" until it fits `room` chart units. @param {string} text @param {number} room @param {string} font */
function shorten(text, room, font) {
  if (textWidth(text, font) <= room) return text;
  let cut = text;
  while (cut.length > 1 && textWidth(`${cut}…`, font) > room) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}
