"""Any framework from its data file: scoring against an independent exact oracle, decimal
values, partial assessments, plans, the JSON bridge and the CLI, for 5/2018 and the two test
frameworks (uji-level: levels 1–4, unequal weights; uji-desimal: decimal values, no domains)."""

from __future__ import annotations

import ast
import json
import math
import subprocess
import sys
import tomllib
from decimal import Decimal
from fractions import Fraction
from itertools import product
from pathlib import Path
from typing import Any

import pytest
from conftest import run_spbe
from hypothesis import given, settings
from hypothesis import strategies as st

import spbe_core
from spbe_core import (
    InvalidAssessment,
    handle_request,
    load_framework,
    parse_assessment,
    plan,
    score,
    target_index,
)

ROOT = Path(__file__).parents[1]
FRAMEWORKS = Path(__file__).parent / "frameworks"
SHIPPED = ROOT / "spbe_core" / "frameworks"
FILES = {
    "permenpan-5-2018": SHIPPED / "permenpan-5-2018.toml",
    "permenpan-59-2020": SHIPPED / "permenpan-59-2020.toml",
    "permenpan-8-2026": SHIPPED / "permenpan-8-2026.toml",
    "uji-level": FRAMEWORKS / "uji-level.toml",
    "uji-desimal": FRAMEWORKS / "uji-desimal.toml",
}


@pytest.fixture(autouse=True)
def test_frameworks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPBE_FRAMEWORK_PATH", str(FRAMEWORKS))


# --- the oracle: the published formula, computed from the raw TOML, not by spbe_core --------


class Oracle:
    """Indeks = Σ aspect weight × aspect index; aspect index = Σ item weight × value / Σ item
    weight; domain index = weighted mean of its aspects; empty items count as empty_value."""

    def __init__(self, framework_id: str) -> None:
        self.data = tomllib.loads(FILES[framework_id].read_text())
        self.items: list[tuple[str, str]] = []  # (item, aspect) in file order
        for indicator in self.data["indicators"]:
            for item in indicator.get("items") or [{"id": indicator["id"]}]:
                self.items.append((item["id"], indicator["aspect"]))

    def weights(
        self, scheme_id: str | None = None
    ) -> tuple[dict[str, Fraction], dict[str, Fraction]]:
        """(aspect percent, item percent)."""
        scheme = next(
            s for s in self.data["schemes"] if s["id"] == (scheme_id or self.data["default_scheme"])
        )
        aspects = {k: Fraction(v) for k, v in scheme["aspects"].items()}
        if "items" in scheme:
            items = {k: Fraction(v) for k, v in scheme["items"].items()}
        else:
            counts = {a: sum(1 for _, x in self.items if x == a) for a in aspects}
            items = {i: aspects[a] / counts[a] for i, a in self.items}
        return aspects, items

    def result(self, values: dict[str, Fraction], scheme_id: str | None = None) -> dict[str, Any]:
        aspects_w, items_w = self.weights(scheme_id)
        empty = self.data["partial"]["empty_value"]
        aspect_index = {}
        for aspect in aspects_w:
            own = [i for i, a in self.items if a == aspect]
            total = sum(items_w[i] for i in own)
            aspect_index[aspect] = sum(items_w[i] * values.get(i, empty) for i in own) / total
        domains = {}
        for domain in self.data.get("domains", []):
            own = [a["id"] for a in self.data["aspects"] if a["domain"] == domain["id"]]
            weight = sum(aspects_w[a] for a in own)
            domains[domain["id"]] = sum(aspects_w[a] * aspect_index[a] for a in own) / weight
        index = sum(aspects_w[a] * aspect_index[a] for a in aspects_w) / 100
        published = half_up(index)
        bands = [(Decimal(p["min"]), p["name"]) for p in self.data["predikat"]]
        name = next(n for m, n in sorted(bands, reverse=True) if published >= m)
        return {
            "index": index,
            "published": published,
            "predikat": name,
            "aspects": aspect_index,
            "domains": domains,
        }


