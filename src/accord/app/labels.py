"""Words people read: party names, issue and option labels, possessives, plurals, and what each
field of a scenario is (:func:`field_label`: "the United States' reservation value" for
``preferences.usa.reservation``).

Findings are written with labels, not ids (docs/architecture.md, "Findings"); every engine spec
uses these helpers so that the same thing is called the same everywhere, and the report's evidence
appendix names every supported number with :func:`field_label` rather than its field path.
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


_THE_FIRST_WORDS = frozenset(
    {"united", "republic", "democratic", "kingdom", "islamic", "federal", "people's", "european"}
)
_SPOKEN_ACRONYMS = frozenset({"NATO", "OPEC", "ASEAN", "UNESCO", "UNICEF", "NAFTA", "MERCOSUR"})
"""Acronyms read as words, which take no article: "NATO's", but "the DPRK's"."""


def definite(name: str) -> str:
    """A name as it reads inside a sentence: ``the United States``, ``the DPRK``, ``China``.

    Acronyms (``DPRK``, ``US Congress``), names that start with words such as *United* or
    *Republic*, names with *of* (``Government of X``) and lower-case roles (``buyer``) take
    *the*; other proper names (``South Korea``, ``Alice``) do not. A leading *the* is kept.
    """
    words = name.split()
    if not words:
        return name
    first = words[0]
    if first.lower() == "the":
        return name
    acronym = len(first) >= 2 and first.isupper() and first.isalpha()
    acronym = acronym and first not in _SPOKEN_ACRONYMS
    if acronym or first.lower() in _THE_FIRST_WORDS or " of " in name or first[0].islower():
        return f"the {name}"
    return name


def whose(name: str) -> str:
    """``the United States'``, ``the DPRK's``, ``China's``: :func:`definite`, then possessive."""
    return possessive(definite(name))


def _words(identifier: Any) -> str:
    return str(identifier).replace("_", " ").replace("-", " ")


def _quoted(text: str) -> str:
    return f"“{text}”"


def _party_whose(scenario: Scenario, party_id: str) -> str:
    return whose(party_name(scenario, party_id))


def _actor_short(actor: Any) -> str:
    # "China (Xi Jinping)" is called "China" inside a sentence.
    return str(actor.label).split(" (")[0]


def _step(node: Any, key: str | int) -> Any:
    if isinstance(key, int) or isinstance(node, dict):
        return node[key]
    return getattr(node, key)


def _at(scenario: Scenario, path: tuple[str | int, ...]) -> Any:
    node: Any = scenario
    for key in path:
        node = _step(node, key)
    return node


def _fallback(scenario: Scenario, path: tuple[str | int, ...]) -> str:
    """The dotted path, with list positions shown as the element's id where it has one."""
    out = ""
    node: Any = scenario
    for key in path:
        try:
            node = _step(node, key)
        except (AttributeError, KeyError, IndexError, TypeError):
            node = None
        if isinstance(key, int):
            element_id = getattr(node, "id", None)
            out += f"[{element_id}]" if element_id else f"[{key}]"
        else:
            out += ("." if out else "") + str(key)
    return out or "the scenario"


def field_label(scenario: Scenario, path: tuple[str | int, ...]) -> str:
    """What the scenario field at ``path`` is, in words people read.

    ``("preferences", "usa", "reservation")`` reads "the United States' reservation value",
    ``("stakeholders", "actors", 1, "salience", "sanctions-relief")`` reads "the DPRK's salience
    on sanctions relief (stakeholder model)". Every part of a scenario that can carry evidence has
    a label; a path this function does not know (a third-party section) reads as the dotted path
    with list positions replaced by the elements' ids.
    """
    try:
        label = _label(scenario, tuple(path))
    except (AttributeError, KeyError, IndexError, TypeError, ValueError):
        label = None
    return label if label is not None else _fallback(scenario, tuple(path))


