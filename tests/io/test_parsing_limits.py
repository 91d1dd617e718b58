"""Parsing limits and linear-time helpers of issue 19 (items 2, 3, 5, 6) and user-written ids of
issue 17 (item 5): each fast helper is checked against a plain reference implementation."""

from __future__ import annotations

import json
import random
import re
import unicodedata

import pytest

from accord.errors import ScenarioError
from accord.io.evidence import _QUOTES, normalise
from accord.io.genius import kebab, unique_ids
from accord.io.scenario_file import (
    EXPANSION_FACTOR,
    MIN_EXPANSION_BYTES,
    parse_scenario,
    parse_yaml,
)
from accord.io.stakeholders_csv import parse_stakeholders_csv
from accord.scenario.base import duplicate_ids, is_id
from accord.scenario.conflict import evaluate_statement, parse_statement, statement_options

GOOD = {
    "accord": 1,
    "id": "t",
    "title": "T",
    "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
    "issues": [{"id": "price", "options": ["low", "high"]}],
    "preferences": {
        "a": {"weights": {"price": 1}, "values": {"price": {"low": 0, "high": 1}}},
        "b": {"weights": {"price": 1}, "values": {"price": {"low": 1, "high": 0}}},
    },
}


def error_of(text: str, file: str = "s.json") -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, file=file)
    return info.value


# ------------------------------------------------------------------------------ alias bytes


def test_alias_expansion_is_capped_by_bytes_not_only_nodes() -> None:
    # 2 aliases of a string of n bytes compose ~3n bytes: allowed while under the cap.
    n = MIN_EXPANSION_BYTES // 4
    data, _ = parse_yaml(f"a: &s {'x' * n}\nb: [*s, *s]\n", "t.yaml")
    assert len(data["b"]) == 2
    # 20 aliases of a string compose about 21 times the file's size: over 10x and the 1 MiB floor.
    with pytest.raises(ScenarioError, match="alias") as info:
        parse_yaml(f"a: &s {'x' * n}\nb: [{', '.join(['*s'] * 20)}]\n", "t.yaml")
    assert f"{EXPANSION_FACTOR} times" in str(info.value)


def test_small_file_may_reuse_an_anchor_under_the_floor() -> None:
    text = "a: &s " + "y" * 1000 + "\nb: [" + ", ".join(["*s"] * 500) + "]\n"
    data, _ = parse_yaml(text, "t.yaml")  # 500 kB composed from 3.5 kB: under the 1 MiB floor
    assert len(data["b"]) == 500


# ----------------------------------------------------------------------------------- JSON


def test_json_duplicate_keys_are_refused_with_the_field() -> None:
    text = json.dumps(GOOD).replace(
        '"weights": {"price": 1}', '"weights": {"price": 1, "price": 2}', 1
    )
    err = error_of(text)
    assert err.field == "preferences.a.weights"
    assert "'price' appears twice" in err.message


@pytest.mark.parametrize(
    "literal", ["NaN", "Infinity", "-Infinity", "1e400", "-1e999", "9" * 400, "9" * 5000]
)
def test_json_numbers_must_be_finite_and_in_float_range(literal: str) -> None:
    text = json.dumps(GOOD).replace(
        '"weights": {"price": 1}', f'"weights": {{"price": {literal}}}', 1
    )
    err = error_of(text)
    assert err.field == "preferences.a.weights.price"
    assert len(str(err)) < 400  # a 5,000-digit number is not echoed back in full


def test_json_nesting_beyond_the_limit_is_refused_without_recursion() -> None:
    err = error_of('{"accord": 1, "x": ' + "[" * 300 + "]" * 300 + "}")
    assert "deeper" in err.message


def test_nul_characters_are_refused_in_values_and_keys() -> None:
    data = json.loads(json.dumps(GOOD))
    data["sources"] = [{"id": "s", "title": "S", "file": "a\x00b"}]
    assert error_of(json.dumps(data)).field == "sources[0].file"
    assert error_of(json.dumps({**GOOD, "k\x00": 1})).message.startswith("a key holds a NUL")
    assert error_of('accord: 1\ndescription: "a\\0b"\n', "s.yaml").field == "description"


@pytest.mark.parametrize(
    "weight", ["9" * 400, "9" * 5000, "0x" + "f" * 298, "1.0e+400", ".nan", "-.inf"]
)
def test_yaml_numbers_must_be_finite_and_in_float_range(weight: str) -> None:
    text = (
        "accord: 1\nid: t\ntitle: T\nparties: [{id: a, name: A}, {id: b, name: B}]\n"
        "issues: [{id: price, options: [low, high]}]\npreferences:\n"
        f"  a: {{weights: {{price: {weight}}}, values: {{price: {{low: 0, high: 1}}}}}}\n"
        "  b: {weights: {price: 1}, values: {price: {low: 1, high: 0}}}\n"
    )
    assert error_of(text, "s.yaml").field == "preferences.a.weights.price"


