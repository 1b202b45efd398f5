"""Assessment files (spbe-assessment/1 and /2): parsing with every problem reported at once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any, TypeVar

from ._framework import Framework, _show, available_frameworks, load_framework
from ._input import InvalidAssessment, Problem, _load_json
from ._numbers import Level, _json_level
from ._scoring import _level_rule, _valid_level

FORMAT_1 = "spbe-assessment/1"
FORMAT_2 = "spbe-assessment/2"
MAX_TEXT = 2_000
STATUSES = ("belum", "proses", "selesai")
# A decimal value written as text: "3.25" or "3,25" (the range and places are checked after).
DECIMAL_TEXT = re.compile(r"[0-9]{1,6}(?:[.,][0-9]{1,20})?")
FOLLOW_UP_FIELDS = ("rekomendasi", "unit", "tenggat", "status")


@dataclass(frozen=True)
class FollowUp:
    """Tindak lanjut for one item."""

    rekomendasi: str = ""
    unit: str = ""
    tenggat: str = ""  # ISO date, yyyy-mm-dd, or empty
    status: str = "belum"


def _frozen() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Assessment:
    framework: str
    levels: Mapping[str, Level]  # whole levels, or exact decimal values (decimal frameworks)
    scheme: str | None = None
    instansi: str = ""
    tahun: int | None = None
    verifikasi: Mapping[str, Level] = field(default_factory=_frozen)
    catatan: Mapping[str, str] = field(default_factory=_frozen)
    tindak_lanjut: Mapping[str, FollowUp] = field(default_factory=_frozen)

    def to_dict(self) -> dict[str, Any]:
        """File form: format 1 unless a format-2 field is used, so old readers keep working."""
        extended = bool(self.verifikasi or self.catatan or self.tindak_lanjut)
        data: dict[str, Any] = {"format": FORMAT_2 if extended else FORMAT_1}
        data["framework"] = self.framework
        if self.scheme:
            data["scheme"] = self.scheme
        if self.instansi:
            data["instansi"] = self.instansi
        if self.tahun is not None:
            data["tahun"] = self.tahun
        data["levels"] = _json_levels(self.framework, self.levels)
        if self.verifikasi:
            data["verifikasi"] = _json_levels(self.framework, self.verifikasi)
        if self.catatan:
            data["catatan"] = _ordered(self.framework, self.catatan)
        if self.tindak_lanjut:
            data["tindak_lanjut"] = {
                k: {f: getattr(v, f) for f in FOLLOW_UP_FIELDS}
                for k, v in _ordered(self.framework, self.tindak_lanjut).items()
            }
        return data


_V = TypeVar("_V")


def _ordered(framework_id: str, values: Mapping[str, _V]) -> dict[str, _V]:
    order = load_framework(framework_id).item_ids
    return {k: values[k] for k in order if k in values}


def _json_levels(framework_id: str, values: Mapping[str, Level]) -> dict[str, int | float]:
    """Values as JSON numbers: a decimal value is written with its exact decimal text."""
    return {k: _json_level(v) for k, v in _ordered(framework_id, values).items()}


def template(framework: Framework, scheme: str | None = None) -> dict[str, Any]:
    """A blank assessment: every item present with null (belum diisi)."""
    return {
        "format": FORMAT_1,
        "framework": framework.id,
        "scheme": scheme or framework.default_scheme,
        "instansi": "",
        "tahun": dt.date.today().year,
        "levels": dict.fromkeys(framework.item_ids),
    }


def parse_assessment(data: str | bytes) -> Assessment:
    """Parse and validate file content; raise InvalidAssessment listing every problem."""
    raw = _load_json(data)
    return _from_dict(raw)


def _from_dict(raw: object) -> Assessment:
    """Validate an already-decoded JSON value (decode numbers with parse_float=Decimal)."""
    if not isinstance(raw, dict):
        raise InvalidAssessment([Problem("", "isi berkas harus objek JSON ({ … })")])
    return _Validator(raw).run()


class _Validator:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.problems: list[Problem] = []

    def fail(self, location: str, message: str) -> None:
        self.problems.append(Problem(location, message))

    def run(self) -> Assessment:
        raw = self.raw
        fmt = raw.get("format")
        if fmt is None:
            self.fail("format", f'wajib diisi, mis. "{FORMAT_1}"')
        elif fmt not in (FORMAT_1, FORMAT_2):
            self.fail("format", f'harus "{FORMAT_1}" atau "{FORMAT_2}", bukan {_show(fmt)}')
        allowed = {"format", "framework", "scheme", "instansi", "tahun", "levels"}
        if fmt != FORMAT_1:
            allowed |= {"verifikasi", "catatan", "tindak_lanjut"}
        for key in raw:
            if key not in allowed:
                hint = (
                    " (hanya untuk format 2)"
                    if key in {"verifikasi", "catatan", "tindak_lanjut"}
                    else ""
                )
                self.fail(str(key), f"kolom tidak dikenal{hint}")

        framework = self.framework(raw.get("framework"))
        scheme = raw.get("scheme")
        if scheme is not None:
            if not isinstance(scheme, str):
                self.fail("scheme", f"harus teks, bukan {_show(scheme)}")
                scheme = None
            elif framework and scheme not in {s.id for s in framework.schemes}:
                known = ", ".join(s.id for s in framework.schemes)
                self.fail(
                    "scheme", f"skema bobot {_show(scheme)} tidak dikenal (yang ada: {known})"
                )
                scheme = None
        instansi = self.text("instansi", raw.get("instansi", ""))
        tahun = raw.get("tahun")
        if tahun is not None and (
            isinstance(tahun, bool) or not isinstance(tahun, int) or not 1900 <= tahun <= 2100
        ):
            self.fail("tahun", f"harus bilangan bulat tahun, mis. 2018, bukan {_show(tahun)}")
            tahun = None

        levels = self.levels("levels", raw.get("levels"), framework, required=True)
        verifikasi = self.levels("verifikasi", raw.get("verifikasi"), framework, required=False)
        catatan = self.notes(raw.get("catatan"), framework)
        tindak_lanjut = self.follow_ups(raw.get("tindak_lanjut"), framework)
        if self.problems or framework is None:
            raise InvalidAssessment(self.problems)
        return Assessment(
            framework=framework.id,
            levels=MappingProxyType(levels),
            scheme=scheme,
            instansi=instansi,
            tahun=tahun,
            verifikasi=MappingProxyType(verifikasi),
            catatan=MappingProxyType(catatan),
            tindak_lanjut=MappingProxyType(tindak_lanjut),
        )

    def framework(self, value: object) -> Framework | None:
        if value is None:
            self.fail("framework", f'wajib diisi, mis. "{load_framework().id}"')
            return None
        if not isinstance(value, str) or value not in available_frameworks():
            known = ", ".join(available_frameworks())
            self.fail(
                "framework", f"kerangka {_show(value)} tidak dikenal (yang tersedia: {known})"
            )
            return None
        return load_framework(value)

    def text(self, location: str, value: object) -> str:
        if not isinstance(value, str):
            self.fail(location, f"harus teks, bukan {_show(value)}")
            return ""
        if len(value) > MAX_TEXT:
            self.fail(location, f"terlalu panjang ({len(value)} karakter; batasnya {MAX_TEXT})")
            return ""
        return value.strip()

    def item_map(
        self, name: str, value: object, framework: Framework | None, *, required: bool
    ) -> dict[str, object]:
        """Check the object's keys are items; return the entries whose key is known."""
        if value is None:
            if required:
                self.fail(name, "wajib diisi: objek berisi level tiap butir")
            return {}
        if not isinstance(value, dict):
            self.fail(name, f"harus objek {{butir: nilai}}, bukan {_show(value)}")
            return {}
        if framework is None:
            return {}
        known = set(framework.item_ids)
        entries: dict[str, object] = {}
        for key, entry in value.items():
            if key in known:
                entries[key] = entry
                continue
            split = [i.id for i in framework.items if i.indicator == key and i.id != key]
            if split:
                self.fail(
                    f"{name}.{key}",
                    f"indikator {key} dinilai per butir: gunakan {', '.join(split)}",
                )
            else:
                self.fail(f"{name}.{key}", "indikator tidak dikenal")
        return entries

    def levels(
        self, name: str, value: object, framework: Framework | None, *, required: bool
    ) -> dict[str, Level]:
        result: dict[str, Level] = {}
        for key, entry in self.item_map(name, value, framework, required=required).items():
            if entry is None:
                continue  # null = belum diisi
            assert framework is not None
            level = _level(framework, entry)
            if level is None:
                noun = "nilai" if framework.decimal else "level"
                self.fail(
                    f"{name}.{key}", f"{noun} harus {_level_rule(framework)}, bukan {_show(entry)}"
                )
                continue
            result[key] = level
        return result

    def notes(self, value: object, framework: Framework | None) -> dict[str, str]:
        result: dict[str, str] = {}
        for key, note in self.item_map("catatan", value, framework, required=False).items():
            text = self.text(f"catatan.{key}", note)
            if text:
                result[key] = text
        return result

    def follow_ups(self, value: object, framework: Framework | None) -> dict[str, FollowUp]:
        result: dict[str, FollowUp] = {}
        for key, entry in self.item_map("tindak_lanjut", value, framework, required=False).items():
            where = f"tindak_lanjut.{key}"
            if not isinstance(entry, dict):
                self.fail(where, f"harus objek, bukan {_show(entry)}")
                continue
            for unknown in set(entry) - set(FOLLOW_UP_FIELDS):
                self.fail(f"{where}.{unknown}", "kolom tidak dikenal")
            fields = {f: self.text(f"{where}.{f}", entry.get(f, "")) for f in FOLLOW_UP_FIELDS}
            fields["status"] = fields["status"] or "belum"
            if fields["status"] not in STATUSES:
                self.fail(f"{where}.status", f"harus salah satu dari {', '.join(STATUSES)}")
            if fields["tenggat"]:
                try:
                    dt.date.fromisoformat(fields["tenggat"])
                except ValueError:
                    self.fail(f"{where}.tenggat", "harus tanggal TTTT-BB-HH, mis. 2019-06-30")
            follow_up = FollowUp(**fields)
            if follow_up != FollowUp():
                result[key] = follow_up
        return result


def _level(framework: Framework, value: object) -> Level | None:
    """A file's value as an exact level (None if invalid): a whole number for any framework;
    for a decimal framework also a JSON number read as Decimal, or decimal text ("3,25")."""
    if framework.decimal and isinstance(value, str) and DECIMAL_TEXT.fullmatch(value):
        value = Decimal(value.replace(",", "."))
    if isinstance(value, Decimal):
        # Range first: Fraction() of a huge exponent would be a huge integer.
        if not framework.decimal or not framework.min_level <= value <= framework.max_level:
            return None
        exact = Fraction(value)
        value = int(exact) if exact.denominator == 1 else exact
    if _valid_level(value, framework):
        return value
    return None
