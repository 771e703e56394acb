"""Turn pydantic's validation errors into problems in plain words, each at its file, line and key path."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from cdk_app.config.base import SECRET_REASON, names_a_secret
from cdk_app.config.errors import MAX_PROBLEMS, Loc, Problem, kind_at
from cdk_app.config.model_paths import model_at
from cdk_app.config.yaml_io import YamlDocument

# Error types whose pydantic wording ("Input should be a valid tuple") means nothing in a YAML file.
_PLAIN = {
    "missing": "required key is missing",
    "string_type": "must be text (quote it if YAML reads it as a number, true/false or null)",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
    "dict_type": "must be a mapping (key: value lines)",
    "model_type": "must be a mapping (key: value lines)",
    "model_attributes_type": "must be a mapping (key: value lines)",
    "none_required": "must be empty (null)",
}
# YAML 1.1 read these as booleans; YAML 1.2, and this project, read them as text.
_YAML11_BOOLEANS = frozenset({"yes", "no", "on", "off", "y", "n"})
# Cross-field validators cannot set a location, so they lead their message with one.
_LEADING_PATH = re.compile(r"^([a-z_][a-z0-9_]*(?:\[\d+\]|\.[a-z_][a-z0-9_]*)*): (.+)$", re.S)
_SHOULD = re.compile(r"^(?:Input|Value|String|Tuple|List|Dictionary|Data|Object|URL|URL scheme) should ")


def validation_problems(
    exc: ValidationError, doc: YamlDocument, root: Any, hidden: Collection[str] = ()
) -> tuple[list[Problem], int]:
    """The first ``MAX_PROBLEMS`` problems in ``exc`` (in file order) and how many more there were.

    ``root`` is the type the document was validated as (a model, or e.g. ``list[Model]``), used to
    suggest the key that was meant.
    ``hidden`` names root fields the file may not set (an environment's ``name``), left out of
    did-you-mean suggestions.
    """
    errors = exc.errors(include_url=False)
    # pydantic also says a list is too short when its only items are invalid; the items say why.
    parents = {tuple(e["loc"][:-1]) for e in errors}
    kept = [e for e in errors if not (e["type"] == "too_short" and tuple(e["loc"]) in parents)]
    problems = [_problem(err, doc, root, hidden) for err in kept[:MAX_PROBLEMS]]
    problems.sort(key=lambda p: p.line or 0)
    return problems, len(kept) - len(problems)


def _problem(err: ErrorDetails, doc: YamlDocument, root: Any, hidden: Collection[str]) -> Problem:
    loc: Loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    about_key = bool(loc) and loc[-1] == "[key]"
    if about_key:
        loc = loc[:-1]
    reason = _reason(err, loc, root, hidden)
    if (m := _LEADING_PATH.match(reason)) is not None:
        loc = (*loc, *_split_path(m.group(1)))
        reason = m.group(2)
    if about_key:
        reason = f"the key {loc[-1]!r} {reason}"
    return doc.problem(loc, reason, kind=kind_at(err["type"], loc))


def _reason(err: ErrorDetails, loc: Loc, root: Any, hidden: Collection[str]) -> str:
    kind, ctx, given = err["type"], err.get("ctx", {}), err["input"]
    if kind == "extra_forbidden":
        if names_a_secret(str(loc[-1])) and isinstance(given, str | int | float):
            return SECRET_REASON  # an unknown key, but its value must not sit in git either
        return "unknown key" + _did_you_mean(str(loc[-1]), _allowed_keys(root, loc[:-1], hidden))
    if kind in ("bool_type", "bool_parsing") and isinstance(given, str) and given.lower() in _YAML11_BOOLEANS:
        return f"must be true or false; {given!r} is text in YAML 1.2 (write true or false)"
    if kind in _PLAIN:
        return _PLAIN[kind]
    if kind == "literal_error" or kind == "enum":
        expected = str(ctx.get("expected", ""))
        shown = f", not {given!r}" if isinstance(given, str | int | bool) and len(repr(given)) <= 40 else ""
        return f"must be {expected}{shown}"
    if kind in ("too_short", "too_long"):
        bound = ctx.get("min_length" if kind == "too_short" else "max_length")
        least = "at least" if kind == "too_short" else "at most"
        return f"must have {least} {bound} item{'s' if bound != 1 else ''}"
    if kind == "string_too_short":
        bound = ctx.get("min_length")
        return "must not be empty" if bound == 1 else f"must be at least {bound} characters"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if kind == "string_pattern_mismatch":
        return f"must match the pattern {ctx.get('pattern')}"
    bounds = {"greater_than_equal": "at least", "less_than_equal": "at most", "greater_than": "more than"}
    if kind in bounds or kind == "less_than":
        value = next(iter(ctx.values()), "")
        return f"must be {bounds.get(kind, 'less than')} {value}"
    message = err["msg"].removeprefix("Value error, ")
    return _SHOULD.sub("must ", message)


def _allowed_keys(root: Any, loc: Loc, hidden: Collection[str]) -> list[str]:
    model = model_at(root, loc)
    if model is None:
        return []
    return [k for k in model.model_fields if not (loc == () and k in hidden)]


def _did_you_mean(key: str, allowed: list[str]) -> str:
    if not allowed:
        return ""
    close = closest(key, allowed)
    return f"; did you mean {close!r}?" if close else f"; expected one of: {', '.join(allowed)}"


def _split_path(path: str) -> list[int | str]:
    return [int(p) if p.isdigit() else p for p in re.findall(r"[a-z_][a-z0-9_]*|\d+", path)]


def closest(name: str, choices: list[str]) -> str | None:
    """The choice ``name`` was most likely meant to be (a typo away), or ``None``."""
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return close[0] if close else None
