"""Reading and writing scenario files (YAML or JSON), treating every file as untrusted.

Limits: files over ``MAX_FILE_BYTES`` are refused before they are parsed; YAML is read with the safe
loader, and a document that expands (through aliases) to more than ``MAX_YAML_NODES`` nodes, to more
composed bytes than ``EXPANSION_FACTOR`` times its own size (at least ``MIN_EXPANSION_BYTES``), or
nests deeper than ``MAX_DEPTH`` is refused, so an alias bomb cannot hang the process or exhaust
memory. JSON duplicate keys are refused as YAML's are; numbers must be finite and integers within
float range; text may not hold NUL characters. Every problem becomes a :class:`ScenarioError` naming
the file, the line where known, the field path and the fix.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from accord.errors import ScenarioError, format_path
from accord.io.safe_read import read_bytes_limited
from accord.scenario.model import Scenario

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_YAML_NODES = 500_000
MAX_DEPTH = 200
EXPANSION_FACTOR = 10
"""The data YAML aliases compose may be at most this many times the file's size in bytes..."""
MIN_EXPANSION_BYTES = 1024 * 1024
"""... or this many bytes, whichever is larger (a small file may reuse an anchor a few times)."""
MAX_INT_DIGITS = 300
"""Integers longer than this are beyond float range (about 1.8e308) and refused."""

Path_ = tuple[str | int, ...]


def builtin_ids() -> list[str]:
    """Ids of the scenarios shipped with Accord."""
    folder = resources.files("accord") / "scenarios"
    return sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))


def builtin_text(scenario_id: str) -> str:
    return (resources.files("accord") / "scenarios" / f"{scenario_id}.yaml").read_text("utf-8")


def load_scenario(ref: str | Path) -> Scenario:
    """Load a scenario from a path (.yaml, .yml or .json) or a built-in id (``hanoi-2019``)."""
    path = Path(ref)
    if path.is_file():
        return parse_scenario(read_text_limited(path), file=str(path))
    if isinstance(ref, str) and ref in builtin_ids():
        return parse_scenario(builtin_text(ref), file=f"<built-in {ref}>")
    if path.exists():
        raise ScenarioError("is not a regular file", file=str(path), hint="give a scenario file")
    raise ScenarioError(
        "no such file, and no built-in scenario has this id",
        file=str(ref),
        hint=f"check the path, or use a built-in id: {', '.join(builtin_ids())} ('accord list')",
    )


