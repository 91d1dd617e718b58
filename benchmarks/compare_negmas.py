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

Not part of CI: it needs the ``compare`` extra (``pip install -e .[compare]``). Times are wall
clock for the whole pipeline on each side (load, utilities, frontier, Nash), measured in the same
run. Run: ``python benchmarks/compare_negmas.py``.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import numpy as np

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


def main() -> None:
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


if __name__ == "__main__":
    main()
