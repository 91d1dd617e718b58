"""Cross-check Accord's GENIUS import, Pareto frontier and Nash point against NegMAS.

For each ANAC domain in ``../shared/data/genius`` this loads the domain twice, independently:
with :func:`accord.io.genius.import_genius` and with NegMAS's own GENIUS loader
(``negmas.Scenario.from_genius_folder``, discounts ignored since both analyses are undiscounted).
It then compares, outcome by outcome:

* the utilities (Accord's ``utility_matrix`` against NegMAS's ufuns evaluated on every outcome);
* the Pareto frontier (Accord's ``analyse(...).pareto`` against ``negmas.preferences
  .pareto_frontier``), as sets of outcomes and as sets of distinct utility vectors. NegMAS keeps
  only the frontier outcomes that every party rates at least at its reservation value, so the
  comparison uses that part of Accord's frontier (the table also shows Accord's whole frontier);
* the Nash bargaining point (Accord's ``analyse(...).solution("nash")`` against
  ``negmas.preferences.nash_points``), judged by the Nash product ∏(u_i − r_i) so that ties
  between equally good outcomes do not count as disagreements.

A second section plays simulated negotiations on the same domains: Accord's time-dependent agents
(Boulware e = 0.2, linear e = 1, conceder e = 2; scalar engine) against NegMAS's
``AspirationNegotiator`` in an ``SAOMechanism``, with the same deadline in offers, the same opener,
the same GENIUS utilities and reservation values and no discounting, and prints agreement rates,
rounds and mean utilities side by side, together with the semantic differences between the two
(``SEMANTIC_DIFFERENCES``). A third column replays the Accord protocol with agents that choose
offers the NegMAS way (closest to the aspiration, NegMAS's time and utility scale), which isolates
how much of any gap comes from offer choice rather than from acceptance and protocol.

Not part of CI: it needs the ``compare`` extra (``pip install -e .[compare]``). Times are wall
clock for the whole pipeline on each side (load, utilities, frontier, Nash), measured in the same
run. Run: ``python benchmarks/compare_negmas.py [frontier] [simulation]`` (both by default; about
two minutes on two cores).
"""

from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from accord.simulation.strategies import Strategy, StrategyInfo

GENIUS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "genius"


def _accord_side(folder: Path) -> dict[str, Any]:
    from accord.bargaining import analyse
    from accord.io.genius import import_genius

    start = time.perf_counter()
    scenario = import_genius([folder])
    result = analyse(scenario)
    seconds = time.perf_counter() - start
    # GENIUS profile file of each party, to line the parties up with NegMAS's ufuns.
    files = [(p.description or "").removeprefix("GENIUS profile ") for p in scenario.parties]
    labels = [[issue.label(o) for o in issue.options or ()] for issue in scenario.issues]
    return {
        "scenario": scenario,
        "result": result,
        "files": files,
        "labels": labels,
        "seconds": seconds,
    }


def _genius_normalised(ufun: Any) -> Any:
    """The same NegMAS ufun with GENIUS's semantics: evaluations ÷ issue maximum, weights ÷ sum.

    NegMAS's GENIUS loader keeps the raw evaluations (Car's run 0..100), whereas GENIUS's
    ``EvaluatorDiscrete`` divides by the issue's largest evaluation; without this step the two
    tools would be comparing different utility functions.
    """
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import TableFun

    tables = []
    for fun in ufun.values:
        best = max(fun.mapping.values())
        tables.append(
            TableFun({k: (v / best if best >= 1e-5 else 0.0) for k, v in fun.mapping.items()})
        )
    total = sum(ufun.weights)
    return LinearAdditiveUtilityFunction(
        values=tables,
        weights=[w / total for w in ufun.weights],
        outcome_space=ufun.outcome_space,
        reserved_value=ufun.reserved_value,
        name=ufun.name,
    )


