"""Year over year across frameworks: index and predikat only, each under its own framework,
with the note that the numbers are not directly comparable; one framework stays as it was."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from conftest import run_spbe

from spbe_core import (
    compare,
    compare_across,
    format_number,
    handle_request,
    load_framework,
    mixes_frameworks,
    parse_assessment,
    score,
)
from spbe_core._reports import CROSS_NOTE, _render_comparison

ROOT = Path(__file__).parents[1]
YEARS = {"permenpan-5-2018": 2018, "permenpan-59-2020": 2023, "permenpan-8-2026": 2026}


def random_file(framework_id: str, rng: random.Random, tahun: int | None = None) -> dict[str, Any]:
    """An assessment with random values on the framework's scale (some items left empty)."""
    fw = load_framework(framework_id)
    levels: dict[str, Any] = {}
    for item in fw.item_ids:
        if rng.random() < 0.1:
            levels[item] = None
        elif fw.value_kind == "decimal":
            levels[item] = f"{rng.randint(fw.min_level * 100, fw.max_level * 100) / 100:.2f}"
        else:
            levels[item] = rng.randint(fw.min_level, fw.max_level)
    return {
        "format": "spbe-assessment/1",
        "framework": framework_id,
        "tahun": tahun or YEARS[framework_id],
        "levels": levels,
    }


def parsed(data: dict[str, Any]) -> Any:
    return parse_assessment(json.dumps(data).encode())


@pytest.mark.parametrize("seed", range(20))
def test_each_figure_is_computed_with_its_own_framework(seed: int) -> None:
    rng = random.Random(seed)
    ids = list(YEARS)
    rng.shuffle(ids)
    files = [random_file(fid, rng) for fid in ids]
    assessments = [parsed(f) for f in files]
    assert mixes_frameworks(assessments)
    labels = [str(f["tahun"]) for f in files]
    cross = compare_across(assessments, labels)
    assert cross.labels == tuple(labels)
    assert [f.id for f in cross.frameworks] == ids
    for fid, a, result in zip(ids, assessments, cross.results, strict=True):
        expected = score(load_framework(fid), a.levels)
        assert result.framework == fid
        assert result.index == expected.index  # exact Fraction
        assert result.predikat == expected.predikat

    reply = json.loads(handle_request(json.dumps({"op": "compare", "assessments": files})))
    assert reply["ok"], reply
    view = reply["comparison"]
    assert view["labels"] == labels
    assert view["note"] == CROSS_NOTE
    assert [f["id"] for f in view["frameworks"]] == ids
    assert [f["short_name"] for f in view["frameworks"]] == [
        load_framework(fid).short_name for fid in ids
    ]
    assert [f["index_name"] for f in view["frameworks"]] == [
        load_framework(fid).index_name for fid in ids
    ]
    # Index and predikat only: no domain or aspect rows, no change, no item changes.
    assert [row["kind"] for row in view["rows"]] == ["indeks"]
    assert view["rows"][0]["values"] == [format_number(r.published) for r in cross.results]
    assert view["rows"][0]["change"] == ""
    assert view["predikat"] == [r.predikat for r in cross.results]
    assert view["changes"] == []
    assert "tidak dapat dibandingkan secara langsung" in view["text"]


def test_a_comparison_of_one_framework_is_unchanged() -> None:
    rng = random.Random(7)
    files = [random_file("permenpan-59-2020", rng, tahun) for tahun in (2022, 2023)]
    reply = json.loads(handle_request(json.dumps({"op": "compare", "assessments": files})))
    view = reply["comparison"]
    assert set(view) == {"labels", "results", "changes", "text", "predikat", "rows"}
    assert {row["kind"] for row in view["rows"]} == {"indeks", "domain", "aspek"}
    assert len(view["changes"]) == 1
    fw = load_framework("permenpan-59-2020")
    expected = compare(fw, [parsed(f) for f in files], ["2022", "2023"])
    assert view["text"] == _render_comparison(fw, expected)
    assert CROSS_NOTE not in view["text"]


def test_a_scheme_cannot_be_chosen_across_frameworks() -> None:
    rng = random.Random(3)
    files = [random_file("permenpan-5-2018", rng), random_file("permenpan-8-2026", rng)]
    request = {"op": "compare", "assessments": files, "scheme": "kuesioner-2018"}
    reply = json.loads(handle_request(json.dumps(request)))
    assert not reply["ok"]
    assert any("kerangka yang berbeda" in p for p in reply["problems"])


def test_compare_across_needs_two_assessments() -> None:
    with pytest.raises(ValueError, match="sedikitnya dua"):
        compare_across([parsed(random_file("permenpan-5-2018", random.Random(1)))], ["2018"])


# --- the CLI ------------------------------------------------------------------------------------


spbe = run_spbe


def write_files(tmp_path: Path, files: list[dict[str, Any]]) -> list[str]:
    paths = []
    for n, data in enumerate(files):
        path = tmp_path / f"penilaian-{n}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        paths.append(str(path))
    return paths


def test_cli_banding_mixes_frameworks_with_the_note(tmp_path: Path) -> None:
    rng = random.Random(11)
    files = [random_file(fid, rng) for fid in YEARS]
    paths = write_files(tmp_path, files)
    run = spbe("banding", *paths)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "Perbandingan lintas kerangka" in out
    assert "tidak dapat dibandingkan secara langsung" in out
    assert "Butir yang berubah" not in out
    for fid, data in zip(YEARS, files, strict=True):
        fw = load_framework(fid)
        result = score(fw, parsed(data).levels)
        assert fw.short_name in out
        assert fw.index_name in out
        assert format_number(result.published) in out
        assert result.predikat in out

    run = spbe("banding", *paths, "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["labels"] == ["2018", "2023", "2026"]
    assert data["results"] == [
        score(load_framework(fid), parsed(f).levels).to_dict()
        for fid, f in zip(YEARS, files, strict=True)
    ]
    assert data["changes"] == []
    assert data["note"] == CROSS_NOTE
    assert [f["id"] for f in data["frameworks"]] == list(YEARS)


def test_cli_banding_refuses_a_scheme_across_frameworks(tmp_path: Path) -> None:
    rng = random.Random(12)
    paths = write_files(tmp_path, [random_file(fid, rng) for fid in YEARS])
    run = spbe("banding", *paths, "--scheme", "kuesioner-2018")
    assert run.returncode == 2
    assert "kerangka berbeda" in run.stderr
    assert "Traceback" not in run.stderr


def test_cli_banding_of_one_framework_is_unchanged(tmp_path: Path) -> None:
    rng = random.Random(13)
    files = [random_file("permenpan-5-2018", rng, tahun) for tahun in (2018, 2019)]
    paths = write_files(tmp_path, files)
    run = spbe("banding", *paths)
    assert run.returncode == 0, run.stderr
    fw = load_framework("permenpan-5-2018")
    expected = compare(fw, [parsed(f) for f in files], ["2018", "2019"])
    assert run.stdout == _render_comparison(fw, expected) + "\n"
    assert CROSS_NOTE not in run.stdout