def read_text_limited(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file of at most ``limit`` bytes, or raise ScenarioError."""
    data = read_bytes_limited(
        path, limit, hint="scenario files are small text files; check that this is the right file"
    )
    return decode_text(data, str(path))


def decode_text(data: bytes, file: str) -> str:
    if b"\x00" in data:
        raise ScenarioError(
            "is a binary file, not text", file=file, hint="give a YAML or JSON scenario file"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"is not valid UTF-8 text (byte {exc.start})",
            file=file,
            hint="save the file as UTF-8",
        ) from None


def parse_scenario(text: str, *, file: str = "<scenario>", fmt: str | None = None) -> Scenario:
    """Parse and validate scenario text; ``fmt`` is 'yaml' or 'json' (default: by file name)."""
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_FILE_BYTES:
        raise ScenarioError(f"the text is over the limit of {MAX_FILE_BYTES:,} bytes", file=file)
    fmt = fmt or ("json" if file.lower().endswith(".json") else "yaml")
    lines: dict[Path_, int] = {}
    if fmt == "json":
        data = _parse_json(text, file)
    else:
        data, lines = parse_yaml(text, file, size=size)
    return validate_scenario(data, file=file, lines=lines)


def validate_scenario(
    data: Any, *, file: str, lines: Mapping[Path_, int] | None = None
) -> Scenario:
    """Validate parsed data as a Scenario, turning errors into ScenarioError with line numbers."""
    lines = lines or {}
    if data is None:
        raise ScenarioError("the file is empty", file=file, hint="start it with 'accord: 1'")
    if not isinstance(data, dict):
        raise ScenarioError(
            f"the top level is a {type(data).__name__}, not a mapping of keys",
            file=file,
            line=1,
            hint="a scenario starts with 'accord: 1', 'id: ...', 'title: ...'",
        )
    if "accord" not in data:
        raise ScenarioError(
            "the schema version is missing", file=file, field="accord", hint="add 'accord: 1'"
        )
    if data.get("accord") != 1:
        raise ScenarioError(
            f"unsupported schema version {data.get('accord')!r}",
            file=file,
            line=lines.get(("accord",)),
            field="accord",
            hint="this version of Accord reads 'accord: 1'",
        )
    try:
        return Scenario.model_validate(data)
    except ScenarioError as exc:
        path = _split_field(exc.field)
        raise ScenarioError(
            exc.message, file=file, line=_line_for(lines, path), field=exc.field, hint=exc.hint
        ) from None
    except ValidationError as exc:
        raise _from_validation(exc, data, file, lines) from None


def _split_field(field: str | None) -> Path_:
    if not field:
        return ()
    out: list[str | int] = []
    for part in field.replace("[", ".[").split("."):
        if not part:
            continue
        out.append(int(part[1:-1]) if part.startswith("[") else part)
    return tuple(out)


def _line_for(lines: Mapping[Path_, int], path: Path_) -> int | None:
    for k in range(len(path), -1, -1):
        if path[:k] in lines:
            return lines[path[:k]]
    return None


def _plain_field(part: str) -> bool:
    if part in ("str", "float", "int", "dict", "list", "tuple", "bool") or "[" in part:
        return False
    return part.replace("_", "").replace("-", "").isalnum() and not part[:1].isupper()


def _data_path(data: Any, loc: tuple[Any, ...]) -> Path_:
    """Keep the parts of a pydantic error location that exist in the data (drops union tags)."""
    out: list[str | int] = []
    cur = data
    for part in loc:
        in_dict = isinstance(cur, dict) and part in cur
        in_list = isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)
        if in_dict or in_list:
            out.append(part)
            cur = cur[part]
        elif isinstance(part, str) and isinstance(cur, dict) and _plain_field(part):
            # a missing or an extra key: name it (union tags such as 'str' are skipped)
            out.append(part)
            cur = None
    return tuple(out)


_HINTS = {
    "extra_forbidden": "remove the key or correct its spelling ('accord schema' lists every key)",
    "missing": "add this key",
    "float_parsing": "give a number",
    "float_type": "give a number",
    "int_type": "give a whole number",
    "string_type": "give text",
    "literal_error": "use one of the allowed words",
    "dict_type": "give a mapping of keys to values",
    "tuple_type": "give a list",
    "list_type": "give a list",
}


def _from_validation(
    exc: ValidationError, data: Any, file: str, lines: Mapping[Path_, int]
) -> ScenarioError:
    errors = exc.errors(include_url=False)
    # A union reports one error per alternative; prefer the most specific (longest path) one.
    errors.sort(key=lambda e: -len(_data_path(data, e["loc"])))
    first = errors[0]
    path = _data_path(data, first["loc"])
    msg = str(first["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if first["type"] == "extra_forbidden":
        msg = f"unknown key '{path[-1]}'" if path else "unknown key"
    elif first["type"] == "missing":
        msg = f"the required key '{path[-1]}' is missing" if path else "a required key is missing"
    n_paths = len({tuple(_data_path(data, e["loc"])) for e in errors})
    more = f" ({n_paths - 1} other field(s) also have problems.)" if n_paths > 1 else ""
    return ScenarioError(
        msg.rstrip(".") + "." + more,
        file=file,
        line=_line_for(lines, path),
        field=format_path(path) if path else None,
        hint=_HINTS.get(first["type"]),
    )


class _BadNumber:
    """A JSON number that cannot be read as a finite float; reported with its field path."""

    def __init__(self, text: str) -> None:
        self.text = text


class _JsonObject(dict[str, Any]):
    """A JSON object that remembers a repeated key (JSON allows them; scenario files do not)."""

    repeated: str | None = None


def _json_object(pairs: list[tuple[str, Any]]) -> _JsonObject:
    out = _JsonObject()
    for key, value in pairs:
        if key in out and out.repeated is None:
            out.repeated = key
        out[key] = value
    return out


def _json_float(text: str) -> float | _BadNumber:
    value = float(text)
    return value if value - value == 0 else _BadNumber(text)  # inf and nan fail this


def _json_int(text: str) -> int | _BadNumber:
    if len(text) > MAX_INT_DIGITS:  # int() of 4,300+ digits raises, and float() overflows
        return _BadNumber(text)
    return int(text)


def _parse_json(text: str, file: str) -> Any:
    try:
        data = json.loads(
            text,
            object_pairs_hook=_json_object,
            parse_float=_json_float,
            parse_int=_json_int,
            parse_constant=_BadNumber,
        )
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            f"is not valid JSON: {exc.msg} (column {exc.colno})",
            file=file,
            line=exc.lineno,
            hint="check the brackets, commas and quotes around that line",
        ) from None
    except RecursionError:
        raise ScenarioError(f"nests deeper than {MAX_DEPTH} levels", file=file) from None
    _check_json(data, file)
    return data


def _number_text(text: str) -> str:
    return text if len(text) <= 24 else f"{text[:12]}...{text[-4:]} ({len(text):,} characters)"


def _check_json(data: Any, file: str) -> None:
    """Refuse repeated keys, non-finite or out-of-range numbers, NUL characters and deep nesting.

    Walks the data with an explicit stack (no recursion), in linear time.
    """
    stack: list[tuple[Any, Path_]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        field = format_path(path) if path else None
        if len(path) > MAX_DEPTH:
            raise ScenarioError(f"nests deeper than {MAX_DEPTH} levels", file=file, field=field)
        if isinstance(value, _BadNumber):
            raise ScenarioError(
                f"'{_number_text(value.text)}' is not a finite number within float range",
                file=file,
                field=field,
                hint="give a finite number (at most about 1.8e308 in size)",
            )
        if isinstance(value, str):
            _check_text(value, file, path)
        elif isinstance(value, dict):
            if getattr(value, "repeated", None) is not None:
                raise ScenarioError(
                    f"the key '{value.repeated}' appears twice",  # type: ignore[attr-defined]
                    file=file,
                    field=field,
                    hint="keep one of them",
                )
            for key, child in value.items():
                _check_text(key, file, path, key=True)
                stack.append((child, (*path, key)))
        elif isinstance(value, list):
            stack.extend((child, (*path, k)) for k, child in enumerate(value))


def _check_text(
    text: str, file: str, path: Path_, *, key: bool = False, line: int | None = None
) -> None:
    if "\x00" in text:
        raise ScenarioError(
            f"{'a key' if key else 'the text'} holds a NUL character",
            file=file,
            line=line,
            field=format_path(path) if path else None,
            hint="remove the NUL (\\u0000 or \\0) character",
        )


MAX_C_FLOW_BRACKETS = 2_000
"""libyaml composes nested nodes with C recursion; from version 0.2.5 it refuses nesting deeper
than 1,000 levels itself. With an older libyaml, a document with more flow brackets than this (the
only way to nest deeply in few bytes) is read by the pure-Python loader, which turns deep nesting
into a clear error."""


def _libyaml_limits_depth() -> bool:
    try:
        from yaml import _yaml

        return tuple(_yaml.get_version()) >= (0, 2, 5)
    except (ImportError, AttributeError):
        return False


_C_LOADER = getattr(yaml, "CSafeLoader", None)
_C_DEPTH_LIMITED = _C_LOADER is not None and _libyaml_limits_depth()


def _loader(text: str) -> yaml.SafeLoader:
    """libyaml's safe loader (tens of times faster) when available and safe for this text."""
    if _C_LOADER is not None and (
        _C_DEPTH_LIMITED or text.count("[") + text.count("{") <= MAX_C_FLOW_BRACKETS
    ):
        return _C_LOADER(text)
    return yaml.SafeLoader(text)


def parse_yaml(text: str, file: str, *, size: int | None = None) -> tuple[Any, dict[Path_, int]]:
    """Parse one YAML document safely; return the data and a map from field path to line.

    ``size`` is the document's size in bytes (measured here when not given); the data aliases
    compose may be at most ``EXPANSION_FACTOR`` times as large.
    """
    if size is None:
        size = len(text.encode("utf-8", errors="replace"))
    try:
        loader = _loader(text)
    except yaml.YAMLError as exc:  # the reader rejects control characters up front
        raise ScenarioError(
            f"is not valid YAML text: {exc}", file=file, hint="remove control characters"
        ) from None
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            if "maximum nesting depth" in str(exc.problem):  # libyaml's own limit (1,000)
                raise ScenarioError(
                    f"nests deeper than {MAX_DEPTH} levels",
                    file=file,
                    line=mark.line + 1 if mark else None,
                ) from None
            raise ScenarioError(
                f"is not valid YAML: {exc.problem or exc.context}",
                file=file,
                line=mark.line + 1 if mark else None,
                hint="check the indentation and the ':' and '-' around that line",
            ) from None
        except yaml.YAMLError as exc:
            raise ScenarioError(f"is not valid YAML: {exc}", file=file) from None
        except RecursionError:
            raise ScenarioError(f"nests deeper than {MAX_DEPTH} levels", file=file) from None
        if node is None:
            return None, {}
        max_bytes = max(MIN_EXPANSION_BYTES, EXPANSION_FACTOR * size)
        _check_expansion(node, file, max_bytes)
        builder = _Builder(loader, file, max_bytes)
        data = builder.build(node, (), 0)
        return data, builder.lines
    finally:
        loader.dispose()


def _node_bytes(node: yaml.Node) -> int:
    return len(node.value) + 1 if isinstance(node, yaml.ScalarNode) else 2


def _check_expansion(root: yaml.Node, file: str, max_bytes: int) -> None:
    """Refuse a document whose aliases expand too far, before any data is built.

    The composed node graph shares a node wherever an alias (``*name``) reuses an anchor, so the
    expanded node count and bytes are sums over a DAG: computed once per distinct node in
    post-order with an explicit stack, in time linear in the file, however large the expansion.
    """
    done: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded nodes, expanded bytes)
    open_nodes: set[int] = set()  # started, children not finished: an ancestor of the top
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, ready = stack.pop()
        key = id(node)
        if key in done:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        if not ready:
            if key in open_nodes:  # reached again from inside itself: a recursive alias
                raise ScenarioError(
                    "has an alias that refers to itself (a recursive anchor)",
                    file=file,
                    line=node.start_mark.line + 1,
                    hint="an alias (*name) may only repeat a finished anchor (&name)",
                )
            open_nodes.add(key)
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in done)
            continue
        open_nodes.discard(key)
        nodes, size = 1, _node_bytes(node)
        for c in children:
            c_nodes, c_size = done[id(c)]
            nodes += c_nodes
            size += c_size
        if nodes > MAX_YAML_NODES or size > max_bytes:
            what = (
                f"more than {MAX_YAML_NODES:,} values"
                if nodes > MAX_YAML_NODES
                else f"more than {max_bytes:,} bytes of data ({EXPANSION_FACTOR} times the "
                f"file's size, at least {MIN_EXPANSION_BYTES:,})"
            )
            raise ScenarioError(
                f"expands through aliases (*name) to {what} (an alias bomb?)",
                file=file,
                line=node.start_mark.line + 1,
                hint="write the repeated parts out, or reuse fewer anchors",
            )
        done[key] = (nodes, size)


