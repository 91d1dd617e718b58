"""GENIUS negotiation domains in and out: XML domain and profile files ↔ an Accord scenario.

GENIUS (Lin, Kraus, Baarslag, Tykhonov, Hindriks & Jonker 2014, "Genius: an integrated
environment for supporting the design of generic automated negotiators", *Computational
Intelligence* 30(1)) and the ANAC competitions describe a bilateral or multilateral negotiation by
one *domain* file (the issues and their values) and one *profile* file per party (a linear-additive
utility space). The semantics implemented here are GENIUS's additive utility space:

* a discrete value's utility is its ``evaluation`` divided by the largest evaluation of that issue
  in the same profile (GENIUS ``EvaluatorDiscrete.normalize``); an issue whose largest evaluation
  is below 1e-5 is worth 0 everywhere. (NegMAS's GENIUS loader keeps the raw evaluations instead,
  which is a different utility function: ``benchmarks/compare_negmas.py`` applies GENIUS's
  division before comparing);
* an integer issue's utility is ``clip(offset + slope·(x − lowerbound), 0, 1)`` (GENIUS
  ``EvaluatorInteger``), imported exactly as a piecewise-linear value function on a grid of step 1;
  real-valued issues are refused with a hint (discretise them first);
* the issue weights are normalised by their sum (Accord normalises them as well);
* ``<reservation value=...>`` (or a ``reservation`` attribute of ``utility_space``) is the
  utility of no agreement, default 0;
* ``<discount_factor value=d>`` with ``d < 1`` becomes ``Preference.discount``. GENIUS discounts
  over *normalised time* — a deal at time ``t ∈ [0, 1]`` is worth ``u·d^t`` — while Accord's
  discount is *per round*. By default ``d`` is carried over unchanged (so one Accord round spans
  the whole GENIUS deadline); pass ``deadline_rounds=R`` to spread it over ``R`` rounds
  (``δ = d^(1/R)``, so ``δ^R = d``), and the exporter inverts the same mapping.

Every file is untrusted: it is read only up to :data:`MAX_GENIUS_BYTES` and parsed with
defusedxml with DTDs, entities and external references forbidden, so an entity bomb or an external
entity is refused at once. Every problem becomes a :class:`~accord.errors.ScenarioError` naming the
file, the line of the element where known, and the fix.

Export writes the same format back. GENIUS requires each issue's best evaluation to be the
reference point (utility 1), so a party whose best outcome is worth less than 1 in Accord is
exported with every utility (and its reservation value) multiplied by ``1 / u_max``; preference
orders and the Nash and Kalai–Smorodinsky points do not change, and scenarios imported from GENIUS
round-trip exactly (:func:`genius_scale_factors` tells which parties are rescaled).

Example::

    >>> from pathlib import Path
    >>> scenario = import_genius([Path("../shared/data/genius/Laptop")])  # doctest: +SKIP
    >>> scenario.party_ids  # doctest: +SKIP
    ('buyer', 'seller')
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import (
    Element,
    ParseError,
    SubElement,
    TreeBuilder,
    indent,
    tostring,
)

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from pydantic import ValidationError

from accord.errors import ScenarioError
from accord.scenario.base import ID_PATTERN
from accord.scenario.model import Scenario
from accord.scenario.outcomes import issue_value_table

MAX_GENIUS_BYTES = 50 * 1024 * 1024
"""Largest GENIUS XML file read (ANAC files are a few kilobytes)."""

MAX_EXPORT_VALUES = 100_000
"""Most values a numeric issue may have when it must be exported as a discrete GENIUS issue."""

GENIUS_ZERO_EVALUATION = 1e-5
"""GENIUS treats an issue whose largest evaluation is below this as worth 0 for every value."""

_SOURCE_ID = "genius-domain"


# --------------------------------------------------------------------------------------------
# Reading XML safely, keeping the line of every element


@dataclass(frozen=True)
class XmlDoc:
    """A parsed XML file: its root element and the line on which each element starts."""

    file: str
    root: Element
    lines: dict[int, int]

    def line(self, element: Element) -> int | None:
        return self.lines.get(id(element))

    def error(
        self, element: Element | None, message: str, hint: str | None = None
    ) -> ScenarioError:
        line = self.line(element) if element is not None else None
        return ScenarioError(message, file=self.file, line=line, hint=hint)


class _LineRecordingBuilder(TreeBuilder):
    """A tree builder that remembers the line of each start tag (ElementTree drops it)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.expat: Any = None

    def start(self, tag: Any, attrs: Any) -> Element:
        element = super().start(tag, attrs)
        if self.expat is not None:
            self.lines[id(element)] = self.expat.CurrentLineNumber
        return element


