"""The `spbe` command line: kerangka, template, validate, score, rencana, banding (output in
Bahasa Indonesia). Each assessment file names its framework; every figure comes from it."""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from ._assessment import Assessment, parse_assessment, template
from ._compare import compare, compare_across, mixes_frameworks
from ._framework import Framework, FrameworkError, available_frameworks, load_framework
from ._input import MAX_BYTES, InvalidAssessment, _load_json, _too_large
from ._planner import Constraints, parse_constraints, plan, target_index
from ._reports import (
    _columns,
    _comparison_to_dict,
    _cross_comparison_to_dict,
    _plan_to_dict,
    _render_comparison,
    _render_cross_comparison,
    _render_plan,
    _render_table,
)
from ._scoring import score

EXIT_INVALID = 2

# argparse speaks English; these are the messages a user can actually trigger.
_ARGPARSE_ID = [
    (r"the following arguments are required: (.*)", r"argumen wajib belum diberikan: \1"),
    (r"unrecognized arguments: (.*)", r"argumen tidak dikenal: \1"),
    (
        r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)",
        r"argumen \1: pilihan \2 tidak sah (pilih: \3)",
    ),
    (r"argument (\S+): expected one argument", r"argumen \1: butuh satu nilai"),
]


class _UserError(Exception):
    """Invalid input: message to stderr, exit 2, no traceback."""


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        # prefix "" is argparse computing a subcommand's prog: keep it, or the usage of
        # `spbe score --help` would read "penggunaan: penggunaan: spbe score".
        super().add_usage(usage, actions, groups, "penggunaan: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(formatter_class=_Formatter, add_help=False, **kwargs)
        self._positionals.title = "argumen"
        self._optionals.title = "opsi"
        self.add_argument("-h", "--help", action="help", help="tampilkan bantuan ini lalu keluar")

    def error(self, message: str) -> NoReturn:
        for pattern, replacement in _ARGPARSE_ID:
            message = re.sub(pattern, replacement, message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_INVALID, f"{self.prog}: kesalahan: {message}\n")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="spbe",
        description="Hitung indeks evaluasi SPBE dari berkas penilaian JSON, menurut kerangka "
        "yang disebut berkas itu (lihat: spbe kerangka). Hasilnya simulasi, bukan nilai resmi.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {_version()}", help="tampilkan versi"
    )
    commands = parser.add_subparsers(dest="command", metavar="PERINTAH", parser_class=_Parser)
    commands.required = True
    ker = commands.add_parser("kerangka", help="daftar kerangka evaluasi yang tersedia")
    ker.add_argument("--json", action="store_true", help="keluaran JSON, bukan tabel")
    tpl = commands.add_parser("template", help="tulis berkas penilaian kosong ke stdout")
    tpl.add_argument("--framework", metavar="ID", help="kerangka (bawaan: kerangka bawaan)")
    tpl.add_argument("--scheme", help="skema bobot (bawaan: skema bawaan kerangka)")
    val = commands.add_parser("validate", help="periksa berkas penilaian")
    val.add_argument("file", metavar="BERKAS", help="berkas JSON, atau - untuk stdin")
    sc = commands.add_parser("score", help="hitung indeks, predikat, domain dan aspek")
    sc.add_argument("file", metavar="BERKAS", help="berkas JSON, atau - untuk stdin")
    sc.add_argument("--scheme", help="skema bobot; menimpa isian scheme di berkas")
    sc.add_argument("--json", action="store_true", help="keluaran JSON, bukan tabel")
    ren = commands.add_parser("rencana", help="rencana peningkatan termurah menuju target")
    ren.add_argument("file", metavar="BERKAS", help="berkas penilaian JSON, atau - untuk stdin")
    ren.add_argument("--target", required=True, help="predikat (mis. Baik) atau indeks (mis. 3,00)")
    ren.add_argument("--effort", metavar="BERKAS_UPAYA", help="upaya per butir dan level maksimum")
    ren.add_argument(
        "--langkah-maks",
        metavar="N",
        type=_max_step,
        default=1,
        help="kenaikan paling banyak N level per butir dalam satu siklus evaluasi "
        "(bawaan: 1, rencana yang realistis; 0 = tanpa batas)",
    )
    ren.add_argument("--scheme", help="skema bobot; menimpa isian scheme di berkas")
    ren.add_argument("--json", action="store_true", help="keluaran JSON, bukan tabel")
    ban = commands.add_parser(
        "banding", help="bandingkan dua penilaian atau lebih (mis. antartahun)"
    )
    ban.add_argument(
        "files", metavar="BERKAS", nargs="+", help="berkas penilaian, urut dari terlama"
    )
    ban.add_argument(
        "--scheme", help="skema bobot untuk semua berkas (bawaan: skema berkas terakhir)"
    )
    ban.add_argument("--json", action="store_true", help="keluaran JSON, bukan tabel")
    return parser


