"""Parsing GENIUS domain and profile XML into plain frozen data (no Accord types yet).

The semantics (GENIUS's additive utility space: discrete evaluations divided by the issue's largest,
the clipped linear integer evaluator, reservation value and discount factor) are described in
:mod:`accord.io.genius`. Lookups use sets and dictionaries, so an issue with tens of thousands of
values is read in linear time.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import (
    Element,
)

from accord.errors import ScenarioError
from accord.io.safe_xml import XmlDoc, read_xml
from accord.scenario.model import MAX_ISSUE_VALUES

GENIUS_ZERO_EVALUATION = 1e-5
"""GENIUS treats an issue whose largest evaluation is below this as worth 0 for every value."""


@dataclass(frozen=True)
class GeniusIssue:
    """An issue of a GENIUS domain: discrete values, or an integer range."""

    name: str
    kind: str  # "discrete" | "integer"
    values: tuple[str, ...] = ()
    lower: int = 0
    upper: int = 0
    # Accord ids written by export_genius (``accord_id`` attributes GENIUS ignores), if any.
    saved_id: str | None = None
    saved_value_ids: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class GeniusDomain:
    file: str
    name: str
    issues: tuple[GeniusIssue, ...]


@dataclass(frozen=True)
class GeniusProfile:
    """One party's additive utility space; values already in [0, 1] (GENIUS semantics)."""

    file: str
    weights: dict[str, float]
    discrete_values: dict[str, dict[str, float]]
    integer_points: dict[str, tuple[tuple[float, float], ...]]
    reservation: float
    discount: float | None


def _utility_space(doc: XmlDoc) -> Element:
    root = doc.root
    if root.tag == "utility_space":
        return root
    if root.tag == "negotiation_template":
        found = root.find("utility_space")
        if found is not None:
            return found
        raise doc.error(
            root, "has no <utility_space> element", "a GENIUS domain holds <utility_space>"
        )
    raise doc.error(
        root,
        f"the root element is <{root.tag}>, not a GENIUS <negotiation_template> or <utility_space>",
        "give GENIUS domain and profile XML files",
    )


def _objective(doc: XmlDoc) -> Element:
    space = _utility_space(doc)
    objective = space.find("objective")
    if objective is None:
        raise doc.error(space, "has no <objective> element holding the issues", "add one")
    nested = objective.find("objective")
    if nested is not None:
        raise doc.error(
            nested,
            "has a nested <objective>; Accord reads flat GENIUS domains (issues directly under "
            "the top objective)",
            "flatten the objective tree into issues",
        )
    return objective


def _number(doc: XmlDoc, element: Element, attribute: str, what: str) -> float:
    raw = element.get(attribute)
    if raw is None:
        raise doc.error(
            element, f"<{element.tag}> has no '{attribute}' attribute ({what})", "add it"
        )
    try:
        value = float(raw)
    except ValueError:
        raise doc.error(
            element, f"{what} is '{raw}', not a number", f'write {attribute}="0.5" style numbers'
        ) from None
    if not math.isfinite(value):
        raise doc.error(element, f"{what} is '{raw}', not a finite number", "give a finite number")
    return value


def _issue_kind(element: Element) -> str:
    for key in ("type", "etype", "vtype"):
        value = element.get(key)
        if value and value != "objective":
            return value.lower()
    return "discrete"


def _is_profile(doc: XmlDoc) -> bool:
    root = doc.root
    if next(root.iter("weight"), None) is not None:
        return True
    if next(root.iter("evaluator"), None) is not None:
        return True
    return any(item.get("evaluation") is not None for item in root.iter("item"))