def test_weights_whose_sum_overflows_are_refused() -> None:
    data = json.loads(json.dumps(GOOD))
    data["issues"].append({"id": "term", "options": ["x", "y"]})
    for p in ("a", "b"):
        data["preferences"][p]["values"]["term"] = {"x": 0, "y": 1}
    data["preferences"]["a"]["weights"] = {"price": 1e308, "term": 1e308}
    data["preferences"]["b"]["weights"] = {"price": 1e300, "term": 1e300}  # finite sum: fine
    err = error_of(json.dumps(data))
    assert err.field == "preferences.a" and "overflows" in err.message


def test_a_nan_choice_probability_is_refused() -> None:
    data = json.loads(json.dumps(GOOD))
    data["preferences"]["a"]["weights"] = {"price": {"choice": [[1, "NaN"], [2, 0.5]]}}
    assert error_of(json.dumps(data)).field is not None


# ------------------------------------------------------------------------------------ ids


@pytest.mark.parametrize("good", ["USA", "EU", "A01", "sanctions-relief", "Hanoi-2019", "a" * 64])
def test_ids_as_users_write_them(good: str) -> None:
    assert is_id(good)


@pytest.mark.parametrize(
    "bad",
    [
        "a\n",
        "\na",
        "a\r\n",
        "a\x1b",
        "a\x85",
        "\x9b",
        "a b",
        "[/x]",
        "-a",
        "a-",
        "a--b",
        "",
        "é",
        "a" * 65,
    ],
)
def test_bad_ids_are_refused(bad: str) -> None:
    assert not is_id(bad)


def test_a_trailing_newline_no_longer_makes_a_second_party() -> None:
    data = json.loads(json.dumps(GOOD))
    data["parties"][1]["id"] = "a\n"
    err = error_of(json.dumps(data))
    assert err.field == "parties[1].id"
    assert "\\x0a" in err.message and "\n" not in err.message  # shown escaped, not raw


def test_ids_are_unique_without_regard_to_case() -> None:
    assert duplicate_ids(["USA", "eu", "usa", "EU", "x"]) == ["usa", "EU"]
    data = json.loads(json.dumps(GOOD))
    data["parties"] = [{"id": "USA", "name": "US"}, {"id": "usa", "name": "also US"}]
    data.pop("preferences")
    data.pop("issues")
    assert error_of(json.dumps(data)).field == "parties"
    data["parties"] = [{"id": "USA", "name": "US"}, {"id": "EU", "name": "EU"}]
    scenario = parse_scenario(json.dumps(data), file="s.json")
    assert scenario.party_ids == ("USA", "EU")  # unchanged


def test_csv_actor_ids_come_back_as_written() -> None:
    text = "actor,capability,position,salience\nA01,100,20,0.9\nDmitri Ivanov,40,90,1\nUSA,5,5,1\n"
    actors = parse_stakeholders_csv(text, file="t.csv").actors
    assert [(a.id, a.name) for a in actors] == [
        ("A01", "A01"),
        ("dmitri-ivanov", "Dmitri Ivanov"),  # derived from the name; the name stays the label
        ("USA", "USA"),
    ]
    with pytest.raises(ScenarioError, match="already appears on line 4"):
        parse_stakeholders_csv(text + "usa,1,1,1\n", file="t.csv")


def test_csv_positions_that_overflow_are_refused() -> None:
    text = "actor,capability,position,salience\nUS,100,1.7e308,0.9\nDPRK,40,-1.7e308,1\n"
    with pytest.raises(ScenarioError) as info:
        parse_stakeholders_csv(text, file="t.csv")
    assert info.value.field == "position"
    text = "actor,capability,position,salience\nUS,1e308,1,0.9\nDPRK,1e308,2,1\n"
    with pytest.raises(ScenarioError) as info:
        parse_stakeholders_csv(text, file="t.csv")
    assert info.value.field == "capability"


# ---------------------------------------------------------- linear helpers against references