def _version() -> str:
    from . import __version__  # the package imports this module: import when asked

    return __version__


def _read_bytes(path: str) -> bytes:
    """Every file the CLI reads (stdin for "-"): at most MAX_BYTES + 1 bytes, so /dev/zero, an
    endless pipe or a huge sparse file cost one limit's worth of memory and time."""
    name = "stdin" if path == "-" else path
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            with open(path, "rb") as file:
                data = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise _UserError(f"berkas tidak ditemukan: {path}") from None
    except IsADirectoryError:
        raise _UserError(f"{path} adalah folder, bukan berkas") from None
    except OSError as exc:
        raise _UserError(f"berkas tidak dapat dibaca: {path} ({exc.strerror})") from None
    if len(data) > MAX_BYTES:
        raise _UserError(f"{name}: {_too_large()}")
    return data


def _problems(name: str, what: str, exc: InvalidAssessment) -> _UserError:
    lines = [f"{name}: {what} tidak sah ({len(exc.problems)} masalah):"]
    lines += [f"  - {p}" for p in exc.problems]
    return _UserError("\n".join(lines))


def _read(path: str) -> Assessment:
    data = _read_bytes(path)
    try:
        return parse_assessment(data)
    except InvalidAssessment as exc:
        raise _problems("stdin" if path == "-" else path, "berkas penilaian", exc) from None


def _scheme_id(framework_id: str, *wanted: str | None) -> str:
    """The first scheme given (option, then file), checked; else the framework default."""
    framework = load_framework(framework_id)
    chosen = next((w for w in wanted if w), framework.default_scheme)
    known = [s.id for s in framework.schemes]
    if chosen not in known:
        raise _UserError(f"skema bobot tidak dikenal: {chosen} (yang ada: {', '.join(known)})")
    return chosen


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _framework(framework_id: str | None) -> Framework:
    try:
        return load_framework(framework_id)
    except KeyError as exc:
        raise _UserError(str(exc.args[0])) from None


def _cmd_kerangka(args: argparse.Namespace) -> None:
    frameworks = [load_framework(fid) for fid in available_frameworks()]
    entries = [
        {
            "id": f.id,
            "short_name": f.short_name,
            "period": f.period,
            "index_name": f.index_name,
            "domains": len(f.domains),
            "aspects": len(f.aspects),
            "indicators": len(f.indicators),
            "items": len(f.items),
            "value_kind": f.value_kind,
            "min_level": f.min_level,
            "max_level": f.max_level,
            "default": f.default,
        }
        for f in frameworks
    ]
    if args.json:
        _print_json(entries)
        return
    rows = [["id", "nama", "periode", "indeks", "domain", "aspek", "indikator", "nilai"]]
    for f in frameworks:
        kind = "desimal" if f.decimal else "level"
        rows.append(
            [
                f"{f.id}{' (bawaan)' if f.default else ''}",
                f.short_name,
                f.period,
                f.index_name,
                str(len(f.domains)),
                str(len(f.aspects)),
                str(len(f.indicators)),
                f"{kind} {f.min_level}–{f.max_level}",
            ]
        )
    print("\n".join(_columns(rows, numeric_from=4)))


def _cmd_template(args: argparse.Namespace) -> None:
    framework = _framework(args.framework)
    _print_json(template(framework, _scheme_id(framework.id, args.scheme)))


def _cmd_validate(args: argparse.Namespace) -> None:
    assessment = _read(args.file)
    total = len(load_framework(assessment.framework).items)
    print(f"Berkas sah: {len(assessment.levels)} dari {total} butir terisi.")


