"""Untrusted JSON text in, plain Python values out: the one place that bounds what a file or a
request may make the core do (size, nesting, number length, lone surrogates), each refusal a
located Indonesian problem rather than a Python exception."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal

# A file (assessment or effort) is at most this many bytes; a calculator request, which may
# carry several assessments, at most MAX_REQUEST_BYTES.
MAX_BYTES = 1_000_000
MAX_REQUEST_BYTES = 20 * MAX_BYTES
# Real files nest 4 levels (request > assessments > assessment > tindak_lanjut > item): 32 is
# generous and far below any parser's recursion limit (Pyodide's stack included).
MAX_DEPTH = 32
# A JSON number longer than this, or with an exponent beyond +-MAX_EXPONENT, is refused: exact
# arithmetic on 1e-999999999 never finishes, and int() refuses more than 4,300 digits. (1e400
# passes, to be refused by the validator as a value out of range, with its item named.)
MAX_NUMBER_CHARS = 40
MAX_EXPONENT = 999

# One pass over the text: a string (possibly unterminated, so the scan stays linear), an
# opening or closing bracket, or a number token (checked in Python).
_TOKEN = re.compile(
    r'"(?:[^"\\]|\\.)*"?|[\[{]|[\]}]|-?[0-9][0-9.eE+-]*',
    re.DOTALL,
)
_EXPONENT = re.compile(r"[eE][+-]?([0-9]+)")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


@dataclass(frozen=True)
class Problem:
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class InvalidAssessment(ValueError):
    """Raised with every problem found, each with its location."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in problems))


def _megabytes(limit: int) -> str:
    """A byte limit as users read it: 1_000_000 -> "1 MB" (decimal megabytes)."""
    return f"{limit / 1_000_000:g}".replace(".", ",") + " MB"


def _too_large(limit: int = MAX_BYTES) -> str:
    return f"berkas terlalu besar (lebih dari {_megabytes(limit)})"


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    return f"baris {line}, kolom {pos - text.rfind(chr(10), 0, pos)}"


def _fail(message: str) -> InvalidAssessment:
    return InvalidAssessment([Problem("", message)])


def _load_json(data: str | bytes, limit: int = MAX_BYTES) -> object:
    """Decode UTF-8 bytes or text to a JSON value with exact decimals (parse_float=Decimal),
    refusing, with a located message, whatever would make later steps fail or never finish."""
    if len(data) > limit:  # a character is at least one byte: too long already
        raise _fail(_too_large(limit))
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")  # Python's UTF-8 refuses encoded surrogates
        except UnicodeDecodeError as exc:
            raise _fail(f"berkas bukan teks UTF-8 (byte ke-{exc.start + 1})") from None
    else:
        text = data.removeprefix("\ufeff")
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError as exc:
            where = _where(text, exc.start)
            raise _fail(f"teks berisi karakter tidak sah (surrogate tunggal) di {where}") from None
        if size > limit:
            raise _fail(_too_large(limit))
    _check_tokens(text)
    try:
        return json.loads(text, parse_float=Decimal)  # exact decimals, never a binary float
    except json.JSONDecodeError as exc:
        raise _fail(f"bukan berkas JSON yang sah (baris {exc.lineno}, kolom {exc.colno})") from None


def _check_tokens(text: str) -> None:
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first == '"':
            if _SURROGATE_ESCAPE.search(token) and _has_lone_surrogate(token):
                raise _fail(
                    f"teks berisi karakter tidak sah (surrogate tunggal) di "
                    f"{_where(text, match.start())}"
                )
        elif first in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise _fail(
                    f"bukan berkas JSON yang sah: bersarang terlalu dalam (lebih dari {MAX_DEPTH} "
                    f"tingkat) di "
                    f"{_where(text, match.start())}"
                )
        elif first in "]}":
            depth -= 1
        else:
            exponent = _EXPONENT.search(token)
            if len(token) > MAX_NUMBER_CHARS or (
                exponent is not None and int(exponent.group(1)) > MAX_EXPONENT
            ):
                raise _fail(
                    f"angka terlalu panjang atau terlalu besar di {_where(text, match.start())} "
                    f"(paling banyak {MAX_NUMBER_CHARS} karakter, eksponen paling banyak "
                    f"{MAX_EXPONENT})"
                )


def _has_lone_surrogate(token: str) -> bool:
    """Whether a JSON string token decodes to text with a lone surrogate ("\\ud800")."""
    try:
        str(json.loads(token)).encode("utf-8")
    except UnicodeEncodeError:
        return True
    except ValueError:  # unterminated or a bad escape: json.loads reports it, located
        return False
    return False
