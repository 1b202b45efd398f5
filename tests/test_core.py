"""spbe_core: framework data, exact scoring, rounding, predikat, explain, assessment files."""

from __future__ import annotations

import json
import re
import tomllib
from decimal import Decimal
from fractions import Fraction
from itertools import product
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import spbe_core
from spbe_core import (
    FrameworkError,
    InvalidAssessment,
    available_frameworks,
    explain,
    format_number,
    item_weight,
    load_framework,
    parse_assessment,
    predikat,
    publish,
    score,
)
from spbe_core._framework import parse_framework

CASES = Path(__file__).parent / "cases"
REFERENCE = Path(__file__).parents[2] / "shared" / "reference" / "permenpan-5-2018.md"
FW = load_framework("permenpan-5-2018")
SCHEMES = [s.id for s in FW.schemes]


def cases(name: str) -> list[dict[str, object]]:
    data: list[dict[str, object]] = tomllib.loads((CASES / f"{name}.toml").read_text())["cases"]
    return data


# --- framework data -------------------------------------------------------------------------


def test_structure_counts() -> None:
    assert [d.id for d in FW.domains] == ["1", "2", "3"]
    assert [a.id for a in FW.aspects] == [str(n) for n in range(1, 8)]
    assert [i.id for i in FW.indicators] == [str(n) for n in range(1, 36)]
    assert FW.item_ids == (*[str(n) for n in range(1, 35)], "35-1", "35-2", "35-3")
    assert SCHEMES == ["kuesioner-2018", "tabel-pedoman"]
    assert FW.default_scheme == "kuesioner-2018"


def test_every_item_in_exactly_one_aspect() -> None:
    owners = [item for aspect in FW.aspects for item in aspect.items]
    assert sorted(owners) == sorted(FW.item_ids)
    for indicator in FW.indicators:
        assert all(FW.item(i).aspect == indicator.aspect for i in indicator.items)


def test_every_indicator_has_full_guidance() -> None:
    for indicator in FW.indicators:
        assert len(indicator.criteria) == 6, indicator.id
        assert all(len(text) > 20 for text in indicator.criteria), indicator.id
        assert len(set(indicator.criteria)) == 6, f"{indicator.id}: levels must differ"
        assert all((indicator.evidence, indicator.summary, indicator.label)), indicator.id
        assert "<" not in "".join(indicator.criteria), "criteria are plain text, not HTML"
        assert indicator.model in {m.id for m in FW.models}
    models = {i.id: i.model for i in FW.indicators}
    assert {models[str(n)] for n in range(1, 25)} == {"kapabilitas-proses"}
    assert {models[str(n)] for n in range(25, 36)} == {"kapabilitas-fungsi-teknis"}


@pytest.mark.parametrize("scheme", SCHEMES)
def test_weights_are_exact_and_sum_to_one(scheme: str) -> None:
    weights = FW.scheme(scheme)
    assert sum(weights.items.values()) == 1
    assert sum(weights.aspects.values()) == 1
    assert sum(weights.domains.values()) == 1
    for aspect in FW.aspects:
        assert sum(weights.items[i] for i in aspect.items) == weights.aspects[aspect.id]
    assert [weights.domains[d] for d in "123"] == [
        Fraction(17, 100),
        Fraction(28, 100),
        Fraction(55, 100),
    ]


def test_scheme_differences() -> None:
    kuesioner, tabel = FW.scheme("kuesioner-2018"), FW.scheme("tabel-pedoman")
    assert (kuesioner.aspects["6"], kuesioner.aspects["7"]) == (
        Fraction(35, 100),
        Fraction(20, 100),
    )
    assert (tabel.aspects["6"], tabel.aspects["7"]) == (Fraction(33, 100), Fraction(22, 100))
    assert kuesioner.items["35-2"] == Fraction(20, 600)
    assert tabel.items["25"] == Fraction(33, 700)
    assert tabel.items["35-3"] == Fraction(22, 600)


def _reference_rows() -> list[tuple[str, str, str, str]]:
    text = REFERENCE.read_text(encoding="utf-8")
    section = text.split("### 1.2", 1)[1].split("###", 1)[0]
    rows = re.findall(r"^\| (\d+) \| (.+?) \| (\d) \| (.+?) \|$", section, flags=re.M)
    # The weight column is "1%", "3.333% (= 20%/6)" or "3 × 3.333% = 10%": take the total.
    return [
        (n, name, a, re.findall(r"([\d.]+)%", w)[-1 if "=" in w and "×" in w else 0])
        for n, name, a, w in rows
    ]


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared reference not present")
def test_names_aspects_and_weights_match_reference() -> None:
    rows = _reference_rows()
    assert len(rows) == 35
    weights = FW.scheme("kuesioner-2018")
    for number, name, aspect, percent in rows:
        indicator = FW.indicator(number)
        official = re.sub(r"\s*\(sic.*\)$", "", name).replace(" (3 sistem: 35-1, 35-2, 35-3)", "")
        assert indicator.name == official
        assert indicator.aspect == aspect
        total = sum(weights.items[i] for i in indicator.items) * 100
        assert abs(total - Fraction(percent)) < Fraction(1, 100) * len(indicator.items)