def parse_domain(doc: XmlDoc) -> GeniusDomain:
    """The issues of a GENIUS domain file."""
    objective = _objective(doc)
    issues: list[GeniusIssue] = []
    seen: set[str] = set()
    for element in objective.findall("issue"):
        name = element.get("name")
        if not name:
            raise doc.error(element, "an <issue> has no name", 'add name="..." to the issue')
        if name in seen:
            raise doc.error(element, f"the issue '{name}' appears twice", "rename or remove one")
        seen.add(name)
        kind = _issue_kind(element)
        if kind == "discrete":
            values: list[str] = []
            value_set: set[str] = set()
            value_ids: list[str | None] = []
            for item in element.findall("item"):
                value = item.get("value")
                if value is None:
                    raise doc.error(item, f"an <item> of issue '{name}' has no value", "add one")
                if value in value_set:
                    raise doc.error(
                        item, f"issue '{name}' lists the value '{value}' twice", "remove one"
                    )
                values.append(value)
                value_set.add(value)
                value_ids.append(item.get("accord_id"))
            if not values:
                raise doc.error(
                    element, f"issue '{name}' has no <item> values", "list its values as <item>"
                )
            issues.append(
                GeniusIssue(
                    name=name,
                    kind="discrete",
                    values=tuple(values),
                    saved_id=element.get("accord_id"),
                    saved_value_ids=tuple(value_ids),
                )
            )
        elif kind == "integer":
            lower = _number(doc, element, "lowerbound", f"the lower bound of '{name}'")
            upper = _number(doc, element, "upperbound", f"the upper bound of '{name}'")
            if lower != int(lower) or upper != int(upper) or not lower < upper:
                raise doc.error(
                    element,
                    f"integer issue '{name}' needs whole-number bounds, lowerbound < upperbound",
                    "fix the bounds",
                )
            if not upper - lower < MAX_ISSUE_VALUES:  # also catches a span that overflows
                raise doc.error(
                    element,
                    f"integer issue '{name}' spans {lower:g} to {upper:g}, more than "
                    f"{MAX_ISSUE_VALUES:,} values",
                    "narrow the bounds, or discretise the issue into fewer values",
                )
            issues.append(
                GeniusIssue(
                    name,
                    "integer",
                    lower=int(lower),
                    upper=int(upper),
                    saved_id=element.get("accord_id"),
                )
            )
        else:
            raise doc.error(
                element,
                f"issue '{name}' is of type '{kind}', which Accord does not import",
                "discretise real-valued issues into discrete values or an integer range",
            )
    if not issues:
        raise doc.error(objective, "the domain has no <issue> elements", "add the issues")
    # The file name is what the user sees; a very short stem (Car's 'adg') says less than the
    # objective's own name.
    name = re.sub(r"(?i)[-_ ]?domain$", "", Path(doc.file).stem) or Path(doc.file).stem
    objective_name = (objective.get("name") or "").strip()
    if len(name) <= 3 and objective_name.lower() not in ("", "root"):
        name = objective_name
    return GeniusDomain(file=doc.file, name=name, issues=tuple(issues))


def parse_profile(doc: XmlDoc, domain: GeniusDomain) -> GeniusProfile:
    """A profile's weights, values in [0, 1], reservation value and discount factor."""
    space = _utility_space(doc)
    objective = _objective(doc)
    by_name = {issue.name: issue for issue in domain.issues}
    index_to_name: dict[str, str] = {}
    discrete: dict[str, dict[str, float]] = {}
    integer: dict[str, tuple[tuple[float, float], ...]] = {}
    for element in objective.findall("issue"):
        name = element.get("name") or ""
        issue = by_name.get(name)
        if issue is None:
            raise doc.error(
                element,
                f"the issue '{name}' is not in the domain file {domain.file}",
                f"use the domain's issues: {', '.join(by_name)}",
            )
        if element.get("index") is not None:
            index_to_name[element.get("index", "")] = name
        if issue.kind == "discrete":
            discrete[name] = _discrete_values(doc, element, issue)
        else:
            integer[name] = _integer_points(doc, element, issue)
    missing = [i.name for i in domain.issues if i.name not in discrete and i.name not in integer]
    if missing:
        raise doc.error(
            objective,
            f"the profile has no evaluations for the issue(s) {', '.join(missing)}",
            "add an <issue> with an evaluation for every value of each",
        )
    weights: dict[str, float] = {}
    for element in objective.findall("weight"):
        index = element.get("index")
        if index not in index_to_name:
            raise doc.error(
                element,
                f'<weight index="{index}"> names no issue of this profile',
                "give each weight the index of an <issue> in the same file",
            )
        weight = _number(doc, element, "value", f"the weight of '{index_to_name[index]}'")
        if weight < 0:
            raise doc.error(
                element,
                f"the weight of '{index_to_name[index]}' is negative: {weight:g}",
                "weights are non-negative (they are normalised by their sum)",
            )
        weights[index_to_name[index]] = weight
    no_weight = [i.name for i in domain.issues if i.name not in weights]
    if no_weight:
        raise doc.error(
            objective,
            f"no <weight> for the issue(s) {', '.join(no_weight)}",
            'add <weight index="k" value="w"/> for every issue',
        )
    total = sum(weights.values())
    if not math.isfinite(total):
        raise doc.error(
            objective,
            "the sum of the <weight> values overflows",
            "scale the weights down; only their ratios matter",
        )
    if total <= 0:
        raise doc.error(objective, "the weights are all zero", "give some issue a positive weight")
    return GeniusProfile(
        file=doc.file,
        weights=weights,
        discrete_values=discrete,
        integer_points=integer,
        reservation=_reservation(doc, space),
        discount=_discount(doc, space),
    )


def _discrete_values(doc: XmlDoc, element: Element, issue: GeniusIssue) -> dict[str, float]:
    evaluations: dict[str, float] = {}
    known = set(issue.values)
    # Only direct <item> children: Car's profiles nest other <item>s in <similarity_function>.
    for item in element.findall("item"):
        value = item.get("value")
        if value not in known:
            raise doc.error(
                item,
                f"an evaluation for '{value}', which is not a value of issue '{issue.name}' in "
                "the domain",
                f"use the domain's values: {_some(issue.values)}",
            )
        evaluation = _number(doc, item, "evaluation", f"the evaluation of '{issue.name}'='{value}'")
        if evaluation < 0:
            raise doc.error(
                item,
                f"the evaluation of '{issue.name}'='{value}' is negative: {evaluation:g}",
                "evaluations are non-negative; GENIUS divides them by the issue's largest one",
            )
        evaluations[value] = evaluation
    missing = [v for v in issue.values if v not in evaluations]
    if missing:
        raise doc.error(
            element,
            f"issue '{issue.name}' has no evaluation for {_some([repr(v) for v in missing])}",
            "give every value of the domain an <item value=... evaluation=...>",
        )
    best = max(evaluations.values())
    # GENIUS EvaluatorDiscrete.normalize: an issue whose best evaluation is below 1e-5 is worth 0.
    if best < GENIUS_ZERO_EVALUATION:
        return dict.fromkeys(evaluations, 0.0)
    return {v: e / best for v, e in evaluations.items()}