def _label(s: Scenario, path: tuple[str | int, ...]) -> str | None:
    n = len(path)
    if n == 0:
        return "the scenario as a whole"
    head = path[0]
    if head == "parties" and n == 2:
        return f"the party {_at(s, path).name}"
    if head == "issues" and n == 2:
        issue = _at(s, path)
        return f"the issue {_quoted(issue.name or issue.id)}"
    if head == "proposals" and n == 2:
        prop = _at(s, path)
        return f"the proposal {_quoted(prop.name or prop.id)}"
    if head == "sources" and n == 2:
        return f"the source {_quoted(_at(s, path).title)}"
    if head == "preferences" and n >= 2:
        return _preference_label(s, path, _party_whose(s, str(path[1])), "")
    if head == "conflict":
        return _conflict_label(s, path)
    if head == "stakeholders":
        return _stakeholder_label(s, path)
    if head == "sequencing":
        return _sequencing_label(s, path)
    if head == "simulation":
        return _simulation_label(s, path)
    if head == "signals":
        return _signals_label(s, path)
    if head == "information":
        return _information_label(s, path)
    if head == "domestic":
        return _domestic_label(s, path)
    return None


def _preference_label(
    s: Scenario, path: tuple[str | int, ...], who: str, suffix: str, of: str | None = None
) -> str | None:
    """Labels of a preference below ``path[2:]``: a party's, with the possessive ``who`` ("the
    DPRK's reservation value"), or a group's, which reads better with ``of`` ("the reservation
    value of Critics in Congress", "the weight on sanctions relief for Critics in Congress")."""
    rest = path[2:]
    what: str | None = None
    if not rest:
        what = "preferences"
    elif rest[0] == "reservation" and len(rest) == 1:
        what = "reservation value"
    elif rest[0] == "discount" and len(rest) == 1:
        what = "discount factor"
    elif rest[0] == "outside_option" and len(rest) == 1:
        what = "outside option (plan B)"
    elif rest[0] == "weights" and len(rest) == 2:
        what = f"weight on {_words(rest[1])}"
    elif rest[0] == "values" and len(rest) == 3:
        # The issue is named too: several issues may have an option called "None".
        label = _quoted(option_label(s, str(rest[1]), rest[2]))
        what = f"value of {label} on {_words(rest[1])}"
    elif rest[0] == "values" and len(rest) == 2:
        what = f"values on {_words(rest[1])}"
    if what is None:
        return None
    if of is None:
        return f"{who} {what}{suffix}"
    joiner = "of" if len(rest) <= 1 else "for"
    return f"the {what} {joiner} {of}{suffix}"


def _conflict_label(s: Scenario, path: tuple[str | int, ...]) -> str | None:
    tag = " (conflict model)"
    if len(path) == 1:
        return "the conflict model"
    part = path[1]
    if part == "decision_makers" and len(path) == 3:
        dm = _at(s, path)
        return f"{definite(dm.name or party_name(s, dm.id))} as a decision maker{tag}"
    if part == "preferences" and len(path) == 3:
        return f"{_party_whose(s, str(path[2]))} ranking of the states{tag}"
    if part == "perceptions" and len(path) == 3:
        p = _at(s, path)
        return f"{_party_whose(s, p.holder)} view of {_party_whose(s, p.about)} preferences{tag}"
    return None


def _stakeholder_label(s: Scenario, path: tuple[str | int, ...]) -> str | None:
    tag = " (stakeholder model)"
    if len(path) == 1:
        return "the stakeholder model"
    if path[1] == "dimensions" and len(path) == 3:
        return f"the dimension {_quoted(_at(s, path).label)}{tag}"
    if path[1] != "actors" or len(path) < 3:
        return None
    short = _actor_short(_at(s, path[:3]))
    if len(path) == 3:
        return f"{definite(short)}{tag}"
    who = whose(short)
    field = path[3]
    if field == "capability" and len(path) == 4:
        return f"{who} capability{tag}"
    if field in ("positions", "salience") and len(path) == 5:
        what = "position" if field == "positions" else "salience"
        return f"{who} {what} on {_words(path[4])}{tag}"
    return None