def _mutated(old: str, new: str) -> str:
    source = (Path(spbe_core.__file__).parent / "frameworks" / "permenpan-5-2018.toml").read_text()
    assert old in source
    return source.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('"6" = 35\n', '"6" = 36\n', "bukan 100"),
        ('"25" = 5\n', '"25" = 6\n', "bukan 35"),
        ('"32" = "10/3"', '"32" = 3.3333', "bilangan bulat atau teks pecahan"),
        ('aspect = "7"', 'aspect = "9"', "tidak dikenal"),
        ('default_scheme = "kuesioner-2018"', 'default_scheme = "x"', "tidak dikenal"),
        ('min = "1.80"', 'min = "4.50"', "urut"),
    ],
)
def test_inconsistent_framework_is_refused(old: str, new: str, message: str) -> None:
    with pytest.raises((FrameworkError, KeyError), match=message):
        parse_framework(_mutated(old, new))


# --- rounding, formatting, predikat -----------------------------------------------------------


@pytest.mark.parametrize("case", cases("rounding"), ids=lambda c: str(c["value"]))
def test_half_up_rounding(case: dict[str, str]) -> None:
    value = Fraction(case["value"])
    assert publish(value) == Decimal(case["published"])
    assert format_number(value) == case["text"]


@pytest.mark.parametrize("case", cases("predikat"), ids=lambda c: str(c["index"]))
def test_predikat_bands(case: dict[str, str]) -> None:
    assert predikat(FW, Decimal(case["index"])) == case["predikat"]


def _levels_reaching(target_units: int, weights: dict[str, int]) -> dict[str, int]:
    """Some levels whose index is exactly target_units/300 (weights in 1/300 units)."""
    reachable: dict[int, dict[str, int]] = {0: {}}
    for item, weight in weights.items():
        step: dict[int, dict[str, int]] = {}
        for total, levels in reachable.items():
            for level in range(6):
                step.setdefault(total + level * weight, {**levels, item: level})
        reachable = {k: v for k, v in step.items() if k <= target_units}
    return reachable[target_units]


@pytest.mark.parametrize("case", cases("predikat"), ids=lambda c: str(c["index"]))
def test_predikat_through_scoring(case: dict[str, str]) -> None:
    weights = FW.scheme("kuesioner-2018").items
    units = {i: int(w * 300) for i, w in weights.items()}
    assert all(Fraction(u, 300) == weights[i] for i, u in units.items())
    levels = _levels_reaching(int(Decimal(case["index"]) * 300), units)
    result = score(FW, levels)
    assert result.published == Decimal(case["index"])
    assert result.predikat == case["predikat"]


def test_rounding_just_below_a_boundary_keeps_lower_predikat() -> None:
    # 1.795 rounds to 1.80 (Cukup) but 1.7933... rounds to 1.79 (Kurang).
    weights = {i: int(w * 300) for i, w in FW.scheme("kuesioner-2018").items.items()}
    high = score(FW, _levels_reaching(int(Fraction("1.795") * 300 + 1), weights))
    low = score(FW, _levels_reaching(538, weights))
    assert (high.published, high.predikat) == (Decimal("1.80"), "Cukup")
    assert (low.published, low.predikat) == (Decimal("1.79"), "Kurang")


# --- scoring ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("scheme", "level"), list(product(SCHEMES, range(6))))
def test_all_items_at_level_n_give_n_everywhere(scheme: str, level: int) -> None:
    result = score(FW, dict.fromkeys(FW.item_ids, level), scheme)
    assert result.index == level
    assert all(f.value == level for f in (*result.domains, *result.aspects))
    assert result.complete
    assert result.missing == ()


def test_domain_published_from_unrounded_aspects() -> None:
    # Domain Tata Kelola = 64/28 = 2.2857 -> 2.29 (reference §2.2); no intermediate rounding.
    levels = dict.fromkeys(FW.item_ids, 0) | {
        "18": 3,
        "19": 3,
        "20": 3,
        "21": 2,
        "22": 2,
        "23": 2,
        "24": 1,
    }
    domain = score(FW, levels).domains[1]
    assert domain.value == Fraction(64, 28)
    assert domain.published == Decimal("2.29")


