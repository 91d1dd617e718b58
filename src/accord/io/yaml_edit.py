"""Write changed numbers back into a user's own scenario text, keeping every comment and space.

The web app's YAML download must be the analyst's own file with the slider values in it, not a
re-serialised scenario that loses comments, indentation and quoting. Rather than re-dumping a
round-trip tree (which normalises indentation file-wide), this splices the text: PyYAML's composer
gives every node's start and end position, and only the spans of the edited parameters change.

- a bare number ``0.5`` becomes ``{value: 0.3, edited: true}``;
- a mapping keeps its evidence (and the comments in it): its ``value`` is rewritten, or added, and
  ``edited: true`` is added after it, at the mapping's own indentation (block) or before its ``}``
  (flow);
- a shifted distribution's argument list is rewritten in flow style.

JSON text stays JSON (keys are quoted). A field reached through an alias is refused, because
writing it would change every copy. The text must already have passed
:func:`accord.io.scenario_file.parse_scenario`, which caps its size and its alias expansion.

Example::

    >>> text = "a: 1  # keep me\\nprefs:\\n  w: 0.5  # and me\\n"
    >>> print(write_params(text, {("prefs", "w"): {"value": 0.25, "edited": True}}), end="")
    a: 1  # keep me
    prefs:
      w: {value: 0.25, edited: true}  # and me
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from accord.errors import ScenarioError

_DIST_KEYS = ("normal", "truncnormal", "uniform", "triangular", "beta", "choice")


def _num(x: Any) -> str:
    return json.dumps(float(x)) if not isinstance(x, bool) else ("true" if x else "false")


def _find(node: Any, key: str) -> tuple[Any, Any] | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None


def _last_index(node: Any) -> int:
    """Where a node's text ends (a block collection ends with its last child)."""
    if isinstance(node, yaml.MappingNode) and node.value and not node.flow_style:
        return _last_index(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
        return _last_index(node.value[-1])
    return int(node.end_mark.index)


def _shared(root: Any) -> set[int]:
    """Ids of nodes reachable twice (through an alias)."""
    seen: set[int] = set()
    twice: set[int] = set()
    stack = [root]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            twice.add(id(n))
            continue
        seen.add(id(n))
        if isinstance(n, yaml.MappingNode):
            stack.extend(v for _k, v in n.value)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
    return twice


def write_params(
    text: str, params: Mapping[tuple[str, ...], Mapping[str, Any]], *, file: str = "<edited>"
) -> str:
    """``text`` with the parameter at each key path replaced by its new serialised form (a
    :class:`~accord.scenario.base.Param` dump); everything else is left byte for byte."""
    is_json = text.lstrip().startswith("{")
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    shared = _shared(root)
    splices: list[tuple[int, int, str]] = []

    def key(k: str) -> str:
        return json.dumps(k) if is_json else k

    for path, new in params.items():
        node = root
        for depth, k in enumerate(path):
            found = _find(node, k)
            if found is None:
                raise ScenarioError("the scenario has no such field", field=path, file=file)
            node = found[1]
            if id(node) in shared:
                raise ScenarioError(
                    "this field is shared through a YAML alias, so writing it would change "
                    "every copy",
                    field=path[: depth + 1],
                    file=file,
                    hint="write the shared block out in full in your file, then edit it",
                )
        if isinstance(node, yaml.ScalarNode):
            parts = [f"{key('value')}: {_num(new['value'])}"]
            dist = [d for d in _DIST_KEYS if d in new]
            if dist:
                args = ", ".join(_num(a) for a in new[dist[0]])
                parts.insert(0, f"{key(dist[0])}: [{args}]")
            if new.get("edited"):
                parts.append(f"{key('edited')}: true")
            splices.append(
                (node.start_mark.index, node.end_mark.index, "{" + ", ".join(parts) + "}")
            )
            continue
        if not isinstance(node, yaml.MappingNode):
            raise ScenarioError("expected a number or a mapping here", field=path, file=file)
        _edit_mapping(text, node, new, splices, key, path, file)
    out = text
    for start, end, repl in sorted(splices, key=lambda s: s[0], reverse=True):
        out = out[:start] + repl + out[end:]
    return out


def _edit_mapping(
    text: str,
    node: Any,
    new: Mapping[str, Any],
    splices: list[tuple[int, int, str]],
    key: Any,
    path: Sequence[str],
    file: str,
) -> None:
    adds: list[str] = []
    for d in _DIST_KEYS:
        if d not in new:
            continue
        found = _find(node, d)
        args = list(new[d])
        if found is None:
            raise ScenarioError(
                f"the field has no {d} distribution to shift", field=path, file=file
            )
        old = found[1]
        old_args = [float(getattr(x, "value", "nan")) for x in getattr(old, "value", [])]
        if old_args != [float(a) for a in args]:
            flow = "[" + ", ".join(_num(a) for a in args) + "]"
            splices.append((old.start_mark.index, _last_index(old), flow))
    value = _find(node, "value")
    if "value" in new:
        if value is not None:
            splices.append((value[1].start_mark.index, value[1].end_mark.index, _num(new["value"])))
        else:
            adds.append(f"{key('value')}: {_num(new['value'])}")
    edited = _find(node, "edited")
    if new.get("edited"):
        if edited is not None:
            splices.append((edited[1].start_mark.index, edited[1].end_mark.index, "true"))
        else:
            adds.append(f"{key('edited')}: true")
    if not adds:
        return
    if node.flow_style:
        end = node.end_mark.index - 1  # the closing brace
        sep = ", " if node.value else ""
        splices.append((end, end, sep + ", ".join(adds)))
        return
    # Block style: new lines after the entry that holds the value (or the distribution, or the
    # last entry), at the indentation of the mapping's keys.
    dists = [e for d in _DIST_KEYS if (e := _find(node, d)) is not None]
    anchor_entry = value or (dists[0] if dists else node.value[-1])
    indent = " " * anchor_entry[0].start_mark.column
    at = _last_index(anchor_entry[1])
    if at > 0 and text[at - 1] == "\n":  # a block scalar ends at the start of the next line
        line_end = at - 1
    else:
        line_end = text.find("\n", at)
        line_end = len(text) if line_end < 0 else line_end
    splices.append((line_end, line_end, "".join(f"\n{indent}{a}" for a in adds)))
