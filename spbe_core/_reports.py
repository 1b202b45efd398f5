"""Plain-text and JSON reports in Bahasa Indonesia, shared by the CLI and the calculator."""

from __future__ import annotations

import csv
import io
import textwrap
from collections.abc import Iterable, Sequence
from fractions import Fraction

from ._assessment import Assessment
from ._compare import Comparison, CrossComparison, LevelDifference, level_differences
from ._framework import Framework, load_framework
from ._numbers import Level, _json_level, format_number, publish
from ._planner import Plan
from ._protocol import ComparedFramework, ComparisonDict, PlanDict
from ._scoring import Figure, Result, predikat, score, show_level

DISCLAIMER = "Hasil simulasi, bukan nilai resmi."

# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...)).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Number(str):
    """A CSV cell the core wrote from a number ("+0,05", "2,64", "3"): kept as it is, while every
    other text cell (instansi, rekomendasi, unit, catatan, names) may come from a user."""

    __slots__ = ()


def _csv_text(rows: Iterable[Sequence[str | int]]) -> str:
    """Every CSV the core produces: ';' and decimal comma, CRLF, and a text cell that a
    spreadsheet would run as a formula prefixed with an apostrophe (OWASP's advice)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows([_safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


def _safe_cell(cell: str | int) -> str | int:
    if isinstance(cell, int | _Number) or not cell.startswith(_FORMULA_START):
        return cell
    return "'" + cell


def _columns(rows: list[list[str]], numeric_from: int) -> list[str]:
    """Left-align text columns and right-align the numeric ones."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell.rjust(widths[i]) if i >= numeric_from else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]


def _figures(framework: Framework, result: Result) -> list[tuple[str, str, Figure]]:
    """Each domain followed by its aspects (or the aspects alone, when there are no domains):
    the order every report lists the figures in."""
    if not framework.domains:
        return [
            (f"Aspek {aspect.id}", aspect.name, figure)
            for aspect, figure in zip(framework.aspects, result.aspects, strict=True)
        ]
    rows = []
    for pos, domain in enumerate(framework.domains):
        rows.append((f"Domain {domain.id}", domain.name, result.domains[pos]))
        rows += [
            (f"  Aspek {aspect.id}", aspect.name, result.aspects[aspect_pos])
            for aspect_pos, aspect in enumerate(framework.aspects)
            if aspect.domain == domain.id
        ]
    return rows


def _figure_rows(framework: Framework, results: list[Result]) -> list[list[str]]:
    """One row per figure: label, name, then its published value in each result."""
    rows = []
    for row in zip(*(_figures(framework, r) for r in results), strict=True):
        label, name, _ = row[0]
        rows.append([label, name, *(format_number(figure.published) for *_, figure in row)])
    return rows


def _render_table(result: Result, assessment: Assessment) -> str:
    """The readable report printed by `spbe score`."""
    framework = load_framework(result.framework)
    scheme = framework.scheme(result.scheme)
    # "Indeks SPBE — Kota Contoh (2018)"; without instansi "Indeks SPBE (2018)".
    title = framework.index_name + (f" — {assessment.instansi}" if assessment.instansi else "")
    title += f" ({assessment.tahun})" if assessment.tahun else ""
    results = [result]
    header = ["", "", "Indeks"]
    verified: Result | None = None
    if assessment.verifikasi:
        # The same scheme as the self-assessment figures (a --scheme option included).
        verified = score(framework, assessment.verifikasi, result.scheme)
        results.append(verified)
        header = ["", "", "Mandiri", "Verifikasi"]
    index_name = framework.index_name
    width = max(len(label) for label in ("Kerangka", "Skema bobot", index_name, "Verifikasi"))

    def field(label: str, value: str) -> str:
        return f"{label:<{width}} : {value}"

    lines = [title, ""]
    lines.append(field("Kerangka", framework.name))
    lines.append(field("Skema bobot", f"{scheme.id} — {scheme.name}"))
    lines.append("")
    lines.append(field(index_name, format_number(result.published)))
    lines.append(field("Predikat", result.predikat))
    if verified:
        lines.append(
            field("Verifikasi", f"{format_number(verified.published)} ({verified.predikat})")
        )
    lines.append("")
    lines += _columns([header, *_figure_rows(framework, results)], numeric_from=2)
    lines.append("")
    if verified:
        diffs = level_differences(
            framework, dict(assessment.levels), dict(assessment.verifikasi), result.scheme
        )
        if diffs:
            lines.append("Butir yang berbeda (mandiri → verifikasi), dampak terbesar dahulu:")
            lines += [f"  {_difference(framework, diff)}" for diff in diffs]
            lines.append("")
    if result.missing:
        lines.append(
            f"Penilaian belum lengkap: {len(result.missing)} dari {len(framework.items)} butir "
            f"belum diisi ({', '.join(result.missing)})."
        )
        lines.append(framework.partial.text)
    lines.append(DISCLAIMER)
    return "\n".join(lines)


