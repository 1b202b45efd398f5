"""JSON request handler for the in-browser calculator (Pyodide worker).

The worker passes one JSON text per request and renders what comes back; every number it shows
is computed and formatted here, so no scoring logic lives in JavaScript.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import cache
from typing import Any

from ._assessment import Assessment, InvalidAssessment, Problem, from_dict, parse_assessment
from ._compare import compare, level_differences
from ._framework import load_framework
from ._numbers import format_number, publish
from ._planner import parse_constraints, plan, target_index
from ._reports import _effort_text as effort_text
from ._reports import (
    comparison_to_dict,
    follow_up_rows,
    follow_up_text,
    plan_to_dict,
    render_comparison,
    render_plan,
)
from ._scoring import Result, contribution, score

Handler = Callable[[dict[str, Any]], dict[str, Any]]


def handle_request(text: str) -> str:
    """Answer {"op": ..., ...} with {"ok": true, ...} or {"ok": false, "problems": [...]}."""
    try:
        request = json.loads(text)
        handler = _HANDLERS[request["op"]]
    except (ValueError, KeyError, TypeError):
        return json.dumps({"ok": False, "problems": ["permintaan tidak dikenal"]})
    try:
        return json.dumps({"ok": True, **handler(request)}, ensure_ascii=False)
    except InvalidAssessment as exc:
        return json.dumps(
            {"ok": False, "problems": [str(p) for p in exc.problems]}, ensure_ascii=False
        )


def _assessment(request: dict[str, Any]) -> Assessment:
    return from_dict(request.get("assessment"))


def result_view(
    result: Result, assessment: Assessment, levels: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """The published result plus Indonesian text for every figure the page shows."""
    framework = load_framework(result.framework)
    view = result.to_dict()
    view["index_text"] = format_number(result.published)
    for entry, figure in zip(view["domains"], result.domains, strict=True):
        entry["text"] = format_number(figure.published)
    for entry, figure in zip(view["aspects"], result.aspects, strict=True):
        entry["text"] = format_number(figure.published)
        entry["label"] = framework.aspect(figure.id).label
    view["missing_labels"] = [framework.item(i).label for i in result.missing]
    chosen = assessment.levels if levels is None else levels  # checked by score()
    view["items"] = []
    for item in framework.item_ids:
        level = chosen.get(item)
        now, gain = _item_texts(result.framework, result.scheme, item, level)
        view["items"].append({"id": item, "level": level, "contribution": now, "gain": gain})
    return view


@cache
def _item_texts(framework_id: str, scheme: str, item: str, level: int | None) -> tuple[str, str]:
    """An item's contribution and gain from one more level, 4 decimals (see `contribution`).
    There are only 37 x 7 per scheme, and the calculator asks after every change: remembering
    them more than halves the time of a request."""
    c = contribution(load_framework(framework_id), item, level, scheme)
    return format_number(c.contribution, 4), format_number(c.gain_next_level, 4)


def _score(request: dict[str, Any]) -> dict[str, Any]:
    assessment = _assessment(request)
    framework = load_framework(assessment.framework)
    result = score(framework, assessment.levels, assessment.scheme)
    answer: dict[str, Any] = {"result": result_view(result, assessment)}
    if assessment.verifikasi:
        verified = score(framework, assessment.verifikasi, assessment.scheme)
        answer["verified"] = result_view(verified, assessment, levels=assessment.verifikasi)
        answer["differences"] = [
            {
                "item": d.item,
                "label": framework.item(d.item).label,
                "self": d.a,
                "verified": d.b,
                "impact": format_number(d.impact, 4, signed=True),
            }
            for d in level_differences(
                framework, dict(assessment.levels), dict(assessment.verifikasi), result.scheme
            )
        ]
    return answer


def _import(request: dict[str, Any]) -> dict[str, Any]:
    assessment = parse_assessment(str(request.get("text", "")))
    return {"assessment": assessment.to_dict()}


def _export(request: dict[str, Any]) -> dict[str, Any]:
    assessment = _assessment(request)
    return {"text": json.dumps(assessment.to_dict(), ensure_ascii=False, indent=2) + "\n"}


def results_csv(assessment: Assessment) -> str:
    """Results as CSV for spreadsheets: one row per figure and per item, decimal comma, ';'."""
    framework = load_framework(assessment.framework)
    result = score(framework, assessment.levels, assessment.scheme)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["jenis", "id", "nama", "level", "bobot (%)", "indeks"])
    writer.writerow(["indeks", "", "Indeks SPBE", "", "100", format_number(result.published)])
    writer.writerow(["predikat", "", result.predikat, "", "", ""])
    weights = framework.scheme(result.scheme)
    for domain in result.domains:
        pct = format_number(publish(weights.domains[domain.id] * 100))
        writer.writerow(
            ["domain", domain.id, domain.name, "", pct, format_number(domain.published)]
        )
    for aspect in result.aspects:
        pct = format_number(publish(weights.aspects[aspect.id] * 100))
        writer.writerow(["aspek", aspect.id, aspect.name, "", pct, format_number(aspect.published)])
    for item in framework.items:
        level = assessment.levels.get(item.id)
        pct = format_number(publish(weights.items[item.id] * 100))
        writer.writerow(["butir", item.id, item.label, "" if level is None else level, pct, ""])
    return out.getvalue()


def _csv(request: dict[str, Any]) -> dict[str, Any]:
    return {"text": results_csv(_assessment(request))}


def _plan(request: dict[str, Any]) -> dict[str, Any]:
    assessment = _assessment(request)
    framework = load_framework(assessment.framework)
    try:
        target = target_index(framework, str(request.get("target", "")))
    except ValueError as exc:
        raise InvalidAssessment([Problem("target", str(exc))]) from None
    constraints = parse_constraints(framework, request.get("constraints") or {})
    result = plan(
        framework,
        assessment.levels,
        target,
        assessment.scheme,
        constraints.effort,
        constraints.max_level,
    )
    view = plan_to_dict(framework, result)
    view["text"] = render_plan(framework, result, str(request["target"]))
    view["index_text"] = format_number(result.published)
    view["start_text"] = format_number(publish(result.start_index))
    view["target_text"] = format_number(result.target)
    view["effort_text"] = effort_text(result.effort)
    for entry, step in zip(view["steps"], result.steps, strict=True):
        entry["gain_text"] = format_number(step.gain, 4, signed=True)
        entry["effort_text"] = effort_text(step.effort)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["no", "butir", "indikator", "level awal", "level tujuan", "tambahan indeks", "upaya"]
    )
    writer.writerows(
        [n, s["item"], s["name"], s["from"], s["to"], s["gain_text"], s["effort_text"]]
        for n, s in enumerate(view["steps"], 1)
    )
    view["csv"] = out.getvalue()
    return {"plan": view}


def _compare(request: dict[str, Any]) -> dict[str, Any]:
    raw = request.get("assessments")
    if not isinstance(raw, list) or len(raw) < 2:
        raise InvalidAssessment([Problem("", "perbandingan butuh sedikitnya dua penilaian")])
    assessments = [from_dict(a) for a in raw]
    if len({a.framework for a in assessments}) > 1:
        raise InvalidAssessment([Problem("", "penilaian memakai kerangka yang berbeda")])
    framework = load_framework(assessments[0].framework)
    labels = [
        str(x)
        for x in request.get("labels") or [a.tahun or n + 1 for n, a in enumerate(assessments)]
    ]
    comparison = compare(framework, assessments, labels, request.get("scheme"))
    view = comparison_to_dict(framework, comparison)
    view["text"] = render_comparison(framework, comparison)
    results = comparison.results
    view["predikat"] = [r.predikat for r in results]
    # Every figure as text, one row per figure (index, then each domain with its aspects).
    rows = [_compare_row("indeks", "", "Indeks SPBE", [r.published for r in results])]
    for pos, domain in enumerate(framework.domains):
        values = [r.domains[pos].published for r in results]
        rows.append(_compare_row("domain", domain.id, domain.name, values))
        for a_pos, aspect in enumerate(framework.aspects):
            if aspect.domain == domain.id:
                values = [r.aspects[a_pos].published for r in results]
                rows.append(_compare_row("aspek", aspect.id, aspect.name, values))
    view["rows"] = rows
    for entries, diffs in zip(view["changes"], comparison.changes, strict=True):
        for entry, diff in zip(entries, diffs, strict=True):
            entry["name"] = framework.item(diff.item).label
            entry["impact_text"] = format_number(diff.impact, 4, signed=True)
    return {"comparison": view}


def _compare_row(kind: str, figure_id: str, name: str, values: list[Decimal]) -> dict[str, Any]:
    return {
        "kind": kind,
        "id": figure_id,
        "name": name,
        "values": [format_number(v) for v in values],
        "change": format_number(values[-1] - values[0], signed=True),
    }


def _follow_up(request: dict[str, Any]) -> dict[str, Any]:
    assessment = _assessment(request)
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(follow_up_rows(assessment))
    return {"text": follow_up_text(assessment), "csv": out.getvalue()}


_HANDLERS: dict[str, Handler] = {
    "plan": _plan,
    "compare": _compare,
    "follow_up": _follow_up,
    "score": _score,
    "import": _import,
    "export": _export,
    "csv": _csv,
}
