"""The hostile-input corpus: every case, small or generated, with the outcome it must reach.

Run ``python tests/hostile/generate.py OUT`` to write every case into the folder ``OUT`` (one
sub-folder per case, with ``case.json`` giving the command and the expected outcome); the test
``tests/hostile/test_hostile.py`` builds the same cases in a temporary folder and runs each one
through the ``accord`` command under a time and memory cap.

The classes follow issue 19 ("Hostile input…", docs/ has no copy; the classes are its items 2, 4,
5 and 6): alias amplification, ids, numbers, nesting, NUL bytes, duplicate keys, quadratic costs,
stakeholder CSV and GENIUS XML. A case expects either exit 0 (a correct result, with text the
output must contain) or exit 2 (a clear error naming the file and the field or line, with text it
must contain). No case may print a traceback or "internal error".
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Files = dict[str, str | bytes]


@dataclass(frozen=True)
class Case:
    name: str
    cls: str  # alias | id | number | depth | nul | dupkey | quadratic | csv | genius
    files: Files
    command: tuple[str, ...]  # accord arguments; "{dir}" is replaced by the case folder
    exit: int  # 0: a correct result; 2: a clear refusal
    contains: tuple[str, ...] = ()  # text the output must contain
    large: bool = False  # built by a generator function rather than written out by hand
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


CASES: list[Case] = []


def case(
    name: str,
    cls: str,
    files: Files,
    command: tuple[str, ...],
    exit: int,
    *contains: str,
    large: bool = False,
) -> None:
    CASES.append(Case(name, cls, files, command, exit, tuple(contains), large))


# ------------------------------------------------------------------------------ scenario pieces


def scenario(**overrides: Any) -> dict[str, Any]:
    """A small valid two-party, one-issue scenario as plain data; ``overrides`` replace keys."""
    data: dict[str, Any] = {
        "accord": 1,
        "id": "hostile",
        "title": "Hostile",
        "sources": [{"id": "src", "title": "Source", "file": "src.txt"}],
        "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        "issues": [{"id": "price", "options": ["low", "high"]}],
        "preferences": {
            "a": {"weights": {"price": 1}, "values": {"price": {"low": 0, "high": 1}}},
            "b": {"weights": {"price": 1}, "values": {"price": {"low": 1, "high": 0}}},
        },
    }
    data.update(overrides)
    return data


def validate_json(name: str, cls: str, data: Any, exit: int, *contains: str) -> None:
    text = data if isinstance(data, str) else json.dumps(data)
    case(name, cls, {"s.json": text}, ("validate", "{dir}/s.json"), exit, *contains)


def validate_yaml(name: str, cls: str, text: str | bytes, exit: int, *contains: str) -> None:
    case(name, cls, {"s.yaml": text}, ("validate", "{dir}/s.yaml"), exit, *contains)


HEAD = "accord: 1\nid: hostile\ntitle: Hostile\n"
PARTIES = "parties:\n  - {id: a, name: A}\n  - {id: b, name: B}\n"
ISSUES = "issues:\n  - {id: price, options: [low, high]}\n"
B_PREFS = "  b: {weights: {price: 1}, values: {price: {low: 1, high: 0}}}\n"


def yaml_with_weight(weight: str) -> str:
    return (
        HEAD
        + PARTIES
        + ISSUES
        + "preferences:\n"
        + f"  a: {{weights: {{price: {weight}}}, values: {{price: {{low: 0, high: 1}}}}}}\n"
        + B_PREFS
    )


def with_pref_a(**pref: Any) -> dict[str, Any]:
    data = scenario()
    data["preferences"]["a"] = {
        "weights": {"price": 1},
        "values": {"price": {"low": 0, "high": 1}},
        **pref,
    }
    return data


def two_issue(weights: dict[str, Any]) -> dict[str, Any]:
    data = scenario()
    data["issues"] = [
        {"id": "price", "options": ["low", "high"]},
        {"id": "term", "options": ["short", "long"]},
    ]
    data["preferences"]["a"] = {
        "weights": weights,
        "values": {"price": {"low": 0, "high": 1}, "term": {"short": 0, "long": 1}},
    }
    data["preferences"]["b"] = {
        "weights": {"price": 1, "term": 1},
        "values": {"price": {"low": 1, "high": 0}, "term": {"short": 1, "long": 0}},
    }
    return data


# ------------------------------------------------------------------ 1. alias amplification (19.2)

_BIG = "x" * 100_000
validate_yaml(
    "alias-bytes-long-string",
    "alias",
    HEAD + f"s: &s {_BIG}\nrepeat: [{', '.join(['*s'] * 2_000)}]\n",
    2,
    "alias",
)
_EV = "[{source: src, quote: &q " + "y" * 20_000 + "}]"
validate_yaml(
    "alias-bytes-evidence",
    "alias",
    HEAD
    + "sources: [{id: src, title: S}]\n"
    + f"evidence: &ev {_EV}\n"
    + "parties:\n"
    + "".join(f"  - {{id: p{k}, name: P, evidence: *ev}}\n" for k in range(3_000)),
    2,
    "alias",
)
_levels = ["l0: &l0 " + "z" * 1_000]
for _k in range(1, 5):
    _levels.append(f"l{_k}: &l{_k} [{', '.join([f'*l{_k - 1}'] * 10)}]")
validate_yaml("alias-bytes-nested", "alias", HEAD + "\n".join(_levels) + "\n", 2, "alias")
_laughs = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
for _k in range(1, 9):
    _laughs.append(f"a{_k}: &a{_k} [{', '.join([f'*a{_k - 1}'] * 9)}]")
validate_yaml("alias-billion-laughs", "alias", HEAD + "\n".join(_laughs) + "\n", 2, "alias")
validate_yaml(
    "alias-merge-key",
    "alias",
    HEAD + "base: &b {id: a, name: A}\nparties:\n  - {<<: *b}\n",
    2,
    "merge",
)
validate_yaml(
    "alias-small-reuse-ok",
    "alias",
    HEAD
    + "sources: [{id: src, title: S}]\n"
    + "parties:\n  - {id: a, name: &n Alpha}\n  - {id: b, name: *n}\n",
    0,
    "valid",
)
validate_yaml(
    "alias-recursive",
    "alias",
    HEAD + "loop: &x [*x]\n",
    2,
    "line",
)
validate_yaml(
    "alias-undefined",
    "alias",
    HEAD + "title2: *nothing\n",
    2,
    "line",
)

# --------------------------------------------------------------------------- 2. ids (19.2, 19.5)


def party_ids_json(name: str, ids: list[str], exit: int, *contains: str) -> None:
    data = scenario(parties=[{"id": i, "name": f"P{k}"} for k, i in enumerate(ids)])
    data.pop("preferences")
    data.pop("issues")
    validate_json(name, "id", data, exit, *contains)


party_ids_json("id-trailing-newline", ["a", "a\n"], 2, "parties[1].id")
party_ids_json("id-leading-newline", ["\na"], 2, "parties[0].id")
party_ids_json("id-trailing-crlf", ["a\r\n"], 2, "parties[0].id")
party_ids_json("id-escape", ["a\x1b[31m"], 2, "parties[0].id")
party_ids_json("id-c1-nel", ["a\x85"], 2, "parties[0].id")
party_ids_json("id-c1-csi", ["\x9b31m"], 2, "parties[0].id")
party_ids_json("id-tab", ["a\tb"], 2, "parties[0].id")
party_ids_json("id-rich-close-tag", ["[/x]"], 2, "parties[0].id")
party_ids_json("id-rich-close-all", ["[/]"], 2, "parties[0].id")
party_ids_json("id-rich-link", ["[link=https://example.org]a"], 2, "parties[0].id")
party_ids_json("id-zero-width", ["a\u200bb"], 2, "parties[0].id")
party_ids_json("id-non-ascii", ["équipe"], 2, "parties[0].id")
party_ids_json("id-too-long", ["a" * 65], 2, "parties[0].id")
party_ids_json("id-huge", ["a" * 1_000_000], 2, "parties[0].id")
party_ids_json("id-empty", [""], 2, "parties[0].id")
party_ids_json("id-leading-hyphen", ["-a"], 2, "parties[0].id")
party_ids_json("id-double-hyphen", ["a--b"], 2, "parties[0].id")
party_ids_json("id-space", ["united states"], 2, "parties[0].id")
party_ids_json("id-upper-ok", ["USA", "EU", "A01"], 0, "valid")
party_ids_json("id-mixed-case-ok", ["UnitedStates", "dprk"], 0, "valid")
party_ids_json("id-case-duplicate", ["USA", "usa"], 2, "parties")
party_ids_json("id-case-duplicate-mixed", ["Eu", "eU"], 2, "parties")
validate_yaml(
    "id-yaml-trailing-newline",
    "id",
    HEAD + 'parties:\n  - {id: "a\\n", name: A}\n',
    2,
    "parties[0].id",
)
validate_yaml("id-yaml-upper-ok", "id", HEAD + "parties:\n  - {id: EU, name: EU}\n", 0, "valid")
validate_json("id-scenario-newline", "id", scenario(id="hostile\n"), 2, "field 'id'")
validate_json("id-scenario-upper-ok", "id", scenario(id="Hanoi-2019"), 0, "valid")
_d = scenario()
_d["issues"] = [{"id": "Price", "options": ["low", "high"]}, {"id": "price", "options": ["x"]}]
validate_json("id-issue-case-duplicate", "id", _d, 2, "issues")
_d = scenario()
_d["issues"] = [{"id": "price", "options": ["LOW", "low"]}]
validate_json("id-option-case-duplicate", "id", _d, 2, "issues[0]")
_d = scenario()
_d["sources"] = [{"id": "SRC", "title": "S"}, {"id": "src", "title": "T"}]
validate_json("id-source-case-duplicate", "id", _d, 2, "sources")
_d = scenario()
_d["issues"] = [{"id": "Price", "options": ["Low", "High"]}]
_d["preferences"] = {
    "a": {"weights": {"Price": 1}, "values": {"Price": {"Low": 0, "High": 1}}},
    "b": {"weights": {"Price": 1}, "values": {"Price": {"Low": 1, "High": 0}}},
}
validate_json("id-upper-issue-ok", "id", _d, 0, "valid")
_d = scenario()
_d["preferences"]["a"]["weights"] = {"PRICE": 1}
validate_json("id-weight-wrong-case", "id", _d, 2, "preferences.a")
_d = scenario()
_d["parties"][0]["name"] = "Party [b] A [/] [link=https://x.example]"
validate_json("name-markup-ok", "id", _d, 0, "valid")
_d = scenario(title="Title \x1b]8;;https://x.example\x1b\\link\x1b]8;;\x1b\\")
validate_json("title-osc-ok", "id", _d, 0, "valid")

# ------------------------------------------------------------------- 3. numbers (19.2, 19.4, 19.5)


def json_weight(name: str, literal: str, exit: int, *contains: str) -> None:
    text = json.dumps(scenario()).replace(
        '"weights": {"price": 1}', f'"weights": {{"price": {literal}}}', 1
    )
    validate_json(name, "number", text, exit, *contains)


json_weight("json-nan-literal", "NaN", 2, "NaN")
json_weight("json-infinity-literal", "Infinity", 2, "Infinity")
json_weight("json-minus-infinity-literal", "-Infinity", 2, "Infinity")
json_weight("json-float-overflow", "1e400", 2, "preferences.a.weights.price")
json_weight("json-float-overflow-negative", "-1e400", 2, "preferences.a.weights.price")
json_weight("json-int-400-digits", "9" * 400, 2, "preferences.a.weights.price")
json_weight("json-int-5000-digits", "9" * 5000, 2, "preferences.a.weights.price")
json_weight("json-int-50000-digits", "9" * 50_000, 2, "preferences.a.weights.price")
json_weight("json-nan-string", '"NaN"', 2, "preferences.a.weights.price")
json_weight("json-value-nan-string", '{"value": "NaN"}', 2, "preferences.a.weights.price")
json_weight("json-value-inf-string", '{"value": "inf"}', 2, "preferences.a.weights.price")
json_weight("json-underflow-ok", "1e-400", 2, "weights")  # rounds to 0: every weight zero
json_weight("json-tiny-ok", "1e-300", 0, "valid")
json_weight("json-huge-finite-ok", "1e300", 0, "valid")
validate_yaml("yaml-nan", "number", yaml_with_weight(".nan"), 2, "preferences.a.weights.price")
validate_yaml("yaml-inf", "number", yaml_with_weight(".inf"), 2, "preferences.a.weights.price")
validate_yaml("yaml-minus-inf", "number", yaml_with_weight("-.inf"), 2, "preferences.a.weights")
validate_yaml("yaml-float-overflow", "number", yaml_with_weight("1.0e+400"), 2, "weights.price")
validate_yaml("yaml-int-400-digits", "number", yaml_with_weight("9" * 400), 2, "weights.price")
validate_yaml("yaml-int-5000-digits", "number", yaml_with_weight("9" * 5000), 2, "weights.price")
validate_yaml("yaml-hex-huge", "number", yaml_with_weight("0x" + "f" * 400), 2, "weights.price")
validate_yaml("yaml-octal-ok", "number", yaml_with_weight("07"), 0, "valid")  # YAML 1.1 octal
validate_yaml("yaml-sexagesimal-ok", "number", yaml_with_weight("1:30"), 0, "valid")
validate_yaml("yaml-string-weight", "number", yaml_with_weight("heavy"), 2, "weights.price")
validate_json(
    "weights-sum-overflow",
    "number",
    two_issue({"price": 1e308, "term": 1e308}),
    2,
    "preferences.a",
)
validate_json(
    "weights-sum-overflow-three",
    "number",
    two_issue({"price": 1.7e308, "term": {"uniform": [0, 1.7e308]}}),
    2,
    "preferences.a",
)
validate_json("weights-large-ok", "number", two_issue({"price": 1e300, "term": 1e300}), 0, "valid")


def numeric_issue(name: str, rng: Any, step: Any, exit: int, *contains: str) -> None:
    data = scenario(issues=[{"id": "amount", "range": rng, "step": step}])
    data["preferences"] = {
        "a": {"weights": {"amount": 1}, "values": {"amount": "increasing"}},
        "b": {"weights": {"amount": 1}, "values": {"amount": "decreasing"}},
    }
    validate_json(name, "number", data, exit, *contains)


numeric_issue("range-overflow", [-1e308, 1e308], 1, 2, "issues[0]")
numeric_issue(
    "range-max-float", [-1.7976931348623157e308, 1.7976931348623157e308], 1e308, 2, "issues[0]"
)
numeric_issue("step-denormal", [0, 1], 5e-324, 2, "issues[0]")
numeric_issue("step-tiny-range-huge", [0, 1e308], 1e-300, 2, "issues[0]")
numeric_issue("step-nan-string", [0, 1], "NaN", 2, "issues[0].step")
numeric_issue("range-inf-string", ["-inf", "inf"], 1, 2, "issues[0].range")
numeric_issue("range-int-400-digits", [0, int("9" * 400)], 1, 2, "issues[0].range")
numeric_issue("step-over-limit", [0, 1e9], 1, 2, "issues[0]")
numeric_issue("range-ok", [0, 100], 5, 0, "valid")


def dist_weight(name: str, dist: Any, exit: int, *contains: str) -> None:
    data = scenario()
    data["preferences"]["a"]["weights"] = {"price": dist}
    validate_json(name, "number", data, exit, *contains)


dist_weight("choice-prob-nan-string", {"choice": [[1, "NaN"], [2, 0.5]]}, 2, "preferences.a")
dist_weight("choice-prob-inf-string", {"choice": [[1, "Infinity"], [2, 0.5]]}, 2, "preferences.a")
dist_weight("choice-prob-sum-overflow", {"choice": [[1, 1e308], [2, 1e308]]}, 2, "preferences.a")
dist_weight("choice-value-nan-string", {"choice": ["nan", 2]}, 2, "preferences.a")
dist_weight("choice-ok", {"choice": [[1, 0.25], [2, 0.75]]}, 0, "valid")
dist_weight("normal-sd-inf-string", {"normal": [1, "inf"]}, 2, "preferences.a")
dist_weight("uniform-overflow-width", {"uniform": [-1.7e308, 1.7e308]}, 2, "preferences.a")
dist_weight("triangular-nan", {"triangular": [0, "nan", 1]}, 2, "preferences.a")
validate_json(
    "reservation-nan-string",
    "number",
    with_pref_a(reservation={"value": "nan"}),
    2,
    "preferences.a.reservation",
)
validate_json(
    "discount-infinity-string",
    "number",
    with_pref_a(discount="Infinity"),
    2,
    "preferences.a.discount",
)
_d = scenario(issues=[{"id": "amount", "range": [0, 10], "step": 1}])
_d["preferences"] = {
    "a": {"weights": {"amount": 1}, "values": {"amount": {"points": [["nan", 0], [10, 1]]}}},
    "b": {"weights": {"amount": 1}, "values": {"amount": "decreasing"}},
}
validate_json("points-nan-string", "number", _d, 2, "preferences.a.values.amount")
_d = scenario()
_d["proposals"] = [{"id": "p", "outcome": {"price": 1e300}}]
validate_json("proposal-number-for-option", "number", _d, 2, "proposals")
_many = [{"id": f"i{k}", "options": ["only"]} for k in range(65)]
_d = scenario(issues=_many)
_d["preferences"] = {
    p: {
        "weights": {f"i{k}": 1 for k in range(65)},
        "values": {f"i{k}": {"only": 1} for k in range(65)},
    }
    for p in ("a", "b")
}
validate_json("single-option-issues-65", "number", _d, 0, "valid")
case(
    "single-option-issues-65-analyse",
    "number",
    {"s.json": json.dumps(_d)},
    ("analyse", "{dir}/s.json"),
    2,
    "at most 64",
)

_SH = (
    HEAD
    + "stakeholders:\n  dimensions: [{id: d, scale: SCALE}]\n  actors:\n"
    + "    - {id: US, capability: CAP, positions: {d: 1}, salience: {d: 1}}\n"
    + "    - {id: EU, capability: CAP, positions: {d: 2}, salience: {d: 1}}\n"
)
validate_yaml(
    "stakeholders-scale-overflow",
    "number",
    _SH.replace("SCALE", "[-1.7e+308, 1.7e+308]").replace("CAP", "1"),
    2,
    "stakeholders.dimensions[0]",
)
validate_yaml(
    "stakeholders-capability-sum-overflow",
    "number",
    _SH.replace("SCALE", "[0, 100]").replace("CAP", "1.0e+308"),
    2,
    "stakeholders",
)
validate_yaml(
    "stakeholders-upper-ids-ok",
    "number",
    _SH.replace("SCALE", "[0, 100]").replace("CAP", "1"),
    0,
    "valid",
)

# ---------------------------------------------------------------------------- 4. nesting (19.4)

validate_yaml(
    "yaml-deep-flow-lists", "depth", HEAD + "x: " + "[" * 10_000 + "]" * 10_000 + "\n", 2, "deeper"
)
validate_yaml(
    "yaml-deep-flow-maps",
    "depth",
    HEAD + "x: " + "{a: " * 5_000 + "1" + "}" * 5_000 + "\n",
    2,
    "deeper",
)
validate_yaml(
    "yaml-deep-block",
    "depth",
    HEAD + "".join("  " * k + f"k{k}:\n" for k in range(300)) + "  " * 300 + "v\n",
    2,
    "deeper",
)
validate_json(
    "json-deep-arrays",
    "depth",
    '{"accord": 1, "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
    2,
    "deeper",
)
validate_json(
    "json-deep-300", "depth", '{"accord": 1, "x": ' + "[" * 300 + "]" * 300 + "}", 2, "deeper"
)
validate_json(
    "json-deep-objects",
    "depth",
    '{"accord": 1, "x": ' + '{"a": ' * 5_000 + "1" + "}" * 5_000 + "}",
    2,
    "deeper",
)
validate_json(
    "json-deep-150-ok",
    "depth",
    json.dumps(scenario())[:-1] + ', "x": ' + "[" * 150 + "]" * 150 + "}",
    2,
    "unknown key 'x'",
)


def conflict_yaml(statements: list[str], ranking: str | None = None, n_options: int = 2) -> str:
    opts = ", ".join(f"o{k}" for k in range(n_options))
    pref_a = (
        f"{{ranking: {ranking}}}"
        if ranking is not None
        else "{prioritization: [" + ", ".join(json.dumps(s) for s in statements) + "]}"
    )
    return (
        HEAD
        + "conflict:\n"
        + "  decision_makers:\n"
        + f"    - {{id: x, options: [{opts}]}}\n"
        + "    - {id: y, options: [w]}\n"
        + "  preferences:\n"
        + f"    x: {pref_a}\n"
        + "    y: {prioritization: [w]}\n"
    )


def statement(name: str, text: str, exit: int, *contains: str) -> None:
    validate_yaml(name, "depth", conflict_yaml([text]), exit, *contains)


statement("statement-parens-3000", "(" * 3000 + "o0" + ")" * 3000, 0, "valid")
statement("statement-parens-100k", "(" * 100_000 + "o0" + ")" * 100_000, 0, "valid")
statement("statement-negations-3000", "-" * 3000 + "o0", 0, "valid")
statement("statement-negations-split-3000", "- " * 3000 + "o0", 0, "valid")
statement("statement-and-chain-100k", " & ".join(["o0", "o1"] * 50_000), 0, "valid")
statement("statement-or-chain-100k", " | ".join(["o0", "o1"] * 50_000), 0, "valid")
statement("statement-implication-chain-5000", " -> ".join(["o0", "o1"] * 2_500), 0, "valid")
statement("statement-iff-chain-5000", " <-> ".join(["o0", "o1"] * 2_500), 0, "valid")
statement("statement-unbalanced", "(" * 3000 + "o0", 2, "prioritization")
statement("statement-extra-close", "o0)", 2, "prioritization")
statement("statement-empty", "", 2, "prioritization")
statement("statement-garbage", "o0 $ o1", 2, "prioritization")
statement("statement-unknown-option", "o0 & nope", 2, "prioritization")
statement("statement-dangling-operator", "o0 &", 2, "prioritization")
statement("statement-ok", "-o0 & (o1 | w) -> o0", 0, "valid")
validate_yaml(
    "statement-upper-ids",
    "depth",
    conflict_yaml([])
    .replace("[o0, o1]", "[USA-strike, o1]")
    .replace("{ranking: None}", "")
    .replace("x: {prioritization: []}", 'x: {prioritization: ["USA-strike & -o1"]}'),
    0,
    "valid",
)

# ---------------------------------------------------------------------------- 5. NUL bytes (19.4)

validate_yaml("nul-raw-yaml", "nul", (HEAD + "description: a\x00b\n").encode(), 2, "binary")
validate_json(
    "nul-raw-json", "nul", json.dumps(scenario()).replace("Hostile", "Hos\x00tile"), 2, "binary"
)
_d = scenario()
_d["sources"][0]["file"] = "src\x00.txt"
validate_json("nul-escaped-sources-file", "nul", _d, 2, "sources[0].file")
case(
    "nul-escaped-sources-file-evidence",
    "nul",
    {"s.json": json.dumps(_d), "src/src.txt": "text"},
    ("evidence", "{dir}/s.json", "--sources", "{dir}/src"),
    2,
    "sources[0].file",
)
validate_json("nul-escaped-title", "nul", scenario(title="a\x00b"), 2, "title")
validate_json("nul-escaped-key", "nul", {**scenario(), "x\x00y": 1}, 2, "NUL")
validate_yaml("nul-yaml-escape", "nul", HEAD + 'description: "a\\0b"\n', 2, "description")
validate_yaml("nul-yaml-escape-key", "nul", HEAD + '"k\\0": 1\n', 2, "NUL")
party_ids_json("nul-in-id", ["a\x00"], 2, "parties[0]")
validate_yaml("utf16-file", "nul", (HEAD).encode("utf-16"), 2, "s.yaml")
validate_yaml("invalid-utf8", "nul", HEAD.encode() + b"description: \xff\xfe\n", 2, "UTF-8")
validate_yaml("bom-ok", "nul", "\ufeff" + HEAD, 0, "valid")
validate_yaml("yaml-control-char", "nul", HEAD + "description: a\x07b\n", 2, "s.yaml")

# ------------------------------------------------------------------- 6. duplicate keys (19.5)

_s = json.dumps(scenario())
validate_json("json-dup-top", "dupkey", _s[:-1] + ', "title": "Again"}', 2, "title")
validate_json(
    "json-dup-weights",
    "dupkey",
    _s.replace('"weights": {"price": 1}', '"weights": {"price": 1, "price": 5}', 1),
    2,
    "preferences.a.weights",
)
validate_json(
    "json-dup-party-key",
    "dupkey",
    _s.replace('{"id": "a", "name": "A"}', '{"id": "a", "name": "A", "id": "b"}', 1),
    2,
    "parties[0]",
)
validate_json(
    "json-dup-same-value",
    "dupkey",
    _s.replace('"preferences": {', '"preferences": {"a": {}, ', 1),
    2,
    "preferences",
)
validate_yaml(
    "yaml-dup-nested",
    "dupkey",
    HEAD + PARTIES + "issues:\n  - {id: x, id: y, options: [p]}\n",
    2,
    "twice",
)
validate_yaml("yaml-dup-int-str", "dupkey", HEAD + "1: a\n'1': b\n", 2, "s.yaml")

# ------------------------------------------------------------------ 7. quadratic costs (19.6)


def big_ranking() -> Files:
    # 12 options: 4096 feasible states; a ranking of 90,000 entries (450 KB) repeats states.
    states = [str(1 + k % 4096) for k in range(90_000)]
    return {"s.yaml": conflict_yaml([], "[" + ", ".join(states) + "]", n_options=11)}


case(
    "conflict-ranking-450kb",
    "quadratic",
    big_ranking(),
    ("validate", "{dir}/s.yaml"),
    2,
    "listed twice",
    large=True,
)
case(
    "conflict-ranking-4096-ok",
    "quadratic",
    {"s.yaml": conflict_yaml([], "[" + ", ".join(str(k) for k in range(4096, 0, -1)) + "]", 11)},
    ("validate", "{dir}/s.yaml"),
    0,
    "valid",
    large=True,
)


def many_options(n: int) -> Files:
    data = scenario(issues=[{"id": "big", "options": [f"o{k}" for k in range(n)]}])
    data["preferences"] = {
        p: {"weights": {"big": 1}, "values": {"big": {f"o{k}": (k % 2) for k in range(n)}}}
        for p in ("a", "b")
    }
    return {"s.json": json.dumps(data)}


case(
    "issue-30k-options",
    "quadratic",
    many_options(30_000),
    ("validate", "{dir}/s.json"),
    0,
    "valid",
    large=True,
)


def many_parties(n: int) -> Files:
    data = scenario(parties=[{"id": f"p{k}", "name": f"P{k}"} for k in range(n)])
    data["preferences"] = {
        f"p{k}": {"weights": {"price": 1}, "values": {"price": {"low": k % 2, "high": 1 - k % 2}}}
        for k in range(n)
    }
    return {"s.json": json.dumps(data)}


case(
    "parties-5000",
    "quadratic",
    many_parties(5_000),
    ("validate", "{dir}/s.json"),
    0,
    "valid",
    large=True,
)


def many_statements(n: int) -> Files:
    return {"s.yaml": conflict_yaml([f"o{k % 3} & -o{(k + 1) % 3}" for k in range(n)], n_options=3)}


case(
    "statements-20000",
    "quadratic",
    many_statements(20_000),
    ("validate", "{dir}/s.yaml"),
    0,
    "valid",
    large=True,
)


def evidence_spaces(quote: str, text: str) -> Files:
    data = scenario()
    data["parties"][0]["evidence"] = [{"source": "src", "quote": quote}]
    return {"s.json": json.dumps(data), "src/src.txt": text}


_ev_cmd = ("evidence", "{dir}/s.json", "--sources", "{dir}/src")
case(
    "evidence-quote-200k-spaces",
    "quadratic",
    evidence_spaces("hello" + " " * 200_000 + "world", "Hello world, said the source."),
    _ev_cmd,
    0,
    "1",
    large=True,
)
case(
    "evidence-text-200k-spaces",
    "quadratic",
    evidence_spaces("hello world", "hello" + " " * 200_000 + "world"),
    _ev_cmd,
    0,
    large=True,
)
case(
    "evidence-hyphens-spaces",
    "quadratic",
    evidence_spaces("a-b", "a" + " -" * 100_000 + " " * 100_000 + "b"),
    _ev_cmd,
    1,
    large=True,
)
case(
    "evidence-quote-spaced-hyphen-ok",
    "quadratic",
    evidence_spaces("well — known", "it is well-known"),
    _ev_cmd,
    0,
)
_d = scenario()
_d["parties"][0]["evidence"] = [{"source": "src", "quote": "q"}] * 100_000
case(
    "evidence-100k-items",
    "quadratic",
    {"s.json": json.dumps(_d)},
    ("validate", "{dir}/s.json"),
    0,
    "valid",
    large=True,
)

# ------------------------------------------------------------------------ 8. stakeholder CSV

_csv_cmd = ("forecast", "{dir}/t.csv")


def csv_case(name: str, text: str | bytes, exit: int, *contains: str) -> None:
    case(name, "csv", {"t.csv": text}, _csv_cmd, exit, *contains)


_H = "actor,capability,position,salience\n"
csv_case("csv-position-max-float", _H + "US,100,1.7e308,0.9\nDPRK,40,-1.7e308,1\n", 2, "position")
csv_case(
    "csv-capability-sum-overflow",
    _H + "US,1e308,20,0.9\nDPRK,1e308,90,1\nCN,1e308,50,1\n",
    2,
    "capability",
)
csv_case("csv-position-inf", _H + "US,100,inf,0.9\nDPRK,40,90,1\n", 2, "position")
csv_case("csv-position-nan", _H + "US,100,nan,0.9\nDPRK,40,90,1\n", 2, "position")
csv_case("csv-position-1e400", _H + "US,100,1e400,0.9\nDPRK,40,90,1\n", 2, "position")
csv_case(
    "csv-salience-5000-digits", _H + "US,100,20," + "9" * 5000 + "\nDPRK,40,90,1\n", 2, "salience"
)
csv_case("csv-ids-kept-ok", _H + "A01,100,20,0.9\nDmitri Ivanov,40,90,1\n", 0, "A01")
csv_case("csv-case-duplicate", _H + "US,100,20,0.9\nus,40,90,1\n", 2, "actor")
csv_case("csv-slug-duplicate", _H + "United States,100,20,0.9\nunited-states,40,90,1\n", 2, "actor")
csv_case("csv-nul", (_H + "US,100,20,0.9\nDP\x00RK,40,90,1\n").encode(), 2, "t.csv")
csv_case("csv-empty", "", 2, "empty")
csv_case("csv-header-only", _H, 2, "actor")
csv_case("csv-ragged", _H + "US,100\nDPRK,40,90,1\n", 2, "line 2")
csv_case("csv-huge-field", _H + "US,100,20,0.9\n" + '"' + "x" * 200_000 + '",40,90,1\n', 2, "t.csv")
csv_case("csv-invalid-utf8", (_H + "US,100,20,0.9\n").encode() + b"\xff,40,90,1\n", 2, "UTF-8")
csv_case("csv-control-name", _H + "US\x1b[31m,100,20,0.9\nDPRK,40,90,1\n", 0, "DPRK")
csv_case("csv-no-letters", _H + "!!!,100,20,0.9\nDPRK,40,90,1\n", 2, "actor")
csv_case(
    "csv-ktab-too-many-actors",
    "T\nActor,Description,Power,Pstn1,Sal1\n"
    + "".join(f"a{k},d,1,{k % 100},50\n" for k in range(600)),
    2,
    "limit",
)

# ------------------------------------------------------------------------------ 9. GENIUS XML


def genius_files(
    values: list[str] | None = None,
    *,
    integer: tuple[str, str] | None = None,
    weights: tuple[str, str] = ("1", "1"),
    evaluation: str = "1",
    slope: str = "0.1",
) -> Files:
    """A GENIUS domain with a discrete issue 'Colour' (and optionally an integer issue 'Count')."""
    values = values if values is not None else ["red", "blue"]
    items = "".join(
        f'      <item index="{k + 1}" value="{_xml(v)}"/>\n' for k, v in enumerate(values)
    )
    integer_issue = (
        f'    <issue index="2" name="Count" type="integer" lowerbound="{integer[0]}" '
        f'upperbound="{integer[1]}"/>\n'
        if integer
        else ""
    )
    domain = (
        '<?xml version="1.0"?>\n<negotiation_template>\n<utility_space>\n'
        '  <objective index="0" name="root" type="objective">\n'
        f'    <issue index="1" name="Colour" type="discrete">\n{items}    </issue>\n'
        f"{integer_issue}  </objective>\n</utility_space>\n</negotiation_template>\n"
    )

    def profile(flip: bool) -> str:
        evals = "".join(
            f'      <item index="{k + 1}" value="{_xml(v)}" '
            f'evaluation="{evaluation if (k % 2 == 0) != flip else "0.5"}"/>\n'
            for k, v in enumerate(values)
        )
        integer_part = (
            f'    <weight index="2" value="{weights[1]}"/>\n'
            f'    <issue index="2" name="Count" type="integer" lowerbound="{integer[0]}" '
            f'upperbound="{integer[1]}">\n'
            f'      <evaluator ftype="linear" slope="{slope}" offset="0"/>\n    </issue>\n'
            if integer
            else ""
        )
        return (
            '<?xml version="1.0"?>\n<utility_space>\n'
            '  <objective index="0" name="root" type="objective">\n'
            f'    <weight index="1" value="{weights[0]}"/>\n'
            f'    <issue index="1" name="Colour" type="discrete">\n{evals}    </issue>\n'
            f"{integer_part}  </objective>\n</utility_space>\n"
        )

    return {
        "g/dom_domain.xml": domain,
        "g/dom_buyer.xml": profile(False),
        "g/dom_seller.xml": profile(True),
    }


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


_g_cmd = ("import", "genius", "{dir}/g")


def genius_case(name: str, files: Files, exit: int, *contains: str, large: bool = False) -> None:
    case(name, "genius", files, _g_cmd, exit, *contains, large=large)


genius_case("genius-ok", genius_files(), 0, "buyer")
genius_case("genius-int-bounds-1e308", genius_files(integer=("-1e308", "1e308")), 2, "Count")
genius_case(
    "genius-int-bounds-max-float", genius_files(integer=("0", "1.7976931348623157e308")), 2, "Count"
)
genius_case("genius-int-bounds-1e400", genius_files(integer=("0", "1e400")), 2, "Count")
genius_case("genius-int-bounds-huge-count", genius_files(integer=("0", "1e15")), 2, "Count")
genius_case("genius-int-bounds-400-digits", genius_files(integer=("0", "9" * 400)), 2, "Count")
genius_case("genius-int-bounds-5000-digits", genius_files(integer=("0", "9" * 5000)), 2, "Count")
genius_case("genius-int-bounds-nan", genius_files(integer=("0", "nan")), 2, "Count")
genius_case("genius-int-ok", genius_files(integer=("0", "10")), 0, "count")
genius_case("genius-slope-huge-ok", genius_files(integer=("0", "10"), slope="1e308"), 0, "count")
genius_case(
    "genius-weights-sum-overflow",
    genius_files(integer=("0", "10"), weights=("1e308", "1e308")),
    2,
    "weight",
)
genius_case("genius-weight-nan", genius_files(weights=("NaN", "1")), 2, "weight")
genius_case("genius-weight-inf", genius_files(weights=("inf", "1")), 2, "weight")
genius_case("genius-evaluation-huge-ok", genius_files(evaluation="1e308"), 0, "buyer")
genius_case("genius-evaluation-overflow", genius_files(evaluation="1e400"), 2, "evaluation")
genius_case("genius-upper-values-ok", genius_files(["USA", "EU"]), 0, "USA")
genius_case("genius-case-colliding-values", genius_files(["USA", "usa", "Usa"]), 0, "USA")
genius_case("genius-control-char-value", genius_files(["a\x1bb", "c"]), 2, "g")
genius_case("genius-newline-value", genius_files(["a&#10;", "a"]), 0, "buyer")
genius_case(
    "genius-30k-values", genius_files([f"v{k}" for k in range(30_000)]), 0, "v29999", large=True
)


def _punct(k: int) -> str:
    return "v" + str(k).translate(str.maketrans("0123456789", "!#$%&()*+,"))


genius_case(
    "genius-2k-same-slug", genius_files([_punct(k) for k in range(2_000)]), 0, "v-2000", large=True
)
genius_case(
    "genius-20k-same-slug",
    genius_files([_punct(k) for k in range(20_000)]),
    0,
    "v-20000",
    large=True,
)
genius_case(
    "genius-dtd-bomb",
    {
        **genius_files(),
        "g/dom_domain.xml": '<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        "<negotiation_template>&b;</negotiation_template>\n",
    },
    2,
    "DTD",
)
genius_case(
    "genius-deep-xml",
    {
        **genius_files(),
        "g/dom_domain.xml": "<negotiation_template>"
        + "<a>" * 100_000
        + "</a>" * 100_000
        + "</negotiation_template>",
    },
    2,
    "utility_space",
)
genius_case(
    "genius-nul-char-ref",
    {**genius_files(), "g/dom_buyer.xml": '<utility_space name="&#0;"/>'},
    2,
    "XML",
)


# ------------------------------------------- 10. memory budgets and work limits (19.4, 19.6)
# Each engine estimates its peak memory before it allocates and refuses over the budget
# (accord.budget: half the machine, or what the test's 2 GiB address-space cap leaves); the
# documented work limits refuse up front; --json listings are capped by --limit.


def conflict_json(n_dms: int, per: int, infeasible: bool = False, sq: bool = True) -> Files:
    dms = [{"id": f"d{i}", "options": [f"o{i}-{k}" for k in range(per)]} for i in range(n_dms)]
    names = [o for d in dms for o in d["options"]]
    prefs = {
        d["id"]: {"prioritization": [f"-o{i}-0", names[(3 * i + 1) % len(names)]]}
        for i, d in enumerate(dms)
    }
    section: dict[str, Any] = {"decision_makers": dms, "preferences": prefs}
    if infeasible:
        section["infeasible"] = [{"o0-0": True, "o0-1": True}]
    if sq:
        section["status_quo"] = {o: False for o in names}
    data = {"accord": 1, "id": "big-conflict", "title": "Big conflict", "conflict": section}
    return {"s.json": json.dumps(data)}


def memory_case(
    name: str, files: Files, command: tuple[str, ...], exit: int, *contains: str
) -> None:
    case(name, "memory", files, command, exit, *contains, large=True)


_stab = ("stability", "{dir}/s.json")
memory_case("conflict-22-options-11-dms", conflict_json(11, 2), _stab, 2, "memory budget")
memory_case(
    "conflict-22-options-11-dms-json", conflict_json(11, 2), (*_stab, "--json"), 2, "memory budget"
)
memory_case("conflict-20-options-10-dms", conflict_json(10, 2), _stab, 2, "needs about")
memory_case(
    "conflict-21-options-infeasible-rule",
    conflict_json(7, 3, infeasible=True),
    _stab,
    2,
    "memory budget",
)
memory_case("conflict-2-dms-10-options-each", conflict_json(2, 10), _stab, 2, "2 decision makers")
memory_case(
    "conflict-14-options-json-capped",
    conflict_json(7, 2),
    (*_stab, "--json"),
    0,
    '"states_count": 16384',
    '"states_listed": 1000',
)
memory_case(
    "conflict-json-limit-3",
    conflict_json(3, 2),
    (*_stab, "--json", "--limit", "3"),
    0,
    '"states_listed": 3',
)
memory_case("conflict-limit-negative", conflict_json(2, 2), (*_stab, "--limit", "-5"), 2, "--limit")
memory_case("conflict-progress-flag-ok", conflict_json(3, 2), (*_stab, "--progress"), 0, "Nash")


def grid_json(options: int, issues: int, parties: int = 2) -> Files:
    ids = [f"i{k}" for k in range(issues)]
    opts = [f"o{j}" for j in range(options)]
    pids = [f"p{q}" for q in range(parties)]
    data = scenario(
        parties=[{"id": p, "name": p.upper()} for p in pids],
        issues=[{"id": i, "options": opts} for i in ids],
        preferences={
            p: {
                "weights": {i: 1 for i in ids},
                "values": {i: {o: ((j * (q + 3)) % options) / options for j, o in enumerate(opts)}
                           for i in ids},
            }
            for q, p in enumerate(pids)
        },
    )  # fmt: skip
    return {"s.json": json.dumps(data)}


def dollar_json(step: float) -> Files:
    data = scenario(
        issues=[{"id": "share", "range": [0, 1], "step": step}],
        preferences={
            "a": {"weights": {"share": 1}, "values": {"share": "increasing"}},
            "b": {"weights": {"share": 1}, "values": {"share": "decreasing"}},
        },
    )
    return {"s.json": json.dumps(data)}


_an = ("analyse", "{dir}/s.json")
# 19^6 = 47,045,881 outcomes: under the default --max-outcomes, over the memory budget
memory_case("analyse-47m-outcomes", grid_json(19, 6), _an, 2, "47,045,881 outcomes")
memory_case("analyse-47m-outcomes-json", grid_json(19, 6), (*_an, "--json"), 2, "memory budget")
memory_case("analyse-20m-outcomes-4-parties", grid_json(67, 4, parties=4), _an, 2, "4 parties")
memory_case(
    "analyse-raised-max-outcomes",
    grid_json(21, 6),
    (*_an, "--max-outcomes", "100000000"),
    2,
    "ACCORD_MEMORY_BUDGET",
)
memory_case(
    "analyse-json-frontier-capped",
    dollar_json(1e-5),
    (*_an, "--json"),
    0,
    '"pareto_count": 100001',
    '"pareto_listed": 1000',
)
memory_case(
    "analyse-json-limit-10", dollar_json(0.001), (*_an, "--json", "--limit", "10"), 0,
    '"pareto_listed": 10',
)  # fmt: skip
memory_case(
    "analyse-limit-negative", dollar_json(0.1), (*_an, "--json", "--limit", "-1"), 2, "--limit"
)


def actors_csv(n: int) -> str:
    return "actor,capability,position,salience\n" + "".join(
        f"a{i},{1 + i % 7},{(i * 37) % 100},{0.1 + (i % 9) / 10:.1f}\n" for i in range(n)
    )


def ktab_csv(n_dims: int, n_actors: int = 2) -> str:
    head = ",".join(f"Pstn{k + 1},Sal{k + 1}" for k in range(n_dims))
    rows = "".join(
        f"a{i},d,{i + 1}," + ",".join(f"{(i * 31 + k) % 100},50" for k in range(n_dims)) + "\n"
        for i in range(n_actors)
    )
    return f"T\nActor,Description,Power,{head}\n{rows}"


_fc = ("forecast", "{dir}/t.csv")
memory_case("forecast-500-actors-1000-rounds", {"t.csv": actors_csv(500)},
            (*_fc, "--rounds", "1000"), 2, "over the limit")  # fmt: skip
memory_case("forecast-500-actors-1000-rounds-json", {"t.csv": actors_csv(500)},
            (*_fc, "--rounds", "1000", "--json"), 2, "MAX_WORK")  # fmt: skip
memory_case("forecast-300-actors-400-rounds", {"t.csv": actors_csv(300)},
            (*_fc, "--rounds", "400"), 2, "--rounds")  # fmt: skip
memory_case("forecast-500-actors-bdm", {"t.csv": actors_csv(500)}, (*_fc, "--model", "bdm"), 2,
            "bdm forecast")  # fmt: skip
memory_case("forecast-60-actors-bdm", {"t.csv": actors_csv(60)}, (*_fc, "--model", "bdm"), 2,
            "over the limit")  # fmt: skip
memory_case("forecast-500-actors-median-ok", {"t.csv": actors_csv(500)},
            (*_fc, "--model", "median", "--rounds", "1000"), 0, "forecast")  # fmt: skip
memory_case("forecast-progress-flag-ok", {"t.csv": actors_csv(5)}, (*_fc, "--progress"), 0,
            "forecast")  # fmt: skip
memory_case("csv-ktab-60k-dimensions", {"t.csv": ktab_csv(60_000)}, _fc, 2, "dimensions")
memory_case("csv-ktab-201-dimensions", {"t.csv": ktab_csv(201)}, _fc, 2, "limit of 200")
memory_case("csv-ktab-200-dimensions-compromise-ok", {"t.csv": ktab_csv(200)},
            (*_fc, "--model", "compromise"), 0, "dim-200")  # fmt: skip


def sequencing_json(steps: int, divisible: bool, rounds: int = 20, order: int = 0) -> Files:
    data = {
        "accord": 1, "id": "seq", "title": "Seq",
        "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        "sequencing": {
            "max_rounds": rounds,
            "parties": {
                "a": {"patience": 0.95, "trust": 0.6, "completion_value": 0.3, "detection": 0.9},
                "b": {"patience": 0.95, "trust": 0.5, "completion_value": 0.4, "detection": 1.0},
            },
            "steps": [{"id": f"s{k}", "owner": "ab"[k % 2], "cost": 0.1 + 0.01 * (k % 5),
                       "value": 0.15 + 0.01 * (k % 3), "divisible": divisible}
                      for k in range(steps)],
            "order": [[ "s0", f"s{k}"] for k in range(1, order + 1)],
        },
    }  # fmt: skip
    return {"s.json": json.dumps(data)}


_sq = ("sequence", "{dir}/s.json")
memory_case("sequence-50-indivisible-steps", sequencing_json(50, False), _sq, 2,
            "indivisible steps")  # fmt: skip
memory_case("sequence-25-indivisible-steps-json", sequencing_json(25, False), (*_sq, "--json"),
            2, "over the limit of 24")  # fmt: skip
memory_case("sequence-200-steps-100-rounds-150-orders",
            sequencing_json(200, True, rounds=100, order=150), _sq, 2, "memory budget")  # fmt: skip


# ---------------------------------------------------------------------------------- writing out


def write_case(c: Case, folder: Path) -> Path:
    """Write one case's files into ``folder/<name>``; return that folder."""
    root = folder / c.name
    for rel, content in c.files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    (root / "case.json").write_text(
        json.dumps(
            {
                "class": c.cls,
                "command": list(c.command),
                "exit": c.exit,
                "contains": list(c.contains),
                "large": c.large,
            },
            indent=2,
        )
    )
    return root


def command_for(c: Case, root: Path) -> list[str]:
    return [a.replace("{dir}", str(root)) for a in c.command]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python tests/hostile/generate.py OUT_FOLDER", file=sys.stderr)
        return 2
    out = Path(argv[0])
    for c in CASES:
        write_case(c, out)
    print(f"wrote {len(CASES)} cases to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
