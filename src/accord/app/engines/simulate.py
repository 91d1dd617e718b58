"""Alternating-offers simulation as a registered engine (docs/architecture.md, "The registry").

Settings come from the scenario's ``simulation:`` section (deadline, opener, strategies, runs,
the exponent grid), then explicit overrides, then defaults — so ``accord run``, the report, the
web app and ``accord sweep --engine simulate`` play the same negotiation as ``accord simulate``.
The result holds the scenario strategies' batch, one traced negotiation (for the concession
curves), the strategy matrix and the grid of concession exponents (docs/models.md, simulation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from pydantic import Field

from accord.app.labels import outcome_text, party_name, possessive
from accord.app.registry import Absent, EngineSettings, EngineSpec, Finding
from accord.scenario.model import Scenario

DISCOUNTING_WORDS = {
    "deals-and-walkaway": "walking away loses value with time as a deal does (GENIUS/ANAC)",
    "deals-only": "walking away keeps its value while deals lose theirs",
}


class SimulateSettings(EngineSettings):
    deadline: int | None = Field(None, ge=1, le=100_000, description="rounds before the talks end")
    runs: int | None = Field(None, ge=1, le=1_000_000, description="negotiations per pair")
    opener: str | None = Field(None, description="party id that proposes first")
    strategies: dict[str, str] = Field(
        default_factory=dict, description="party id → strategy (name or name:key=value,...)"
    )
    matrix: bool = Field(True, description="also play every registered strategy pair")
    grid: bool = Field(True, description="also play the grid of concession exponents")
    information: Literal["beliefs", "complete"] | None = Field(
        None,
        description="beliefs: agents see only their beliefs about each other (default); "
        "complete: each sees the others' true utilities",
    )
    discounting: Literal["deals-and-walkaway", "deals-only"] | None = Field(
        None,
        description="whether walking away is discounted like a deal (GENIUS/ANAC, the default) "
        "or deals alone are",
    )
    compare_information: bool = Field(
        True, description="also play the scenario's strategies with the other information model"
    )
    compare_discounting: bool = Field(
        True,
        description="also play the scenario's strategies with the other discounting convention",
    )


def scenario_settings(scenario: Scenario) -> dict[str, Any]:
    section = scenario.simulation
    if section is None:
        return {}
    return {
        "deadline": section.deadline,
        "runs": section.runs,
        "opener": section.opener,
        "strategies": dict(section.strategies),
        "information": section.information,
        "discounting": section.discounting,
    }


@dataclass(frozen=True)
class Prepared:
    scenario: Scenario
    sim: Any
    specs: tuple[Any, ...]
    runs: int
    settings: SimulateSettings
    exponents: tuple[float, ...]


@dataclass(frozen=True)
class Simulation:
    scenario: Scenario
    sim: Any
    default: Any  # BatchResult of the scenario's strategies
    default_summary: dict[str, Any]
    trace: Any
    matrix: Any | None
    grid: Any | None
    exponents: tuple[float, ...]
    runs: int
    comparison: Any | None = None
    other_discounting: dict[str, Any] | None = None

    @property
    def party_ids(self) -> tuple[str, ...]:
        return tuple(self.sim.party_ids)

    def to_dict(self) -> dict[str, Any]:
        ids = self.party_ids
        t = self.trace
        out: dict[str, Any] = {
            "deadline": self.sim.setup.deadline,
            "opener": ids[self.sim.setup.opener],
            "runs": self.runs,
            "default_strategies": self.default_summary,
            "trace": {
                "end": ("agreement", "deadline", "walk-away")[t.end],
                "round": t.round,
                "agreement": None if t.agreement < 0 else self.sim.decode(t.agreement),
                "offers": [
                    {
                        "round": o.round,
                        "proposer": ids[o.proposer],
                        "outcome": self.sim.decode(o.outcome),
                        "utilities": dict(zip(ids, o.utilities, strict=True)),
                    }
                    for o in t.offers
                ],
            },
        }
        if self.matrix is not None:
            out["strategy_matrix"] = self.matrix.to_dict()
        if self.grid is not None:
            out["exponent_grid"] = {**self.grid.to_dict(), "exponents": list(self.exponents)}
        if self.comparison is not None:
            out["information_comparison"] = self.comparison.to_dict()
        if self.other_discounting is not None:
            out["discounting_comparison"] = self.other_discounting
        return out


def prepare(scenario: Scenario, settings: SimulateSettings) -> Prepared:
    if not scenario.issues or not scenario.preferences:
        raise Absent("the scenario has no issues and preferences to negotiate over")
    from accord.scenario.simulation import SimulationSweep
    from accord.simulation.from_scenario import scenario_setup, strategies_for

    sim = scenario_setup(
        scenario,
        deadline=settings.deadline,
        opener=settings.opener,
        information=settings.information,
        discounting=settings.discounting,
    )
    specs = strategies_for(sim, [f"{p}={s}" for p, s in settings.strategies.items()])
    section = scenario.simulation
    exponents = (section.sweep if section is not None else SimulationSweep()).exponents
    runs = settings.runs if settings.runs is not None else sim.runs
    return Prepared(scenario, sim, tuple(specs), runs, settings, tuple(exponents))


def run(p: Prepared, seed: int) -> Simulation:
    from accord.simulation.batch import simulate_batch
    from accord.simulation.from_scenario import (
        exponent_grid,
        play_matrix,
        summarise,
        tournament_strategies,
    )
    from accord.simulation.scalar import negotiate
    from accord.simulation.setup import negotiation_draws

    sim, ids = p.sim, p.sim.party_ids
    specs = list(p.specs)
    stochastic = any(s.info.stochastic for s in specs)
    default = simulate_batch(sim.setup, specs, p.runs if stochastic else 1, seed)
    draws = negotiation_draws(seed, 1, sim.setup.n_parties, sim.setup.deadline)[0]
    trace = negotiate(sim.setup, specs, draws, seed)
    matrix = grid = None
    if p.settings.matrix:
        tour = tournament_strategies(sim.setup)
        matrix = play_matrix(sim.setup, ids, tour, tour, p.runs, seed)
    if p.settings.grid:
        g = exponent_grid(p.exponents)
        grid = play_matrix(sim.setup, ids, g, g, 1, seed)
    comparison = None
    if p.settings.compare_information:
        from accord.simulation.from_scenario import compare_information

        comparison = compare_information(
            p.scenario,
            [f"{q}={spec}" for q, spec in zip(ids, (str(x) for x in specs), strict=True)],
            runs=p.runs,
            seed=seed,
            deadline=sim.setup.deadline,
            opener=ids[sim.setup.opener],
            discounting=sim.setup.discounting,
            matrix=p.settings.matrix,
        )
    other = None
    if p.settings.compare_discounting:
        from accord.simulation.from_scenario import scenario_setup

        convention = (
            "deals-only" if sim.setup.discounting == "deals-and-walkaway" else "deals-and-walkaway"
        )
        alt = scenario_setup(
            p.scenario, sim.setup.deadline, ids[sim.setup.opener], sim.setup.information, convention
        )
        res = simulate_batch(alt.setup, specs, p.runs if stochastic else 1, seed)
        other = {
            "discounting": convention,
            "agreement_rate": float(res.agreement_rate),
            "ends": {k: int(v) for k, v in res.to_dict()["ends"].items()},
            "last_round": int(res.rounds.max()),
        }
    return Simulation(
        p.scenario, sim, default, summarise(sim, default), trace, matrix, grid, p.exponents,
        p.runs, comparison, other,
    )  # fmt: skip


def headlines(r: Simulation) -> dict[str, float]:
    out = {
        "agreement_rate": float(r.default.agreement_rate),
        "mean_rounds": float(r.default.rounds.mean()),
    }
    if r.matrix is not None:
        out["pairings_with_deal"] = float((r.matrix.agreement_rate > 0).mean())
    return out


def findings(r: Simulation) -> list[Finding]:
    s, ids = r.scenario, r.party_ids
    deadline = r.sim.setup.deadline
    who = ", ".join(
        f"{party_name(s, p)} {spec}" for p, spec in zip(ids, r.default.strategies, strict=True)
    )
    out: list[Finding] = []
    d = r.default
    if d.agreement_rate > 0:
        t = r.trace
        where = f" on {outcome_text(s, r.sim.decode(t.agreement))}" if t.agreement >= 0 else ""
        out.append(
            Finding(
                "simulate.deal",
                f"With the scenario's strategies ({who}) a deal is reached in "
                f"{d.agreement_rate:.0%} of runs, on average in round "
                f"{d.rounds[d.agreement >= 0].mean():.0f} of {deadline}{where}.",
                {"agreement_rate": float(d.agreement_rate), "deadline": deadline},
            )
        )
    else:
        walked = bool(np.all(d.end == 2))
        how = "a walk-away" if walked else "no agreement"
        out.append(
            Finding(
                "simulate.no_deal",
                f"With the scenario's strategies ({who}) the talks end in {how} by round "
                f"{int(d.rounds.max())} of {deadline}: the demands do not meet in time.",
                {"agreement_rate": 0.0, "deadline": deadline, "walk_away": walked},
            )
        )
    if r.matrix is not None:
        rate = r.matrix.agreement_rate
        out.append(
            Finding(
                "simulate.matrix",
                f"{int((rate > 0).sum())} of {rate.size} strategy pairings reach a deal at "
                f"least sometimes; the average agreement rate over all pairings is "
                f"{rate.mean():.0%}.",
                {"pairings_with_deal": int((rate > 0).sum()), "pairings": int(rate.size),
                 "mean_rate": float(rate.mean())},
            )
        )  # fmt: skip
    if r.grid is not None and len(ids) == 2:
        g = r.grid.agreement_rate > 0
        e = r.exponents
        by_row, by_col = g.mean(axis=1), g.mean(axis=0)
        a, b = party_name(s, ids[0]), party_name(s, ids[1])
        out.append(
            Finding(
                "simulate.exponents",
                f"Across the {g.shape[0]}×{g.shape[1]} grid of concession exponents a deal "
                f"happens in {int(g.sum())} of {g.size} combinations. When {a} holds out hardest "
                f"(e={e[0]:g}) a deal happens against {by_row[0]:.0%} of {possessive(b)} "
                "settings, when it "
                f"concedes early (e={e[-1]:g}) against {by_row[-1]:.0%}; for {b} the figures are "
                f"{by_col[0]:.0%} and {by_col[-1]:.0%}.",
                {"deals": int(g.sum()), "cells": int(g.size)},
            )
        )
    if r.other_discounting is not None:
        alt = r.other_discounting
        if (alt["agreement_rate"] > 0) != (d.agreement_rate > 0):
            now = DISCOUNTING_WORDS[r.sim.setup.discounting]
            then = DISCOUNTING_WORDS[alt["discounting"]]
            result = (
                f"a deal in {alt['agreement_rate']:.0%} of runs"
                if alt["agreement_rate"] > 0
                else f"no deal (the talks end by round {alt['last_round']})"
            )
            out.append(
                Finding(
                    "simulate.discounting",
                    f"This rests on the discounting convention: {now}; if instead {then}, the "
                    f"same strategies give {result}.",
                    {"discounting": r.sim.setup.discounting, "other": alt},
                )
            )
    if r.comparison is not None:
        from accord.simulation.from_scenario import information_findings

        names = {q: party_name(s, q) for q in ids}
        for f in information_findings(r.comparison, names):
            out.append(Finding(f["kind"], f["text"], f["values"]))
    return out


SPEC = EngineSpec(
    key="simulate",
    title="Simulated negotiation (alternating offers)",
    sections=("issues", "preferences", "simulation"),
    settings=SimulateSettings,
    scenario_settings=scenario_settings,
    prepare=prepare,
    run=run,
    headlines=headlines,
    findings=findings,
    stochastic=True,
    description="alternating offers between strategy agents",
    target="agreement_rate",
)
