"""Framework data files: every key checked with a located message, discovery and the default."""

from __future__ import annotations

from pathlib import Path

import pytest

import spbe_core
from spbe_core import (
    FrameworkError,
    available_frameworks,
    default_framework,
    load_framework,
    parse_framework,
)

FRAMEWORKS = Path(__file__).parent / "frameworks"
SHIPPED = Path(spbe_core.__file__).parent / "frameworks"
LEVEL = (FRAMEWORKS / "uji-level.toml").read_text()
DECIMAL = (FRAMEWORKS / "uji-desimal.toml").read_text()


def mutated(source: str, old: str, new: str) -> str:
    assert old in source, old
    return source.replace(old, new, 1)


@pytest.fixture
def test_frameworks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPBE_FRAMEWORK_PATH", str(FRAMEWORKS))


def test_test_frameworks_are_found_through_the_path_variable(test_frameworks: None) -> None:
    assert {"uji-level", "uji-desimal"} <= set(available_frameworks())
    level, decimal = load_framework("uji-level"), load_framework("uji-desimal")
    assert (level.min_level, level.max_level, level.value_kind) == (1, 4, "level")
    assert [d.id for d in level.domains] == ["A", "B"]
    assert level.models[0].level_names == ("Awal", "Berkembang", "Mapan", "Unggul")
    assert (decimal.min_level, decimal.max_level, decimal.value_kind) == (1, 5, "decimal")
    assert decimal.decimal
    assert not level.decimal
    assert decimal.domains == ()
    assert {a.domain for a in decimal.aspects} == {""}
    assert decimal.aspect("A3").label == "Aspek Uji Ketiga"  # label defaults to the name
    assert not decimal.criteria_available
    assert all(i.criteria == () for i in decimal.indicators)
    assert decimal.models[0].level_names == ()
    one = decimal.indicator("1")
    assert (one.number, one.aliases, one.continues) == (
        "1.1",
        ("Indikator Satu (nama lama)",),
        ("uji-level:1",),
    )
    assert decimal.indicator("2").source_index == "Indeks instansi lain"
    assert decimal.scheme().items["4"] * 300 == 70
    # The default comes from the data, not from the extra folder.
    assert default_framework().id == "permenpan-5-2018"


def test_without_the_path_variable_only_shipped_frameworks_exist(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SPBE_FRAMEWORK_PATH", raising=False)
    shipped = sorted(p.stem for p in SHIPPED.glob("*.toml") if not p.name.startswith("_"))
    assert list(available_frameworks()) == shipped
    with pytest.raises(KeyError, match="kerangka tidak dikenal: 'uji-level'"):
        load_framework("uji-level")


def test_exactly_one_shipped_framework_is_the_default() -> None:
    marked = [p.stem for p in SHIPPED.glob("*.toml") if "\ndefault = true\n" in p.read_text()]
    assert marked == [load_framework().id]
    assert load_framework() is load_framework(marked[0])


def test_a_second_default_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "uji-level.toml").write_text(
        mutated(LEVEL, "\nmin_level", "\ndefault = true\nmin_level")
    )
    monkeypatch.setenv("SPBE_FRAMEWORK_PATH", str(tmp_path))
    with pytest.raises(FrameworkError, match="tepat satu kerangka harus bertanda default = true"):
        load_framework()


def test_file_name_must_be_the_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lain.toml").write_text(LEVEL)
    monkeypatch.setenv("SPBE_FRAMEWORK_PATH", str(tmp_path))
    with pytest.raises(FrameworkError, match=r"lain.toml: id: harus sama dengan nama berkas"):
        load_framework("lain")


def test_path_variable_problems_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPBE_FRAMEWORK_PATH", str(tmp_path / "tidak-ada"))
    with pytest.raises(FrameworkError, match=r"SPBE_FRAMEWORK_PATH: .*tidak-ada bukan folder"):
        available_frameworks()
    (tmp_path / "permenpan-5-2018.toml").write_text(LEVEL)
    monkeypatch.setenv("SPBE_FRAMEWORK_PATH", str(tmp_path))
    with pytest.raises(FrameworkError, match="kerangka 'permenpan-5-2018' sudah ada"):
        available_frameworks()


