"""Fuzzing the CLI: generated and mutated assessment and effort files through score, validate,
rencana and banding. Every run exits 0 or 2 and never shows a traceback; in process for the many
runs, through real processes (under a memory bound) for a sample."""

from __future__ import annotations

import contextlib
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spbe_core import available_frameworks, handle_request, load_framework, template
from spbe_core._cli import main

ROOT = Path(__file__).parents[1]
EXAMPLE = json.loads((ROOT / "docs" / "assets" / "contoh-penilaian.json").read_text())
FRAMEWORKS = [load_framework(fid) for fid in available_frameworks()]
NEST = "\x00nest\x00"  # placeholders replaced in the JSON text: too deep or too long to dump
HUGE = "\x00huge\x00"


def _filled(framework_id: str, seed: int) -> dict[str, Any]:
    """A valid assessment of a framework with seeded levels (some left empty)."""
    framework = load_framework(framework_id)
    rng = random.Random(seed)
    doc = template(framework)
    doc["instansi"] = "Kab. Uji"
    doc["levels"] = {
        item: (None if rng.random() < 0.2 else rng.choice(list(framework.levels)))
        for item in framework.item_ids
    }
    return doc


# Values that replace a field: the shapes that broke the CLI before, and plain wrong types.
hostile_values = st.one_of(
    st.sampled_from([NEST, HUGE, "\ud800", "\udc00x", '=HYPERLINK("http://x";"y")']),
    st.sampled_from([None, True, -1, 0, 7, 2.5, "", "3,25", "+1", [], {}, [1, 2], {"1": 3}]),
    st.integers(),
    st.text(max_size=20),
    st.floats(allow_nan=False, allow_infinity=False),
)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """JSON text of an assessment: valid, then maybe mutated (a value replaced, nested, huge,
    wrong type; the text truncated or sprinkled with random bytes)."""
    framework = draw(st.sampled_from(FRAMEWORKS))
    doc = _filled(framework.id, draw(st.integers(0, 1000)))
    if draw(st.booleans()):
        doc["format"] = "spbe-assessment/2"
        item = framework.item_ids[0]
        doc["tindak_lanjut"] = {item: {"rekomendasi": draw(st.text(max_size=30))}}
        doc["catatan"] = {item: draw(st.text(max_size=30))}
    for _ in range(draw(st.integers(0, 3))):
        value = draw(hostile_values)
        where = draw(st.sampled_from(["top", "levels", "tindak_lanjut"]))
        if where == "levels" and isinstance(doc.get("levels"), dict):
            doc["levels"][draw(st.sampled_from(framework.item_ids))] = value
        elif where == "tindak_lanjut" and isinstance(doc.get("tindak_lanjut"), dict):
            for entry in doc["tindak_lanjut"].values():
                entry[draw(st.sampled_from(["rekomendasi", "unit", "status", "x"]))] = value
        else:
            key = ["format", "framework", "scheme", "instansi", "tahun", "levels", "extra"]
            doc[draw(st.sampled_from(key))] = value
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()))
    depth = draw(st.sampled_from([5, 40, 5000]))
    text = text.replace(json.dumps(NEST), "[" * depth + "]" * depth)
    digits = draw(st.sampled_from(["9" * 5000, "1e-999999999", "3E+999999", "1" * 45]))
    text = text.replace(json.dumps(HUGE), digits)
    mutation = draw(st.sampled_from(["none", "none", "truncate", "bytes"]))
    if mutation == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif mutation == "bytes":
        pos = draw(st.integers(0, len(text)))
        noise = draw(st.binary(min_size=1, max_size=8)).decode("latin-1")
        text = text[:pos] + noise + text[pos:]
    return text


def effort_files() -> st.SearchStrategy[str]:
    item = FRAMEWORKS[0].item_ids[0]
    value = st.one_of(hostile_values, st.decimals(allow_nan=False, allow_infinity=False))
    return st.one_of(
        st.builds(
            lambda v: json.dumps({"effort": {item: str(v)}}).replace(f'"{v}"', str(v)), value
        ),
        st.builds(lambda v: json.dumps({"max_level": {item: v}}, default=str), hostile_values),
        st.sampled_from(
            [
                '{"effort": ' + "[" * 5000 + "]" * 5000 + "}",
                '{"effort": {"1": ' + "9" * 5000 + "}}",
                '{"effort": {"1": 1e-9999999}}',
                "[]",
                "",
            ]
        ),
    ).map(lambda text: text.replace(json.dumps(NEST), "[[[]]]").replace(json.dumps(HUGE), "1"))


