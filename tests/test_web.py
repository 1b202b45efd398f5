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
    # the reader of every file reads the request too: what is wrong, and where
    assert json.loads(handle_request("not json")) == {
        "ok": False,
        "problems": ["bukan berkas JSON yang sah (baris 1, kolom 1)"],
    }


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


def failure(text: str) -> list[str]:
    """The problems of a request that must fail, checked to be a well-formed failure reply."""
    answer = json.loads(handle_request(text))
    assert answer["ok"] is False
    assert all(isinstance(p, str) and p for p in answer["problems"])
    assert "Traceback" not in json.dumps(answer)
    problems: list[str] = answer["problems"]
    return problems


def test_hostile_requests_are_problems_in_the_reply() -> None:
    """What made the worker show a traceback or Pyodide a fatal error: huge numbers, deep
    nesting (3,000 levels), lone surrogates, an endless target."""
    example = json.dumps(EXAMPLE)
    cases = {
        "[" * 3000 + "]" * 3000: "bersarang terlalu dalam (lebih dari 32 tingkat) di baris 1",
        '{"op": "score", "assessment": ' + "[" * 3000 + "]" * 3000 + "}": "bersarang",
        '{"op": "score", "assessment": {"levels": {"1": ' + "9" * 5000 + "}}}": "angka terlalu",
        '{"op": "score", "assessment": {"instansi": "\\ud800"}}': "surrogate tunggal",
        '{"op": "score", "instansi": "\ud800"}': "surrogate tunggal",
        f'{{"op": "plan", "assessment": {example}, "target": "3E-999999999"}}': "target: target",
        '{"op": ["score"]}': "permintaan tidak dikenal",
        "17": "permintaan tidak dikenal",
    }
    for text, expected in cases.items():
        problems = failure(text)
        assert any(expected in p for p in problems), (text[:60], problems)
    # an import of a hostile file text: the file's own limits, located
    inner = example.replace('"Pemerintah Kota Contoh"', '"\\udfff"')
    problems = failure(json.dumps({"op": "import", "text": inner}))
    assert problems[0].startswith("teks berisi karakter tidak sah (surrogate tunggal) di baris 1")


def test_compare_labels_and_scheme_are_checked() -> None:
    for extra, expected in [
        ({"labels": 5}, "labels: harus daftar 2 teks, satu per penilaian"),
        ({"labels": ["a"]}, "labels: harus daftar 2 teks, satu per penilaian"),
        ({"labels": [{}, []]}, "labels: harus daftar 2 teks, satu per penilaian"),
        ({"scheme": {"x": 1}}, "scheme: harus teks, bukan"),
    ]:
        request = {"op": "compare", "assessments": [EXAMPLE, EXAMPLE], **extra}
        problems = failure(json.dumps(request))
        assert problems[0].startswith(expected), problems
    answer = ask(op="compare", assessments=[EXAMPLE, EXAMPLE], labels=["2018", 2019])
    assert answer["comparison"]["labels"] == ["2018", "2019"]  # type: ignore[index]


def csv_rows(text: object) -> list[list[str]]:
    return list(csv.reader(io.StringIO(str(text)), delimiter=";"))


def test_csv_neutralises_user_text_but_keeps_the_cores_numbers() -> None:
    """A follow-up recommendation "=HYPERLINK(...)" was exported as a live formula cell."""
    hostile = {
        "1": '=HYPERLINK("http://contoh.invalid";"klik")',
        "2": "+62 21 555",
        "3": "-tanpa unit",
        "4": "@SUM(A1:A9)",
        "5": "Bagian TI (=aman di tengah)",
    }
    assessment = EXAMPLE | {
        "format": "spbe-assessment/2",
        "tindak_lanjut": {k: {"rekomendasi": v, "unit": v} for k, v in hostile.items()},
    }
    answer = ask(op="follow_up", assessment=assessment)
    rows = csv_rows(answer["csv"])
    for row in rows[1:]:
        text = hostile[row[0]]
        shown = text if text[0].isalnum() else "'" + text
        assert row[3:5] == [shown, shown]
        assert row[2] == str(EXAMPLE["levels"][row[0]])  # type: ignore[index]
    assert len(rows) == 6
    # the plain-text summary is not a spreadsheet: unchanged there
    assert '=HYPERLINK("http://contoh.invalid";"klik")' in str(answer["text"])
    # the core's own signed numbers stay numbers: gains "+0,0500" in the plan CSV
    plan_csv = csv_rows(ask(op="plan", assessment=EXAMPLE, target="Baik")["plan"]["csv"])  # type: ignore[index]
    gains = [row[5] for row in plan_csv[1:]]
    assert gains
    assert all(g.startswith("+0,") for g in gains)


def test_the_csv_writer_rule_cell_by_cell() -> None:
    from spbe_core._reports import _csv_text, _Number

    cells = ["=1+1", "+1", "-1", "@x", "\tx", "\rx", "a=b", "", "1,5"]
    expected = ["'=1+1", "'+1", "'-1", "'@x", "'\tx", "'\rx", "a=b", "", "1,5"]
    assert csv_rows(_csv_text([cells])) == [expected]
    assert _csv_text([[_Number("-0,05"), _Number("+0,05"), 3, "-0,05"]]) == (
        "-0,05;+0,05;3;'-0,05\r\n"
    )