def _negmas_side(folder: Path, profile_files: list[str]) -> dict[str, Any]:
    from negmas import Scenario as NegmasScenario
    from negmas.preferences import nash_points, pareto_frontier

    start = time.perf_counter()
    loaded = NegmasScenario.from_genius_folder(folder, ignore_discount=True)
    if loaded is None:
        raise RuntimeError(f"NegMAS could not load {folder}")
    by_file = {Path(str(u.path)).name: u for u in loaded.ufuns}
    ufuns = [_genius_normalised(by_file[f]) for f in profile_files]
    outcomes = list(loaded.outcome_space.enumerate())
    frontier, frontier_indices = pareto_frontier(ufuns, outcomes=outcomes)
    # ranges=(0, 1): by default nash_points rescales each ufun by its own [min, max] while keeping
    # the reserved value, which moves the point where a ufun's minimum is above 0 (Energy). Nash
    # (1950) measures gains over the disagreement point on the utilities as given.
    nash = nash_points(
        ufuns, frontier, ranges=[(0.0, 1.0)] * len(ufuns), outcome_space=loaded.outcome_space
    )
    seconds = time.perf_counter() - start
    utilities = np.array([[float(u(o)) for u in ufuns] for o in outcomes])
    reserved = np.array([float(u.reserved_value) for u in ufuns])
    return {
        "outcomes": outcomes,
        "utilities": utilities,
        "frontier": set(frontier_indices),
        "nash": [np.array(point) for point, _ in nash],
        "reserved": reserved,
        "seconds": seconds,
    }


def _dominated(point: np.ndarray, utilities: np.ndarray) -> bool:
    """Brute force: does any outcome weakly dominate ``point`` (≥ for all, > for one)?"""
    at_least = (utilities >= point - 1e-12).all(axis=1)
    better = (utilities > point + 1e-12).any(axis=1)
    return bool((at_least & better).any())


def _nash_product(point: np.ndarray, reservations: np.ndarray) -> float:
    gains = point - reservations
    return math.prod(gains) if (gains >= 0).all() else -math.inf


def compare_domain(folder: Path) -> dict[str, Any]:
    accord = _accord_side(folder)
    negmas = _negmas_side(folder, accord["files"])
    result = accord["result"]
    space = result.space
    # Map Accord's outcome numbers to NegMAS's: decode each to GENIUS's value texts.
    position = {tuple(o): k for k, o in enumerate(negmas["outcomes"])}
    digits = np.unravel_index(np.arange(space.n), space.sizes)
    to_negmas = np.array(
        [
            position[tuple(accord["labels"][j][d[k]] for j, d in enumerate(digits))]
            for k in range(space.n)
        ]
    )
    u_accord = np.asarray(result.utilities)
    u_negmas = negmas["utilities"][to_negmas]
    max_diff = float(np.abs(u_accord - u_negmas).max())

    # NegMAS's pareto_frontier keeps only outcomes every party rates at least at its reserved
    # value; Accord's frontier is the whole space's (issue 2), so compare its rational part.
    rational = [int(i) for i in result.pareto if result.in_zone(int(i))]
    accord_front = {int(to_negmas[i]) for i in rational}
    negmas_front = negmas["frontier"]
    points_a = {tuple(np.round(u_accord[i], 9)) for i in rational}
    points_n = {tuple(np.round(negmas["utilities"][i], 9)) for i in negmas_front}

    # Arbiter for disagreements: a brute-force dominance test of each disputed outcome against
    # every outcome (O(k·n)), and the Nash product maximised by brute force over the whole space.
    u_negmas_own = negmas["utilities"]
    disputed_a = [i for i in rational if tuple(np.round(u_accord[i], 9)) not in points_n]
    disputed_n = [i for i in negmas_front if tuple(np.round(u_negmas_own[i], 9)) not in points_a]
    wrong_a = sum(_dominated(u_accord[i], u_accord) for i in disputed_a)
    wrong_n = sum(_dominated(u_negmas_own[i], u_negmas_own) for i in disputed_n)

    reservations = np.asarray(result.reservations)
    gains = u_accord - reservations
    rational_rows = (gains >= -1e-12).all(axis=1)
    nash_brute = float(np.prod(np.clip(gains[rational_rows], 0, None), axis=1).max())
    nash_index = result.solution("nash")
    nash_a = _nash_product(u_accord[nash_index], reservations) if nash_index is not None else None
    nash_n = max((_nash_product(p, reservations) for p in negmas["nash"]), default=None)
    nash_agree = (
        nash_a is not None and nash_n is not None and math.isclose(nash_a, nash_n, abs_tol=1e-9)
    ) or (nash_a is None and nash_n is None)
    return {
        "domain": folder.name,
        "outcomes": space.n,
        "parties": len(result.party_ids),
        "max_du": max_diff,
        "front_all": len(result.pareto),
        "front_a": len(accord_front),
        "front_n": len(negmas_front),
        "same_outcomes": accord_front == negmas_front,
        "same_points": points_a == points_n,
        "nash_a": nash_a,
        "nash_n": nash_n,
        "nash_agree": nash_agree,
        "nash_brute": nash_brute,
        "disputed": len(disputed_a) + len(disputed_n),
        "wrong_a": wrong_a,
        "wrong_n": wrong_n,
        "t_a": accord["seconds"],
        "t_n": negmas["seconds"],
    }


