"""The `spbe` command line: template, validate, score (output in Bahasa Indonesia)."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from ._assessment import Assessment, InvalidAssessment, parse_assessment, template
from ._framework import load_framework
from ._numbers import format_number
from ._scoring import Result, score

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
        super().add_usage(usage, actions, groups, prefix or "penggunaan: ")


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
        description="Hitung Indeks SPBE (Permenpan RB 5/2018) dari berkas penilaian JSON. "
        "Hasilnya simulasi, bukan nilai resmi.",
    )
    commands = parser.add_subparsers(dest="command", metavar="PERINTAH", parser_class=_Parser)
    commands.required = True
    tpl = commands.add_parser("template", help="tulis berkas penilaian kosong ke stdout")
    tpl.add_argument("--scheme", help="skema bobot (bawaan: kuesioner-2018)")
    val = commands.add_parser("validate", help="periksa berkas penilaian")
    val.add_argument("file", metavar="BERKAS", help="berkas JSON, atau - untuk stdin")
    sc = commands.add_parser("score", help="hitung indeks, predikat, domain dan aspek")
    sc.add_argument("file", metavar="BERKAS", help="berkas JSON, atau - untuk stdin")
    sc.add_argument("--scheme", help="skema bobot; menimpa isian scheme di berkas")
    sc.add_argument("--json", action="store_true", help="keluaran JSON, bukan tabel")
    return parser


def _read(path: str) -> Assessment:
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise _UserError(f"berkas tidak ditemukan: {path}") from None
        except IsADirectoryError:
            raise _UserError(f"{path} adalah folder, bukan berkas") from None
        except OSError as exc:
            raise _UserError(f"berkas tidak dapat dibaca: {path} ({exc.strerror})") from None
    try:
        return parse_assessment(data)
    except InvalidAssessment as exc:
        name = "stdin" if path == "-" else path
        lines = [f"{name}: berkas penilaian tidak sah ({len(exc.problems)} masalah):"]
        lines += [f"  - {p}" for p in exc.problems]
        raise _UserError("\n".join(lines)) from None


def _scheme_id(assessment: Assessment, override: str | None) -> str:
    framework = load_framework(assessment.framework)
    wanted = override or assessment.scheme or framework.default_scheme
    known = [s.id for s in framework.schemes]
    if wanted not in known:
        raise _UserError(f"skema bobot tidak dikenal: {wanted} (yang ada: {', '.join(known)})")
    return wanted


def render_table(result: Result, assessment: Assessment) -> str:
    """The readable Indonesian report printed by `spbe score`."""
    framework = load_framework(result.framework)
    scheme = framework.scheme(result.scheme)
    title = "Indeks SPBE"
    who = " ".join(
        x for x in (assessment.instansi, f"({assessment.tahun})" if assessment.tahun else "") if x
    )
    rows: list[tuple[str, str, str]] = []
    for domain in result.domains:
        rows.append((f"Domain {domain.id}", domain.name, format_number(domain.published)))
        for aspect in (a for a in result.aspects if a.domain == domain.id):
            rows.append((f"  Aspek {aspect.id}", aspect.name, format_number(aspect.published)))
    label_w = max(len(r[0]) for r in rows)
    name_w = max(len(r[1]) for r in rows)
    lines = [f"{title} — {who}" if who else title, ""]
    lines.append(f"Kerangka    : {framework.name}")
    lines.append(f"Skema bobot : {scheme.id} — {scheme.name}")
    lines.append("")
    lines.append(f"Indeks SPBE : {format_number(result.published)}")
    lines.append(f"Predikat    : {result.predikat}")
    lines.append("")
    lines.append(f"{'':<{label_w}}  {'':<{name_w}}  Indeks")
    lines += [f"{a:<{label_w}}  {b:<{name_w}}  {c:>6}" for a, b, c in rows]
    lines.append("")
    if result.missing:
        lines.append(
            f"Penilaian belum lengkap: {len(result.missing)} dari {len(framework.items)} butir "
            f"belum diisi ({', '.join(result.missing)})."
        )
        lines.append("Butir yang belum diisi dihitung 0, jadi angka di atas masih sementara.")
    lines.append("Hasil simulasi, bukan nilai resmi.")
    return "\n".join(lines)


def _run(args: argparse.Namespace) -> int:
    if args.command == "template":
        framework = load_framework()
        if args.scheme and args.scheme not in {s.id for s in framework.schemes}:
            known = ", ".join(s.id for s in framework.schemes)
            raise _UserError(f"skema bobot tidak dikenal: {args.scheme} (yang ada: {known})")
        print(json.dumps(template(framework, args.scheme), ensure_ascii=False, indent=2))
        return 0
    assessment = _read(args.file)
    if args.command == "validate":
        framework = load_framework(assessment.framework)
        filled = len(assessment.levels)
        print(f"Berkas sah: {filled} dari {len(framework.items)} butir terisi.")
        return 0
    result = score(
        load_framework(assessment.framework), assessment.levels, _scheme_id(assessment, args.scheme)
    )
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_table(result, assessment))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    try:
        return _run(args)
    except _UserError as exc:
        print(f"spbe: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:
        return 0
