"""The 59/2020 and 8/2026 framework data files, checked against the reference facts.

The checks read the TOML with tomllib, not with the loader, so they hold whatever the loader
does; only the last tests load the files through spbe_core. Where a check compares with the
reference text itself, it is skipped when ../shared/reference is not present.
"""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import spbe_core
from spbe_core._framework import parse_framework

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORKS = ROOT / "spbe_core" / "frameworks"
REFERENCE = ROOT.parent / "shared" / "reference"
REF_59 = REFERENCE / "permenpan-59-2020.md"
REF_8 = REFERENCE / "permenpan-8-2026.md"
F59 = "permenpan-59-2020"
F8 = "permenpan-8-2026"
NEW = (F59, F8)

# Reference tables, written out here so that they are checked even without the reference files.
# 59/2020: aspect -> (domain, indicators, percent of the index per indicator).
STRUCTURE_59 = {
    "1": ("1", range(1, 11), Fraction(13, 10)),
    "2": ("2", range(11, 15), Fraction(5, 2)),
    "3": ("2", range(15, 19), Fraction(5, 2)),
    "4": ("2", range(19, 21), Fraction(5, 2)),
    "5": ("3", range(21, 29), Fraction(3, 2)),
    "6": ("3", range(29, 32), Fraction(3, 2)),
    "7": ("4", range(32, 42), Fraction(11, 4)),
    "8": ("4", range(42, 48), Fraction(3)),
}
DOMAINS_59 = {"1": 13, "2": 25, "3": Fraction(33, 2), "4": Fraction(91, 2)}
# 8/2026 (Tabel 1): aspect -> its indicators' weights in percent, in order.
WEIGHTS_8 = {
    "1": [5, 5],
    "2": [5, 5],
    "3": [5, 3, 3, 4],
    "4": [4, 4, 3, 4],
    "5": [5, 5],
    "6": [4, 4, 4, 3],
    "7": [10, 15],
}
PREDIKAT_59 = [
    ("Memuaskan", "4.20"),
    ("Sangat Baik", "3.50"),
    ("Baik", "2.60"),
    ("Cukup", "1.80"),
    ("Kurang", "0"),
]
PREDIKAT_8 = [
    ("Memuaskan", "4.00"),
    ("Sangat Baik", "3.50"),
    ("Baik", "2.50"),
    ("Cukup", "1.50"),
    ("Kurang", "1.00"),
]
SOURCE_INDEX_8 = {"5", "6", "7", "18"}


@cache
def data(framework_id: str) -> dict[str, Any]:
    with (FRAMEWORKS / f"{framework_id}.toml").open("rb") as file:
        return tomllib.load(file)


def indicators(framework_id: str) -> dict[str, dict[str, Any]]:
    return {i["id"]: i for i in data(framework_id)["indicators"]}


def scheme(framework_id: str) -> dict[str, Any]:
    schemes = data(framework_id)["schemes"]
    assert len(schemes) == 1
    return schemes[0]


def test_new_frameworks_are_shipped() -> None:
    assert set(NEW) <= set(spbe_core.available_frameworks())
    for framework_id, slug in ((F59, "59-2020"), (F8, "8-2026")):
        assert data(framework_id)["id"] == framework_id
        assert data(framework_id)["slug"] == slug
        assert data(framework_id)["schema"] == "spbe-framework/1"


def test_identity_and_scale() -> None:
    d59, d8 = data(F59), data(F8)
    assert (d59["short_name"], d59["index_name"], d59["value_kind"]) == (
        "Permenpan RB 59/2020",
        "Indeks SPBE",
        "level",
    )
    assert (d8["short_name"], d8["index_name"], d8["value_kind"]) == (
        "PermenPANRB 8/2026",
        "Indeks Pemdi",
        "decimal",
    )
    for d in (d59, d8):
        assert (d["min_level"], d["max_level"]) == (1, 5)
        assert d["default_scheme"] == scheme(d["id"])["id"]
        # An empty item counts as the lowest level, and the text says the index is provisional.
        assert d["partial"]["empty_value"] == d["min_level"]
        assert "1" in d["partial"]["text"]
        assert "sementara" in d["partial"]["text"]


def test_structure_59() -> None:
    d = data(F59)
    assert [x["id"] for x in d["domains"]] == ["1", "2", "3", "4"]
    assert {a["id"]: a["domain"] for a in d["aspects"]} == {
        aspect: domain for aspect, (domain, _, _) in STRUCTURE_59.items()
    }
    assert len(d["indicators"]) == 47
    for aspect, (_, members, _) in STRUCTURE_59.items():
        assert [i["id"] for i in d["indicators"] if i["aspect"] == aspect] == [
            str(n) for n in members
        ]