def reference_parse(text: str) -> tuple:  # type: ignore[type-arg]
    """The recursive-descent grammar of docs (scenario/conflict.py docstring), as a reference."""
    tokens = re.findall(r"<->|->|[&|()]|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*|-", text)
    pos = 0

    def take() -> str:
        nonlocal pos
        if pos >= len(tokens):
            raise ValueError("ends too early")
        pos += 1
        return tokens[pos - 1]

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def implication() -> tuple:  # type: ignore[type-arg]
        left = disjunction()
        if peek() in ("->", "<->"):
            op = {"->": "imp", "<->": "iff"}[take()]
            return (op, left, implication())
        return left

    def disjunction() -> tuple:  # type: ignore[type-arg]
        left = conjunction()
        while peek() == "|":
            take()
            left = ("or", left, conjunction())
        return left

    def conjunction() -> tuple:  # type: ignore[type-arg]
        left = unary()
        while peek() == "&":
            take()
            left = ("and", left, unary())
        return left

    def unary() -> tuple:  # type: ignore[type-arg]
        token = take()
        if token == "-":
            return ("not", unary())
        if token == "(":
            inner = implication()
            if take() != ")":
                raise ValueError("missing )")
            return inner
        if token in {"&", "|", "->", "<->", ")"}:
            raise ValueError("unexpected")
        return ("opt", token)

    if not tokens:
        raise ValueError("empty")
    tree = implication()
    if pos != len(tokens):
        raise ValueError("unexpected")
    return tree


def test_statement_parser_agrees_with_the_recursive_reference() -> None:
    rng = random.Random(19)
    pieces = ["a", "B", "c-1", "-", "&", "|", "->", "<->", "(", ")"]
    parsed = 0
    for _ in range(20_000):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 10)))
        try:
            expected = reference_parse(text)
        except ValueError:
            with pytest.raises(ValueError):
                parse_statement(text)
            continue
        assert parse_statement(text) == expected, text
        parsed += 1
    assert parsed > 500


def test_deep_statements_parse_and_evaluate_without_recursion() -> None:
    import numpy as np

    bits = {"a": np.array([True, False]), "b": np.array([False, False])}
    tree = parse_statement("(" * 5000 + "-" * 5001 + "a" + ")" * 5000)
    assert statement_options(tree) == {"a"}
    assert evaluate_statement(tree, bits).tolist() == [False, True]  # an odd number of nots
    chain = parse_statement(" -> ".join(["b"] * 5000 + ["a"]))
    assert evaluate_statement(chain, bits).tolist() == [True, True]  # b is false: vacuously true


def reference_normalise(text: str) -> str:
    """The earlier regular-expression normaliser (quadratic on long runs of spaces)."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = re.sub(r"\s*-\s*", "-", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def test_linear_normaliser_agrees_with_the_regular_expressions() -> None:
    rng = random.Random(6)
    for _ in range(20_000):
        text = "".join(rng.choice(" -a\t\nB—“’\u00a0") for _ in range(rng.randint(0, 14)))
        assert normalise(text) == reference_normalise(text), repr(text)


def reference_unique_ids(texts: list[str], fallback: str) -> list[str]:
    """Number repeats by scanning the ids so far (quadratic; the definition of the result)."""
    out: list[str] = []
    for k, text in enumerate(texts, start=1):
        base = kebab(text, f"{fallback}-{k}")
        candidate, n = base, 2
        while candidate.casefold() in [o.casefold() for o in out]:
            suffix = f"-{n}"
            candidate = base[: 64 - len(suffix)].rstrip("-") + suffix
            n += 1
        out.append(candidate)
    return out


def test_unique_ids_agree_with_the_quadratic_reference() -> None:
    rng = random.Random(3)
    for _ in range(2_000):
        texts = ["".join(rng.choice("aB -2!") for _ in range(rng.randint(0, 4))) for _ in range(12)]
        assert unique_ids(texts, "option") == reference_unique_ids(texts, "option"), texts
    ids = unique_ids(["v" + "!" * k for k in range(1, 2001)], "option")
    assert ids[:3] == ["v", "v-2", "v-3"] and ids[-1] == "v-2000"
    assert len({i.casefold() for i in ids}) == 2000


def test_recursive_anchor_is_refused_and_expansion_is_measured_before_building() -> None:
    with pytest.raises(ScenarioError, match="refers to itself"):
        parse_yaml("a: &x [1, *x]\n", "t.yaml")
    # nine levels of nine aliases: 9^9 values, refused from the DAG of 90 nodes
    levels = ["l0: &l0 [1, 2, 3, 4, 5, 6, 7, 8, 9]"]
    levels += [f"l{k}: &l{k} [{', '.join([f'*l{k - 1}'] * 9)}]" for k in range(1, 10)]
    with pytest.raises(ScenarioError, match="500,000 values"):
        parse_yaml("\n".join(levels) + "\n", "t.yaml")


def test_strip_control_removes_escape_sequences_for_display() -> None:
    from accord.scenario.base import strip_control

    assert (
        strip_control("Title \x1b]8;;https://x\x1b\\link\x9b31m\x00")
        == "Title ]8;;https://x\\link31m"
    )
    assert strip_control("two\nlines\tand tab") == "two\nlines\tand tab"
