"""The briefing states only numbers that the engines' JSON holds (docs/architecture.md).

Every point records the JSON paths it read; the test reads the same paths from ``accord run
--json`` and checks each number in the point's sentence against those values (as printed with
the usual formats, or as a probability's complement), so a number typed into a sentence, or one
computed on the side, fails.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from typer.testing import CliRunner

from accord.cli.main import app

runner = CliRunner()
NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?%?")


def _walk(data: Any, path: str) -> Any:
    for part in path.split("/"):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def _forms(value: Any) -> set[str]:
    out: set[str] = set()
    if isinstance(value, bool) or value is None:
        return out
    if isinstance(value, int | float):
        x = float(value)
        for y in (x, 1 - x) if 0 <= x <= 1 else (x,):
            out |= {f"{y:.0%}", f"{y:.1%}", f"{y:.1f}", f"{y:.2f}", f"{y:.3f}", f"{y:g}"}
            if float(y).is_integer():
                out |= {f"{int(y):,}", str(int(y))}
        return out
    if isinstance(value, str):
        return set(NUMBER.findall(value))
    if isinstance(value, dict):
        for k, v in value.items():
            out |= _forms(v) | set(NUMBER.findall(str(k)))
        return out
    if isinstance(value, list | tuple):
        for v in value:
            out |= _forms(v)
    return out


@pytest.fixture(scope="module")
def hanoi_json() -> dict[str, Any]:
    res = runner.invoke(app, ["run", "hanoi-2019", "--json", "--no-report"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_every_briefing_number_is_one_the_engines_report(hanoi_json: dict[str, Any]) -> None:
    points = hanoi_json["briefing"]["points"]
    assert 1 <= len(points) <= 8
    for p in points:
        allowed: set[str] = set()
        for path, value in p["numbers"].items():
            assert _walk(hanoi_json, path) == value, path
            allowed |= _forms(value)
        # Option and party labels may carry numbers of their own (dates, state numbers).
        for n in NUMBER.findall(p["text"]):
            assert n in allowed, (n, p["text"])


def test_hanoi_briefing_answers_the_analysts_questions(hanoi_json: dict[str, Any]) -> None:
    topics = [p["topic"] for p in hanoi_json["briefing"]["points"]]
    assert topics[:3] == ["deal", "proposals", "what-works"]
    for topic in ("why-no-deal", "signals", "at-home", "first-move"):
        assert topic in topics
    text = " ".join(p["text"] for p in hanoi_json["briefing"]["points"])
    analysis = hanoi_json["engines"]["analyse"]
    assert f"{analysis['zopa']['size']} of {analysis['outcomes']} packages" in text
    # The Scholz forecast cycles on Hanoi, and the briefing says so rather than quoting one round.
    assert "mean oscillates" in text


def test_brief_command_markdown_and_json() -> None:
    md = runner.invoke(app, ["brief", "logrolling", "--markdown"])
    assert md.exit_code == 0 and md.stdout.startswith("## Briefing: ")
    assert md.stdout.count("\n- ") >= 2
    js = json.loads(runner.invoke(app, ["brief", "divide-the-dollar", "--json"]).stdout)
    assert {"scenario", "accord_version", "settings", "seed", "briefing"} <= set(js)
    assert js["briefing"]["points"][0]["topic"] == "deal"
