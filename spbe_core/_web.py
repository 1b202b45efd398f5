"""JSON request handler for the in-browser calculator (Pyodide worker).

The worker passes one JSON text per request and renders what comes back; every number it shows
is computed and formatted here, so no scoring logic lives in JavaScript.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from ._assessment import Assessment, _from_dict, parse_assessment
from ._compare import compare, compare_across, level_differences, mixes_frameworks
from ._framework import FrameworkError, _show, load_framework
from ._input import MAX_REQUEST_BYTES, InvalidAssessment, Problem, _load_json
from ._numbers import Level, _json_level, format_number, publish
from ._planner import next_predikat, parse_constraints, plan, target_index
from ._protocol import (
    AssessmentReply,
    ChangeView,
    CompareReply,
    ComparisonRow,
    ComparisonView,
    DifferenceView,
    FailureReply,
    FollowUpReply,
    ItemView,
    NextView,
    PlanReply,
    PlanView,
    Reply,
    ResultView,
    ScoreReply,
    StepView,
    TextReply,
)
from ._reports import (
    CROSS_NOTE,
    _comparison_to_dict,
    _cross_comparison_to_dict,
    _csv_text,
    _follow_up_rows,
    _follow_up_text,
    _Number,
    _plan_to_dict,
    _render_comparison,
    _render_cross_comparison,
    _render_plan,
)
from ._reports import _effort_text as effort_text
from ._scoring import Levels, Result, _contribution, score, show_level

Handler = Callable[[dict[str, Any]], Reply]


def handle_request(text: str) -> str:
    """Answer {"op": ..., ...} with {"ok": true, ...} or {"ok": false, "problems": [...]}
    (shapes: `_protocol`). Numbers are read exactly: a decimal value never passes a float."""
    try:
        # The same guarded reader as files: size, nesting (Pyodide's stack), huge numbers and
        # lone surrogates are a problem in the reply, never an exception in the worker.
        request = _load_json(text, MAX_REQUEST_BYTES)
    except InvalidAssessment as exc:
        return json.dumps(_failure([str(p) for p in exc.problems]), ensure_ascii=False)
    op = request.get("op") if isinstance(request, dict) else None
    if not isinstance(request, dict) or not isinstance(op, str) or op not in _HANDLERS:
        return json.dumps(_failure(["permintaan tidak dikenal"]))
    handler = _HANDLERS[op]
    try:
        return json.dumps(handler(request), ensure_ascii=False)
    except InvalidAssessment as exc:
        problems = [str(p) for p in exc.problems]
    except KeyError as exc:  # an unknown scheme or item named by the request itself
        problems = [str(exc.args[0])]
    except FrameworkError as exc:  # a broken framework file: the page says so, not a crash
        problems = [str(exc)]
    return json.dumps(_failure(problems), ensure_ascii=False)


def _failure(problems: list[str]) -> FailureReply:
    return {"ok": False, "problems": problems}


def _assessment(request: dict[str, Any]) -> Assessment:
    return _from_dict(request.get("assessment"))


def _result_view(result: Result, levels: Levels, with_next: bool = True) -> ResultView:
    """The published result plus Indonesian text for every figure the page shows (`next`
    only when asked: the verified result shows none)."""
    framework = load_framework(result.framework)
    data = result.to_dict()
    items: list[ItemView] = []
    for item in framework.item_ids:
        level = levels.get(item)  # checked by score()
        now, gain = _item_texts(result.framework, result.scheme, item, level)
        items.append(
            {
                "id": item,
                "label": framework.item(item).label,
                "level": None if level is None else _json_level(level),
                "contribution": now,
                "gain": gain,
            }
        )
    return {
        "framework": data["framework"],
        "scheme": data["scheme"],
        "index": data["index"],
        "predikat": data["predikat"],
        "complete": data["complete"],
        "missing": data["missing"],
        "domains": [
            {**entry, "text": format_number(figure.published)}
            for entry, figure in zip(data["domains"], result.domains, strict=True)
        ],
        "aspects": [
            {
                **entry,
                "text": format_number(figure.published),
                "label": framework.aspect(figure.id).label,
            }
            for entry, figure in zip(data["aspects"], result.aspects, strict=True)
        ],
        "index_name": framework.index_name,
        "index_text": format_number(result.published),
        "missing_labels": [framework.item(i).label for i in result.missing],
        "items": items,
        "next": _next_view(framework.id, result.scheme, levels) if with_next else None,
    }


def _next_view(framework_id: str, scheme: str, levels: Levels) -> NextView | None:
    framework = load_framework(framework_id)
    found = next_predikat(framework, levels, scheme)
    if found is None:
        return None
    return {
        "predikat": found.name,
        "target_text": format_number(found.minimum),
        "distance_text": format_number(found.distance, signed=True),
        "reachable": found.plan.reachable,
        "steps": [
            {
                "item": step.item,
                "label": framework.item(step.item).label,
                "level": _json_level(step.from_level),
                "to": step.to_level,
                "gain_text": format_number(step.gain, 4, signed=True),
            }
            for step in found.plan.steps
        ],
    }


@cache
def _item_texts(framework_id: str, scheme: str, item: str, level: Level | None) -> tuple[str, str]:
    """An item's contribution and gain to its next whole level, 4 decimals (see
    `contribution`). There are only items x levels per scheme, and the calculator asks after
    every change: remembering them more than halves the time of a request."""
    c = _contribution(load_framework(framework_id), item, level, scheme)
    return format_number(c.contribution, 4), format_number(c.gain_next_level, 4)


def _score(request: dict[str, Any]) -> ScoreReply:
    assessment = _assessment(request)
    framework = load_framework(assessment.framework)
    result = score(framework, assessment.levels, assessment.scheme)
    answer: ScoreReply = {"ok": True, "result": _result_view(result, assessment.levels)}
    if assessment.verifikasi:
        verified = score(framework, assessment.verifikasi, assessment.scheme)
        answer["verified"] = _result_view(verified, assessment.verifikasi, with_next=False)
        differences: list[DifferenceView] = [
            {
                "item": d.item,
                "label": framework.item(d.item).label,
                "self": None if d.a is None else _json_level(d.a),
                "verified": None if d.b is None else _json_level(d.b),
                "impact": format_number(d.impact, 4, signed=True),
            }
            for d in level_differences(
                framework, assessment.levels, assessment.verifikasi, result.scheme
            )
        ]
        answer["differences"] = differences
    return answer


def _import(request: dict[str, Any]) -> AssessmentReply:
    assessment = parse_assessment(str(request.get("text", "")))
    return {"ok": True, "assessment": assessment.to_dict()}


def _export(request: dict[str, Any]) -> TextReply:
    assessment = _assessment(request)
    text = json.dumps(assessment.to_dict(), ensure_ascii=False, indent=2) + "\n"
    return {"ok": True, "text": text}


def results_csv(assessment: Assessment) -> str:
    """Results as CSV for spreadsheets: one row per figure and per item, decimal comma, ';'."""
    framework = load_framework(assessment.framework)
    result = score(framework, assessment.levels, assessment.scheme)
    weights = framework.scheme(result.scheme)
    rows: list[list[str]] = [
        ["jenis", "id", "nama", "level", "bobot (%)", "indeks"],
        ["indeks", "", framework.index_name, "", _Number("100"), _figure(result.published)],
        ["predikat", "", result.predikat, "", "", ""],
    ]
    for domain in result.domains:
        pct = _figure(publish(weights.domains[domain.id] * 100))
        rows.append(["domain", domain.id, domain.name, "", pct, _figure(domain.published)])
    for aspect in result.aspects:
        pct = _figure(publish(weights.aspects[aspect.id] * 100))
        rows.append(["aspek", aspect.id, aspect.name, "", pct, _figure(aspect.published)])
    for item in framework.items:
        level = assessment.levels.get(item.id)
        pct = _figure(publish(weights.items[item.id] * 100))
        shown = "" if level is None else _Number(show_level(framework, level))
        rows.append(["butir", item.id, item.label, shown, pct, ""])
    return _csv_text(rows)


def _figure(value: Decimal) -> str:
    return _Number(format_number(value))


def _csv(request: dict[str, Any]) -> TextReply:
    return {"ok": True, "text": results_csv(_assessment(request))}


def _plan(request: dict[str, Any]) -> PlanReply:
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
        _max_step(request.get("max_step", 1)),
    )
    data = _plan_to_dict(framework, result)
    steps: list[StepView] = [
        {
            **entry,
            "gain_text": format_number(step.gain, 4, signed=True),
            "effort_text": effort_text(step.effort),
        }
        for entry, step in zip(data["steps"], result.steps, strict=True)
    ]
    rows: list[list[str | int]] = [
        ["no", "butir", "indikator", "level awal", "level tujuan", "tambahan indeks", "upaya"]
    ]
    rows += [
        [
            n,
            s["item"],
            s["name"],
            _Number(show_level(framework, step.from_level)),
            s["to"],
            _Number(s["gain_text"]),
            _Number(s["effort_text"]),
        ]
        for n, (s, step) in enumerate(zip(steps, result.steps, strict=True), 1)
    ]
    view: PlanView = {
        "target": data["target"],
        "reachable": data["reachable"],
        "start_index": data["start_index"],
        "index": data["index"],
        "predikat": data["predikat"],
        "effort": data["effort"],
        "max_step": data["max_step"],
        "steps": steps,
        "text": _render_plan(framework, result, str(request["target"])),
        "index_text": format_number(result.published),
        "start_text": format_number(publish(result.start_index)),
        "target_text": format_number(result.target),
        "effort_text": effort_text(result.effort),
        "csv": _csv_text(rows),
    }
    return {"ok": True, "plan": view}


def _max_step(raw: object) -> int | None:
    """The request's max_step: a whole number ≥ 1, or null for no limit."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= 100:
        raise InvalidAssessment(
            [Problem("max_step", f"harus bilangan bulat 1–100 atau null, bukan {_show(raw)}")]
        )
    return raw