def _difference(framework: Framework, diff: LevelDifference) -> str:
    """`   25  3 → 4  (+0,0500)  Layanan Naskah Dinas`: one changed item in a report."""
    return (
        f"{diff.item:>5}  {show_level(framework, diff.a)} → {show_level(framework, diff.b)}  "
        f"({format_number(diff.impact, 4, signed=True)})  {framework.item(diff.item).label}"
    )


def _plan_to_dict(framework: Framework, plan: Plan) -> PlanDict:
    return {
        "target": float(plan.target),
        "reachable": plan.reachable,
        "start_index": float(publish(plan.start_index)),
        "index": float(plan.published),
        "predikat": plan.predikat,
        "effort": float(plan.effort),
        "max_step": plan.max_step,
        "steps": [
            {
                "item": s.item,
                "name": framework.item(s.item).label,
                "from": _json_level(s.from_level),
                "to": s.to_level,
                "gain": float(publish(s.gain, 4)),
                "effort": float(s.effort),
            }
            for s in plan.steps
        ],
    }


def _render_plan(framework: Framework, plan: Plan, target_text: str) -> str:
    start = publish(plan.start_index)
    lines = [
        "Rencana peningkatan",
        "",
        f"Indeks sekarang : {format_number(start)} ({_predikat(framework, plan.start_index)})",
        f"Target          : {target_text} (indeks terbit ≥ {format_number(plan.target)})",
        f"Batas kenaikan  : {_step_limit_text(plan.max_step)}",
        "",
    ]
    if not plan.steps and plan.reachable:
        lines.append("Target sudah tercapai; tidak perlu kenaikan level.")
    else:
        if not plan.reachable:
            lines.append(
                "Target tidak dapat dicapai dengan batasan ini. Kenaikan terbaik yang mungkin:"
            )
            lines.append("")
        rows = [["No", "Butir", "Indikator", "Level", "Tambahan indeks", "Upaya"]]
        for n, step in enumerate(plan.steps, 1):
            rows.append(
                [
                    str(n),
                    step.item,
                    framework.item(step.item).label,
                    f"{show_level(framework, step.from_level)} → {step.to_level}",
                    format_number(step.gain, 4, signed=True),
                    _effort_text(step.effort),
                ]
            )
        lines += _columns(rows, numeric_from=4)
        lines.append("")
    lines.append(
        f"Hasil           : {format_number(plan.published)} ({plan.predikat}), "
        f"total upaya {_effort_text(plan.effort)}"
    )
    lines.append(DISCLAIMER)
    return "\n".join(lines)


def _step_limit_text(max_step: int | None) -> str:
    if max_step is None:
        return "tanpa batas per butir"
    return f"paling banyak {max_step} level per butir per siklus evaluasi"


def _predikat(framework: Framework, index: Fraction) -> str:
    return predikat(framework, publish(index))


def _effort_text(effort: Fraction) -> str:
    return format_number(effort, 0 if effort.denominator == 1 else 2)


def _comparison_to_dict(framework: Framework, comparison: Comparison) -> ComparisonDict:
    return {
        "labels": list(comparison.labels),
        "results": [r.to_dict() for r in comparison.results],
        "changes": [
            [
                {
                    "item": d.item,
                    "from": _json_or_none(d.a),
                    "to": _json_or_none(d.b),
                    "impact": float(publish(d.impact, 4)),
                }
                for d in changes
            ]
            for changes in comparison.changes
        ],
    }


def _json_or_none(value: Level | None) -> int | float | None:
    return None if value is None else _json_level(value)


def _render_comparison(framework: Framework, comparison: Comparison) -> str:
    results = list(comparison.results)
    first, last = results[0], results[-1]
    lines = [f"Perbandingan {framework.index_name} (skema {last.scheme})", ""]
    header = ["", "", *comparison.labels, "Perubahan"]
    rows = [
        header,
        [framework.index_name, ""]
        + [format_number(r.published) for r in results]
        + [format_number(last.published - first.published, signed=True)],
        ["Predikat", "", *[r.predikat for r in results], ""],
    ]
    # Change column for each figure: published last minus published first.
    for row, (*_, first_fig), (*_, last_fig) in zip(
        _figure_rows(framework, results),
        _figures(framework, first),
        _figures(framework, last),
        strict=True,
    ):
        rows.append([*row, format_number(last_fig.published - first_fig.published, signed=True)])
    lines += _columns(rows, numeric_from=2)
    for (before, after), changes in zip(
        zip(comparison.labels, comparison.labels[1:], strict=False), comparison.changes, strict=True
    ):
        lines.append("")
        if not changes:
            lines.append(f"Tidak ada butir yang berubah dari {before} ke {after}.")
            continue
        lines.append(f"Butir yang berubah dari {before} ke {after}:")
        for diff in changes:
            arrow = "naik " if diff.impact > 0 else "turun"  # item weights are positive
            lines.append(f"  {arrow}  {_difference(framework, diff)}")
    lines.append("")
    lines.append(DISCLAIMER)
    return "\n".join(lines)


