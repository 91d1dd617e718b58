"""Words people read: party names, issue and option labels, possessives, plurals.

Findings are written with labels, not ids (docs/architecture.md, "Findings"); every engine spec
uses these helpers so that the same thing is called the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from accord.scenario.model import Scenario


def party_name(scenario: Scenario, party_id: str) -> str:
    for p in scenario.parties:
        if p.id == party_id:
            return p.name
    return party_id


def possessive(name: str) -> str:
    """``the United States'`` and ``the DPRK's``: an s-final name takes a bare apostrophe."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def plural(n: int, word: str, words: str | None = None) -> str:
    """``1 issue``, ``2 issues``, ``1,024 packages``."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def issue_name(scenario: Scenario, issue_id: str) -> str:
    for i in scenario.issues:
        if i.id == issue_id:
            return i.name or i.id
    return issue_id


def option_label(scenario: Scenario, issue_id: str, value: Any) -> str:
    for i in scenario.issues:
        if i.id == issue_id:
            if i.options is not None:
                return i.label(str(value))
            return f"{float(value):g}"
    return str(value)


def outcome_text(scenario: Scenario, outcome: Mapping[str, Any]) -> str:
    """A package in words, by its options' labels: ``Dismantle Yongbyon; Lift all UN sanctions``.

    A numeric issue reads ``share 0.6``; an option without a label reads ``issue: option``.
    """
    parts = []
    for k, v in outcome.items():
        label = option_label(scenario, k, v)
        if label == str(v):
            parts.append(f"{issue_name(scenario, k)}: {label}")
        else:
            parts.append(label)
    return "; ".join(parts)


def join_and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