_SEQUENCING_PARTY = {
    "patience": "patience (discount per round)",
    "trust": "trust that the other side keeps going",
    "completion_value": "value of completing every step",
    "detection": "chance of noticing a shortfall",
    "first_move_cost": "cost of moving first",
    "mimic_scale": "mimicry cost scale",
}
_SEQUENCING_STEP = {
    "cost": "cost to its owner",
    "value": "value to the other side",
    "reversible": "reversible share",
    "reversal_probability": "chance that a reversal works",
    "reversal_cost": "cost of reversing",
}


def _sequencing_label(s: Scenario, path: tuple[str | int, ...]) -> str | None:
    tag = " (sequencing)"
    if len(path) == 1:
        return "the sequencing model"
    if path[1] == "parties" and len(path) >= 3:
        party = _at(s, path[:3])
        who = whose(party.name or party_name(s, str(path[2])))
        if len(path) == 3:
            return f"{who} sequencing parameters"
        field = str(path[3])
        return f"{who} {_SEQUENCING_PARTY.get(field, _words(field))}{tag}"
    if path[1] == "steps" and len(path) >= 3:
        step = _at(s, path[:3])
        name = f"the step {_quoted(step.name)}" if step.name else f"the {_words(step.id)} step"
        if len(path) == 3:
            return f"{name}{tag}"
        field = str(path[3])
        if field == "needs_consent":
            return f"the consent {name} needs{tag}"
        return f"{name}: {_SEQUENCING_STEP.get(field, _words(field))}{tag}"
    return None


def _simulation_label(s: Scenario, path: tuple[str | int, ...]) -> str | None:
    if len(path) == 1:
        return "the simulation settings"
    if path[1] == "outside_options" and len(path) >= 3:
        opt = _at(s, path[:3])
        return f"{_party_whose(s, opt.party)} outside option from round {opt.round} (simulation)"
    return None


def _signals_label(s: Scenario, path: tuple[str | int, ...]) -> str | None:
    if len(path) < 2:
        return "the signalling games"
    game = _at(s, path[:2])
    title = _quoted(game.title or game.id)
    tag = f" (signalling game {title})"
    if len(path) == 2:
        return f"the signalling game {title}"
    if path[2] == "types" and len(path) >= 4:
        t = _at(s, path[:4])
        name = _quoted(t.name or t.id)
        if len(path) == 4:
            return f"the sender type {name}{tag}"
        return f"the prior of the sender type {name}{tag}"
    if path[2] == "payoffs" and len(path) >= 4:
        row = _at(s, path[:4])
        ids = {t.id: t.name or t.id for t in game.types}
        when = (
            f"type {_quoted(ids.get(row.type, row.type))}, message "
            f"{_quoted(game.labels.get(row.message, row.message))}, response "
            f"{_quoted(game.labels.get(row.action, row.action))}"
        )
        if len(path) == 4:
            return f"the payoffs for {when}{tag}"
        party = game.sender if path[4] == "sender" else game.receiver
        return f"{_party_whose(s, party)} payoff for {when}{tag}"
    return None


def _information_label(s: Scenario, path: tuple[str | int, ...]) -> str | None:
    tag = " (incomplete information)"
    if len(path) == 1:
        return "the incomplete-information model"
    if path[1] == "beliefs" and len(path) >= 3:
        b = _at(s, path[:3])
        return (
            f"{_party_whose(s, b.holder)} belief about {_party_whose(s, b.about)} "
            f"reservation value{tag}"
        )
    if path[1] == "working_level" and len(path) == 2:
        return f"the uncertainty left after working-level talks{tag}"
    return None


def _domestic_label(s: Scenario, path: tuple[str | int, ...]) -> str | None:
    if len(path) < 2:
        return "the domestic ratification model"
    side = _at(s, path[:2])
    country = definite(party_name(s, side.party))
    tag = f" (ratification in {country})"
    if len(path) == 2:
        return f"ratification in {country}"
    if path[2] == "ratifiers" and len(path) >= 4:
        r = _at(s, path[:4])
        name = r.name or r.id
        if len(path) == 4:
            return f"{definite(name)}{tag}"
        return _preference_label(s, ("", "", *path[4:]), whose(name), tag, of=name)
    return None