def _compare(request: dict[str, Any]) -> CompareReply:
    raw = request.get("assessments")
    if not isinstance(raw, list) or len(raw) < 2:
        raise InvalidAssessment([Problem("", "perbandingan butuh sedikitnya dua penilaian")])
    assessments = [_from_dict(a) for a in raw]
    labels = _labels(request.get("labels"), assessments)
    scheme = request.get("scheme")
    if scheme is not None and not isinstance(scheme, str):
        raise InvalidAssessment([Problem("scheme", f"harus teks, bukan {_show(scheme)}")])
    if mixes_frameworks(assessments):
        return _compare_across(assessments, labels, scheme)
    framework = load_framework(assessments[0].framework)
    comparison = compare(framework, assessments, labels, scheme)
    data = _comparison_to_dict(framework, comparison)
    results = comparison.results
    # Every figure as text, one row per figure (index, then each domain with its aspects).
    rows = [_compare_row("indeks", "", framework.index_name, [r.published for r in results])]
    for pos, domain in enumerate(framework.domains):
        values = [r.domains[pos].published for r in results]
        rows.append(_compare_row("domain", domain.id, domain.name, values))
        for a_pos, aspect in enumerate(framework.aspects):
            if aspect.domain == domain.id:
                values = [r.aspects[a_pos].published for r in results]
                rows.append(_compare_row("aspek", aspect.id, aspect.name, values))
    if not framework.domains:
        for a_pos, aspect in enumerate(framework.aspects):
            values = [r.aspects[a_pos].published for r in results]
            rows.append(_compare_row("aspek", aspect.id, aspect.name, values))
    changes: list[list[ChangeView]] = [
        [
            {
                **entry,
                "name": framework.item(diff.item).label,
                "impact_text": format_number(diff.impact, 4, signed=True),
            }
            for entry, diff in zip(entries, diffs, strict=True)
        ]
        for entries, diffs in zip(data["changes"], comparison.changes, strict=True)
    ]
    view: ComparisonView = {
        "labels": data["labels"],
        "results": data["results"],
        "changes": changes,
        "text": _render_comparison(framework, comparison),
        "predikat": [r.predikat for r in results],
        "rows": rows,
    }
    return {"ok": True, "comparison": view}


