"""The JSON bridge the calculator's worker calls: same results as the CLI, problems as data."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from spbe_core import handle_request, load_framework, parse_assessment, score

EXAMPLE = json.loads((Path(__file__).parents[1] / "docs/assets/contoh-penilaian.json").read_text())


def ask(**request: object) -> dict[str, object]:
    answer: dict[str, object] = json.loads(handle_request(json.dumps(request)))
    return answer


def test_score_matches_the_core_and_carries_indonesian_text() -> None:
    answer = ask(op="score", assessment=EXAMPLE)
    assert answer["ok"] is True
    view = answer["result"]
    assessment = parse_assessment(json.dumps(EXAMPLE))
    expected = score(load_framework(), assessment.levels, assessment.scheme).to_dict()
    for key in ("index", "predikat", "complete", "missing", "scheme"):
        assert view[key] == expected[key]  # type: ignore[index]
    for key in ("domains", "aspects"):
        shown = [{k: f[k] for k in e} for f, e in zip(view[key], expected[key], strict=True)]  # type: ignore[index,call-overload]
        assert shown == expected[key]
    assert view["index_text"] == f"{expected['index']:.2f}".replace(".", ",")  # type: ignore[index]
    assert len(view["items"]) == 37  # type: ignore[index,arg-type]


def test_bad_assessment_returns_problems_not_an_exception() -> None:
    answer = ask(op="score", assessment={**EXAMPLE, "levels": {"5": 7}})
    assert answer == {
        "ok": False,
        "problems": ["levels.5: level harus bilangan bulat 0–5, bukan 7"],
    }
    assert ask(op="nope") == {"ok": False, "problems": ["permintaan tidak dikenal"]}
    assert handle_request("not json") == '{"ok": false, "problems": ["permintaan tidak dikenal"]}'


def test_import_normalises_and_export_round_trips() -> None:
    imported = ask(op="import", text=json.dumps(EXAMPLE))
    assert imported["assessment"] == EXAMPLE
    exported = ask(op="export", assessment=imported["assessment"])
    assert json.loads(str(exported["text"])) == EXAMPLE
    broken = ask(op="import", text="{")
    assert broken["ok"] is False


def test_csv_has_every_figure_and_item() -> None:
    rows = list(
        csv.reader(io.StringIO(str(ask(op="csv", assessment=EXAMPLE)["text"])), delimiter=";")
    )
    assert rows[0] == ["jenis", "id", "nama", "level", "bobot (%)", "indeks"]
    kinds = [r[0] for r in rows[1:]]
    assert (kinds.count("domain"), kinds.count("aspek"), kinds.count("butir")) == (3, 7, 37)
    assert rows[1][-1] == ask(op="score", assessment=EXAMPLE)["result"]["index_text"]  # type: ignore[index]


def test_an_unknown_scheme_in_a_request_is_a_problem_not_an_exception() -> None:
    later = EXAMPLE | {"tahun": 2019}
    answer = ask(op="compare", assessments=[EXAMPLE, later], scheme="tidak-ada")
    assert answer["ok"] is False
    assert answer["problems"] == [
        "skema bobot tidak dikenal: 'tidak-ada' (yang ada: kuesioner-2018, tabel-pedoman)"
    ]