class _Builder:
    """Turns a composed YAML node tree into Python data, counting nodes and composed bytes (an alias
    visited twice counts twice) to stop alias bombs."""

    def __init__(self, loader: yaml.SafeLoader, file: str, max_bytes: int) -> None:
        self.loader = loader
        self.file = file
        self.count = 0
        self.bytes = 0
        self.max_bytes = max_bytes
        self.lines: dict[Path_, int] = {}

    def _scalar(self, node: yaml.Node, path: Path_) -> Any:
        line = node.start_mark.line + 1
        field = format_path(path) if path else None
        if node.tag == "tag:yaml.org,2002:int" and len(node.value) > MAX_INT_DIGITS:
            raise ScenarioError(
                f"the number '{_number_text(node.value)}' is beyond float range",
                file=self.file,
                line=line,
                field=field,
                hint="give a finite number (at most about 1.8e308 in size)",
            )
        try:
            value = self.loader.construct_object(node, deep=True)
        except ValueError as exc:  # for example an integer over Python's digit limit
            raise ScenarioError(
                f"has a number YAML cannot read ({exc})", file=self.file, line=line, field=field
            ) from None
        except yaml.YAMLError as exc:
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise ScenarioError(
                f"has a value YAML cannot read ({problem})",
                file=self.file,
                line=node.start_mark.line + 1,
                field=format_path(path) if path else None,
                hint="use plain numbers, text, lists and mappings",
            ) from None
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and abs(value) > sys.float_info.max
        ):
            raise ScenarioError(
                "the number is beyond float range",
                file=self.file,
                line=line,
                field=field,
                hint="give a finite number (at most about 1.8e308 in size)",
            )
        if isinstance(value, str):
            _check_text(value, self.file, path, line=line)
        return value

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        self.bytes += _node_bytes(node)
        if self.bytes > self.max_bytes:
            raise ScenarioError(
                f"expands through aliases (*name) to more than {self.max_bytes:,} bytes of data "
                f"({EXPANSION_FACTOR} times the file's size, at least {MIN_EXPANSION_BYTES:,}; "
                "an alias bomb?)",
                file=self.file,
                line=node.start_mark.line + 1,
                hint="write the repeated parts out, or reuse fewer anchors",
            )
        if self.count > MAX_YAML_NODES:
            raise ScenarioError(
                f"expands to more than {MAX_YAML_NODES:,} values (an alias bomb?)",
                file=self.file,
                line=node.start_mark.line + 1,
                hint="remove the repeated aliases (*name); scenario files are small",
            )
        if depth > MAX_DEPTH:
            raise ScenarioError(
                f"nests deeper than {MAX_DEPTH} levels",
                file=self.file,
                line=node.start_mark.line + 1,
            )
        if path not in self.lines:
            self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode):
            value = self._scalar(node, path)
            if (isinstance(value, float) and value != value) or value in (
                float("inf"),
                float("-inf"),
            ):
                raise ScenarioError(
                    "is not a finite number",
                    file=self.file,
                    line=node.start_mark.line + 1,
                    field=format_path(path) if path else None,
                    hint="give a finite number",
                )
            if not isinstance(value, str | int | float | bool | type(None)):
                value = str(value)  # dates and timestamps stay text
            return value
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise ScenarioError(
                        "has a key that is not a plain name",
                        file=self.file,
                        line=key_node.start_mark.line + 1,
                    )
                if key_node.tag == "tag:yaml.org,2002:merge" or key_node.value == "<<":
                    raise ScenarioError(
                        "uses a YAML merge key (<<), which scenario files do not accept",
                        file=self.file,
                        line=key_node.start_mark.line + 1,
                        hint="write the keys out",
                    )
                key = self._scalar(key_node, path)
                key = key if isinstance(key, str | int) and not isinstance(key, bool) else str(key)
                if isinstance(key, str):
                    _check_text(key, self.file, path, key=True, line=key_node.start_mark.line + 1)
                if key in out:
                    raise ScenarioError(
                        f"the key '{key}' appears twice",
                        file=self.file,
                        line=key_node.start_mark.line + 1,
                        field=format_path(path) if path else None,
                        hint="keep one of them",
                    )
                out[key] = self.build(value_node, (*path, key), depth + 1)
            return out
        raise ScenarioError("has an unsupported YAML node", file=self.file)  # pragma: no cover


def dump_yaml(data: Any) -> str:
    """YAML text for plain data (block style, keys in insertion order, unicode kept).

    Uses libyaml's emitter when available (the same text, tens of times faster on large data).
    """
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text: str = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
    return text


def scenario_to_yaml(scenario: Scenario) -> str:
    return dump_yaml(scenario.to_yaml_dict())


def save_scenario(scenario: Scenario, path: Path) -> None:
    text = (
        json.dumps(scenario.to_yaml_dict(), indent=2, ensure_ascii=False)
        if path.suffix.lower() == ".json"
        else scenario_to_yaml(scenario)
    )
    path.write_text(text, encoding="utf-8")
