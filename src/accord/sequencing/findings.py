"""Plain-language findings of a sequencing analysis, as structured data.

Each finding is ``{"kind": "sequence.<what>", "text": ..., "values": {...}}``: the sentence states
the numbers in ``values``. The last finding says which modelling assumption carries the result,
from :data:`accord.sequencing.engine.VARIANTS` (each assumption switched alone; docs/models.md,
Sequencing).
"""

from __future__ import annotations

from typing import Any

from accord.sequencing.engine import VARIANTS, SequencingAnalysis

LEVER_LABELS = {
    "trust": "trust",
    "completion_value": "completion value",
    "first_move_cost": "cost of moving first",
    "reversibility": "reversibility",
}


def _poss(name: str) -> str:
    """``the United States'`` but ``the DPRK's``."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _rounds(n: int | None) -> str:
    return "no schedule" if n is None else f"{n} round{'' if n == 1 else 's'}"


def findings(analysis: SequencingAnalysis, names: dict[str, str]) -> list[dict[str, Any]]:
    """Findings: the schedule or the blocker, who moves first and pays for it, trust, levers, and
    which assumption carries the result."""
    sched = analysis.schedule

    def name(pid: str | None) -> str:
        return "" if pid is None else names.get(pid, pid)

    out: list[dict[str, Any]] = []
    if sched.feasible and sched.slack is not None and sched.rounds is not None:
        i, t = divmod(int(sched.slack.argmin()), sched.slack.shape[1])
        pid = sched.party_ids[i]
        out.append(
            {
                "kind": "sequence.schedule",
                "text": f"A self-enforcing schedule exists: {_rounds(sched.rounds)} "
                f"({sched.within_round} moves within a round, {sched.trust_model} trust); the "
                f"tightest point is {name(pid)} in round {t + 1} "
                f"(slack {float(sched.slack[i, t]):.3g}).",
                "values": {
                    "feasible": True,
                    "rounds": sched.rounds,
                    "tightest_party": pid,
                    "tightest_round": t + 1,
                    "min_slack": float(sched.slack[i, t]),
                },
            }
        )
    else:
        b = sched.blocking
        assert b is not None
        alone = [p for p, v in sched.blocks_alone.items() if v]
        text = (
            f"No self-enforcing schedule exists within {sched.max_rounds} rounds: "
            f"{_poss(name(b.party))} incentive constraint falls shortest, most in round {b.round}."
        )
        if alone:
            text += (
                f" {' and '.join(name(p) for p in alone)} would stop even if the other side "
                "followed any plan."
            )
        out.append(
            {
                "kind": "sequence.no_schedule",
                "text": text,
                "values": {
                    "feasible": False,
                    "max_rounds": sched.max_rounds,
                    "blocking_party": b.party,
                    "blocking_round": b.round,
                    "blocks_alone": alone,
                },
            }
        )
    # who moves first, and what it costs
    face = dict(zip(sched.party_ids, analysis.first_move_cost, strict=True))
    v = analysis.variants
    face_blocks = bool(v) and v.get("as_stated") is None and v.get("no_first_move_cost") is not None
    if sched.feasible:
        movers = sched.first_movers()
        per_round = sched.first_mover_per_round()
        mover_text = (
            f"{name(movers[0])} moves first"
            if len(movers) == 1
            else "both sides start in the same round"
        )
        text = mover_text[0].upper() + mover_text[1:]
        if any(per_round):
            text += " (first mover by round: " + ", ".join(name(p) for p in per_round) + ")"
        payers = [p for p in movers if face[p] > 0]
        if payers:
            text += f" and bears a face cost of {face[payers[0]]:.3g} for it"
        out.append(
            {
                "kind": "sequence.first_mover",
                "text": text + ".",
                "values": {
                    "first_movers": list(movers),
                    "first_mover_per_round": per_round,
                    "first_move_cost": face,
                },
            }
        )
    elif any(f > 0 for f in face.values()):
        text = (
            "The cost of moving first ("
            + ", ".join(f"{name(p)} {f:.3g}" for p, f in face.items())
            + ") "
            + (
                "alone blocks the schedule: without it one exists "
                f"({_rounds(v.get('no_first_move_cost'))})."
                if face_blocks
                else "does not alone block the schedule: without it there is still "
                f"{_rounds(v.get('no_first_move_cost'))}."
            )
        )
        out.append(
            {
                "kind": "sequence.first_move_cost",
                "text": text,
                "values": {"first_move_cost": face, "blocks_alone": face_blocks},
            }
        )
    if sched.trust is not None and sched.trust_model == "bayesian":
        path = {p: [round(x, 3) for x in row] for p, row in sched.trust_path().items()}
        out.append(
            {
                "kind": "sequence.trust_path",
                "text": "Trust grows as steps are completed: "
                + "; ".join(f"{name(p)} {row[0]:.2f} → {row[-1]:.2f}" for p, row in path.items())
                + ".",
                "values": {"trust_path": path},
            }
        )
    # levers
    if analysis.thresholds:
        if not sched.feasible:
            fixes = [th for th in analysis.thresholds if th.needed is not None]
            text = (
                "It would take, one lever at a time: "
                + "; or ".join(
                    f"{_poss(name(th.party))} {LEVER_LABELS[th.lever]}"
                    + (f" of {th.step}" if th.step else "")
                    + f" at {th.needed:.3g} (now {th.current:.3g})"
                    for th in fixes
                )
                + "."
                if fixes
                else "No single lever (trust, completion value, cost of moving first, "
                "reversibility of a step) makes a schedule exist alone."
            )
            values: dict[str, Any] = {
                f"{th.party}.{th.lever}" + (f".{th.step}" if th.step else ""): th.needed
                for th in fixes
            }
        else:
            ranges = [
                th
                for th in analysis.thresholds
                if th.lever in ("trust", "first_move_cost") and th.feasible_from is not None
            ]
            text = (
                "The schedule survives while "
                + " and ".join(
                    f"{_poss(name(th.party))} {LEVER_LABELS[th.lever]} stays within "
                    f"[{th.feasible_from:.3g}, {th.feasible_to:.3g}] (now {th.current:.3g})"
                    for th in ranges
                )
                + "."
            )
            values = {f"{th.party}.{th.lever}": [th.feasible_from, th.feasible_to] for th in ranges}
        out.append({"kind": "sequence.levers", "text": text, "values": values})
    # which assumption carries the result
    if v:
        base = v.get("as_stated")
        flips = [k for k in VARIANTS if k != "as_stated" and (v.get(k) is None) != (base is None)]
        if flips:
            text = (
                f"The result ({_rounds(base)}) rests on the assumptions: it changes "
                + "; ".join(f"{VARIANTS[k]} ({_rounds(v.get(k))})" for k in flips)
                + "."
            )
        else:
            text = (
                f"The result ({_rounds(base)}) does not rest on any one of within-round order, "
                "snapback, first-move cost or the trust model: switching each alone leaves it."
            )
        if base is None and v.get("free_snapback") is not None:
            text += " A schedule exists only with free snapback."
        out.append(
            {
                "kind": "sequence.assumptions",
                "text": text,
                "values": {"rounds_by_assumption": dict(v), "carried_by": flips},
            }
        )
    return out