targets = st.one_of(
    st.sampled_from(["Baik", "baik", "3,00", "2.5", "3E-999999999", "1e-9999999", "NaN", "-1"]),
    st.text(max_size=12),
)


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def run_in_process(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(args)
        except SystemExit as exc:  # argparse: a bad option
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def check(code: int, out: str, err: str) -> None:
    assert code in (0, 2), (code, err)
    assert "Traceback" not in out + err
    (out + err).encode("utf-8")  # no lone surrogate reaches the output
    if code == 2:
        assert err.startswith(("spbe: ", "penggunaan: ")), err
        assert out == ""


# About 5 s together in `make test-fast`; raise max_examples locally for a longer hunt.
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(
    a=documents(),
    b=documents(),
    effort=effort_files(),
    target=targets,
    command=st.sampled_from(["validate", "score", "score --json", "rencana", "banding"]),
)
def test_every_run_exits_0_or_2_without_a_traceback(
    workdir: Path, a: str, b: str, effort: str, target: str, command: str
) -> None:
    paths = []
    for name, text in (("a.json", a), ("b.json", b), ("upaya.json", effort)):
        path = workdir / name
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        paths.append(str(path))
    args = [*command.split(), paths[0]]
    if command == "rencana":
        args += ["--target", target, *(["--effort", paths[2]] if effort else [])]
    elif command == "banding":
        args.append(paths[1])
    check(*run_in_process(args))


@settings(FUZZ, max_examples=50)
@given(a=documents(), target=targets, op=st.sampled_from(["import", "score", "plan", "csv"]))
def test_every_calculator_request_is_answered(a: str, target: str, op: str) -> None:
    """The worker's entry: any file text (import) or assessment (as the text of the request,
    so a 5,000-deep or broken one reaches the bridge as it is) gets a reply, never an error."""
    request = json.dumps({"op": "import", "text": a})
    if op != "import":
        request = '{"op": "%s", "target": %s, "assessment": %s}' % (op, json.dumps(target), a)  # noqa: UP031
    answer = json.loads(handle_request(request))
    assert isinstance(answer["ok"], bool)
    if not answer["ok"]:
        assert all(isinstance(p, str) and p for p in answer["problems"])


def _limit_memory() -> None:
    limit = 400 * 1024 * 1024  # address space: Python and spbe_core need about 100 MB
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def spbe(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    run = subprocess.run(
        [sys.executable, "-m", "spbe_core", *args],
        input=stdin,
        capture_output=True,
        check=False,
        cwd=ROOT,
        timeout=60,
        preexec_fn=_limit_memory,
    )
    return subprocess.CompletedProcess(
        run.args, run.returncode, run.stdout.decode("utf-8"), run.stderr.decode("utf-8")
    )


@pytest.mark.parametrize(
    "args",
    [
        ["score", "/dev/zero"],
        ["validate", "/dev/urandom"],
        ["rencana", str(ROOT / "docs/assets/contoh-penilaian.json"), "--effort", "/dev/zero"],
        ["banding", "/dev/zero", "/dev/zero"],
    ],
)
def test_unbounded_files_stay_under_a_memory_bound(args: list[str]) -> None:
    if args[0] == "rencana":
        args = [*args, "--target", "Baik"]
    run = spbe(*args)
    assert run.returncode == 2
    assert run.stderr == "spbe: /dev/zero: berkas terlalu besar (lebih dari 1 MB)\n" or (
        run.stderr == "spbe: /dev/urandom: berkas terlalu besar (lebih dari 1 MB)\n"
    )


@settings(max_examples=4, deadline=None)
@given(a=documents(), command=st.sampled_from(["validate", "score", "rencana"]))
def test_a_sample_through_real_processes(workdir: Path, a: str, command: str) -> None:
    args = [command, "-"] + (["--target", "Baik"] if command == "rencana" else [])
    run = spbe(*args, stdin=a.encode("utf-8", "surrogatepass"))
    check(run.returncode, run.stdout, run.stderr)


def test_the_example_is_still_scored_through_the_fuzzed_path(workdir: Path) -> None:
    path = workdir / "contoh.json"
    path.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    code, out, err = run_in_process(["score", str(path)])
    assert (code, err) == (0, "")
    assert out.startswith("Indeks SPBE — Pemerintah Kota Contoh (2018)")