def half_up(value: Fraction) -> Decimal:
    """Round half up to 2 decimals: the cents below, plus one if the rest is at least half."""
    cents = math.floor(value * 100)
    if value * 100 - cents >= Fraction(1, 2):
        cents += 1
    return Decimal(cents) / 100


ORACLES = {fid: Oracle(fid) for fid in FILES}


def values_strategy(framework_id: str) -> st.SearchStrategy[dict[str, Fraction]]:
    data = ORACLES[framework_id].data
    lo, hi = data["min_level"], data["max_level"]
    if data["value_kind"] == "decimal":
        value = st.integers(lo * 10_000, hi * 10_000).map(lambda n: Fraction(n, 10_000))
    else:
        value = st.integers(lo, hi).map(Fraction)
    return st.dictionaries(st.sampled_from([i for i, _ in ORACLES[framework_id].items]), value)


def as_json_number(value: Fraction) -> str:
    """The decimal text of a value, as a user writes it in a file."""
    return f"{Decimal(value.numerator) / Decimal(value.denominator):f}"


def assessment_text(framework_id: str, values: dict[str, Fraction], **extra: Any) -> str:
    levels = ", ".join(f'"{k}": {as_json_number(v)}' for k, v in values.items())
    head = json.dumps({"format": "spbe-assessment/1", "framework": framework_id, **extra})
    return head[:-1] + f', "levels": {{{levels}}}}}'


@pytest.mark.parametrize("framework_id", list(FILES))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_scores_equal_the_independent_oracle(framework_id: str, data: st.DataObject) -> None:
    values = data.draw(values_strategy(framework_id))
    oracle = ORACLES[framework_id]
    scheme = data.draw(st.sampled_from([s["id"] for s in oracle.data["schemes"]]))
    expected = oracle.result(values, scheme)
    # Through the file format (exact decimal text), the core and the bridge.
    assessment = parse_assessment(assessment_text(framework_id, values, scheme=scheme))
    assert dict(assessment.levels) == values
    result = score(load_framework(framework_id), assessment.levels, scheme)
    assert result.index == expected["index"]
    assert result.published == expected["published"]
    assert result.predikat == expected["predikat"]
    assert {a.id: a.value for a in result.aspects} == expected["aspects"]
    assert {d.id: d.value for d in result.domains} == expected["domains"]
    assert result.complete == (len(values) == len(oracle.items))
    text = assessment_text(framework_id, values, scheme=scheme)
    reply = json.loads(handle_request(f'{{"op": "score", "assessment": {text}}}'))
    assert reply["ok"], reply
    view = reply["result"]
    assert Decimal(str(view["index"])) == expected["published"]
    assert view["index_text"] == f"{expected['published']:.2f}".replace(".", ",")
    assert view["predikat"] == expected["predikat"]
    assert [d["id"] for d in view["domains"]] == list(expected["domains"])
    assert view["index_name"] == oracle.data["index_name"]
    framework = load_framework(framework_id)
    assert [i["label"] for i in view["items"]] == [
        framework.item(i).label for i in framework.item_ids
    ]
    shown = {i["id"]: i["level"] for i in view["items"]}
    assert {k: Fraction(str(v)) for k, v in shown.items() if v is not None} == values


@pytest.mark.parametrize("framework_id", list(FILES))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_raising_a_value_never_lowers_a_figure(framework_id: str, data: st.DataObject) -> None:
    framework = load_framework(framework_id)
    values = data.draw(values_strategy(framework_id))
    item = data.draw(st.sampled_from(framework.item_ids))
    current = values.get(item, Fraction(framework.partial.empty_value))
    if current == framework.max_level:
        return
    higher = data.draw(
        st.integers(int(current * 10_000) + 1, framework.max_level * 10_000).map(
            lambda n: Fraction(n, 10_000) if framework.decimal else Fraction(math.ceil(n / 10_000))
        )
    )
    before, after = score(framework, values), score(framework, values | {item: higher})
    assert after.index - before.index == framework.scheme().items[item] * (higher - current)
    for old, new in zip(
        (*before.domains, *before.aspects), (*after.domains, *after.aspects), strict=True
    ):
        assert new.value >= old.value
    assert after.published >= before.published