def test_schemes_give_different_results_for_layanan() -> None:
    levels = dict.fromkeys(FW.item_ids, 0) | {"25": 5}
    assert score(FW, levels, "kuesioner-2018").index == Fraction(25, 100)
    assert score(FW, levels, "tabel-pedoman").index == Fraction(33, 700) * 5


def test_partial_assessment_lists_missing_items_and_counts_them_as_zero() -> None:
    levels = dict.fromkeys(FW.item_ids, 4)
    del levels["12"], levels["35-2"]
    result = score(FW, levels)
    assert not result.complete
    assert result.missing == ("12", "35-2")
    assert result.index == score(FW, levels | {"12": 0, "35-2": 0}).index


def test_result_json_shape() -> None:
    data = score(FW, {"1": 3}).to_dict()
    assert list(data) == [
        "framework",
        "scheme",
        "index",
        "predikat",
        "complete",
        "missing",
        "domains",
        "aspects",
    ]
    assert data["domains"][0] == {"id": "1", "name": "Kebijakan Internal SPBE", "index": 0.18}
    assert list(data["aspects"][0]) == ["id", "name", "domain", "index"]
    assert len(data["missing"]) == 36


def test_bad_levels_are_refused_by_the_api() -> None:
    with pytest.raises(KeyError):
        score(FW, {"36": 1})
    with pytest.raises(ValueError, match="bukan 7"):
        score(FW, {"5": 7})
    with pytest.raises(KeyError):
        score(FW, {}, "tidak-ada")


levels_strategy = st.dictionaries(st.sampled_from(FW.item_ids), st.integers(0, 5))


@given(levels_strategy, st.sampled_from(SCHEMES))
def test_index_stays_in_range_and_equals_weighted_sum(levels: dict[str, int], scheme: str) -> None:
    result = score(FW, levels, scheme)
    weights = FW.scheme(scheme)
    assert 0 <= result.index <= 5
    assert result.index == sum(weights.items[i] * v for i, v in levels.items())
    # The aspect -> domain -> index chain agrees with the direct sum.
    chain = sum(
        weights.domains[d.id]
        * sum(weights.aspects[a.id] * a.value for a in result.aspects if a.domain == d.id)
        / weights.domains[d.id]
        for d in result.domains
    )
    assert chain == result.index
    assert sum(weights.domains[d.id] * d.value for d in result.domains) == result.index
    assert sum(c.contribution for c in explain(FW, levels, scheme)) == result.index


@given(levels_strategy, st.sampled_from(FW.item_ids), st.sampled_from(SCHEMES))
def test_raising_a_level_never_lowers_any_figure(
    levels: dict[str, int], item: str, scheme: str
) -> None:
    current = levels.get(item, 0)
    if current == 5:
        return
    before = score(FW, levels, scheme)
    after = score(FW, levels | {item: current + 1}, scheme)
    assert after.index - before.index == item_weight(FW, item, scheme)
    for old, new in zip(
        (*before.domains, *before.aspects), (*after.domains, *after.aspects), strict=True
    ):
        assert new.value >= old.value
    assert after.published >= before.published


def test_explain_gain_is_item_weight_and_zero_at_top() -> None:
    contributions = {c.item: c for c in explain(FW, {"25": 5, "1": 2})}
    assert contributions["25"].gain_next_level == 0
    assert contributions["25"].contribution == Fraction(25, 100)
    assert contributions["1"].gain_next_level == Fraction(1, 100)
    assert contributions["35-1"].level is None
    assert contributions["35-1"].gain_next_level == Fraction(1, 30)


# --- assessment files -------------------------------------------------------------------------


@pytest.mark.parametrize("case", cases("invalid"), ids=lambda c: str(c["name"]))
def test_invalid_assessments_report_every_problem(case: dict[str, object]) -> None:
    with pytest.raises(InvalidAssessment) as caught:
        parse_assessment(str(case["text"]))
    available = ", ".join(available_frameworks())
    expected = [str(p).replace("{available}", available) for p in case["problems"]]  # type: ignore[attr-defined]
    assert [str(p) for p in caught.value.problems] == expected


def test_size_and_encoding_limits() -> None:
    big = '{"format": "spbe-assessment/1", "x": "' + "a" * 1_000_001 + '"}'
    with pytest.raises(InvalidAssessment, match="terlalu besar"):
        parse_assessment(big)
    with pytest.raises(InvalidAssessment, match="bukan teks UTF-8"):
        parse_assessment(b'{"format": "\xff"}')
    with pytest.raises(InvalidAssessment, match="bukan berkas JSON"):
        parse_assessment("[" * 100_000)


