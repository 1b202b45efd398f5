"""Issue 6 core: target planner (optimal by brute force), comparisons, format 2."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from itertools import product
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spbe_core import (
    InvalidAssessment,
    compare,
    format_number,
    handle_request,
    level_differences,
    load_framework,
    parse_assessment,
    parse_constraints,
    plan,
    publish,
    score,
    target_index,
)

FW = load_framework()
ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "docs" / "assets" / "contoh-penilaian.json"


def brute_force(levels: dict[str, int], free: dict[str, int], target: Decimal) -> Fraction | None:
    """Minimum effort over every combination of raises of the `free` items (effort per step)."""
    best: Fraction | None = None
    items = list(free)
    ranges = [range(levels.get(i, 0), 6) for i in items]
    for chosen in product(*ranges):
        new = levels | dict(zip(items, chosen, strict=True))
        if score(FW, new).published >= target:
            cost = sum(
                (Fraction(free[i]) * (new[i] - levels.get(i, 0)) for i in items), Fraction(0)
            )
            best = cost if best is None else min(best, cost)
    return best


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.sampled_from(FW.item_ids), min_size=1, max_size=4, unique=True),
    st.data(),
)
def test_plan_is_optimal_against_brute_force(free_items: list[str], data: st.DataObject) -> None:
    levels = {i: data.draw(st.integers(0, 5)) for i in FW.item_ids}
    efforts = {i: data.draw(st.integers(1, 4)) for i in free_items}
    target = Decimal(data.draw(st.sampled_from(["1.80", "2.60", "3.50", "2.75", "4.20"])))
    effort_map: dict[str, Fraction | None] = dict.fromkeys(FW.item_ids)
    effort_map.update({i: Fraction(e) for i, e in efforts.items()})
    result = plan(FW, levels, target, effort=effort_map)
    expected = brute_force(levels, efforts, target)
    if expected is None:
        assert not result.reachable
        top = levels | dict.fromkeys(free_items, 5)
        assert result.index == score(FW, top).index
    else:
        assert result.reachable
        assert result.effort == expected
        assert result.published >= target


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(st.sampled_from(FW.item_ids), st.integers(0, 5)),
    st.sampled_from(["Cukup", "Baik", "Sangat Baik", "Memuaskan", "3,33", "4.9"]),
)
def test_plan_is_feasible_and_consistent(levels: dict[str, int], target_text: str) -> None:
    target = target_index(FW, target_text)
    result = plan(FW, levels, target)
    after = dict(levels)
    for step in result.steps:
        assert step.from_level == levels.get(step.item, 0) < step.to_level <= 5
        assert step.gain == FW.scheme().items[step.item] * (step.to_level - step.from_level)
        after[step.item] = step.to_level
    assert score(FW, after).index == result.index
    assert result.effort == sum(s.effort for s in result.steps)
    assert result.reachable == (publish(result.index) >= target)
    assert result.predikat == score(FW, after).predikat


def test_target_already_reached_needs_no_steps() -> None:
    result = plan(FW, dict.fromkeys(FW.item_ids, 3), target_index(FW, "Baik"))
    assert result.reachable
    assert result.steps == ()


def test_rounding_counts_for_the_target() -> None:
    # Two steps of 1/30 give 0.0667, published 0.07: enough, no third step needed.
    effort: dict[str, Fraction | None] = dict.fromkeys(FW.item_ids)
    effort.update(dict.fromkeys(["32", "33", "34"], Fraction(1)))
    result = plan(FW, {}, Decimal("0.07"), effort=effort)
    assert result.effort == 2
    assert result.index == Fraction(2, 30)
    assert result.published == Decimal("0.07")


def test_maximum_level_and_impossible_items_are_respected() -> None:
    levels = dict.fromkeys(FW.item_ids, 2)
    effort = dict.fromkeys(FW.item_ids, Fraction(1)) | {"25": None}
    result = plan(FW, levels, Decimal("5"), effort=effort, max_level={"26": 3})
    assert not result.reachable
    changed = {s.item: s.to_level for s in result.steps}
    assert "25" not in changed
    assert changed["26"] == 3
    assert result.published < 5


@pytest.mark.parametrize("bad", ["Istimewa", "6", "-1", "abc", ""])
def test_unknown_target_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="tidak dikenal"):
        target_index(FW, bad)


def test_effort_file_validation_lists_every_problem() -> None:
    raw = {"effort": {"22": 0, "23": "x", "99": 1, "24": None}, "max_level": {"20": 7}, "lain": 1}
    with pytest.raises(InvalidAssessment) as caught:
        parse_constraints(FW, raw)
    messages = [str(p) for p in caught.value.problems]
    assert "lain: kolom tidak dikenal" in messages
    assert "effort.99: indikator tidak dikenal" in messages
    assert any(m.startswith("effort.22: upaya harus angka") for m in messages)
    assert any(m.startswith("effort.23: upaya harus angka") for m in messages)
    assert any(m.startswith("max_level.20: level maksimum") for m in messages)
    ok = parse_constraints(FW, {"effort": {"24": None, "22": 2.5}, "max_level": {"20": 4}})
    assert ok.effort == {"24": None, "22": Fraction(5, 2)}


def test_level_differences_largest_impact_first() -> None:
    diffs = level_differences(FW, {"1": 3, "25": 2, "32": 1}, {"1": 2, "25": 4, "32": 1, "33": 3})
    # 25: 2 x 5% and 33: 3 x 10/3% tie at 0.10 (framework order), then 1: -1%.
    assert [d.item for d in diffs] == ["25", "33", "1"]
    assert diffs[1].impact == Fraction(10, 100)
    assert diffs[2].impact == Fraction(-1, 100)


def test_compare_uses_one_scheme_and_lists_changes() -> None:
    a = parse_assessment(EXAMPLE.read_bytes())
    data = json.loads(EXAMPLE.read_text()) | {"tahun": 2019, "scheme": "tabel-pedoman"}
    data["levels"]["25"] = 5
    b = parse_assessment(json.dumps(data))
    comparison = compare(FW, [a, b], ["2018", "2019"])
    assert [r.scheme for r in comparison.results] == ["tabel-pedoman", "tabel-pedoman"]
    assert [d.item for d in comparison.changes[0]] == ["25"]
    assert comparison.results[1].index - comparison.results[0].index == Fraction(33, 700) * 2


def spbe(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spbe_core", *args], capture_output=True, text=True, check=False
    )


def test_cli_rencana(tmp_path: Path) -> None:
    run = spbe("rencana", str(EXAMPLE), "--target", "Baik", "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["reachable"] is True
    assert data["predikat"] in {"Baik", "Sangat Baik", "Memuaskan"}
    levels = dict(parse_assessment(EXAMPLE.read_bytes()).levels)
    expected = plan(FW, levels, Decimal("2.60"), max_step=1)  # the CLI's realistic default
    assert data["effort"] == float(expected.effort)
    assert data["max_step"] == 1
    assert all(s["to"] - s["from"] <= 1 for s in data["steps"])
    free = json.loads(
        spbe("rencana", str(EXAMPLE), "--target", "Baik", "--json", "--langkah-maks", "0").stdout
    )
    assert free["max_step"] is None
    assert free["effort"] == float(plan(FW, levels, Decimal("2.60")).effort)
    two = json.loads(
        spbe(
            "rencana", str(EXAMPLE), "--target", "Memuaskan", "--json", "--langkah-maks", "2"
        ).stdout
    )
    assert two["max_step"] == 2
    assert max(s["to"] - s["from"] for s in two["steps"]) == 2
    assert two["effort"] == float(
        plan(FW, levels, target_index(FW, "Memuaskan"), max_step=2).effort
    )
    bad_step = spbe("rencana", str(EXAMPLE), "--target", "Baik", "--langkah-maks", "satu")
    assert bad_step.returncode == 2
    assert "--langkah-maks" in bad_step.stderr
    assert "Traceback" not in bad_step.stderr
    assert "--langkah-maks" in spbe("rencana", "--help").stdout
    table = spbe("rencana", str(EXAMPLE), "--target", "Baik")
    assert "Batas kenaikan  : paling banyak 1 level per butir per siklus evaluasi" in table.stdout
    assert "Rencana peningkatan" in table.stdout
    assert "Hasil           :" in table.stdout
    effort = tmp_path / "upaya.json"
    effort.write_text(json.dumps({"effort": dict.fromkeys(FW.item_ids)}))
    stuck = spbe("rencana", str(EXAMPLE), "--target", "Memuaskan", "--effort", str(effort))
    assert stuck.returncode == 0
    assert "tidak dapat dicapai" in stuck.stdout
    effort.write_text('{"effort": {"99": 1}}')
    bad = spbe("rencana", str(EXAMPLE), "--target", "Baik", "--effort", str(effort))
    assert bad.returncode == 2
    assert "effort.99: indikator tidak dikenal" in bad.stderr
    wrong = spbe("rencana", str(EXAMPLE), "--target", "Juara")
    assert wrong.returncode == 2
    assert "Traceback" not in wrong.stderr


def test_cli_banding(tmp_path: Path) -> None:
    data = json.loads(EXAMPLE.read_text()) | {"tahun": 2019}
    data["levels"]["25"] = 4
    later = tmp_path / "2019.json"
    later.write_text(json.dumps(data))
    run = spbe("banding", str(EXAMPLE), str(later), "--json")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["labels"] == ["2018", "2019"]
    assert out["changes"] == [[{"item": "25", "from": 3, "to": 4, "impact": 0.05}]]
    table = spbe("banding", str(EXAMPLE), str(later)).stdout
    assert "Butir yang berubah dari 2018 ke 2019:" in table
    assert "+0,05" in table
    one = spbe("banding", str(EXAMPLE))
    assert one.returncode == 2
    assert "sedikitnya dua" in one.stderr


def test_cli_score_shows_verification(tmp_path: Path) -> None:
    data = json.loads(EXAMPLE.read_text()) | {"format": "spbe-assessment/2"}
    data["verifikasi"] = dict(data["levels"]) | {"31": 2, "1": 2}
    path = tmp_path / "v.json"
    path.write_text(json.dumps(data))
    out = spbe("score", str(path)).stdout
    assert "Mandiri" in out
    assert "Verifikasi" in out
    lines = out.split("dampak terbesar dahulu:")[1].splitlines()
    assert lines[1].split()[0] == "31"  # 2 levels x 5% before 1 level x 1%
    assert lines[2].split()[0] == "1"
    # A --scheme option applies to the verified column too.
    data["verifikasi"] |= {"25": 5, "26": 5, "27": 5, "28": 5}
    path.write_text(json.dumps(data))
    verified = score(FW, data["verifikasi"], "tabel-pedoman")
    assert verified.published != score(FW, data["verifikasi"]).published
    other = spbe("score", str(path), "--scheme", "tabel-pedoman").stdout
    assert f"Verifikasi  : {format_number(verified.published)} ({verified.predikat})" in other


def ask(**request: object) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(handle_request(json.dumps(request)))
    return answer


def test_bridge_plan_matches_core() -> None:
    example = json.loads(EXAMPLE.read_text())
    answer = ask(op="plan", assessment=example, target="Baik")
    assert answer["ok"], answer
    levels = dict(parse_assessment(EXAMPLE.read_bytes()).levels)
    expected = plan(FW, levels, Decimal("2.60"), max_step=1)  # the default, as in the CLI
    assert answer["plan"]["effort"] == float(expected.effort)
    unlimited = ask(op="plan", assessment=example, target="Memuaskan", max_step=None)
    assert unlimited["plan"]["effort"] == float(
        plan(FW, levels, target_index(FW, "Memuaskan")).effort
    )
    refused = ask(op="plan", assessment=example, target="Baik", max_step=0)
    assert refused["ok"] is False
    assert refused["problems"][0].startswith("max_step: harus bilangan bulat 1–100")
    assert [s["item"] for s in answer["plan"]["steps"]] == [s.item for s in expected.steps]
    assert "Rencana peningkatan" in answer["plan"]["text"]
    bad = ask(op="plan", assessment=example, target="Juara")
    assert bad["ok"] is False
    assert bad["problems"][0].startswith("target: target 'Juara' tidak dikenal")


def test_bridge_verification_and_compare() -> None:
    example = json.loads(EXAMPLE.read_text())
    verified = example["levels"] | {"25": 1, "2": 3}
    extended = example | {"format": "spbe-assessment/2", "verifikasi": verified}
    answer = ask(op="score", assessment=extended)
    assert answer["verified"]["index"] == float(score(FW, verified).published)
    assert [d["item"] for d in answer["differences"]] == ["25", "2"]  # -0.10 before +0.01
    later = example | {"tahun": 2019, "levels": example["levels"] | {"25": 5}}
    compared = ask(op="compare", assessments=[example, later])
    assert compared["comparison"]["labels"] == ["2018", "2019"]
    assert compared["comparison"]["changes"][0][0]["item"] == "25"
    assert ask(op="compare", assessments=[example])["ok"] is False


def test_follow_up_summary_and_csv() -> None:
    example = json.loads(EXAMPLE.read_text()) | {"format": "spbe-assessment/2"}
    example["instansi"] = "Kota <b>Contoh</b>"
    example["tindak_lanjut"] = {
        "23": {
            "rekomendasi": "Susun rencana integrasi",
            "unit": "Diskominfo",
            "tenggat": "2019-06-30",
        },
        "1": {"rekomendasi": "Tetapkan SK Tim Pengarah", "status": "selesai"},
    }
    example["catatan"] = {"23": "Menunggu anggaran"}
    answer = ask(op="follow_up", assessment=example)
    text = answer["text"]
    assert text.startswith("Tindak lanjut evaluasi SPBE Kota <b>Contoh</b> tahun 2018")
    assert text.index("Tetapkan SK") < text.index("Susun rencana")  # framework order
    assert "Unit: Diskominfo; Tenggat: 2019-06-30; Status: Belum" in text
    assert "Catatan: Menunggu anggaran" in text
    rows = answer["csv"].splitlines()
    assert rows[0].startswith("butir;indikator;level;rekomendasi")
    assert len(rows) == 3


def test_bridge_gives_text_for_every_figure_the_calculator_shows() -> None:
    example = json.loads(EXAMPLE.read_text())
    answer = ask(
        op="plan",
        assessment=example,
        target="Sangat Baik",
        constraints={"effort": {"25": 1.5, "26": None}},
    )["plan"]
    assert answer["effort_text"] == f"{answer['effort']:.2f}".replace(".", ",")
    assert all("effort_text" in s and "gain_text" in s for s in answer["steps"])
    rows = answer["csv"].splitlines()
    assert rows[0] == "no;butir;indikator;level awal;level tujuan;tambahan indeks;upaya"
    assert len(rows) == len(answer["steps"]) + 1
    assert "26" not in [s["item"] for s in answer["steps"]]

    later = example | {"tahun": 2019, "levels": example["levels"] | {"25": 5, "3": 1}}
    compared = ask(op="compare", assessments=[example, later])["comparison"]
    first, last = compared["results"]
    assert compared["predikat"] == [first["predikat"], last["predikat"]]
    index_row = compared["rows"][0]
    assert index_row["values"] == [f"{r['index']:.2f}".replace(".", ",") for r in (first, last)]
    assert index_row["change"].startswith("+")
    kinds = [(r["kind"], r["id"]) for r in compared["rows"]]
    assert kinds.count(("domain", "1")) == 1
    assert len(kinds) == 1 + len(FW.domains) + len(FW.aspects)
    changes = compared["changes"][0]
    assert [c["item"] for c in changes] == ["25", "3"]  # +0,10 before -0,02
    assert changes[0]["impact_text"] == "+0,1000"
    assert changes[0]["name"] == FW.item("25").label


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_max_step_plan_is_optimal_and_bounded(data: st.DataObject) -> None:
    """With max_step, the plan equals the brute force over raises of at most max_step levels."""
    free_items = data.draw(
        st.lists(st.sampled_from(FW.item_ids), min_size=1, max_size=4, unique=True)
    )
    levels = {i: data.draw(st.integers(0, 5)) for i in FW.item_ids}
    step = data.draw(st.integers(1, 2))
    target = Decimal(data.draw(st.sampled_from(["1.80", "2.60", "3.50", "4.20"])))
    others = {i: None for i in FW.item_ids if i not in free_items}
    found = plan(FW, levels, target, effort=others, max_step=step)
    assert all(s.to_level - s.from_level <= step for s in found.steps)
    best: Fraction | None = None
    ranges = [range(levels[i], min(5, levels[i] + step) + 1) for i in free_items]
    for chosen in product(*ranges):
        new = levels | dict(zip(free_items, chosen, strict=True))
        if score(FW, new).published >= target:
            cost = Fraction(sum(new[i] - levels[i] for i in free_items))
            best = cost if best is None else min(best, cost)
    assert found.reachable == (best is not None)
    if best is not None:
        assert found.effort == best


@pytest.mark.parametrize("fw_id", ["permenpan-5-2018", "permenpan-59-2020", "permenpan-8-2026"])
def test_next_predikat_is_the_exact_one_step_plan(fw_id: str) -> None:
    """The result's next predikat: the band just above, its distance, and the one-level plan."""
    framework = load_framework(fw_id)
    levels = dict.fromkeys(framework.item_ids[::2], framework.min_level + 1)
    view = ask(
        op="score", assessment={"format": "spbe-assessment/1", "framework": fw_id, "levels": levels}
    )
    published = score(framework, levels).published
    bands = sorted(framework.predikat, key=lambda b: b.min)
    up = next(b for b in bands if b.min > published)
    nxt = view["result"]["next"]
    assert nxt["predikat"] == up.name
    assert nxt["distance_text"] == format_number(up.min - published, signed=True)
    expected = plan(framework, levels, up.min, max_step=1)
    assert [s["item"] for s in nxt["steps"]] == [s.item for s in expected.steps]
    assert all(s["to"] - s["level"] <= 1 for s in nxt["steps"])
    top = dict.fromkeys(framework.item_ids, framework.max_level)
    at_top = ask(
        op="score", assessment={"format": "spbe-assessment/1", "framework": fw_id, "levels": top}
    )
    assert at_top["result"]["next"] is None


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_one_raise_per_item_takes_the_knapsack_optimum(data: st.DataObject) -> None:
    """The one-level default (largest gains first) buys what the exact knapsack buys."""
    from spbe_core import _planner

    framework = load_framework(
        data.draw(st.sampled_from(["permenpan-5-2018", "permenpan-59-2020", "permenpan-8-2026"]))
    )
    top = framework.max_level
    levels = {
        i: data.draw(st.integers(framework.min_level, top))
        for i in data.draw(st.lists(st.sampled_from(framework.item_ids), unique=True))
    }
    units = framework.scheme(None).item_units
    options: list[_planner.Option] = [
        (i, [(levels.get(i, framework.partial.empty_value) + 1, 1)], Fraction(1))
        for i in framework.item_ids
        if levels.get(i, framework.partial.empty_value) < top
    ]

    def gains(item: str, to: int) -> int:
        return int(units[item] * (to - levels.get(item, framework.partial.empty_value)))

    exact = _planner._knapsack(options, gains, thin=False)
    fast = _planner._largest_first(options, gains)
    for needed in data.draw(st.lists(st.integers(0, max(exact)), min_size=1, max_size=5)):
        cheapest = [
            min(((c, -g) for g, (c, _) in states.items() if g >= needed))
            for states in (exact, fast)
        ]
        assert cheapest[0] == cheapest[1]
        assert set(fast) <= set(exact)