def frontier_section() -> None:
    """Utilities, Pareto frontier and Nash point on every domain, one table row each."""
    print("\n== Utilities, Pareto frontier and Nash point ==")
    columns = [
        ("domain", 16, lambda r: r["domain"]),
        ("outcomes", 9, lambda r: r["outcomes"]),
        ("n", 3, lambda r: r["parties"]),
        ("max|du|", 9, lambda r: f"{r['max_du']:.0e}"),
        ("front", 6, lambda r: r["front_all"]),
        ("rat.A", 6, lambda r: r["front_a"]),
        ("rat.N", 6, lambda r: r["front_n"]),
        ("pts=", 6, lambda r: r["same_points"]),
        ("disp", 5, lambda r: r["disputed"]),
        ("badA", 5, lambda r: r["wrong_a"]),
        ("badN", 5, lambda r: r["wrong_n"]),
        ("NashA", 8, lambda r: f"{r['nash_a']:.5f}"),
        ("NashN", 8, lambda r: f"{r['nash_n']:.5f}"),
        ("brute", 8, lambda r: f"{r['nash_brute']:.5f}"),
        ("tA s", 7, lambda r: f"{r['t_a']:.3f}"),
        ("tN s", 7, lambda r: f"{r['t_n']:.3f}"),
        ("N/A", 6, lambda r: f"{r['t_n'] / r['t_a']:.1f}"),
    ]
    header = columns[0][0].ljust(columns[0][1]) + "".join(
        name.rjust(width) for name, width, _ in columns[1:]
    )
    print(header)
    print("-" * len(header))
    accord_ok = negmas_ok = True
    for folder in sorted(p for p in GENIUS_DIR.iterdir() if p.is_dir()):
        row = compare_domain(folder)
        cells = [str(get(row)) for _, _, get in columns]
        print(
            cells[0].ljust(columns[0][1])
            + "".join(c.rjust(w) for c, (_, w, _) in zip(cells[1:], columns[1:], strict=True))
        )
        accord_ok &= row["max_du"] < 1e-9 and row["wrong_a"] == 0
        accord_ok &= math.isclose(row["nash_a"], row["nash_brute"], abs_tol=1e-9)
        negmas_ok &= row["wrong_n"] == 0 and row["nash_agree"]
    print(
        "Legend: rat. = frontier outcomes every party rates at least at its reservation value; "
        "pts= same distinct frontier utility vectors; disp = disputed frontier points; badA/badN "
        "= disputed points a brute-force check finds dominated (better by > 1e-12 for one party, "
        "within 1e-12 for the others: NegMAS compares floats exactly, so a last-bit rounding "
        "difference can keep a dominated outcome); Nash = Nash product "
        "prod(u - r) of each tool's point and the brute-force maximum; N/A = NegMAS time / "
        "Accord time."
    )
    print(f"Accord matches the brute-force references on every domain: {accord_ok}")
    print(f"NegMAS agrees with Accord on every domain: {negmas_ok}")


# --------------------------------------------------------------------------------------------
# Simulation: Accord's time-dependent agents vs NegMAS's AspirationNegotiator (issue 3, item 6)
# --------------------------------------------------------------------------------------------

SIM_DEADLINE = 100
"""Deadline in offers on both sides (NegMAS: ``n_steps`` with ``one_offer_per_step=True``)."""
SIM_AGENTS = (("boulware", 0.2), ("linear", 1.0), ("conceder", 2.0))
"""Accord preset and its concession exponent e; NegMAS gets the same curve as exponent 1/e."""
NEGMAS_TOLERANCE = 0.001
"""``AspirationNegotiator(tolerance=...)`` default: the aspiration band is widened by this."""

