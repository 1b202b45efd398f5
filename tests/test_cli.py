"""The `spbe` CLI, run as a real subprocess: table, JSON shape, stdin and every error path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_spbe

from spbe_core import format_number, load_framework, parse_assessment, score

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "docs" / "assets" / "contoh-penilaian.json"
FW = load_framework()
TEMPLATE = {"format": "spbe-assessment/1", "framework": "permenpan-5-2018"}


spbe = run_spbe


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


def _spbe_bytes(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None, stdout: int = -1
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "spbe_core", *args],
        input=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        check=False,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")
HOSTILE = {
    # a JSON integer past Python's 4,300-digit int limit, in levels and in tahun
    "levels": (
        EXAMPLE_TEXT.replace('"1": 3', '"1": ' + "9" * 5000, 1),
        "angka terlalu panjang atau terlalu besar di baris",
    ),
    "tahun": (
        EXAMPLE_TEXT.replace('"tahun": 2018', '"tahun": ' + "1" * 5000, 1),
        "angka terlalu panjang atau terlalu besar di baris",
    ),
    # an exponent whose exact value would never finish
    "exponent": (
        EXAMPLE_TEXT.replace('"1": 3', '"1": 3E-999999999', 1),
        "angka terlalu panjang atau terlalu besar di baris",
    ),
    # a lone surrogate: rejected when read, so validate and score agree
    "surrogate": (
        EXAMPLE_TEXT.replace('"Pemerintah Kota Contoh"', '"\\ud800"', 1),
        "surrogate tunggal) di baris",
    ),
    "nested": ("[" * 5000 + "]" * 5000, "bersarang terlalu dalam (lebih dari 32 tingkat)"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
@pytest.mark.parametrize("command", ["validate", "score"])
def test_hostile_assessment_is_refused_with_a_located_message(
    tmp_path: Path, case: str, command: str
) -> None:
    text, expected = HOSTILE[case]
    assert text != EXAMPLE_TEXT
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    run = spbe(command, str(path))
    assert (run.returncode, run.stdout) == (2, "")
    assert expected in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(
    ("effort", "expected"),
    [
        ('{"effort": {"1": ' + "9" * 5000 + "}}", "angka terlalu panjang"),
        ('{"effort": ' + "[" * 5000 + "]" * 5000 + "}", "bersarang terlalu dalam"),
        ('{"effort": {"1": 1e-9999}}', "angka terlalu panjang"),
        ("\xff", "bukan teks UTF-8"),
    ],
)
def test_hostile_effort_file_is_refused(tmp_path: Path, effort: str, expected: str) -> None:
    path = tmp_path / "upaya.json"
    path.write_bytes(effort.encode("latin-1") if effort == "\xff" else effort.encode())
    run = spbe("rencana", str(EXAMPLE), "--target", "Baik", "--effort", str(path))
    assert (run.returncode, run.stdout) == (2, "")
    assert f"{path}: berkas upaya tidak sah" in run.stderr
    assert expected in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("target", ["3E-999999999", "1e-9999999", "1e2", "NaN", "-1", "3" * 50])
def test_target_must_be_a_plain_decimal_and_is_refused_fast(target: str) -> None:
    run = _spbe_bytes("rencana", str(EXAMPLE), "--target", target)
    assert run.returncode == 2
    assert f"target '{target}' tidak dikenal" in run.stderr.decode()


def test_unbounded_inputs_are_refused_after_the_limit(tmp_path: Path) -> None:
    """/dev/zero, /dev/urandom, a sparse 2 GB file and an endless pipe: one limit's worth."""
    sparse = tmp_path / "jarang.json"
    with sparse.open("wb") as file:
        file.truncate(2_000_000_000)
    endless = subprocess.Popen(["yes"], stdout=subprocess.PIPE)
    try:
        stdin_run = subprocess.run(
            [sys.executable, "-m", "spbe_core", "score", "-"],
            stdin=endless.stdout,
            capture_output=True,
            check=False,
            timeout=60,
        )
    finally:
        endless.kill()
        endless.wait()
        assert endless.stdout is not None
        endless.stdout.close()
    assert stdin_run.returncode == 2
    assert "stdin: berkas terlalu besar (lebih dari 1 MB)" in stdin_run.stderr.decode()
    for path in ("/dev/zero", "/dev/urandom", str(sparse)):
        run = _spbe_bytes("score", path)
        assert run.returncode == 2
        assert f"{path}: berkas terlalu besar (lebih dari 1 MB)" in run.stderr.decode()
    effort = _spbe_bytes("rencana", str(EXAMPLE), "--target", "Baik", "--effort", "/dev/zero")
    assert "/dev/zero: berkas terlalu besar (lebih dari 1 MB)" in effort.stderr.decode()


def test_the_size_limit_is_the_one_the_message_states(tmp_path: Path) -> None:
    """1,000,000 bytes pass the size check (and fail as JSON); one byte more is too large."""
    path = tmp_path / "batas.json"
    for size, expected in [(1_000_000, "bukan berkas JSON"), (1_000_001, "terlalu besar")]:
        path.write_bytes(b"x" * size)
        run = spbe("validate", str(path))
        assert run.returncode == 2
        assert expected in run.stderr
    # bytes, not characters: 500,001 two-byte characters are 1,000,002 bytes
    path.write_text("é" * 500_001, encoding="utf-8")
    assert "terlalu besar (lebih dari 1 MB)" in spbe("validate", str(path)).stderr


def test_an_output_that_cannot_show_symbols_gets_replacements() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    for args in (["score", str(EXAMPLE)], ["rencana", str(EXAMPLE), "--target", "Baik"]):
        run = _spbe_bytes(*args, env=env)
        assert run.returncode == 0, run.stderr
        assert b"Traceback" not in run.stderr
        assert b"Hasil simulasi" in run.stdout


def test_an_unwritable_output_is_a_short_message() -> None:
    with open("/dev/full", "wb") as full:
        run = _spbe_bytes("score", str(EXAMPLE), stdout=full.fileno())
    assert run.returncode == 2
    assert run.stderr.decode() == "spbe: keluaran tidak dapat ditulis (No space left on device)\n"


def test_a_closed_pipe_ends_quietly() -> None:
    run = subprocess.run(
        f"{sys.executable} -m spbe_core template | head -c 10",
        shell=True,
        capture_output=True,
        check=False,
        cwd=ROOT,
    )
    assert run.stderr == b""


def test_subcommand_help_and_version() -> None:
    run = spbe("score", "--help")
    assert run.returncode == 0
    assert run.stdout.startswith("penggunaan: spbe score [-h]")
    version = spbe("--version")
    assert (version.returncode, version.stdout) == (0, "spbe 0.1.0\n")


def test_an_empty_instansi_leaves_no_dangling_dash(tmp_path: Path) -> None:
    path = tmp_path / "tanpa.json"
    path.write_text(json.dumps({**json.loads(EXAMPLE_TEXT), "instansi": ""}), encoding="utf-8")
    assert spbe("score", str(path)).stdout.splitlines()[0] == "Indeks SPBE (2018)"
    assert spbe("score", str(EXAMPLE)).stdout.splitlines()[0] == (
        "Indeks SPBE — Pemerintah Kota Contoh (2018)"
    )
