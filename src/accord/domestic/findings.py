"""Plain-language findings of the two-level analysis (structured data first, then the sentence).

Each finding is ``{"kind": "ratify.<what>", "text": ..., "values": {...}}``; the sentences use the
scenario's party and ratifier names and at most three decimals.
"""

from __future__ import annotations

from typing import Any

from accord.domestic.analysis import RatifyResult


def _poss(name: str) -> str:
    """``the United States'`` but ``the DPRK's``."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _pos(name: str) -> str:
    """``the United States'`` and ``the DPRK's``."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _f(what: str, text: str, **values: Any) -> dict[str, Any]:
    return {"kind": f"ratify.{what}", "text": text, "values": values}


def findings(res: RatifyResult) -> list[dict[str, Any]]:
    """The findings of :func:`accord.domestic.analysis.ratify` (see the module docstring)."""
    out: list[dict[str, Any]] = []
    n = int(res.utilities.shape[0])
    sizes = {s.party: s.win_set_size for s in res.sides}
    wins = "; ".join(f"{res.name(s.party)} {s.win_set_size} ({s.rule})" for s in res.sides)
    out.append(
        _f(
            "zone",
            f"Of {n} packages, {res.zone_international} are in the leaders' zone of agreement and "
            f"{res.zone_two_level} also {'passes' if res.zone_two_level == 1 else 'pass'} "
            f"ratification at home (win-sets: {wins}).",
            packages=n,
            international=res.zone_international,
            two_level=res.zone_two_level,
            win_sets=sizes,
        )
    )
    nash, nash2 = res.solutions.get("nash"), res.two_level_solutions.get("nash")
    if nash2 is not None:
        outcome = res.space.decode(nash2)
        words = "; ".join(res.option_text(k, v) for k, v in outcome.items())
        utils = {p: float(res.utilities[nash2, j]) for j, p in enumerate(res.party_ids)}
        gains = ", ".join(f"{res.name(p)} {u:.3f}" for p, u in utils.items())
        same = " (the same package as without ratification)" if nash2 == nash else ""
        out.append(
            _f(
                "two_level_nash",
                f"Inside the two-level zone the Nash solution is {words}: {gains}{same}.",
                outcome=outcome,
                utilities=utils,
                unconstrained=None if nash is None else res.space.decode(nash),
            )
        )
        if res.carries:
            parts = [
                f"for {res.name(pid)}, {res.issue_names.get(iid, iid)} gives {c:.3f} of {t:.3f}"
                for pid, (iid, c, t) in res.carries.items()
            ]
            p2 = res.solution_p.get("two_level_nash")
            out.append(
                _f(
                    "carries",
                    "What carries it (the largest part of each leader's utility): "
                    + "; ".join(parts)
                    + (f". Both sides ratify it with probability {p2:.3f}."
                       if p2 is not None else "."),
                    carries={pid: {"issue": i, "contribution": c, "utility": t}
                             for pid, (i, c, t) in res.carries.items()},
                    p_ratification=p2,
                )
            )  # fmt: skip
    for p in res.proposals:
        label = p.name or p.id
        parts = []
        for party, ok in p.ratified.items():
            if ok:
                parts.append(f"{res.name(party)} ratifies it")
            else:
                who = ", ".join(res.ratifier_name(a, b) for a, b in p.blocked_by if a == party)
                parts.append(f"{res.name(party)} does not ({who} vote no)")
        probs = ", ".join(f"{res.name(k)} {v:.3f}" for k, v in p.p_ratification.items())
        out.append(
            _f(
                "proposal",
                f"{label}: " + "; ".join(parts) + f". P(ratification): {probs}; both "
                f"{p.p_all:.3f} ({p.method}).",
                proposal=p.id,
                ratified=p.ratified,
                blocked_by=[{"party": a, "ratifier": b} for a, b in p.blocked_by],
                p_ratification=p.p_ratification,
                p_all=p.p_all,
                in_zone=p.in_zone,
            )
        )
    for t in res.tying_hands:
        if t.shift is None:
            text = (
                f"{_pos(res.name(t.party))} constraint at home leaves no package in the "
                "leaders' zone, so pointing to it cannot move the Nash solution; it ends the deal."
                if res.solutions.get("nash") is not None
                else "There is no zone of agreement, so "
                f"{_poss(res.name(t.party))} hands do not matter."
            )
        else:
            text = (
                f"Tying hands: {_pos(res.name(t.party))} ratifiers alone move the Nash solution by "
                f"{t.shift:+.3f} in {_pos(res.name(t.party))} utility."
            )
        out.append(_f("tying_hands", text, party=t.party, shift=t.shift))
    if res.openings:
        o = res.openings[0]
        who = res.ratifier_name(o.party, o.ratifier)
        if o.kind == "reservation":
            text = (
                f"The two-level zone is empty; the smallest change that opens it is {who} "
                f"({res.name(o.party)}) accepting {o.needed:.3f} instead of {o.current:.3f}."
            )
        else:
            text = (
                f"The two-level zone is empty; the smallest change that opens it is {who} "
                f"({res.name(o.party)}) giving '{o.issue}' a weight share of {o.needed:.3f} "
                f"instead of {o.current:.3f}."
            )
        out.append(
            _f(
                "opening",
                text,
                party=o.party,
                ratifier=o.ratifier,
                kind=o.kind,
                issue=o.issue,
                current=o.current,
                needed=o.needed,
                change=o.change,
            )
        )
    if res.links:
        first: dict[tuple[str, str, str], list[str]] = {}
        for lk in res.links:
            first.setdefault((lk.proposal, lk.party, lk.ratifier), []).append(
                res.option_text(lk.issue, lk.option)
            )
        for (prop, party, rid), changes in first.items():
            out.append(
                _f(
                    "linkage",
                    f"Linkage: {res.ratifier_name(party, rid)} would accept "
                    f"'{res.proposal_names.get(prop, prop)}' with one change "
                    f"({'; '.join(changes[:4])}) while both leaders stay at or above their "
                    "reservation values.",
                    proposal=prop,
                    party=party,
                    ratifier=rid,
                    changes=changes,
                )
            )
    linked = {(lk.proposal, lk.party, lk.ratifier) for lk in res.links}
    for p in res.proposals:
        missing = [(a, b) for a, b in p.blocked_by if (p.id, a, b) not in linked]
        if missing:
            who = ", ".join(res.ratifier_name(a, b) for a, b in missing)
            out.append(
                _f(
                    "no_linkage",
                    f"No change of one issue in '{p.name or p.id}' wins over {who} while both "
                    "leaders stay at or above their reservation values.",
                    proposal=p.id,
                    ratifiers=[{"party": a, "ratifier": b} for a, b in missing],
                )
            )
    if res.split is not None:
        if not res.split.surplus:
            out.append(
                _f(
                    "plan_b",
                    "The outside options leave no bargaining surplus: together they are worth at "
                    "least the whole gain the zone offers.",
                    w=[res.split.w_a, res.split.w_b],
                )
            )
        for b in res.plan_b:
            verdict = "binds" if b.binds else "does not bind"
            out.append(
                _f(
                    "plan_b",
                    f"{_pos(res.name(b.party))} plan B (utility {b.outside_option:.3f}) {verdict}: "
                    f"with outside options it gets {b.share:.3f} of its possible gain (utility "
                    f"{b.utility:.3f})"
                    + (
                        f", against {b.nash_utility:.3f} at the Nash solution."
                        if b.nash_utility is not None
                        else "."
                    ),
                    party=b.party,
                    outside_option=b.outside_option,
                    binds=b.binds,
                    share=b.share,
                    utility=b.utility,
                    nash_utility=b.nash_utility,
                )
            )
    return out
