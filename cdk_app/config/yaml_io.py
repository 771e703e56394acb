"""The one YAML reader for every file the project parses: environments, the pipeline, review allowances.

It builds plain JSON-like data (``dict``, ``list``, ``str``, ``int``, ``float``, ``bool``, ``None``)
from PyYAML's event stream rather than its constructor, so that it has none of YAML's traps:

- YAML 1.2 core schema (``yaml_scalars``): only ``true``/``false`` are booleans, so ``mode: off`` is
  the text "off"; ``2024-01-01`` is text, not a date; ``012`` is the number 12.
- A key given twice in one mapping is an error naming both lines (YAML 1.1 lets the last one win).
- Anchors, aliases and tags other than ``!!str`` are refused: a config file never needs them, and
  refusing them makes self-reference and exponential expansion ("billion laughs") impossible. Each
  refusal has a kind, so a file full of them gets one line with a count (``errors``).
- Files over ``MAX_BYTES``, nesting deeper than ``MAX_DEPTH``, more than ``MAX_NODES`` keys and
  values, and values over ``MAX_SCALAR`` characters are refused; nothing recurses, so no input
  ends in a ``RecursionError``.

Parsing is linear in the input (libyaml's C parser, then one loop over its events, stopping at
the first bound exceeded), so any file within ``MAX_BYTES`` is read or refused well within a
second, and so is its validation. Every key and list item keeps its line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cdk_app.config.errors import MAX_PROBLEMS, ConfigError, Loc, Problem, field_path, shown_path
from cdk_app.config.yaml_scalars import resolve

# Bounds far above any real config (the shipped prod.yaml: 4 KiB, 6 levels, ~300 keys and values,
# no value over 80 characters; no model accepts a value over 2048). They bound the work after
# parsing too: pydantic sees at most MAX_NODES values, and no pattern runs on a huge string.
MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 10_000
MAX_SCALAR = 4096
# libyaml's C parser when PyYAML was built with it (the PyPI wheels are): same events, much faster.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAGS = frozenset({"!", "tag:yaml.org,2002:str"})
_COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})


@dataclass(frozen=True)
class YamlDocument:
    """One file's data, and the 1-based line of every key and list item (by location)."""

    file: str
    data: Any
    lines: Mapping[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int | None:
        """The line of ``loc``, or of its nearest enclosing key (a missing key has no line of its own)."""
        for end in range(len(loc), 0, -1):
            line = self.lines.get(loc[:end])
            if line is not None:
                return line
        return None

    def problem(self, loc: Loc, reason: str, *, kind: str | None = None) -> Problem:
        """A problem at ``loc`` in this file (``kind``: see ``errors.Problem``)."""
        return Problem(self.file, self.line_of(loc), field_path(loc) if loc else None, reason, kind)


def read_yaml_file(path: Path, shown: str | None = None) -> YamlDocument:
    """Read ``path`` (shown in messages as ``shown``). Raises ``ConfigError`` listing every problem found.

    A file that is missing, unreadable, not UTF-8, larger than ``MAX_BYTES``, not YAML, or that
    uses a refused feature (see the module docstring) is refused with its line where one applies.
    """
    name = shown or shown_path(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(name, None, "the file does not exist") from None
    except OSError as exc:
        raise ConfigError(name, None, f"cannot read the file ({exc.strerror or exc})") from None
    if len(raw) > MAX_BYTES:
        raise ConfigError(
            name, None, f"the file is larger than {MAX_BYTES // 1024} KiB; a config file is a few KiB"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(
            name, None, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8", line
        ) from None
    return parse_yaml(text, name)


def parse_yaml(text: str, shown: str) -> YamlDocument:
    """Parse ``text`` as described in the module docstring. Raises ``ConfigError``."""
    builder = _Builder(shown)
    loader = _LOADER(text)
    try:
        while loader.check_event() and not builder.stopped:
            builder.feed(loader.get_event())  # type: ignore[no-untyped-call]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        builder.add(mark.line + 1 if mark else None, f"invalid YAML: {problem}")
    except yaml.YAMLError as exc:
        builder.add(None, f"invalid YAML: {str(exc).splitlines()[0]}")
    finally:
        loader.dispose()
    if builder.problems:
        raise ConfigError.of(builder.problems, more=builder.more)
    return YamlDocument(shown, builder.root, builder.lines)


@dataclass
class _Open:
    """A mapping or sequence being built, where it sits, and (for a mapping) the key awaiting a value."""

    node: dict[str, Any] | list[Any]
    loc: Loc
    key: str | None = None
    key_lines: dict[str, int] = field(default_factory=dict)


class _Builder:
    """Turns events into data with an explicit stack (no recursion), collecting every problem."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.root: Any = None
        self.lines: dict[Loc, int] = {}
        self.stack: list[_Open] = []
        self.problems: list[Problem] = []
        self.more = 0
        self.documents = 0
        self.nodes = 0
        self.stopped = False
        self._handlers: dict[type[yaml.Event], Callable[[Any], None]] = {
            yaml.ScalarEvent: self._scalar,
            yaml.MappingStartEvent: self._collection,
            yaml.SequenceStartEvent: self._collection,
            yaml.MappingEndEvent: self._end,
            yaml.SequenceEndEvent: self._end,
            yaml.AliasEvent: self._alias,
            yaml.DocumentStartEvent: self._document,
        }

    def add(self, line: int | None, reason: str, loc: Loc = (), kind: str | None = None) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.more += 1
            self.stopped = True  # the cap is reached; the rest of the file adds nothing useful
            return
        self.problems.append(Problem(self.shown, line, field_path(loc) if loc else None, reason, kind))

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.NodeEvent):
            self.nodes += 1
            if self.nodes > MAX_NODES:
                reason = f"more than {MAX_NODES:,} keys and values; a config file has a few hundred"
                self.add(_line(event), reason)
                self.stopped = True
                return
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(event)

    def _document(self, event: yaml.DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            self.add(_line(event), "only one YAML document per file (remove the second '---')")
            self.stopped = True

    def _refused(self, event: yaml.NodeEvent) -> bool:
        """Anchors, and tags other than ``!!str``, are reported; the node then reads as null."""
        if event.anchor is not None:
            self.add(
                _line(event),
                f"anchors (&{event.anchor}) are not supported; write the value out",
                self._here(),
                "anchor",
            )
            return True
        tag = getattr(event, "tag", None)
        allowed = _STR_TAGS if isinstance(event, yaml.ScalarEvent) else _COLLECTION_TAGS
        if tag is not None and tag not in allowed:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            reason = f"the tag {shown} is not supported (only !!str, to force text)"
            self.add(_line(event), reason, self._here(), "tag")
            return True
        return False

    def _here(self) -> Loc:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.node, list):
            return (*top.loc, len(top.node))
        return (*top.loc, top.key) if top.key is not None else top.loc

    def _alias(self, event: yaml.AliasEvent) -> None:
        reason = f"aliases (*{event.anchor}) are not supported; write the value out"
        self.add(_line(event), reason, self._here(), "alias")
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.node, dict) and top.key is None:
            self.stopped = True  # an alias as a key leaves nothing sensible to attach values to
        else:
            self._place(None, _line(event))

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        refused = self._refused(event)
        if len(event.value) > MAX_SCALAR:
            reason = f"{len(event.value):,} characters; no setting takes more than {MAX_SCALAR:,}"
            self.add(_line(event), reason, self._here(), "long value")
            refused = True
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.node, dict) and top.key is None:
            self._key(top, event.value, _line(event))
            return
        self._place(None if refused else resolve(event), _line(event))

    def _key(self, top: _Open, key: str, line: int) -> None:
        first = top.key_lines.get(key)
        if first is not None:
            reason = f"key given twice, at lines {first} and {line}; keep one"
            self.add(line, reason, (*top.loc, key), "duplicate key")
        else:
            top.key_lines[key] = line
        top.key = key

    def _collection(self, event: yaml.CollectionStartEvent) -> None:
        top = self.stack[-1] if self.stack else None
        line = _line(event)
        if top is not None and isinstance(top.node, dict) and top.key is None:
            self.add(line, "a key must be a plain name, not a mapping or a list", top.loc)
            self.stopped = True
            return
        if len(self.stack) >= MAX_DEPTH:
            self.add(
                line, f"nested deeper than {MAX_DEPTH} levels; a config file needs far fewer", self._here()
            )
            self.stopped = True
            return
        self._refused(event)
        node: dict[str, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
        loc = self._here()
        self._place(node, line)
        self.stack.append(_Open(node, loc))

    def _end(self, _event: yaml.CollectionEndEvent) -> None:
        self.stack.pop()

    def _place(self, value: Any, line: int) -> None:
        """Attach a finished value to the open collection (or make it the root) and note its line."""
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if isinstance(top.node, list):
            self.lines[(*top.loc, len(top.node))] = line
            top.node.append(value)
        else:
            assert top.key is not None  # a value follows its key
            here = (*top.loc, top.key)
            if here not in self.lines:  # a duplicate keeps the first key's value and line
                self.lines[here] = top.key_lines[top.key]
                top.node[top.key] = value
            top.key = None


def _line(event: yaml.Event) -> int:
    return event.start_mark.line + 1 if event.start_mark is not None else 0