CROSS_NOTE = (
    "Catatan: penilaian ini memakai kerangka yang berbeda. Struktur, skala, dan batas predikat "
    "setiap kerangka berbeda, sehingga angkanya tidak dapat dibandingkan secara langsung. Setiap "
    "indeks dan predikat dihitung dengan kerangkanya sendiri; rincian domain, aspek, dan butir "
    "hanya dibandingkan bila semua penilaian memakai kerangka yang sama."
)


def _compared_frameworks(comparison: CrossComparison) -> list[ComparedFramework]:
    return [
        {"id": f.id, "short_name": f.short_name, "index_name": f.index_name}
        for f in comparison.frameworks
    ]


def _cross_comparison_to_dict(comparison: CrossComparison) -> ComparisonDict:
    return {
        "labels": list(comparison.labels),
        "results": [r.to_dict() for r in comparison.results],
        "changes": [],
        "frameworks": _compared_frameworks(comparison),
        "note": CROSS_NOTE,
    }


def _render_cross_comparison(comparison: CrossComparison) -> str:
    results = comparison.results
    rows = [
        ["", *comparison.labels],
        ["Kerangka", *[f.short_name for f in comparison.frameworks]],
        ["Nama indeks", *[f.index_name for f in comparison.frameworks]],
        ["Indeks", *[format_number(r.published) for r in results]],
        ["Predikat", *[r.predikat for r in results]],
        ["Skema", *[r.scheme for r in results]],
    ]
    lines = ["Perbandingan lintas kerangka (indeks dan predikat saja)", ""]
    lines += _columns(rows, numeric_from=1)
    lines += ["", textwrap.fill(CROSS_NOTE, 100), "", DISCLAIMER]
    return "\n".join(lines)


STATUS_TEXT = {"belum": "Belum", "proses": "Dalam proses", "selesai": "Selesai"}


def _follow_up_rows(assessment: Assessment) -> list[list[str]]:
    """Header plus one row per item that has a tindak lanjut, in framework order."""
    framework = load_framework(assessment.framework)
    rows = [
        ["butir", "indikator", "level", "rekomendasi", "unit penanggung jawab", "tenggat", "status"]
    ]
    for item in framework.items:
        follow_up = assessment.tindak_lanjut.get(item.id)
        if follow_up is None:
            continue
        rows.append(
            [
                item.id,
                item.label,
                _Number(show_level(framework, assessment.levels.get(item.id))),
                follow_up.rekomendasi,
                follow_up.unit,
                follow_up.tenggat,
                STATUS_TEXT[follow_up.status],
            ]
        )
    return rows


def _follow_up_text(assessment: Assessment) -> str:
    """A plain-text summary ready to paste into a report (the calculator's "Salin")."""
    framework = load_framework(assessment.framework)
    result = _score_assessment(assessment)
    who = assessment.instansi or "Instansi"
    year = f" tahun {assessment.tahun}" if assessment.tahun else ""
    lines = [
        f"Tindak lanjut evaluasi SPBE {who}{year}",
        f"{framework.index_name} (simulasi): {format_number(result.published)} ({result.predikat})",
        "",
    ]
    rows = _follow_up_rows(assessment)[1:]
    if not rows:
        lines.append("Belum ada tindak lanjut yang dicatat.")
    for n, (item, label, level, rekomendasi, unit, tenggat, status) in enumerate(rows, 1):
        lines.append(f"{n}. {label} (butir {item}, level {level})")
        if rekomendasi:
            lines.append(f"   Rekomendasi: {rekomendasi}")
        details = [f"Unit: {unit}" if unit else "", f"Tenggat: {tenggat}" if tenggat else ""]
        lines.append("   " + "; ".join([d for d in details if d] + [f"Status: {status}"]))
        note = assessment.catatan.get(item)
        if note:
            lines.append(f"   Catatan: {note}")
    lines += ["", f"{DISCLAIMER} Kerangka: {framework.name}."]
    return "\n".join(lines)


def _score_assessment(assessment: Assessment) -> Result:
    return score(load_framework(assessment.framework), assessment.levels, assessment.scheme)