SEMANTIC_DIFFERENCES = (
    "Curve. Accord: a(t) = r + (u_max - r)*(1 - (t/T)^(1/e)). NegMAS PolyAspiration: "
    "a = lo + (hi - lo)*(1 - tau^k); its named types use k = 4 (boulware), 1, 0.25 (conceder), so "
    "NegMAS is given k = 1/e (5, 1, 0.5) to make the shapes equal.",
    "Max/min. Accord concedes from u_max (its best outcome) to r (its reservation value). NegMAS "
    "concedes from hi = u_max to lo = max(worst outcome's utility, reserved value): where every "
    "outcome is worth more than r (e.g. no outcome scores 0), NegMAS's floor is higher.",
    "Time. Accord: t = 0..T-1 offers made so far, tau = t/T, so it opens at exactly u_max and its "
    "last offer is at (T-1)/T. NegMAS: tau = (step+1)/(T+1), so even its first offer is one step "
    "into the concession; it never reaches tau = 1 either.",
    "Offer choice. Accord offers, among outcomes worth at least a(t) to itself, the one best for "
    "the opponent (it is told the opponent's utilities); NegMAS (stochastic=False) offers the "
    "outcome worth least to itself within [a - 0.001, u_max], i.e. closest to the aspiration "
    "level, without looking at the opponent. On a multi-issue domain many outcomes share a "
    "utility band, so the two pick different packages at the same aspiration.",
    "Acceptance. Accord (AC_next): accept when the offer is worth at least the reservation value "
    "and at least what it would itself offer at its next turn. NegMAS: accept when the offer is "
    "worth at least its current aspiration a(tau) - 0.001 (its offering curve reused as the "
    "accepting curve).",
    "Opener and rounds. Party 0 (the first GENIUS profile) opens on both sides; a round is one "
    "offer on both sides (NegMAS's default counts a step as one offer by every negotiator, "
    "switched off here with one_offer_per_step=True). Both deadlines are T = 100 offers; the "
    "round reported is the offer that was accepted.",
    "Discounting and reservation. Discounting is off on both sides (Camera, Grocery and Laptop "
    "carry GENIUS discount factors; NegMAS loads them with ignore_discount=True, Accord's setup "
    "uses delta = 1). Both use the GENIUS reservation value as the disagreement payoff; NegMAS "
    "only ever offers outcomes worth at least it (rational_only inverter), Accord's floor is r.",
    "More than two parties (group2-politics). Accord: the proposer rotates, the others answer in "
    "turn and the first rejection ends the round; NegMAS SAO: the offer goes round the table and "
    "the first to reject makes the next offer. Row strategy plays party 0, column strategy the "
    "others, on both sides.",
)


@dataclass(eq=False)
class NegmasStyleAgent(Strategy):
    """An Accord agent that sets and fills its aspiration the NegMAS way (ablation column).

    Curve a = lo + (hi − lo)·(1 − τ^(1/e)) with τ = (t + 1)/(T + 1), lo = max(worst outcome,
    reservation), hi = best outcome; offer: the outcome worth least to itself among the rational
    ones worth at least a − tolerance. Acceptance stays Accord's AC_next (the engine decides it),
    so comparing this column with NegMAS isolates acceptance and protocol, and comparing it with
    Accord isolates the curve scale and offer choice.
    """

    def offer(self, t: int, reservation: float) -> int:
        view = self._view
        own = view.own
        low = max(float(own.min()), reservation)
        tau = (t + 1) / (view.deadline + 1)
        aspiration = low + (view.u_max - low) * (1.0 - tau ** (1.0 / self.params["e"]))
        candidates = np.flatnonzero((own >= aspiration - NEGMAS_TOLERANCE) & (own >= reservation))
        if candidates.size == 0:
            return int(np.argmax(own))
        return int(candidates[np.argmin(own[candidates])])


def _negmas_style(e: float) -> NegmasStyleAgent:
    info = StrategyInfo("negmas-style", "time-dependent", "NegMAS-like offers", NegmasStyleAgent)
    return NegmasStyleAgent(info, {"e": e})