def read_xml(path: Path, limit: int | None = None) -> XmlDoc:
    """Read and parse one XML file with DTDs and entities forbidden (raises ScenarioError)."""
    file = str(path)
    limit = MAX_GENIUS_BYTES if limit is None else limit
    try:
        size = path.stat().st_size
        if size > limit:
            raise ScenarioError(
                f"the file is {size:,} bytes, over the limit of {limit:,} for GENIUS XML",
                file=file,
                hint="GENIUS domain and profile files are small; check that this is the right file",
            )
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise ScenarioError(f"cannot be read: {exc.strerror}", file=file) from None
    if len(data) > limit:
        raise ScenarioError(f"the file is over the limit of {limit:,} bytes", file=file)
    return parse_xml(data, file)


def parse_xml(data: bytes, file: str) -> XmlDoc:
    """Parse XML bytes safely: a DTD (and so any entity bomb or external entity) is refused."""
    if not data.strip():
        raise ScenarioError(
            "the file is empty", file=file, hint="give a GENIUS domain or profile XML file"
        )
    builder = _LineRecordingBuilder()
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    builder.expat = parser.parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as exc:
        raise ScenarioError(
            f"declares a DTD or entities ({type(exc).__name__}), which GENIUS files never need "
            "and which can hide an entity bomb or read other files",
            file=file,
            line=builder.expat.CurrentLineNumber,
            hint="remove the <!DOCTYPE ...> and <!ENTITY ...> declarations",
        ) from None
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise ScenarioError(
            f"is not well-formed XML at column {column + 1}: {reason}",
            file=file,
            line=line,
            hint="check the tags and quotes around that line; is this a GENIUS XML file?",
        ) from None
    except (RecursionError, MemoryError):
        raise ScenarioError("nests elements too deeply to read", file=file) from None
    return XmlDoc(file=file, root=root, lines=builder.lines)