def _integer_points(
    doc: XmlDoc, element: Element, issue: GeniusIssue
) -> tuple[tuple[float, float], ...]:
    """Exact piecewise-linear form of GENIUS's clipped linear integer evaluator."""
    evaluator = element.find("evaluator")
    if evaluator is None or (evaluator.get("ftype") or "linear") != "linear":
        raise doc.error(
            element,
            f"integer issue '{issue.name}' needs an <evaluator ftype=\"linear\" slope offset>",
            "Accord imports GENIUS's linear integer evaluator only",
        )
    slope = _number(doc, evaluator, "slope", f"the slope of '{issue.name}'")
    offset = _number(doc, evaluator, "offset", f"the offset of '{issue.name}'")
    lo, hi = issue.lower, issue.upper

    def utility(x: float) -> float:
        return min(max(offset + slope * (x - lo), 0.0), 1.0)

    xs = {float(lo), float(hi)}
    if slope != 0:  # where the clip to [0, 1] starts, the line has a kink
        for level in (0.0, 1.0):
            x = lo + (level - offset) / slope
            if lo < x < hi:
                xs.add(x)
    return tuple((x, utility(x)) for x in sorted(xs))


def _reservation(doc: XmlDoc, space: Element) -> float:
    element = space.find("reservation")
    if element is not None:
        value = _number(doc, element, "value", "the reservation value")
    elif space.get("reservation") is not None:
        element = space
        value = _number(doc, space, "reservation", "the reservation value")
    else:
        return 0.0
    if not 0.0 <= value <= 1.0:
        raise doc.error(
            element,
            f"the reservation value {value:g} is outside [0, 1]",
            "give the utility of no agreement as a number in [0, 1]",
        )
    return value


def _discount(doc: XmlDoc, space: Element) -> float | None:
    element = space.find("discount_factor")
    if element is None:
        return None
    value = _number(doc, element, "value", "the discount factor")
    if not 0.0 < value <= 1.0:
        raise doc.error(
            element,
            f"the discount factor {value:g} is outside (0, 1]",
            "give a factor in (0, 1]; 1 means no discounting",
        )
    return value if value < 1.0 else None


def _some(texts: Sequence[str], limit: int = 10) -> str:
    """The first few of many texts, for a message."""
    shown_texts = ", ".join(texts[:limit])
    return shown_texts if len(texts) <= limit else f"{shown_texts}, ... ({len(texts):,} in all)"


def find_genius_files(paths: Sequence[Path]) -> tuple[XmlDoc, list[XmlDoc]]:
    """Parse the given folder or files; return the domain document and the profile documents."""
    if not paths:
        raise ScenarioError(
            "no GENIUS files given", hint="give a folder, or a domain file and profile files"
        )
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() == ".xml" and p.is_file())
            if not found:
                raise ScenarioError(
                    "the folder holds no .xml files",
                    file=str(path),
                    hint="give a GENIUS domain folder",
                )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise ScenarioError("no such file or folder", file=str(path), hint="check the path")
    docs = [read_xml(p) for p in files]
    for doc in docs:
        _utility_space(doc)  # every file must at least be GENIUS XML
    domains = [d for d in docs if not _is_profile(d)]
    profiles = [d for d in docs if _is_profile(d)]
    if len(domains) > 1:
        named = [d for d in domains if "domain" in Path(d.file).name.lower()]
        others = [d for d in domains if d not in named]
        if len(named) != 1:
            raise ScenarioError(
                f"found {len(domains)} files without evaluations, so the domain file is "
                f"ambiguous: {', '.join(Path(d.file).name for d in domains)}",
                file=str(paths[0]),
                hint="give the domain file and the profile files explicitly",
            )
        raise ScenarioError(
            f"has no <weight> or evaluations, so it is not a profile, and "
            f"{Path(named[0].file).name} is the domain file",
            file=others[0].file,
            hint="give each profile its weights and an evaluation for every value, or remove it",
        )
    if not domains:
        raise ScenarioError(
            "found no domain file (an XML file with issues but no evaluations or weights)",
            file=str(paths[0]),
            hint="add the GENIUS domain file (often named *_domain.xml)",
        )
    if not profiles:
        raise ScenarioError(
            "found no profile files (XML with weights and evaluations)",
            file=str(paths[0]),
            hint="give one GENIUS profile file per party besides the domain file",
        )
    return domains[0], profiles