@pytest.mark.parametrize(
    ("source", "old", "new", "message"),
    [
        # unknown keys, at every level
        (LEVEL, "slug =", "slag = 1\nslug =", "slag: kunci tidak dikenal (yang dikenal: "),
        (LEVEL, "empty_value = 1", "empty_value = 1\nempty = 2", "partial.empty: kunci tidak"),
        (
            LEVEL,
            'label = "Uji tiga"',
            'label = "Uji tiga"\nlabl = "x"',
            "indicators[2].labl: kunci",
        ),
        (LEVEL, 'name = "Tinggi"', 'name = "Tinggi"\nwarna = "merah"', "predikat[0].warna: kunci"),
        (LEVEL, '"6" = 25', '"6" = 25\n"7" = 0', "schemes[0].items.7: kunci tidak dikenal"),
        (LEVEL, '"3" = 50\n', '"3" = 50\n"4" = 0\n', "schemes[0].aspects.4: kunci tidak dikenal"),
        (LEVEL, 'id = "B"\n', 'id = "B"\nkode = 2\n', "domains[1].kode: kunci tidak dikenal"),
        # missing keys
        (
            LEVEL,
            'summary = "Ringkasan indikator uji empat."',
            "",
            "indicators[3].summary: kunci wajib",
        ),
        (LEVEL, 'index_name = "Indeks Uji"', "", "uji-level.toml: index_name: kunci wajib tidak"),
        (LEVEL, "[partial]\nempty_value = 1\n", "[partial]\n", "partial.empty_value: kunci wajib"),
        (LEVEL, '"5" = 15\n', "", "schemes[0].items.5: kunci wajib tidak ada"),
        (LEVEL, 'id = "3"\ndomain = "B"\n', 'id = "3"\n', "aspects[2].domain: kunci wajib"),
        # wrong types and values
        (LEVEL, "min_level = 1", 'min_level = "1"', "min_level: harus bilangan bulat"),
        (LEVEL, "max_level = 4", "max_level = 1", "max_level: harus lebih besar dari min_level"),
        (LEVEL, 'value_kind = "level"', 'value_kind = "bulat"', "value_kind: harus 'level' atau"),
        (
            LEVEL,
            "empty_value = 1",
            "empty_value = 0",
            "partial.empty_value: harus di antara 1 dan 4",
        ),
        (
            LEVEL,
            'evidence = ["Dokumen uji dua"]',
            'evidence = "x"',
            "indicators[1].evidence: harus",
        ),
        (LEVEL, 'name = "Aspek Uji Dua"', "name = 2", "aspects[1].name: harus teks"),
        (
            LEVEL,
            '"Unggul"]\n',
            '"Unggul", "Istimewa"]\n',
            "models[0].level_names: harus 4 teks, satu per level 1–4, bukan 5",
        ),
        (
            LEVEL,
            '"Dua: unggul."]',
            '"Dua: unggul.", "Dua: lebih."]',
            "indicators[1].criteria: harus 4 teks, satu per level 1–4, bukan 5",
        ),
        (
            LEVEL,
            'min = "1"',
            'min = "1.5"',
            "predikat[2].min: predikat terendah harus mulai dari 1 atau di bawahnya",
        ),
        (
            LEVEL,
            'min = "3.25"',
            'min = "4.5"',
            'predikat[0].min: harus teks angka 0–4, mis. "2.60"',
        ),
        (
            LEVEL,
            'min = "2.10"\n\n[[predikat]]\nname = "Rendah"\nmin = "1"',
            'min = "1"\n\n[[predikat]]\nname = "Rendah"\nmin = "0"',
            "predikat[1].min: harus di atas 1: hanya predikat terendah yang mencakup level 1",
        ),
        (LEVEL, 'min = "3.25"', "min = 3.25", "predikat[0].min: harus teks"),
        (LEVEL, 'min = "2.10"', 'min = "3.50"', "predikat: harus urut"),
        (LEVEL, 'name = "Sedang"', 'name = "Tinggi"', "predikat[1].name: predikat 'Tinggi' sudah"),
        (
            LEVEL,
            'model = "proses"',
            'model = "fungsi"',
            "indicators[0].model: model 'fungsi' tidak",
        ),
        (LEVEL, 'id = "2"\naspect = "1"', 'id = "1"\naspect = "1"', "indicators[1].id: indikator"),
        (LEVEL, 'aspect = "3"', 'aspect = "9"', "indicators[3].aspect: aspek '9' tidak dikenal"),
        (LEVEL, 'domain = "B"', 'domain = "C"', "aspects[2].domain: domain 'C' tidak dikenal"),
        (LEVEL, '"1" = 30', '"1" = 31', "schemes[0].aspects: bobot aspek berjumlah 101, bukan 100"),
        (LEVEL, '"1" = 20', '"1" = 21', "schemes[0].items: bobot butir aspek 1 berjumlah 31"),
        (LEVEL, '"2" = 10', '"2" = 0', "schemes[0].items.2: bobot harus lebih dari 0"),
        (LEVEL, '"2" = 10', '"2" = 10.0', "schemes[0].items.2: bobot harus bilangan bulat"),
        (LEVEL, 'default_scheme = "utama"', 'default_scheme = "x"', "default_scheme: skema 'x'"),
        (LEVEL, "\nmin_level", '\ncriteria_available = "tidak"\nmin_level', "harus true atau"),
        # a framework without domains
        (DECIMAL, 'id = "A2"\n', 'id = "A2"\ndomain = "X"\n', "aspects[1].domain: tidak boleh ada"),
        (
            DECIMAL,
            'evidence = ["Dokumen desimal tiga"]',
            'evidence = ["x"]\ncriteria = ["a"]',
            "indicators[2].criteria: tidak boleh ada: kerangka ini criteria_available = false",
        ),
        (DECIMAL, "criteria_available = false\n", "", "indicators[0].criteria: kunci wajib"),
        (DECIMAL, '"uji-level:1"', '"uji-level"', "indicators[0].continues: 'uji-level': harus"),
        (
            DECIMAL,
            'aliases = ["Indikator',
            'aliases = [1, "Indikator',
            "indicators[0].aliases: harus",
        ),
        (
            DECIMAL,
            "[[schemes]]",
            "[[domains]]\n[[schemes]]",
            "aspects[0].domain: kunci wajib tidak ada",
        ),
        (
            DECIMAL,
            'source_index = "Indeks instansi lain"',
            "source_index = 3",
            "source_index: harus",
        ),
    ],
)
def test_bad_framework_data_gets_a_located_message(
    source: str, old: str, new: str, message: str
) -> None:
    name = "uji-level.toml" if source is LEVEL else "uji-desimal.toml"
    with pytest.raises(FrameworkError) as caught:
        parse_framework(mutated(source, old, new), source=name)
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"{name}: ")


def test_schema_and_toml_syntax_are_checked_first() -> None:
    with pytest.raises(FrameworkError, match=r"x\.toml: TOML tidak sah"):
        parse_framework("a = ", source="x.toml")
    with pytest.raises(FrameworkError, match=r"x\.toml: schema: harus 'spbe-framework/1'"):
        parse_framework(LEVEL.replace("spbe-framework/1", "spbe-framework/2"), source="x.toml")
