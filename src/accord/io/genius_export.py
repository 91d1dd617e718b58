"""Writing an Accord scenario out as GENIUS domain and profile files (see :mod:`accord.io.genius`
for the semantics and the per-party rescaling GENIUS's format imposes)."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import (
    Element,
    SubElement,
    indent,
    tostring,
)

from accord.errors import ScenarioError
from accord.scenario.model import Scenario
from accord.scenario.outcomes import issue_value_table

MAX_EXPORT_VALUES = 100_000
"""Most values a numeric issue may have when it must be exported as a discrete GENIUS issue."""


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