@pytest.mark.parametrize("framework_id", list(FILES))
def test_every_item_at_one_value_gives_that_value_everywhere(framework_id: str) -> None:
    framework = load_framework(framework_id)
    values = [Fraction(n) for n in framework.levels]
    if framework.decimal:
        values.append(Fraction("3.1415"))
    for value in values:
        result = score(framework, dict.fromkeys(framework.item_ids, value))
        assert result.index == value
        assert all(f.value == value for f in (*result.domains, *result.aspects))


@pytest.mark.parametrize("framework_id", list(FILES))
def test_an_empty_assessment_counts_every_item_as_the_empty_value(framework_id: str) -> None:
    framework = load_framework(framework_id)
    result = score(framework, {})
    assert result.index == framework.partial.empty_value
    assert not result.complete
    assert result.missing == framework.item_ids
    assert result.predikat == framework.predikat[-1].name


def test_a_framework_without_domains_reports_no_domains() -> None:
    framework = load_framework("uji-desimal")
    data = score(framework, {"1": Fraction(5)}).to_dict()
    assert data["domains"] == []
    assert [a["domain"] for a in data["aspects"]] == ["", "", ""]
    # 1 at 5, the rest empty (1): 1 + 30% x 4 = 2.2
    assert data["index"] == 2.2


# --- decimal values in files -------------------------------------------------------------------


def decimal_file(levels: str) -> str:
    return f'{{"format": "spbe-assessment/1", "framework": "uji-desimal", "levels": {levels}}}'


def test_decimal_values_are_read_exactly_and_written_back_with_their_text() -> None:
    assessment = parse_assessment(
        decimal_file('{"1": 3.1234, "2": "2,5", "3": 4, "4": 5.00, "5": 1.10}')
    )
    assert dict(assessment.levels) == {
        "1": Fraction(31234, 10000),
        "2": Fraction(5, 2),
        "3": 4,
        "4": 5,
        "5": Fraction(11, 10),
    }
    text = json.dumps(assessment.to_dict())
    assert '"levels": {"1": 3.1234, "2": 2.5, "3": 4, "4": 5, "5": 1.1}' in text
    assert parse_assessment(text) == assessment