# --------------------------------------------------------------------------------------------
# The GENIUS model, as read from the files (plain frozen data, no Accord types yet)


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
            value_ids: list[str | None] = []
            for item in element.findall("item"):
                value = item.get("value")
                if value is None:
                    raise doc.error(item, f"an <item> of issue '{name}' has no value", "add one")
                if value in values:
                    raise doc.error(
                        item, f"issue '{name}' lists the value '{value}' twice", "remove one"
                    )
                values.append(value)
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
    if sum(weights.values()) <= 0:
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
    # Only direct <item> children: Car's profiles nest other <item>s in <similarity_function>.
    for item in element.findall("item"):
        value = item.get("value")
        if value not in issue.values:
            raise doc.error(
                item,
                f"an evaluation for '{value}', which is not a value of issue '{issue.name}' in "
                "the domain",
                f"use the domain's values: {', '.join(issue.values)}",
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
            f"issue '{issue.name}' has no evaluation for {', '.join(repr(v) for v in missing)}",
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


# --------------------------------------------------------------------------------------------
# Import


def kebab(text: str, fallback: str) -> str:
    """A kebab-case id for free text (accents folded, at most 64 characters)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    # split camelCase words so 'ItexvsCypress' does not become one long blob
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", ascii_text)
    slug = re.sub(r"[^a-z0-9]+", "-", spaced.lower()).strip("-")[:64].strip("-")
    return slug or fallback


def unique_ids(texts: Sequence[str], fallback: str, saved: Sequence[str | None] = ()) -> list[str]:
    """Kebab ids for each text, made unique by numbering repeats (``x``, ``x-2``, ...).

    ``saved`` ids (from an Accord export) are used as they are when they are valid and unique.
    """
    usable = [s for s in saved if s is not None and len(s) <= 64 and ID_PATTERN.match(s)]
    if texts and len(usable) == len(texts) and len(set(usable)) == len(usable):
        return usable
    out: list[str] = []
    for k, text in enumerate(texts, start=1):
        base = kebab(text, f"{fallback}-{k}")
        candidate, n = base, 2
        while candidate in out:
            suffix = f"-{n}"
            candidate = base[: 64 - len(suffix)] + suffix
            n += 1
        out.append(candidate)
    return out


def party_labels(profile_files: Sequence[str]) -> list[str]:
    """Readable party names from profile file names, dropping the words they all share.

    ``camera_buyer_utility`` and ``camera_seller_utility`` give ``buyer`` and ``seller``.
    """
    words = [re.split(r"[-_ .]+", Path(f).stem) for f in profile_files]
    if len(words) > 1:
        while all(len(w) > 1 for w in words) and len({w[0].lower() for w in words}) == 1:
            words = [w[1:] for w in words]
        while all(len(w) > 1 for w in words) and len({w[-1].lower() for w in words}) == 1:
            words = [w[:-1] for w in words]
    return [" ".join(w) for w in words]


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


def import_genius(paths: Sequence[Path], *, deadline_rounds: int | None = None) -> Scenario:
    """Build an Accord scenario from a GENIUS domain folder, or a domain file plus profile files.

    Each profile becomes a party (id from its file name), each issue an Accord issue (kebab-case
    id, original name kept in ``name``; option ids kebab-case with the original text in
    ``labels``). ``deadline_rounds`` spreads GENIUS's whole-deadline discount over that many
    Accord rounds (see the module docstring).
    """
    if deadline_rounds is not None and deadline_rounds < 1:
        raise ScenarioError(
            f"deadline_rounds must be a positive whole number, got {deadline_rounds}",
            hint="give the number of rounds the GENIUS deadline stands for",
        )
    domain_doc, profile_docs = find_genius_files(paths)
    domain = parse_domain(domain_doc)
    profiles = [parse_profile(doc, domain) for doc in profile_docs]

    issue_ids = unique_ids(
        [i.name for i in domain.issues], "issue", [i.saved_id for i in domain.issues]
    )
    option_ids = {
        issue.name: unique_ids(issue.values, "option", issue.saved_value_ids)
        for issue in domain.issues
        if issue.values
    }
    labels = party_labels([p.file for p in profiles])
    party_ids = unique_ids(labels, "party")

    issues: list[dict[str, Any]] = []
    for issue, iid in zip(domain.issues, issue_ids, strict=True):
        entry: dict[str, Any] = {"id": iid, "name": issue.name}
        if issue.kind == "discrete":
            ids = option_ids[issue.name]
            entry["options"] = ids
            renamed = {o: v for o, v in zip(ids, issue.values, strict=True) if o != v}
            if renamed:
                entry["labels"] = renamed
        else:
            entry["range"] = [issue.lower, issue.upper]
            entry["step"] = 1
        issues.append(entry)

    preferences: dict[str, Any] = {}
    for profile, pid in zip(profiles, party_ids, strict=True):
        weights: dict[str, float] = {}
        values: dict[str, Any] = {}
        for issue, iid in zip(domain.issues, issue_ids, strict=True):
            weights[iid] = profile.weights[issue.name]
            if issue.kind == "discrete":
                ids = option_ids[issue.name]
                table = profile.discrete_values[issue.name]
                values[iid] = {o: table[v] for o, v in zip(ids, issue.values, strict=True)}
            else:
                values[iid] = {"points": [list(p) for p in profile.integer_points[issue.name]]}
        pref: dict[str, Any] = {
            "weights": weights,
            "values": values,
            "reservation": profile.reservation,
        }
        if profile.discount is not None:
            rounds = deadline_rounds or 1
            pref["discount"] = profile.discount ** (1.0 / rounds)
        preferences[pid] = pref

    domain_file = Path(domain.file).name
    data = {
        "accord": 1,
        "id": kebab(domain.name, "genius-domain"),
        "title": f"{domain.name} (GENIUS domain)",
        "description": (
            f"Imported from the GENIUS/ANAC negotiation domain '{domain.name}' ({domain_file}) "
            f"with the profiles {', '.join(Path(p.file).name for p in profiles)}. GENIUS "
            "discounts over normalised time (u·d^t, t in [0, 1]); here the discount is per round"
            + (f", spread over {deadline_rounds} rounds." if deadline_rounds else ".")
        ),
        "sources": [
            {
                "id": _SOURCE_ID,
                "title": f"GENIUS negotiation domain '{domain.name}' ({domain_file})",
                "author": "Lin, Kraus, Baarslag, Tykhonov, Hindriks & Jonker",
                "publisher": "GENIUS / Automated Negotiating Agents Competition (ANAC)",
                "file": domain_file,
            }
        ],
        "parties": [
            {"id": pid, "name": label or pid, "description": f"GENIUS profile {Path(p.file).name}"}
            for pid, label, p in zip(party_ids, labels, profiles, strict=True)
        ],
        "issues": issues,
        "preferences": preferences,
    }
    try:
        return Scenario.model_validate(data)
    except ScenarioError as exc:
        raise exc.with_file(domain.file) from None
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        raise ScenarioError(
            f"does not make a valid scenario: {first['msg']}",
            file=domain.file,
            field=".".join(str(p) for p in first["loc"]),
        ) from None


# --------------------------------------------------------------------------------------------
# Export


def genius_scale_factors(scenario: Scenario) -> dict[str, float]:
    """For each party, the factor ``1 / u_max`` GENIUS's format imposes on its utilities.

    ``u_max`` is the party's utility of its best outcome (issues are independent, so it is the
    weighted sum of each issue's best value). It is 1 for every scenario imported from GENIUS.
    """
    _require_exportable(scenario)
    factors: dict[str, float] = {}
    for pid in scenario.party_ids:
        weights = scenario.preferences[pid].normalised_weights()
        best = sum(
            weights.get(issue.id, 0.0) * float(issue_value_table(scenario, pid, issue).max())
            for issue in scenario.issues
        )
        if best <= 0:
            raise ScenarioError(
                f"party '{pid}' values every outcome at 0, which GENIUS cannot represent",
                field=("preferences", pid),
                hint="give some issue it weighs a positive value",
            )
        factors[pid] = 1.0 / best
    return factors


def _require_exportable(scenario: Scenario) -> None:
    if not scenario.issues or not scenario.parties:
        raise ScenarioError(
            f"scenario '{scenario.id}' has no issues or no parties, so there is nothing to export",
            hint="GENIUS export needs 'issues', 'parties' and 'preferences'",
        )
    missing = [p for p in scenario.party_ids if p not in scenario.preferences]
    if missing:
        raise ScenarioError(
            f"no preferences for {', '.join(missing)}",
            field="preferences",
            hint="give every party weights and values before exporting to GENIUS",
        )


def _num(x: float) -> str:
    """Shortest text that reads back as the same float (so round trips are exact)."""
    return repr(float(x))


def _linear_integer(scenario: Scenario, pid: str, issue_index: int) -> tuple[float, float] | None:
    """(slope, offset) when the party's value of an integer-grid issue is exactly linear."""
    issue = scenario.issues[issue_index]
    assert issue.range is not None and issue.step is not None
    lo, hi = issue.range
    if issue.step != 1 or lo != int(lo) or hi != int(hi):
        return None
    table = issue_value_table(scenario, pid, issue)
    slope = (table[-1] - table[0]) / (hi - lo)
    line = table[0] + slope * (issue.grid() - lo)
    return (float(slope), float(table[0])) if bool((abs(line - table) <= 1e-12).all()) else None


def export_genius(
    scenario: Scenario, folder: Path, *, deadline_rounds: int | None = None
) -> list[Path]:
    """Write ``<id>-domain.xml`` and one ``<id>-<party>.xml`` profile per party into ``folder``.

    Discrete issues keep their original value texts (``labels``), and the domain file keeps the
    Accord ids in ``accord_id`` attributes (GENIUS ignores them) so they survive a round trip; a
    numeric issue on an integer
    grid whose values are linear for every party becomes a GENIUS integer issue, any other numeric
    issue a discrete one with its grid values as text. Utilities are rescaled per party as
    :func:`genius_scale_factors` explains. Returns the paths written (domain first).
    """
    _require_exportable(scenario)
    factors = genius_scale_factors(scenario)
    if folder.exists() and not folder.is_dir():
        raise ScenarioError("exists and is not a folder", file=str(folder), hint="give a folder")

    as_integer: dict[int, dict[str, tuple[float, float]]] = {}
    for j, issue in enumerate(scenario.issues):
        if not issue.numeric:
            continue
        lines = {pid: _linear_integer(scenario, pid, j) for pid in scenario.party_ids}
        if all(v is not None for v in lines.values()):
            as_integer[j] = {pid: v for pid, v in lines.items() if v is not None}
        elif issue.size > MAX_EXPORT_VALUES:
            raise ScenarioError(
                f"numeric issue '{issue.id}' has {issue.size:,} values and is not linear, so it "
                f"would become a discrete GENIUS issue with more than {MAX_EXPORT_VALUES:,} values",
                field=("issues", j),
                hint="use a larger step",
            )

    def value_texts(j: int) -> list[str]:
        issue = scenario.issues[j]
        if issue.options is not None:
            return [issue.label(o) for o in issue.options]
        return [f"{x:.12g}" for x in issue.grid()]

    def issue_element(parent: Element, j: int) -> Element:
        issue = scenario.issues[j]
        attrs = {"index": str(j + 1), "name": issue.name or issue.id, "accord_id": issue.id}
        if j in as_integer:
            assert issue.range is not None
            kind = "integer"
            attrs.update(lowerbound=str(int(issue.range[0])), upperbound=str(int(issue.range[1])))
        else:
            kind = "discrete"
        return SubElement(parent, "issue", {**attrs, "etype": kind, "type": kind, "vtype": kind})

    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    template = Element("negotiation_template")
    space = SubElement(template, "utility_space", {"number_of_issues": str(len(scenario.issues))})
    objective = SubElement(
        space,
        "objective",
        {"index": "0", "etype": "objective", "type": "objective", "name": scenario.id},
    )
    for j in range(len(scenario.issues)):
        element = issue_element(objective, j)
        if j not in as_integer:
            options = scenario.issues[j].options
            for k, text in enumerate(value_texts(j), start=1):
                attrs = {"index": str(k), "value": text}
                if options is not None:  # GENIUS ignores this; Accord reads its ids back
                    attrs["accord_id"] = options[k - 1]
                SubElement(element, "item", attrs)
    written.append(_write(folder / f"{scenario.id}-domain.xml", template))

    for pid in scenario.party_ids:
        pref = scenario.preferences[pid]
        weights = pref.normalised_weights()
        factor = factors[pid]
        profile = Element("utility_space", {"number_of_issues": str(len(scenario.issues))})
        objective = SubElement(
            profile,
            "objective",
            {"index": "0", "etype": "objective", "type": "objective", "name": scenario.id},
        )
        for j, issue in enumerate(scenario.issues):
            table = issue_value_table(scenario, pid, issue)
            best = float(table.max())
            # GENIUS reads each issue relative to its best value, so the issue's weight carries
            # that best value: w'_j = w_j · max v_j · factor keeps u'(x) = factor · u(x).
            weight = weights.get(issue.id, 0.0) * best * factor
            SubElement(objective, "weight", {"index": str(j + 1), "value": _num(weight)})
            element = issue_element(objective, j)
            if j in as_integer:
                slope, offset = as_integer[j][pid]
                scale = 1.0 / best if best > 0 else 0.0
                SubElement(
                    element,
                    "evaluator",
                    {
                        "ftype": "linear",
                        "slope": _num(slope * scale),
                        "offset": _num(offset * scale),
                    },
                )
                continue
            evaluations = table / best if best > 0 else table * 0.0 + 1.0
            for k, (text, e) in enumerate(zip(value_texts(j), evaluations, strict=True), start=1):
                SubElement(element, "item", {"index": str(k), "value": text, "evaluation": _num(e)})
        SubElement(
            profile, "reservation", {"value": _num(min(pref.reservation.point * factor, 1.0))}
        )
        if pref.discount is not None and pref.discount.point < 1.0:
            rounds = deadline_rounds or 1
            SubElement(profile, "discount_factor", {"value": _num(pref.discount.point**rounds)})
        written.append(_write(folder / f"{scenario.id}-{pid}.xml", profile))
    return written


def _write(path: Path, root: Element) -> Path:
    indent(root, space="  ")
    text = tostring(root, encoding="unicode")
    try:
        path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n", encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"cannot be written: {exc.strerror}", file=str(path)) from None
    return path
