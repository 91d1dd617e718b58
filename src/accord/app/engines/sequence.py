"""Self-enforcing sequencing as a registered engine (docs/architecture.md).

Wraps :func:`accord.sequencing.analyse` (an LP/MILP over the shares of reciprocal steps per
round; docs/models.md, Sequencing: exposure of the first mover, credible snapback with
stakeholders' consent, first-move costs, fixed or Bayesian trust) over the scenario's
``sequencing:`` section. The findings come from :mod:`accord.sequencing.findings`; the last one
says which assumption carries the result (each of them switched alone).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import Field

from accord.app.registry import Absent, EngineSettings, EngineSpec, Finding
from accord.scenario.model import Scenario


class SequenceSettings(EngineSettings):
    thresholds: bool = Field(True, description="search for what would make a schedule exist")
    assumptions: bool = Field(
        True, description="re-solve with each assumption switched to say which carries the result"
    )


@dataclass(frozen=True)
class Prepared:
    scenario: Scenario
    problem: Any
    given: Any
    settings: SequenceSettings


@dataclass(frozen=True)
class Sequencing:
    scenario: Scenario
    analysis: Any
    given: Any
    names: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.analysis.to_dict())
        data["given"] = [
            {
                "step": g.step_id,
                "owner": g.owner,
                "value": g.value,
                "reversible": g.reversible,
                "taken_back": g.taken_back,
            }
            for g in self.given
        ]
        return data


def party_names(scenario: Scenario) -> dict[str, str]:
    names = {p.id: p.name for p in scenario.parties}
    if scenario.sequencing is not None:
        for pid, party in scenario.sequencing.parties.items():
            names.setdefault(pid, party.name or pid)
    return names


def prepare(scenario: Scenario, settings: SequenceSettings) -> Prepared:
    if scenario.sequencing is None:
        raise Absent("the scenario has no 'sequencing:' section")
    from accord.sequencing import problem_from_section

    problem, given = problem_from_section(scenario.sequencing, scenario.stakeholders)
    return Prepared(scenario, problem, given, settings)


def run(p: Prepared, seed: int) -> Sequencing:
    from accord.sequencing import analyse

    analysis = analyse(
        p.problem, with_thresholds=p.settings.thresholds, with_variants=p.settings.assumptions
    )
    return Sequencing(p.scenario, analysis, p.given, party_names(p.scenario))


def headlines(r: Sequencing) -> dict[str, float]:
    sched = r.analysis.schedule
    old = r.analysis.variants.get("old_model", "missing")
    out = {
        "schedule_exists": float(sched.feasible),
        "fewest_rounds": float("nan") if sched.rounds is None else float(sched.rounds),
    }
    if old != "missing":
        out["schedule_exists_old_model"] = float(old is not None)
    return out


def findings(r: Sequencing) -> list[Finding]:
    from accord.sequencing.findings import findings as structured

    return [Finding(f["kind"], f["text"], f["values"]) for f in structured(r.analysis, r.names)]


SPEC = EngineSpec(
    key="sequence",
    title="Sequencing under mistrust",
    sections=("sequencing", "stakeholders"),
    settings=SequenceSettings,
    prepare=prepare,
    run=run,
    headlines=headlines,
    findings=findings,
    description="self-enforcing order and pace of reciprocal steps",
    target="schedule_exists",
)
