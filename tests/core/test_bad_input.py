"""A corpus of bad scenario files: each must end with exit code 2 and a message naming the file,
the field (or line) and what to do — never a traceback, a hang or a memory spike."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.errors import ScenarioError
from accord.io.scenario_file import MAX_FILE_BYTES, load_scenario

HEAD = "accord: 1\nid: bad\ntitle: Bad\n"
PARTIES = "parties:\n  - {id: a, name: A}\n  - {id: b, name: B}\n"
ISSUES = "issues:\n  - {id: price, options: [low, high]}\n"


VALUES_A = "values: {price: {low: 0, high: 1}}"
B_PREFS = "{weights: {price: 1}, values: {price: {low: 1, high: 0}}}"


def prefs(a: str = "{weights: {price: 1}, " + VALUES_A + "}") -> str:
    return f"preferences:\n  a: {a}\n  b: {B_PREFS}\n"


GOOD = HEAD + PARTIES + ISSUES + prefs()

# name -> (file text, text the message must contain)
CORPUS: dict[str, tuple[str, str]] = {
    "empty": ("", "empty"),
    "only-comment": ("# nothing here\n", "empty"),
    "yaml-syntax": (HEAD + "parties: [\n  {id: a\n", "line"),
    "tab-indent": (HEAD + "parties:\n\t- {id: a}\n", "line"),
    "top-level-list": ("- 1\n- 2\n", "mapping"),
    "no-version": ("id: x\ntitle: t\n", "accord: 1"),
    "wrong-version": ("accord: 2\nid: x\ntitle: t\n", "accord"),
    "unknown-key": (GOOD + "colour: blue\n", "unknown key 'colour'"),
    "unknown-key-nested": (
        HEAD + PARTIES + ISSUES + prefs("{weights: {price: 1}, valuez: {}}"),
        "valuez",
    ),
    "bad-id": ("accord: 1\nid: Not An Id\ntitle: t\n", "kebab-case"),
    "missing-title": ("accord: 1\nid: x\n", "title"),
    "party-without-name": (HEAD + "parties:\n  - {id: a}\n", "name"),
    "duplicate-party": (HEAD + "parties:\n  - {id: a, name: A}\n  - {id: a, name: B}\n", "twice"),
    "duplicate-issue": (
        HEAD + "issues:\n  - {id: x, options: [p]}\n  - {id: x, options: [q]}\n",
        "twice",
    ),
    "duplicate-option": (HEAD + "issues:\n  - {id: x, options: [p, p]}\n", "repeated"),
    "duplicate-key": (HEAD + "title: again\n", "twice"),
    "issue-both-kinds": (
        HEAD + "issues:\n  - {id: x, options: [p], range: [0, 1], step: 1}\n",
        "not both",
    ),
    "issue-neither": (HEAD + "issues:\n  - {id: x}\n", "range and step"),
    "range-reversed": (HEAD + "issues:\n  - {id: x, range: [1, 0], step: 0.1}\n", "low < high"),
    "step-zero": (HEAD + "issues:\n  - {id: x, range: [0, 1], step: 0}\n", "step"),
    "step-too-fine": (HEAD + "issues:\n  - {id: x, range: [0, 1], step: 1.0e-9}\n", "larger step"),
    "negative-weight": (
        HEAD
        + PARTIES
        + ISSUES
        + prefs("{weights: {price: -1}, values: {price: {low: 0, high: 1}}}"),
        "weight",
    ),
    "zero-weights": (
        HEAD
        + PARTIES
        + ISSUES
        + prefs("{weights: {price: 0}, values: {price: {low: 0, high: 1}}}"),
        "all zero",
    ),
    "value-above-one": (
        HEAD
        + PARTIES
        + ISSUES
        + prefs("{weights: {price: 1}, values: {price: {low: 0, high: 1.5}}}"),
        "[0, 1]",
    ),
    "reservation-negative": (
        HEAD
        + PARTIES
        + ISSUES
        + prefs("{weights: {price: 1}, " + VALUES_A + ", reservation: -0.1}"),
        "reservation",
    ),
    "discount-zero": (
        HEAD + PARTIES + ISSUES + prefs("{weights: {price: 1}, " + VALUES_A + ", discount: 0}"),
        "discount",
    ),
    "weight-is-text": (
        HEAD
        + PARTIES
        + ISSUES
        + prefs("{weights: {price: lots}, values: {price: {low: 0, high: 1}}}"),
        "weights",
    ),
    "weight-is-bool": (
        HEAD
        + PARTIES
        + ISSUES
        + prefs("{weights: {price: true}, values: {price: {low: 0, high: 1}}}"),
        "true/false",
    ),
    "unknown-party-in-preferences": (GOOD.replace("  b: {", "  c: {"), "'c'"),
    "unknown-issue-in-weights": (
        HEAD
        + PARTIES
        + ISSUES
        + prefs("{weights: {price: 1, speed: 1}, values: {price: {low: 0, high: 1}}}"),
        "speed",
    ),
    "unknown-option": (
        HEAD
        + PARTIES
        + ISSUES
        + prefs("{weights: {price: 1}, values: {price: {low: 0, mid: 1, high: 1}}}"),
        "mid",
    ),
    "missing-option-value": (
        HEAD + PARTIES + ISSUES + prefs("{weights: {price: 1}, values: {price: {low: 0}}}"),
        "high",
    ),
    "proposal-bad-option": (
        GOOD + "proposals:\n  - {id: p, outcome: {price: medium}}\n",
        "medium",
    ),
    "proposal-missing-issue": (GOOD + "proposals:\n  - {id: p, outcome: {}}\n", "price"),
    "evidence-unknown-source": (
        HEAD + "parties:\n  - id: a\n    name: A\n    evidence: [{source: nowhere, quote: q}]\n",
        "nowhere",
    ),
    "bad-distribution": (
        HEAD
        + PARTIES
        + ISSUES
        + prefs("{weights: {price: 1}, " + VALUES_A + ", reservation: {triangular: [0.5, 0.1]}}"),
        "triangular",
    ),
    "distribution-out-of-range": (
        HEAD
        + PARTIES
        + ISSUES
        + prefs("{weights: {price: 1}, " + VALUES_A + ", reservation: {uniform: [0.5, 1.5]}}"),
        "reaches",
    ),
    "nan-value": (
        HEAD
        + PARTIES
        + ISSUES
        + prefs("{weights: {price: .nan}, values: {price: {low: 0, high: 1}}}"),
        "finite",
    ),
    "merge-key": (HEAD + "base: &b {id: a, name: A}\nparties:\n  - <<: *b\n", "merge"),
    "python-tag": (HEAD + "parties: !!python/object/apply:os.system ['echo hi']\n", "line"),
    "json-syntax": ('{"accord": 1, "id": "x",', "JSON"),
}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    suffix = ".json" if name.startswith("json") else ".yaml"
    p = tmp_path / f"{name}{suffix}"
    p.write_text(text, encoding="utf-8")
    return p


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) + len(GENERATED) >= 30


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_bad_file_is_a_clear_error(tmp_path: Path, name: str) -> None:
    text, expected = CORPUS[name]
    path = _write(tmp_path, name, text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(path))
    message = str(info.value)
    assert str(path) in message, message
    assert expected.lower() in message.lower(), message


def _alias_bomb() -> bytes:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for k in range(1, 10):
        prev = chr(ord("a") + k - 1)
        cur = chr(ord("a") + k)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 10) + "]")
    return (HEAD + "\n".join(lines) + "\n").encode()


GENERATED = {
    "binary-garbage": (bytes(range(256)) * 40, "binary"),
    "latin1": ("accord: 1\nid: x\ntitle: caf\xe9\n".encode("latin-1"), "UTF-8"),
    "alias-bomb": (_alias_bomb(), "alias"),
    "too-large": (b"# " + b"x" * (MAX_FILE_BYTES + 10), "limit"),
    "deep-nesting": (HEAD.encode() + b"x: " + b"[" * 5000 + b"]" * 5000 + b"\n", "deeper"),
}


@pytest.mark.timeout(20)
@pytest.mark.parametrize("name", sorted(GENERATED))
def test_hostile_file_is_refused_quickly(tmp_path: Path, name: str) -> None:
    data, expected = GENERATED[name]
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(data)
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(path))
    assert str(path) in str(info.value)
    assert expected.lower() in str(info.value).lower(), str(info.value)


def test_line_number_points_at_the_problem(tmp_path: Path) -> None:
    text = textwrap.dedent(
        """\
        accord: 1
        id: lines
        title: Lines
        parties:
          - id: a
            name: A
            colour: red
        """
    )
    path = _write(tmp_path, "lines", text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(path))
    assert info.value.line == 7
    assert info.value.field == "parties[0].colour"


def test_cli_exit_code_2_and_no_traceback(tmp_path: Path) -> None:
    path = _write(tmp_path, "cli", CORPUS["unknown-key"][0])
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "colour" in result.output


def test_good_file_is_valid(tmp_path: Path) -> None:
    path = _write(tmp_path, "good", GOOD)
    assert load_scenario(str(path)).party_ids == ("a", "b")