def _simulation_inputs(folder: Path) -> dict[str, Any]:
    """Both tools' view of one domain: Accord's undiscounted setup and NegMAS's ufuns."""
    from negmas import Scenario as NegmasScenario

    from accord.io.genius import import_genius
    from accord.simulation import NegotiationSetup
    from accord.simulation.from_scenario import scenario_setup

    scenario = import_genius([folder])
    setup = scenario_setup(scenario, deadline=SIM_DEADLINE).setup
    # Rebuild without discounting (see SEMANTIC_DIFFERENCES) and with party 0 opening.
    setup = NegotiationSetup.create(
        setup.utilities,
        reservation=setup.reservation,
        deadline=SIM_DEADLINE,
        opener=0,
        issue_codes=setup.issue_codes,
    )
    loaded = NegmasScenario.from_genius_folder(folder, ignore_discount=True)
    if loaded is None:
        raise RuntimeError(f"NegMAS could not load {folder}")
    files = [(p.description or "").removeprefix("GENIUS profile ") for p in scenario.parties]
    by_file = {Path(str(u.path)).name: u for u in loaded.ufuns}
    ufuns = [_genius_normalised(by_file[f]) for f in files]
    return {"setup": setup, "ufuns": ufuns, "outcome_space": loaded.outcome_space}


def _negmas_negotiation(
    outcome_space: Any, ufuns: list[Any], exponents: list[float]
) -> tuple[bool, int, list[float]]:
    """One SAO negotiation of AspirationNegotiators; (agreed, round, utilities)."""
    from negmas import AspirationNegotiator, SAOMechanism

    mechanism = SAOMechanism(
        outcome_space=outcome_space, n_steps=SIM_DEADLINE, one_offer_per_step=True
    )
    for k, (ufun, exponent) in enumerate(zip(ufuns, exponents, strict=True)):
        negotiator = AspirationNegotiator(
            aspiration_type=float(exponent), tolerance=NEGMAS_TOLERANCE, name=f"party{k}"
        )
        mechanism.add(negotiator, ufun=ufun)
    mechanism.run()
    agreement = mechanism.state.agreement
    if agreement is None:
        return False, SIM_DEADLINE, [float(u.reserved_value) for u in ufuns]
    return True, len(mechanism.extended_trace), [float(u(agreement)) for u in ufuns]


def simulate_domain(folder: Path) -> list[dict[str, Any]]:
    """Every (row, column) strategy pair on one domain, played by the three agent kinds."""
    from accord.simulation import negotiate, parse_strategy

    inputs = _simulation_inputs(folder)
    setup = inputs["setup"]
    n_parties = setup.n_parties
    rows = []
    for row_name, row_e in SIM_AGENTS:
        for col_name, col_e in SIM_AGENTS:
            names = [row_name] + [col_name] * (n_parties - 1)
            exponents = [row_e] + [col_e] * (n_parties - 1)
            start = time.perf_counter()
            trace = negotiate(setup, [parse_strategy(name) for name in names])
            t_accord = time.perf_counter() - start
            style = negotiate(setup, [_negmas_style(e) for e in exponents])
            start = time.perf_counter()
            agreed_n, round_n, utils_n = _negmas_negotiation(
                inputs["outcome_space"], inputs["ufuns"], [1.0 / e for e in exponents]
            )
            t_negmas = time.perf_counter() - start
            rows.append(
                {
                    "domain": folder.name,
                    "pair": f"{row_name}/{col_name}",
                    "agreed": (trace.agreement >= 0, style.agreement >= 0, agreed_n),
                    "round": (trace.round, style.round, round_n),
                    "utilities": (
                        np.array(trace.utilities),
                        np.array(style.utilities),
                        np.array(utils_n),
                    ),
                    "seconds": (t_accord, t_negmas),
                }
            )
    return rows


def _summarise(group: list[dict[str, Any]]) -> dict[str, Any]:
    """Agreement rate, mean round, mean utility of party 0 and of the others, for each tool."""
    out: dict[str, Any] = {"n": len(group)}
    for k, tool in enumerate(("A", "S", "N")):
        out[f"rate{tool}"] = float(np.mean([r["agreed"][k] for r in group]))
        out[f"round{tool}"] = float(np.mean([r["round"][k] for r in group]))
        out[f"u0{tool}"] = float(np.mean([r["utilities"][k][0] for r in group]))
        out[f"uo{tool}"] = float(np.mean([r["utilities"][k][1:].mean() for r in group]))
    out["sameAN"] = sum(np.allclose(r["utilities"][0], r["utilities"][2], atol=1e-9) for r in group)
    out["sameSN"] = sum(np.allclose(r["utilities"][1], r["utilities"][2], atol=1e-9) for r in group)
    out["tA"] = sum(r["seconds"][0] for r in group)
    out["tN"] = sum(r["seconds"][1] for r in group)
    return out