@given(st.integers(10_000, 50_000))
def test_every_four_decimal_value_is_written_as_its_exact_text(n: int) -> None:
    value = Decimal(n).scaleb(-4)
    assessment = parse_assessment(decimal_file(f'{{"1": {value}}}'))
    written = json.dumps(assessment.to_dict()["levels"]["1"])
    assert Decimal(written) == value
    assert written == (f"{value.normalize():f}" if n % 10_000 else str(n // 10_000))


@pytest.mark.parametrize(
    ("levels", "problems"),
    [
        (
            '{"1": 3.12345, "2": 0.5, "3": 5.0001, "4": true, "5": "tiga"}',
            [
                "levels.1: nilai harus angka 1–5 dengan paling banyak 4 desimal, bukan 3.12345",
                "levels.2: nilai harus angka 1–5 dengan paling banyak 4 desimal, bukan 0.5",
                "levels.3: nilai harus angka 1–5 dengan paling banyak 4 desimal, bukan 5.0001",
                "levels.4: nilai harus angka 1–5 dengan paling banyak 4 desimal, bukan true",
                'levels.5: nilai harus angka 1–5 dengan paling banyak 4 desimal, bukan "tiga"',
            ],
        ),
        (
            '{"9": 2, "1": 1e400}',
            [
                "levels.9: indikator tidak dikenal",
                "levels.1: nilai harus angka 1–5 dengan paling banyak 4 desimal, bukan 1E+400",
            ],
        ),
    ],
)
def test_bad_decimal_values_are_refused_with_their_location(
    levels: str, problems: list[str]
) -> None:
    with pytest.raises(InvalidAssessment) as caught:
        parse_assessment(decimal_file(levels))
    assert [str(p) for p in caught.value.problems] == problems


def test_whole_levels_use_the_frameworks_range() -> None:
    text = (
        '{"format": "spbe-assessment/1", "framework": "uji-level", '
        '"levels": {"1": 0, "2": 2.0, "3": 5, "4": "2"}}'
    )
    with pytest.raises(InvalidAssessment) as caught:
        parse_assessment(text)
    assert [str(p) for p in caught.value.problems] == [
        "levels.1: level harus bilangan bulat 1–4, bukan 0",
        "levels.2: level harus bilangan bulat 1–4, bukan 2.0",
        "levels.3: level harus bilangan bulat 1–4, bukan 5",
        'levels.4: level harus bilangan bulat 1–4, bukan "2"',
    ]


# --- plans ---------------------------------------------------------------------------------------


def brute_force(
    framework_id: str, values: dict[str, Fraction], free: list[str], target: Decimal
) -> int | None:
    """Fewest level steps (effort 1 each) over every whole-level raise of the `free` items."""
    oracle = ORACLES[framework_id]
    empty, top = oracle.data["partial"]["empty_value"], oracle.data["max_level"]
    best: int | None = None
    starts = {i: values.get(i, Fraction(empty)) for i in free}
    choices = [[None, *range(math.floor(starts[i]) + 1, top + 1)] for i in free]
    for chosen in product(*choices):
        new = dict(values)
        steps = 0
        for item, to in zip(free, chosen, strict=True):
            if to is not None:
                new[item] = Fraction(to)
                steps += to - math.floor(starts[item])
        if oracle.result(new)["published"] >= target and (best is None or steps < best):
            best = steps
    return best


@pytest.mark.parametrize("framework_id", ["uji-level", "uji-desimal"])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_plans_are_optimal_against_brute_force(framework_id: str, data: st.DataObject) -> None:
    framework = load_framework(framework_id)
    values = data.draw(values_strategy(framework_id))
    free = data.draw(
        st.lists(st.sampled_from(framework.item_ids), min_size=1, max_size=3, unique=True)
    )
    target = Decimal(data.draw(st.sampled_from(["1.50", "2.10", "2.75", "3.25", "4.00", "4.25"])))
    effort: dict[str, Fraction | None] = dict.fromkeys(framework.item_ids)
    effort.update(dict.fromkeys(free, Fraction(1)))
    result = plan(framework, values, target, effort=effort)
    expected = brute_force(framework_id, values, free, target)
    after = dict(values)
    for step in result.steps:
        assert step.from_level == values.get(step.item, framework.partial.empty_value)
        assert step.to_level == int(step.to_level) > step.from_level
        after[step.item] = Fraction(step.to_level)
    assert score(framework, after).index == result.index
    if expected is None:
        assert not result.reachable
    else:
        assert result.reachable
        assert result.effort == expected
        assert result.published >= target


def test_a_decimal_value_is_raised_to_the_next_whole_level_first() -> None:
    framework = load_framework("uji-desimal")
    result = plan(framework, {"1": Fraction("3.25")}, target_index(framework, "5"))
    steps = {s.item: (s.from_level, s.to_level, s.effort) for s in result.steps}
    assert steps["1"] == (Fraction("3.25"), 5, 2)  # 3,25 -> 4 -> 5
    assert steps["2"] == (1, 5, 4)  # empty: starts at 1
    assert result.index == 5


# --- the bridge and the CLI for any framework --------------------------------------------------


def ask(text: str) -> dict[str, Any]:
    reply: dict[str, Any] = json.loads(handle_request(text))
    return reply


def test_bridge_answers_every_request_for_a_decimal_framework() -> None:
    a = assessment_text("uji-desimal", {"1": Fraction("3.5"), "4": Fraction("2.25")}, tahun=2041)
    b = assessment_text(
        "uji-desimal", {"1": Fraction(4), "4": Fraction("2.25"), "5": Fraction(2)}, tahun=2042
    )
    planned = ask(
        f'{{"op": "plan", "assessment": {a}, "target": "Madya", '
        '"constraints": {"effort": {"2": 1.5}}, "max_step": null}'
    )
    assert planned["ok"], planned
    assert "Rencana peningkatan" in planned["plan"]["text"]
    assert planned["plan"]["reachable"] is True
    assert planned["plan"]["index"] >= 3.1
    starts = {"1": 3.5, "4": 2.25}
    for step in planned["plan"]["steps"]:
        assert step["from"] == starts.get(step["item"], 1)  # an empty item starts at 1
        assert isinstance(step["to"], int)
        assert step["to"] > step["from"]
    compared = ask(f'{{"op": "compare", "assessments": [{a}, {b}]}}')["comparison"]
    assert [r["kind"] for r in compared["rows"]] == ["indeks", "aspek", "aspek", "aspek"]
    assert compared["rows"][0]["name"] == "Indeks Uji Desimal"
    assert compared["changes"][0][0] == {
        "item": "1",
        "from": 3.5,
        "to": 4,
        "impact": 0.15,
        "name": "Indikator Desimal Satu",
        "impact_text": "+0,1500",
    }
    assert "3,50 → 4,00" in compared["text"]
    csv_text = ask(f'{{"op": "csv", "assessment": {a}}}')["text"]
    assert "indeks;;Indeks Uji Desimal;" in csv_text
    assert "butir;1;Indikator Desimal Satu;3,50;" in csv_text
    exported = ask(f'{{"op": "export", "assessment": {a}}}')["text"]
    assert '"1": 3.5' in exported
    bad = ask(decimal_file('{"1": 3.00001}').join(['{"op": "score", "assessment": ', "}"]))
    assert bad == {
        "ok": False,
        "problems": [
            "levels.1: nilai harus angka 1–5 dengan paling banyak 4 desimal, bukan 3.00001"
        ],
    }


def test_bridge_reports_a_broken_framework_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (FRAMEWORKS / "uji-level.toml").read_text()
    (tmp_path / "uji-level.toml").write_text(
        text.replace("max_level = 4", "max_level = 4\nwarna = 1")
    )
    monkeypatch.setenv("SPBE_FRAMEWORK_PATH", str(tmp_path))
    blank = '{"format": "spbe-assessment/1", "framework": "uji-level", "levels": {}}'
    answer = ask(f'{{"op": "score", "assessment": {blank}}}')
    assert answer["ok"] is False
    [problem] = answer["problems"]
    assert problem.startswith("uji-level.toml: warna: kunci tidak dikenal (yang dikenal: aspects,")
    assert "criteria_available" in problem  # optional keys are named too


def spbe(
    *args: str, stdin: str | None = None, path: Path = FRAMEWORKS
) -> subprocess.CompletedProcess[str]:
    return run_spbe(*args, stdin=stdin, env={"SPBE_FRAMEWORK_PATH": str(path)})


def test_cli_lists_the_frameworks() -> None:
    run = spbe("kerangka")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].split()[:4] == ["id", "nama", "periode", "indeks"]
    desimal = next(line for line in lines if line.startswith("uji-desimal"))
    assert "Uji Desimal" in desimal
    assert desimal.split()[-5:] == ["0", "3", "5", "desimal", "1–5"]
    assert any(line.startswith("permenpan-5-2018 (bawaan)") for line in lines)
    data = json.loads(spbe("kerangka", "--json").stdout)
    level = next(f for f in data if f["id"] == "uji-level")
    assert (level["domains"], level["aspects"], level["indicators"]) == (2, 3, 6)
    assert (level["min_level"], level["max_level"], level["value_kind"]) == (1, 4, "level")


def test_cli_template_for_a_named_framework_and_score_of_it() -> None:
    run = spbe("template", "--framework", "uji-desimal")
    assert run.returncode == 0, run.stderr
    blank = json.loads(run.stdout)
    assert (blank["framework"], blank["scheme"]) == ("uji-desimal", "utama")
    assert list(blank["levels"]) == ["1", "2", "3", "4", "5"]
    filled = json.dumps(blank | {"levels": {"1": 3.5, "2": None, "3": 4.25, "4": 2, "5": 1}})
    scored = spbe("score", "-", "--json", stdin=filled)
    assert scored.returncode == 0, scored.stderr
    data = json.loads(scored.stdout)
    expected = ORACLES["uji-desimal"].result(
        {"1": Fraction("3.5"), "3": Fraction("4.25"), "4": Fraction(2), "5": Fraction(1)}
    )
    assert Decimal(str(data["index"])) == expected["published"]
    assert data["domains"] == []
    assert data["missing"] == ["2"]
    table = spbe("score", "-", stdin=filled).stdout
    assert f"Indeks Uji Desimal : {expected['published']:.2f}".replace(".", ",") in table
    assert "  Aspek A1" not in table
    assert "Aspek A1" in table
    assert "Indikator yang belum diisi dihitung 1,00; hasilnya sementara." in table
    checked = spbe("validate", "-", stdin=filled)
    assert checked.stdout.strip() == "Berkas sah: 4 dari 5 butir terisi."


def test_cli_score_and_plan_for_a_level_framework() -> None:
    text = json.dumps(
        {"format": "spbe-assessment/1", "framework": "uji-level", "levels": {"1": 4, "6": 2}}
    )
    run = spbe("score", "-", stdin=text)
    assert run.returncode == 0, run.stderr
    assert "Indeks Uji" in run.stdout
    assert "Domain A" in run.stdout
    planned = spbe(
        "rencana", "-", "--target", "Tinggi", "--json", "--langkah-maks", "0", stdin=text
    )
    data = json.loads(planned.stdout)
    assert data["reachable"] is True
    assert data["index"] >= 3.25


@pytest.mark.parametrize(
    ("args", "stdin", "expected"),
    [
        (["template", "--framework", "tidak-ada"], None, "kerangka tidak dikenal: 'tidak-ada'"),
        (
            ["validate", "-"],
            '{"format": "spbe-assessment/1", "framework": "uji-level", "levels": {"1": 0}}',
            "levels.1: level harus bilangan bulat 1–4, bukan 0",
        ),
        (
            ["rencana", "-", "--target", "9"],
            '{"format": "spbe-assessment/1", "framework": "uji-level", "levels": {}}',
            "gunakan predikat (Tinggi, Sedang, Rendah) atau indeks 1–4",
        ),
    ],
)
def test_cli_refuses_bad_input_for_any_framework(
    args: list[str], stdin: str | None, expected: str
) -> None:
    run = spbe(*args, stdin=stdin)
    assert run.returncode == 2
    assert expected in run.stderr
    assert "Traceback" not in run.stderr


def test_cli_reports_a_broken_framework_file(tmp_path: Path) -> None:
    broken = (
        (FRAMEWORKS / "uji-level.toml")
        .read_text()
        .replace('summary = "Ringkasan indikator uji dua."\n', "")
    )
    (tmp_path / "uji-level.toml").write_text(broken)
    run = spbe("kerangka", path=tmp_path)
    assert run.returncode == 2
    assert (
        run.stderr.strip() == "spbe: uji-level.toml: indicators[1].summary: kunci wajib tidak ada"
    )


# --- the code holds no framework, and its public names are explicit -------------------------


def test_no_framework_id_level_bound_or_predikat_name_in_the_code() -> None:
    sources = {p.name: p.read_text() for p in (ROOT / "spbe_core").glob("*.py")}
    for framework_id in sorted({*spbe_core.available_frameworks(), *FILES}):
        framework = load_framework(framework_id)
        words = [
            framework.id,
            framework.slug,
            framework.index_name,
            *(b.name for b in framework.predikat),
        ]
        words += [s.id for s in framework.schemes]
        for name, text in sources.items():
            for word in words:
                assert f'"{word}"' not in text, (name, word)
                assert f"'{word}'" not in text, (name, word)
    for name, text in sources.items():
        for lo, hi in product(range(2), range(4, 6)):
            assert f"{lo}–{hi}" not in text, (name, f"{lo}–{hi}")


def test_every_public_looking_name_is_exported_once_or_private() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    entry_points = {tuple(target.split(":")) for target in scripts.values()}
    exported = spbe_core.__all__
    assert len(exported) == len(set(exported))
    for path in sorted((ROOT / "spbe_core").glob("_*.py")):
        module = f"spbe_core.{path.stem}"
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef | ast.ClassDef):
                continue
            for name in [node.name]:
                if name.startswith("_") or (module, name) in entry_points:
                    continue
                assert name in exported, f"{module}.{name}: export it or rename it _{name}"
                assert getattr(spbe_core, name) is getattr(sys.modules[module], name)