def test_valid_assessment_round_trips() -> None:
    text = json.dumps(
        {
            "format": "spbe-assessment/1",
            "framework": "permenpan-5-2018",
            "scheme": "tabel-pedoman",
            "instansi": "  <b>Kota</b> Contoh ",
            "tahun": 2018,
            "levels": {"35-3": 3, "1": 1, "2": None},
        }
    )
    assessment = parse_assessment(("\ufeff" + text).encode())  # a BOM is tolerated
    assert assessment.instansi == "<b>Kota</b> Contoh"
    assert dict(assessment.levels) == {"35-3": 3, "1": 1}
    data = assessment.to_dict()
    assert data["format"] == "spbe-assessment/1"
    assert list(data["levels"]) == ["1", "35-3"]
    assert parse_assessment(json.dumps(data)) == assessment


def test_format_2_round_trips() -> None:
    data = {
        "format": "spbe-assessment/2",
        "framework": "permenpan-5-2018",
        "levels": {"1": 2},
        "verifikasi": {"1": 1},
        "catatan": {"1": "SK belum ditandatangani"},
        "tindak_lanjut": {
            "1": {
                "rekomendasi": "Tetapkan SK",
                "unit": "Bagian Hukum",
                "tenggat": "2019-06-30",
                "status": "proses",
            }
        },
    }
    assessment = parse_assessment(json.dumps(data))
    assert assessment.tindak_lanjut["1"].unit == "Bagian Hukum"
    assert assessment.to_dict() == data


def test_public_api_is_small_and_explicit() -> None:
    assert sorted(spbe_core.__all__) == spbe_core.__all__
    for name in spbe_core.__all__:
        assert hasattr(spbe_core, name)
    assert not any(name.startswith("_") for name in spbe_core.__all__)


def test_a_new_indicator_is_a_data_change() -> None:
    extra = """
[[indicators]]
id = "36"
aspect = "5"
name = "Indikator Percobaan"
label = "Percobaan"
model = "kapabilitas-proses"
summary = "Hanya untuk tes."
criteria = ["nol nol nol nol nol", "satu satu satu satu", "dua dua dua dua dua",
            "tiga tiga tiga tiga", "empat empat empat empat", "lima lima lima lima"]
evidence = ["bukti"]
"""
    source = _mutated('"24" = 4\n', '"24" = 2\n"36" = 2\n') + extra
    framework = parse_framework(source)
    assert framework.item_ids[-2:] == ("35-3", "36")
    assert framework.aspect("5").items == ("22", "23", "24", "36")
    assert score(framework, {"36": 5}).index == Fraction(2, 100) * 5
    assert score(framework, {"36": 5}, "tabel-pedoman").index == Fraction(12, 400) * 5


def test_hostile_text_is_refused_with_its_location() -> None:
    """Text as the calculator passes it: a literal lone surrogate, a JSON escape of one, a
    number past int()'s digit limit, an endless exponent, deep nesting: each a located problem."""
    base = '{"format": "spbe-assessment/1", "framework": "permenpan-5-2018", '
    cases = {
        base + '"instansi": "\ud800", "levels": {}}': "surrogate tunggal) di baris 1, kolom 7",
        base + '"instansi": "\\udc00", "levels": {}}': "surrogate tunggal) di baris 1, kolom 7",
        base + '"levels": {"1": ' + "9" * 5000 + "}}": "angka terlalu panjang",
        base + '"levels": {"1": 3e-99999}}': "angka terlalu panjang atau terlalu besar",
        "\n" + "[" * 33 + "]" * 33: "bersarang terlalu dalam (lebih dari 32 tingkat) di baris 2",
        # 500,001 characters of two bytes each: the limit counts bytes, not characters
        '"' + "é" * 500_001 + '"': "berkas terlalu besar (lebih dari 1 MB)",
    }
    for text, expected in cases.items():
        with pytest.raises(InvalidAssessment) as caught:
            parse_assessment(text)
        assert expected in str(caught.value), text[:80]
    # a correct surrogate pair is an ordinary character, and 32 levels of nesting are fine
    pair = parse_assessment(base + '"instansi": "\\ud83d\\ude00", "levels": {"1": 3}}')
    assert pair.instansi == "\U0001f600"
    with pytest.raises(InvalidAssessment, match="isi berkas harus objek"):
        parse_assessment("[" * 32 + "]" * 32)