def _labels(raw: object, assessments: list[Assessment]) -> list[str]:
    """The request's labels (one text or number per assessment), else each year or number."""
    if not raw:
        return [str(a.tahun or n) for n, a in enumerate(assessments, 1)]
    if (
        not isinstance(raw, list)
        or len(raw) != len(assessments)
        or not all(isinstance(x, str | int) and not isinstance(x, bool) for x in raw)
    ):
        raise InvalidAssessment(
            [Problem("labels", f"harus daftar {len(assessments)} teks, satu per penilaian")]
        )
    return [str(x) for x in raw]


def _compare_across(
    assessments: list[Assessment], labels: list[str], scheme: object
) -> CompareReply:
    """Index and predikat only, each under its own framework (see CrossComparison)."""
    if scheme is not None:
        problem = "skema bobot tidak dapat dipilih bila penilaian memakai kerangka yang berbeda"
        raise InvalidAssessment([Problem("scheme", problem)])
    comparison = compare_across(assessments, labels)
    data = _cross_comparison_to_dict(comparison)
    results = comparison.results
    index_row: ComparisonRow = {
        "kind": "indeks",
        "id": "",
        "name": "Indeks",
        "values": [format_number(r.published) for r in results],
        "change": "",  # not comparable across frameworks
    }
    view: ComparisonView = {
        "labels": data["labels"],
        "results": data["results"],
        "changes": [],
        "text": _render_cross_comparison(comparison),
        "predikat": [r.predikat for r in results],
        "rows": [index_row],
        "frameworks": data.get("frameworks", []),
        "note": CROSS_NOTE,
    }
    return {"ok": True, "comparison": view}


def _compare_row(
    kind: Literal["indeks", "domain", "aspek"], figure_id: str, name: str, values: list[Decimal]
) -> ComparisonRow:
    return {
        "kind": kind,
        "id": figure_id,
        "name": name,
        "values": [format_number(v) for v in values],
        "change": format_number(values[-1] - values[0], signed=True),
    }


def _follow_up(request: dict[str, Any]) -> FollowUpReply:
    assessment = _assessment(request)
    csv = _csv_text(_follow_up_rows(assessment))
    return {"ok": True, "text": _follow_up_text(assessment), "csv": csv}


_HANDLERS: dict[str, Handler] = {
    "plan": _plan,
    "compare": _compare,
    "follow_up": _follow_up,
    "score": _score,
    "import": _import,
    "export": _export,
    "csv": _csv,
}