def _cmd_score(args: argparse.Namespace) -> None:
    assessment = _read(args.file)
    scheme = _scheme_id(assessment.framework, args.scheme, assessment.scheme)
    result = score(load_framework(assessment.framework), assessment.levels, scheme)
    if args.json:
        _print_json(result.to_dict())
    else:
        print(_render_table(result, assessment))


def _cmd_rencana(args: argparse.Namespace) -> None:
    assessment = _read(args.file)
    framework = load_framework(assessment.framework)
    scheme = _scheme_id(framework.id, args.scheme, assessment.scheme)
    try:
        target = target_index(framework, args.target)
    except ValueError as exc:
        raise _UserError(str(exc)) from None
    constraints = Constraints({}, {})
    if args.effort:
        try:
            constraints = parse_constraints(framework, _load_json(_read_bytes(args.effort)))
        except InvalidAssessment as exc:
            raise _problems(args.effort, "berkas upaya", exc) from None
    result = plan(
        framework,
        assessment.levels,
        target,
        scheme,
        constraints.effort,
        constraints.max_level,
        args.langkah_maks or None,
    )
    if args.json:
        _print_json(_plan_to_dict(framework, result))
    else:
        print(_render_plan(framework, result, args.target))


def _max_step(text: str) -> int:
    """--langkah-maks: a whole number of levels, 0 for no limit."""
    if not text.isdigit() or int(text) > 100:
        raise argparse.ArgumentTypeError(f"harus bilangan bulat 0–100, bukan {text!r}")
    return int(text)


def _cmd_banding(args: argparse.Namespace) -> None:
    if len(args.files) < 2:
        raise _UserError("banding butuh sedikitnya dua berkas penilaian")
    assessments = [_read(path) for path in args.files]
    labels = _labels(args.files, assessments)
    if mixes_frameworks(assessments):
        # Index and predikat only, each under its own framework and scheme.
        if args.scheme:
            raise _UserError("--scheme tidak dapat dipakai bila berkas memakai kerangka berbeda")
        cross = compare_across(assessments, labels)
        if args.json:
            _print_json(_cross_comparison_to_dict(cross))
        else:
            print(_render_cross_comparison(cross))
        return
    framework = load_framework(assessments[0].framework)
    scheme = _scheme_id(framework.id, args.scheme, assessments[-1].scheme)
    comparison = compare(framework, assessments, labels, scheme)
    if args.json:
        _print_json(_comparison_to_dict(framework, comparison))
    else:
        print(_render_comparison(framework, comparison))


def _labels(paths: Sequence[str], assessments: Sequence[Assessment]) -> list[str]:
    labels = [
        str(a.tahun) if a.tahun else Path(p).stem for p, a in zip(paths, assessments, strict=True)
    ]
    if len(set(labels)) < len(labels):  # same year twice: fall back to file names
        labels = [Path(p).stem for p in paths]
    return labels


_COMMANDS = {
    "kerangka": _cmd_kerangka,
    "template": _cmd_template,
    "validate": _cmd_validate,
    "score": _cmd_score,
    "rencana": _cmd_rencana,
    "banding": _cmd_banding,
}


def main(argv: Sequence[str] | None = None) -> int:
    # A console that cannot show "≥ → —" (cp1252) gets "?" instead of a traceback (stderr
    # already escapes what it cannot encode).
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="replace")
    args = _build_parser().parse_args(argv)
    try:
        _COMMANDS[args.command](args)
        sys.stdout.flush()  # a write error (/dev/full) surfaces here, not at exit
        return 0
    except (_UserError, FrameworkError) as exc:  # a broken framework file is bad input too
        print(f"spbe: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:  # `spbe score x | head`: the reader has all it wanted
        _silence_stdout()
        return 0
    except OSError as exc:  # stdout cannot be written (a full disk, /dev/full)
        _silence_stdout()
        print(f"spbe: keluaran tidak dapat ditulis ({exc.strerror})", file=sys.stderr)
        return EXIT_INVALID


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush of the unwritten rest fails
    no more (it would print "Exception ignored ..." at exit)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (captured in tests)
        pass