def _print_summary(title: str, key: str, groups: dict[str, list[dict[str, Any]]]) -> None:
    print(title)
    header = (
        f"{key:<20}{'n':>4} {'agreeA':>7}{'agreeS':>7}{'agreeN':>7} {'rndA':>6}{'rndS':>6}"
        f"{'rndN':>6} {'u0 A':>6}{'u0 S':>6}{'u0 N':>6} {'uo A':>6}{'uo S':>6}{'uo N':>6} "
        f"{'A=N':>4}{'S=N':>4} {'tA s':>6}{'tN s':>7}"
    )
    print(header)
    print("-" * len(header))
    for name, group in groups.items():
        s = _summarise(group)
        print(
            f"{name:<20}{s['n']:>4} {s['rateA']:>7.2f}{s['rateS']:>7.2f}{s['rateN']:>7.2f} "
            f"{s['roundA']:>6.1f}{s['roundS']:>6.1f}{s['roundN']:>6.1f} "
            f"{s['u0A']:>6.3f}{s['u0S']:>6.3f}{s['u0N']:>6.3f} "
            f"{s['uoA']:>6.3f}{s['uoS']:>6.3f}{s['uoN']:>6.3f} "
            f"{s['sameAN']:>4}{s['sameSN']:>4} {s['tA']:>6.2f}{s['tN']:>7.2f}"
        )


def simulation_section() -> None:
    """Time-dependent agents in both tools on every domain; tables by pair and by domain."""
    print("\n== Simulation: Accord time-dependent agents vs NegMAS AspirationNegotiator ==")
    print(
        f"Deadline {SIM_DEADLINE} offers; pairs row/column = party 0 / other parties; "
        "deterministic agents, so each (domain, pair) is one negotiation per tool."
    )
    print("Semantic differences (read before the numbers):")
    for k, text in enumerate(SEMANTIC_DIFFERENCES, 1):
        print(f"  {k}. {text}")
    rows: list[dict[str, Any]] = []
    for folder in sorted(p for p in GENIUS_DIR.iterdir() if p.is_dir()):
        rows += simulate_domain(folder)
    by_pair: dict[str, list[dict[str, Any]]] = {}
    by_domain: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_pair.setdefault(r["pair"], []).append(r)
        by_domain.setdefault(r["domain"], []).append(r)
    _print_summary("\nBy strategy pair (over the twelve domains):", "pair", by_pair)
    _print_summary("\nBy domain (over the nine pairs):", "domain", by_domain)
    _print_summary("\nAll negotiations:", "all", {"all": rows})
    print(
        "Legend: A = Accord's time-dependent agents; S = Accord's protocol with NegMAS-style "
        "agents (NegMAS's curve scale, time and closest-to-aspiration offers; Accord's AC_next "
        "acceptance); N = NegMAS AspirationNegotiator in SAOMechanism. agree = agreement rate; "
        "rnd = mean round (offer) of the agreement, the deadline when none; u0 = mean utility of "
        "party 0, uo = mean utility of the other parties (reservation value when no deal); A=N / "
        "S=N = negotiations ending with the same utilities; tA/tN = seconds spent in each "
        "tool's negotiations (Accord scalar engine)."
    )


def main(argv: list[str] | None = None) -> None:
    sections = argv if argv else ["frontier", "simulation"]
    try:
        import negmas
    except ImportError:
        print("NegMAS is not installed: pip install -e '.[compare]' to run this comparison.")
        return
    if not GENIUS_DIR.is_dir():
        print(f"The ANAC domains are absent ({GENIUS_DIR}); nothing to compare.")
        return
    import accord

    print(f"Accord {getattr(accord, '__version__', '?')} vs NegMAS {negmas.__version__}")
    if "frontier" in sections:
        frontier_section()
    if "simulation" in sections:
        simulation_section()


if __name__ == "__main__":
    main(sys.argv[1:])