def test_structure_8() -> None:
    d = data(F8)
    assert "domains" not in d
    assert [a["id"] for a in d["aspects"]] == list(WEIGHTS_8)
    assert all("domain" not in a for a in d["aspects"])
    assert len(d["indicators"]) == 20
    assert [i["id"] for i in d["indicators"]] == [str(n) for n in range(1, 21)]
    numbers = [
        f"{aspect}.{k}" for aspect, weights in WEIGHTS_8.items() for k in range(1, len(weights) + 1)
    ]
    assert [i["number"] for i in d["indicators"]] == numbers
    assert [i["aspect"] for i in d["indicators"]] == [n.split(".")[0] for n in numbers]


def test_weights_59() -> None:
    s = scheme(F59)
    assert "items" not in s  # equal within an aspect
    percent = {k: Fraction(v) for k, v in s["aspects"].items()}
    assert sum(percent.values()) == 100
    for aspect, (_, members, per_indicator) in STRUCTURE_59.items():
        assert percent[aspect] / len(members) == per_indicator
    domain_sums: dict[str, Fraction] = {}
    for aspect, (domain, _, _) in STRUCTURE_59.items():
        domain_sums[domain] = domain_sums.get(domain, Fraction(0)) + percent[aspect]
    assert domain_sums == DOMAINS_59


def test_weights_8() -> None:
    s = scheme(F8)
    aspects = {k: Fraction(v) for k, v in s["aspects"].items()}
    items = {k: Fraction(v) for k, v in s["items"].items()}
    assert sum(aspects.values()) == 100
    assert sum(items.values()) == 100
    expected = [w for weights in WEIGHTS_8.values() for w in weights]
    assert [items[str(n)] for n in range(1, 21)] == expected
    for aspect, weights in WEIGHTS_8.items():
        assert aspects[aspect] == sum(weights)
        own = [items[i["id"]] for i in data(F8)["indicators"] if i["aspect"] == aspect]
        assert own == weights


@pytest.mark.parametrize(("framework_id", "bands"), [(F59, PREDIKAT_59), (F8, PREDIKAT_8)])
def test_predikat(framework_id: str, bands: list[tuple[str, str]]) -> None:
    got = [(p["name"], Decimal(p["min"])) for p in data(framework_id)["predikat"]]
    assert got == [(name, Decimal(low)) for name, low in bands]


def test_criteria_and_models_59() -> None:
    d = data(F59)
    models = {m["id"]: m for m in d["models"]}
    assert all(len(m["level_names"]) == 5 for m in models.values())
    for indicator in d["indicators"]:
        assert len(indicator["criteria"]) == 5, indicator["id"]
        assert all(c.strip() for c in indicator["criteria"])
        assert indicator["evidence"], indicator["id"]
        assert indicator["summary"].strip()
        expected = (
            "kapabilitas-proses" if int(indicator["id"]) <= 31 else "kapabilitas-fungsi-teknis"
        )
        assert indicator["model"] == expected
    assert "kriteria tingkat 2" in indicators(F59)["3"]["note"]  # the odd level order is noted


def test_no_criteria_8() -> None:
    d = data(F8)
    assert d["criteria_available"] is False
    assert [m.get("level_names") for m in d["models"]] == [None]
    assert "belum tersedia" in d["models"][0]["description"]
    for indicator in d["indicators"]:
        assert "criteria" not in indicator
        assert indicator["model"] == d["models"][0]["id"]


def test_source_index_8() -> None:
    for id_, indicator in indicators(F8).items():
        assert ("source_index" in indicator) == (id_ in SOURCE_INDEX_8), id_
        if id_ in SOURCE_INDEX_8:
            assert "dianggap 1" in indicator["note"]


def test_summaries_8_state_aspect_and_weight() -> None:
    aspects = {a["id"]: a["name"] for a in data(F8)["aspects"]}
    weights = scheme(F8)["items"]
    for id_, indicator in indicators(F8).items():
        summary = indicator["summary"]
        assert summary.endswith(".")
        assert re.sub(r"\d\.\d", "", summary).count(".") == 1  # one sentence
        assert summary.startswith(f"Indikator {indicator['number']} ")
        assert ("diambil dari" in summary) == (id_ in SOURCE_INDEX_8)
        assert f"Aspek {aspects[indicator['aspect']]}" in summary
        assert f"berbobot {weights[id_]}%" in summary


@pytest.mark.parametrize("framework_id", NEW)
def test_continues_targets_exist(framework_id: str) -> None:
    links = 0
    for indicator in data(framework_id)["indicators"]:
        for link in indicator.get("continues", []):
            target_framework, target = link.split(":")
            assert target_framework != framework_id
            assert (FRAMEWORKS / f"{target_framework}.toml").exists(), link
            assert target in indicators(target_framework), link
            links += 1
    assert links > 0


