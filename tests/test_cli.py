"""The `spbe` CLI, run as a real subprocess: table, JSON shape, stdin and every error path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from spbe_core import format_number, load_framework, parse_assessment, score

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "docs" / "assets" / "contoh-penilaian.json"
FW = load_framework()
TEMPLATE = {"format": "spbe-assessment/1", "framework": "permenpan-5-2018"}


def spbe(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spbe_core", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def expected_result(path: Path = EXAMPLE, scheme: str | None = None) -> dict[str, object]:
    assessment = parse_assessment(path.read_bytes())
    return score(FW, assessment.levels, scheme or assessment.scheme).to_dict()


def test_score_prints_the_indonesian_table() -> None:
    run = spbe("score", str(EXAMPLE))
    assert run.returncode == 0, run.stderr
    expected = expected_result()
    out = run.stdout
    assert "Pemerintah Kota Contoh (2018)" in out
    assert f"Indeks SPBE : {format_number(_dec(expected['index']))}" in out
    assert f"Predikat    : {expected['predikat']}" in out
    for domain in expected["domains"]:  # type: ignore[attr-defined]
        line = next(line for line in out.splitlines() if line.startswith(f"Domain {domain['id']} "))
        assert domain["name"] in line
        assert line.endswith(format_number(_dec(domain["index"])))
    for aspect in expected["aspects"]:  # type: ignore[attr-defined]
        line = next(
            line for line in out.splitlines() if line.startswith(f"  Aspek {aspect['id']} ")
        )
        assert line.endswith(format_number(_dec(aspect["index"])))
    assert "Hasil simulasi, bukan nilai resmi." in out
    assert "." not in out.split("Indeks SPBE : ")[1].split()[0], "decimal comma"


def _dec(value: object) -> object:
    from decimal import Decimal

    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_score_json_has_exact_shape_and_values() -> None:
    run = spbe("score", str(EXAMPLE), "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
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
    assert data == expected_result()
    assert [d["id"] for d in data["domains"]] == ["1", "2", "3"]
    assert [a["id"] for a in data["aspects"]] == [str(n) for n in range(1, 8)]
    assert all(set(d) == {"id", "name", "index"} for d in data["domains"])
    assert all(set(a) == {"id", "name", "domain", "index"} for a in data["aspects"])
    assert all(round(d["index"], 2) == d["index"] for d in data["domains"])


def test_scheme_option_overrides_the_file() -> None:
    run = spbe("score", str(EXAMPLE), "--json", "--scheme", "tabel-pedoman")
    data = json.loads(run.stdout)
    assert data["scheme"] == "tabel-pedoman"
    assert data == expected_result(scheme="tabel-pedoman")


def test_stdin_and_python_m_match_console_script() -> None:
    text = EXAMPLE.read_text()
    from_stdin = spbe("score", "-", "--json", stdin=text)
    assert from_stdin.returncode == 0
    script = Path(sys.executable).parent / "spbe"
    direct = subprocess.run(
        [script, "score", str(EXAMPLE), "--json"], capture_output=True, text=True, check=True
    )
    assert json.loads(from_stdin.stdout) == json.loads(direct.stdout)


def test_partial_assessment_is_flagged() -> None:
    data = json.loads(EXAMPLE.read_text())
    del data["levels"]["12"], data["levels"]["35-3"]
    run = spbe("score", "-", stdin=json.dumps(data))
    assert run.returncode == 0
    assert "belum lengkap: 2 dari 37 butir belum diisi (12, 35-3)" in run.stdout
    as_json = json.loads(spbe("score", "-", "--json", stdin=json.dumps(data)).stdout)
    assert as_json["complete"] is False
    assert as_json["missing"] == ["12", "35-3"]


def test_template_is_a_valid_blank_assessment() -> None:
    run = spbe("template")
    assert run.returncode == 0
    data = json.loads(run.stdout)
    assert data["format"] == "spbe-assessment/1"
    assert list(data["levels"]) == list(FW.item_ids)
    assert set(data["levels"].values()) == {None}
    checked = spbe("validate", "-", stdin=run.stdout)
    assert checked.returncode == 0
    assert "0 dari 37 butir terisi" in checked.stdout


def test_validate_accepts_the_example() -> None:
    run = spbe("validate", str(EXAMPLE))
    assert (run.returncode, run.stdout.strip()) == (0, "Berkas sah: 37 dari 37 butir terisi.")


@pytest.mark.parametrize(
    ("args", "stdin", "expected"),
    [
        (["score", "tidak-ada.json"], None, "berkas tidak ditemukan: tidak-ada.json"),
        (["score", "tests"], None, "tests adalah folder, bukan berkas"),
        (["score", "-"], "bukan json", "bukan berkas JSON yang sah (baris 1, kolom 1)"),
        (
            ["validate", "-"],
            json.dumps({**TEMPLATE, "levels": {"5": 7, "36": 1}}),
            "levels.36: indikator tidak dikenal\n"
            "  - levels.5: level harus bilangan bulat 0–5, bukan 7",
        ),
        (["score", "-", "--scheme", "bebas"], None, "skema bobot tidak dikenal: bebas"),
        (["template", "--scheme", "bebas"], None, "skema bobot tidak dikenal: bebas"),
        (["score"], None, "argumen wajib belum diberikan: BERKAS"),
        (["hitung"], None, "pilihan 'hitung' tidak sah"),
        (["score", str(EXAMPLE), "--tidak-ada"], None, "argumen tidak dikenal: --tidak-ada"),
        ([], None, "argumen wajib belum diberikan: PERINTAH"),
    ],
)
def test_invalid_input_exits_2_with_a_message_and_no_traceback(
    args: list[str], stdin: str | None, expected: str
) -> None:
    if stdin is None and args[-2:] == ["--scheme", "bebas"] and args[0] == "score":
        stdin = EXAMPLE.read_text()
    run = spbe(*args, stdin=stdin)
    assert run.returncode == 2
    assert expected in run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout == ""


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "besar.json"
    big.write_text('{"levels": "' + "x" * 1_100_000 + '"}')
    run = spbe("validate", str(big))
    assert run.returncode == 2
    assert "terlalu besar" in run.stderr


def test_help_is_indonesian() -> None:
    run = spbe("--help")
    assert run.returncode == 0
    assert "penggunaan: spbe" in run.stdout
    assert "tampilkan bantuan ini" in run.stdout
