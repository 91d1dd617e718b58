"""Graph Model for Conflict Resolution as a registered engine (docs/architecture.md).

Wraps :func:`accord.conflict.analyse` (Nash, GMR, SMR, SEQ and the simultaneous concepts SIM
and SIM-any; docs/models.md) over the scenario's ``conflict:`` section, both readings of
coalition analysis when a coalition is given, and the first-level hypergame
(:mod:`accord.conflict.hypergame`, Wang, Hipel & Fraser 1988) when the section has
``perceptions:``. States are described by their options, not only by number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import Field

from accord.app.labels import join_and, party_name, possessive
from accord.app.registry import Absent, EngineSettings, EngineSpec, Finding
from accord.conflict.changes import describe_state, what_would_change
from accord.conflict.stability import CONCEPT_LABELS
from accord.scenario.model import Scenario


class StabilitySettings(EngineSettings):
    coalition: tuple[str, ...] | None = Field(
        None, description="decision makers acting together (coalition analysis)"
    )
    concept: str = Field("seq", description="the concept a sweep's headline uses")
    hypergame: bool = Field(True, description="solve the perceived games of 'perceptions:'")


@dataclass(frozen=True)
class Prepared:
    scenario: Scenario
    model: Any
    settings: StabilitySettings


@dataclass(frozen=True)
class Stability:
    scenario: Scenario
    result: Any
    changes: tuple[dict[str, Any], ...]
    concept: str
    hypergame: Any = None

    def to_dict(self) -> dict[str, Any]:
        out = {**self.result.to_dict(), "what_would_change": list(self.changes)}
        out["hypergame"] = None if self.hypergame is None else self.hypergame.to_dict()
        return out


def prepare(scenario: Scenario, settings: StabilitySettings) -> Prepared:
    if scenario.conflict is None:
        raise Absent("the scenario has no 'conflict:' section")
    from accord.conflict import model_from_section

    return Prepared(scenario, model_from_section(scenario.conflict), settings)


def run(p: Prepared, seed: int) -> Stability:
    from accord.conflict import analyse

    result = analyse(p.model, coalition=p.settings.coalition)
    hyper = None
    section = p.scenario.conflict
    if p.settings.hypergame and section is not None and section.perceptions:
        from accord.conflict.hypergame import analyse_hypergame
        from accord.conflict.model import perceptions_from_section

        hyper = analyse_hypergame(p.model, perceptions_from_section(section))
    return Stability(
        p.scenario, result, tuple(what_would_change(result)), p.settings.concept, hyper
    )


def headlines(r: Stability) -> dict[str, float]:
    model = r.result.model
    eq = r.result.equilibria.get(r.concept, [])
    sq = None if model.status_quo is None else model.status_quo + 1
    out = {
        "no_deal_equilibrium": float(sq is not None and sq in eq),
        "equilibria": float(len(eq)),
    }
    if r.hypergame is not None:
        joint = r.hypergame.equilibria.get(r.concept, [])
        out["hypergame_equilibria"] = float(len(joint))
        out["hypergame_no_deal"] = float(sq is not None and sq in joint)
    return out


def _dm_name(r: Stability, dm: str) -> str:
    section = r.scenario.conflict
    if section is not None:
        for d in section.decision_makers:
            if d.id == dm and d.name:
                return d.name
    return party_name(r.scenario, dm)


def _states(model: Any, states: list[int]) -> str:
    return join_and([describe_state(model, s) for s in states]) if states else "none"


def hypergame_findings(r: Stability) -> list[Finding]:
    """What each side expects, the joint outcome, and the misperception that drives it."""
    h = r.hypergame
    if h is None:
        return []
    model = h.model
    concept = r.concept if r.concept in h.equilibria else "seq"
    label = CONCEPT_LABELS[concept]
    out: list[Finding] = []
    true_eq = h.ordinary.equilibria.get(concept, [])
    for holder, about in h.misperceptions:
        mine = h.perceived_equilibria(holder, concept)
        expected = [s for s in mine if s not in true_eq]
        text = (
            f"{_dm_name(r, holder)} misperceives {possessive(_dm_name(r, about))} preferences. "
            f"In the game it believes it is playing, the {label} equilibria are "
            f"{_states(model, mine)}"
        )
        if expected:
            movers = [
                _dm_name(r, model.dm_ids[d])
                for d in range(model.n_dms)
                if not all(h.ordinary.stable[concept][d, s - 1] for s in expected)
            ]
            text += (
                f"; it expects {_states(model, expected)} to hold, which the true game does not "
                f"support ({join_and(movers) or _dm_name(r, about)} would move away)."
            )
        else:
            text += "."
        out.append(
            Finding(
                "stability.hypergame.perceived",
                text,
                {"holder": holder, "about": about, "concept": concept,
                 "perceived_equilibria": list(mine), "expected_not_true": expected},
            )
        )  # fmt: skip
    joint = h.equilibria.get(concept, [])
    out.append(
        Finding(
            "stability.hypergame.joint",
            f"With each side acting on its own perception (first-level hypergame), the joint "
            f"{label} equilibria are {_states(model, joint)}; with correct perceptions they "
            f"would be {_states(model, true_eq)}.",
            {"concept": concept, "equilibria": list(joint), "ordinary": list(true_eq)},
        )
    )
    for d in h.drivers:
        lost, gained = d.lost.get(concept, []), d.gained.get(concept, [])
        if not lost and not gained:
            continue
        parts = []
        if lost:
            parts.append(f"removes {_states(model, lost)}")
        if gained:
            parts.append(f"adds {_states(model, gained)}")
        out.append(
            Finding(
                "stability.hypergame.driver",
                f"{possessive(_dm_name(r, d.holder))} misperception of "
                f"{possessive(_dm_name(r, d.about))} preferences alone {' and '.join(parts)} "
                f"among the {label} outcomes: {_dm_name(r, d.holder)} would leave them, "
                f"believing {_dm_name(r, d.about)} would not answer with a sanction it prefers. "
                "This rests on the perceived preferences in the scenario's 'perceptions:' "
                "entry, not on the true ones.",
                {"holder": d.holder, "about": d.about, "concept": concept,
                 "lost": list(lost), "gained": list(gained)},
            )
        )  # fmt: skip
    return out


def findings(r: Stability) -> list[Finding]:
    res, model = r.result, r.result.model
    out: list[Finding] = []
    for concept in ("nash", "seq", "gmr"):
        eq = res.equilibria.get(concept, [])
        label = CONCEPT_LABELS[concept]
        if not eq:
            out.append(
                Finding(
                    f"stability.no_{concept}",
                    f"No state is a {label} equilibrium: someone always has a reason to move.",
                    {"concept": concept, "equilibria": []},
                )
            )
        else:
            out.append(
                Finding(
                    f"stability.{concept}",
                    f"{label} equilibria: " + "; ".join(describe_state(model, s) for s in eq) + ".",
                    {"concept": concept, "equilibria": list(eq)},
                )
            )
    if model.status_quo is not None:
        sq = model.status_quo + 1
        unstable = [
            _dm_name(r, model.dm_ids[d])
            for d in range(model.n_dms)
            if not res.stable["nash"][d, sq - 1]
        ]
        text = f"The status quo, {describe_state(model, sq)}, is " + (
            f"not Nash stable: {join_and(unstable)} can improve by moving alone."
            if unstable
            else "Nash stable for everyone."
        )
        out.append(Finding("stability.status_quo", text, {"status_quo": sq, "movers": unstable}))
        for path in res.status_quo_paths:
            if path.states and len(path.states) > 1:
                steps = ", then ".join(
                    f"{_dm_name(r, mover)} moves to {describe_state(model, s)}"
                    for mover, s in zip(path.movers, path.states[1:], strict=True)
                )
                out.append(
                    Finding(
                        "stability.path",
                        f"From the status quo, {steps}: an equilibrium.",
                        {"states": list(path.states), "movers": list(path.movers),
                         "target": path.target},
                    )
                )  # fmt: skip
    if res.coalition is not None:
        co = res.coalition
        for s in res.equilibria.get("nash", []):
            if s not in co.equilibria.get("nash", []):
                moves = ", ".join(describe_state(model, t) for t in co.improvements.get(s, []))
                out.append(
                    Finding(
                        "stability.coalition",
                        f"{describe_state(model, s).capitalize()} is not coalition stable: "
                        f"{join_and([_dm_name(r, m) for m in co.members])} together can move to "
                        f"{moves}, which all of them prefer.",
                        {"state": s, "members": list(co.members)},
                    )
                )
    if res.coalition_joint is not None:
        joint = res.coalition_joint
        eq = joint.equilibria.get("nash", [])
        out.append(
            Finding(
                "stability.coalition_joint",
                f"With {join_and([_dm_name(r, m) for m in joint.members])} as one decision maker "
                f"(the GMCR+ reading), the Nash equilibria are {_states(model, eq)}.",
                {"members": list(joint.members), "equilibria": list(eq)},
            )
        )
    out.extend(hypergame_findings(r))
    return out


SPEC = EngineSpec(
    key="stability",
    title="Conflict stability (graph model)",
    sections=("conflict",),
    settings=StabilitySettings,
    prepare=prepare,
    run=run,
    headlines=headlines,
    findings=findings,
    description="stable states of the graph model and the status quo's path",
    target="no_deal_equilibrium",
)