def test_continues_match_reference_links() -> None:
    def links(framework_id: str) -> set[tuple[str, str]]:
        return {
            (link, indicator["id"])
            for indicator in data(framework_id)["indicators"]
            for link in indicator.get("continues", [])
        }

    assert links(F59) == {
        ("permenpan-5-2018:18", "19"),
        ("permenpan-5-2018:35", "45"),
        ("permenpan-5-2018:35", "46"),
        ("permenpan-5-2018:35", "47"),
    }
    old_to_new = {"14": "15", "7": "16", "18": "16", "8": "10", "22": "10", "25": "3"}
    old_to_new |= {"5": "14", "6": "14", "16": "14", "17": "14", "4": "13", "15": "13"}
    assert links(F8) == {(f"{F59}:{old}", new) for old, new in old_to_new.items()}


# --- Comparisons with the reference text (skipped when it is absent) ---


def _reference_59() -> dict[str, dict[str, Any]]:
    text = "\n" + REF_59.read_text(encoding="utf-8").split("\n## Indicators\n", 1)[1]
    out: dict[str, dict[str, Any]] = {}
    for block in text.split("\n### Indikator ")[1:]:
        head, body = block.split("\n", 1)
        number, name = head.split(": ", 1)
        weight = re.search(r"bobot indikator: (\S+) %", body)
        assert weight
        criteria = re.findall(r"^  \d\. (.+)$", body, flags=re.M)
        out[number] = {"name": name.strip(), "weight": Fraction(weight[1]), "criteria": criteria}
    return out


def _reference_8() -> list[tuple[str, str, int]]:
    text = REF_8.read_text(encoding="utf-8")
    table = text.split("## Structure and weights", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\|[^|]*\|[^|]*\| (\d+) \| (.+?) \| (\d+) \|$", table, flags=re.M)
    return [(number, name, int(weight)) for number, name, weight in rows]


needs_reference = pytest.mark.skipif(
    not (REF_59.exists() and REF_8.exists()), reason="shared reference not present"
)


@needs_reference
def test_names_and_weights_match_reference_59() -> None:
    reference = _reference_59()
    assert len(reference) == 47
    s = scheme(F59)
    for id_, indicator in indicators(F59).items():
        assert indicator["name"] == reference[id_]["name"]
        members = len(STRUCTURE_59[indicator["aspect"]][1])
        assert Fraction(s["aspects"][indicator["aspect"]]) / members == reference[id_]["weight"]


@needs_reference
def test_criteria_match_reference_except_noted_typos_59() -> None:
    reference = _reference_59()
    for id_, indicator in indicators(F59).items():
        transcribed = [re.sub(r"/ (?=\w)", "/", c) for c in reference[id_]["criteria"]]
        changed = indicator["criteria"] != transcribed
        assert changed == ("salah ketik transkripsi" in indicator.get("note", "")), id_


@needs_reference
def test_aliases_are_reference_wordings() -> None:
    for framework_id, reference in ((F59, REF_59), (F8, REF_8)):
        text = reference.read_text(encoding="utf-8")
        for indicator in data(framework_id)["indicators"]:
            for alias in indicator.get("aliases", []):
                assert alias != indicator["name"]
                assert alias in text, (framework_id, alias)
    assert {k for k, i in indicators(F8).items() if "aliases" in i} == {"2", "6", "15", "20"}


@needs_reference
def test_names_and_weights_match_reference_8() -> None:
    rows = _reference_8()
    assert len(rows) == 20
    items = scheme(F8)["items"]
    for number, name, weight in rows:
        assert indicators(F8)[number]["name"] == name
        assert items[number] == weight


# --- Through the loader ---


def test_59_loads_with_the_loader() -> None:
    framework = parse_framework((FRAMEWORKS / f"{F59}.toml").read_text(encoding="utf-8"))
    assert (len(framework.domains), len(framework.aspects), len(framework.indicators)) == (4, 8, 47)
    weights = framework.scheme()
    assert sum(weights.items.values()) == 1
    assert weights.items["1"] == Fraction(13, 1000)
    assert weights.items["47"] == Fraction(3, 100)
    assert {k: v * 100 for k, v in weights.domains.items()} == DOMAINS_59
    assert framework.partial.empty_value == 1


def test_8_loads_with_the_loader() -> None:
    framework = parse_framework((FRAMEWORKS / f"{F8}.toml").read_text(encoding="utf-8"))
    assert (len(framework.domains), len(framework.aspects), len(framework.indicators)) == (0, 7, 20)
    assert framework.scheme().items["20"] == Fraction(15, 100)
