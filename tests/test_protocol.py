"""The request and reply shapes of `handle_request` are defined once, as TypedDicts in
spbe_core/_protocol.py; calculator/protocol.js mirrors them as JSDoc typedefs for the type
checker. This test renders the typedefs from the TypedDicts and holds the two equal."""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path
from typing import Any, Literal, NotRequired, Union

from spbe_core import _protocol

PROTOCOL_JS = Path(__file__).parents[1] / "calculator" / "protocol.js"


def js_type(hint: Any) -> str:
    """The JSDoc (TypeScript) spelling of a Python type hint of the protocol."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Any:
        return "any"
    if hint is type(None):
        return "null"
    if hint is str:
        return "string"
    if hint is bool:
        return "boolean"
    if hint in (int, float):
        return "number"
    if typing.is_typeddict(hint):
        return str(hint.__name__)
    if origin is Literal:
        return " | ".join(str(a).lower() if isinstance(a, bool) else f'"{a}"' for a in args)
    if origin in (Union, types.UnionType):
        parts = dict.fromkeys(js_type(a) for a in args)  # int | float: one "number"
        return " | ".join(parts)
    if origin is list:
        inner = js_type(args[0])
        return f"({inner})[]" if " | " in inner else f"{inner}[]"
    if origin is dict:
        return f"Record<string, {js_type(args[1])}>"
    raise AssertionError(f"no JSDoc spelling for {hint!r}")


def typeddicts() -> list[type]:
    return [
        obj
        for obj in vars(_protocol).values()
        if isinstance(obj, type)
        and typing.is_typeddict(obj)
        and obj.__module__ == _protocol.__name__
    ]


def typedef(cls: type) -> str:
    lines = [f" * @typedef {{object}} {cls.__name__}"]
    for name, hint in typing.get_type_hints(cls, include_extras=True).items():
        if typing.get_origin(hint) is NotRequired:
            lines.append(f" * @property {{{js_type(typing.get_args(hint)[0])}}} [{name}]")
        elif name in cls.__optional_keys__:  # a total=False TypedDict
            lines.append(f" * @property {{{js_type(hint)}}} [{name}]")
        else:
            lines.append(f" * @property {{{js_type(hint)}}} {name}")
    return "\n".join(lines)


def union(name: str) -> str:
    return f" * @typedef {{{js_type(getattr(_protocol, name))}}} {name}"


def expected_typedefs() -> list[str]:
    return [typedef(cls) for cls in typeddicts()] + [
        union(name) for name in ("Request", "SuccessReply", "Reply")
    ]


def written_typedefs() -> list[str]:
    text = PROTOCOL_JS.read_text(encoding="utf-8")
    blocks = re.split(r"\n \*\n", re.search(r"/\*\*\n(.*?)\n \*/", text, re.DOTALL)[1])
    return [block.rstrip() for block in blocks]


def test_the_javascript_typedefs_mirror_the_python_protocol() -> None:
    assert written_typedefs() == expected_typedefs()


def test_the_mirror_covers_every_request_and_reply() -> None:
    names = {cls.__name__ for cls in typeddicts()}
    assert {"ScoreRequest", "PlanRequest", "CompareRequest", "ScoreReply", "FailureReply"} <= names
    assert len(expected_typedefs()) == len(names) + 3
