"""The briefing: the answer first, in at most eight points, computed from one run result.

Each point answers one of the analyst's questions (docs/architecture.md, "The briefing"): is
there a deal, why did each proposal fail, what would work, why talks fail despite a zone
(information, simulation), what the signals say, whether the deal can be ratified at home, who
has to move first, and where the stakeholders and the strategic analysis point. Every number a
point states is read from the run's JSON (``RunResult.to_dict()``) by its path, and the point
records those paths and values (``numbers``), so a test can check that the briefing and
``accord run --json`` agree number for number.

Example::

    >>> from accord.app.run import run_all
    >>> from accord.io.scenario_file import load_scenario
    >>> b = brief(run_all(load_scenario("divide-the-dollar"), uncertainty=False))
    >>> b.points[0].topic
    'deal'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.app.labels import join_and, outcome_text, party_name, plural, possessive
from accord.app.run import RunResult
from accord.scenario.model import Scenario

MAX_POINTS = 8


@dataclass(frozen=True)
class Point:
    """One briefing point: its topic, the sentence, and the JSON paths of the numbers it states."""

    topic: str
    text: str
    numbers: Mapping[str, Any] = field(default_factory=dict)
    engines: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "text": self.text,
            "numbers": dict(self.numbers),
            "engines": list(self.engines),
        }


@dataclass(frozen=True)
class Briefing:
    scenario_id: str
    title: str
    points: tuple[Point, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario_id,
            "title": self.title,
            "points": [p.to_dict() for p in self.points],
        }

    def to_markdown(self) -> str:
        lines = [f"## Briefing: {self.title}", ""]
        lines += [f"- {p.text}" for p in self.points]
        return "\n".join(lines) + "\n"


class _Reader:
    """Reads numbers from the run's JSON by path and remembers which it read."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.used: dict[str, Any] = {}

    def has(self, path: str) -> bool:
        try:
            self._walk(path)
        except (KeyError, IndexError, TypeError):
            return False
        return True

    def _walk(self, path: str) -> Any:
        node: Any = self.data
        for part in path.split("/"):
            node = node[int(part)] if isinstance(node, list) else node[part]
        return node

    def __call__(self, path: str) -> Any:
        value = self._walk(path)
        self.used[path] = value
        return value

    def take(self) -> dict[str, Any]:
        out, self.used = self.used, {}
        return out


def _issue_gap(
    scenario: Scenario, party: str, proposal: Mapping[str, Any], target: Mapping[str, Any]
) -> str | None:
    """The issue on which ``party`` loses most, in weighted value, between ``target`` and the
    ``proposal`` (None when it loses on none)."""
    from accord.scenario.outcomes import outcome_utilities

    pref = scenario.preferences.get(party)
    if pref is None:
        return None
    index = scenario.party_ids.index(party)
    losses = []
    for issue in scenario.issues:
        mixed = dict(target)
        mixed[issue.id] = proposal[issue.id]
        loss = float(
            outcome_utilities(scenario, target)[index] - outcome_utilities(scenario, mixed)[index]
        )
        losses.append((loss, issue.id.replace("-", " ")))
    loss, name = max(losses)
    return name if loss > 1e-9 else None


def _closest_in_zone(analysis: Any, outcome: Mapping[str, Any]) -> int | None:
    """The efficient package in the zone that differs from ``outcome`` on the fewest issues
    (ties: the larger smallest gain over the walk-away values)."""
    r = analysis.result
    zone_pareto = [int(i) for i in r.pareto if r.in_zone(int(i))]
    if not zone_pareto:
        return None
    code = np.array([r.space.encode(outcome)])
    codes = np.stack(np.unravel_index(np.array(zone_pareto), r.space.sizes), axis=1)
    mine = np.stack(np.unravel_index(code, r.space.sizes), axis=1)
    differ = (codes != mine).sum(axis=1)
    gains = (r.utilities[zone_pareto] - r.reservations).min(axis=1)
    order = np.lexsort((-gains, differ))
    return zone_pareto[int(order[0])]


def _diff_text(scenario: Scenario, base: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    """What changes from ``base`` to ``new``, by the new options' labels."""
    return outcome_text(scenario, {k: new[k] for k in new if new[k] != base[k]})


def _deal(run: RunResult, read: _Reader) -> Point | None:
    if "analyse" not in run.engines:
        return None
    n = read("engines/analyse/outcomes")
    zone = read("engines/analyse/zopa/size")
    if zone == 0:
        text = f"No deal: none of the {plural(n, 'package')} gives every party its walk-away value."
    else:
        eff = read("engines/analyse/zopa/pareto_size")
        text = (
            f"A deal exists: {zone:,} of {plural(n, 'package')} clear every party's walk-away "
            f"value ({eff:,} of them efficient)"
        )
    if run.uncertainty is not None:
        p = read("uncertainty/probability_deal")
        k = read("uncertainty/samples")
        text += f"; a zone exists in {p:.0%} of {k:,} plausible worlds"
    return Point("deal", text + ".", read.take(), ("analyse", "uncertainty"))


def _proposals(run: RunResult, read: _Reader) -> Point | None:
    if "analyse" not in run.engines or not run.scenario.proposals:
        return None
    s, analysis = run.scenario, run.engines["analyse"].result
    parts = []
    for k, p in enumerate(analysis.to_dict(max_pareto=0)["proposals"]):
        base = f"engines/analyse/proposals/{k}"
        label = read(f"{base}/name") or read(f"{base}/id")
        shortfalls = read(f"{base}/shortfalls")
        if not shortfalls:
            efficient = read(f"{base}/on_frontier")
            parts.append(
                f"'{label}' is acceptable to every party"
                + ("" if efficient else " but not efficient")
            )
            continue
        who = []
        target = _closest_in_zone(analysis, p["outcome"])
        for q, gap in shortfalls.items():
            issue = None
            if target is not None:
                issue = _issue_gap(s, q, p["outcome"], analysis.result.space.decode(target))
            where = f" (on {issue})" if issue else ""
            who.append(f"{party_name(s, q)} {gap:.3f} short{where}")
        text = f"'{label}' failed: {join_and(who)}"
        if "ratify" in run.engines:
            path = f"engines/ratify/proposals/{k}/blocked_by"
            if read.has(path):
                names = _ratifier_names(s, read(path))
                if names:
                    text += f"; at home {join_and(names)} block it"
        parts.append(text)
    return Point("proposals", "; ".join(parts) + ".", read.take(),
                 ("analyse", "ratify"))  # fmt: skip


def _ratifier_names(scenario: Scenario, blocked: list[dict[str, str]]) -> list[str]:
    names = {}
    for side in scenario.domestic or ():
        for r in side.ratifiers:
            names[(side.party, r.id)] = r.name or r.id
    return [names.get((b["party"], b["ratifier"]), b["ratifier"]) for b in blocked]


def _what_works(run: RunResult, read: _Reader) -> Point | None:
    if "analyse" not in run.engines or read("engines/analyse/zopa/size") == 0:
        read.take()
        return None
    s, analysis = run.scenario, run.engines["analyse"].result
    parts = []
    for p in analysis.to_dict(max_pareto=0)["proposals"]:
        if p["in_zone"] and p["on_frontier"]:
            continue
        target = _closest_in_zone(analysis, p["outcome"])
        if target is None:
            continue
        change = _diff_text(s, p["outcome"], analysis.result.space.decode(target))
        parts.append(f"'{p['name'] or p['id']}' changed to {change}")
    text = ""
    if parts:
        text = "What works: " + "; ".join(parts) + "."
    if run.uncertainty is not None and read.has("uncertainty/what_would_it_take/changes/0"):
        sentence = read("uncertainty/what_would_it_take/changes/0/sentence")
        goal = read("uncertainty/what_would_it_take/target")
        what = "smallest change" if "proposal" in goal else "to open a zone"
        text += f" Or ({what}): {sentence}."
    if not text:
        return None
    return Point("what-works", text.strip(), read.take(), ("analyse", "uncertainty"))


def _why_no_deal(run: RunResult, read: _Reader) -> Point | None:
    parts = []
    zone = "analyse" in run.engines and read("engines/analyse/zopa/size") > 0
    if "simulate" in run.engines:
        rate = read("engines/simulate/headlines/agreement_rate")
        deadline = read("engines/simulate/deadline")
        if zone and rate == 0:
            parts.append(
                "a zone exists, but at the scenario's concession speeds the simulated leaders' "
                f"demands do not meet within {deadline} rounds"
            )
        elif zone and read.has("engines/simulate/discounting_comparison/agreement_rate"):
            alt = read("engines/simulate/discounting_comparison/agreement_rate")
            if alt == 0:
                parts.append(
                    f"simulated leaders agree in round {deadline} only if walking away loses "
                    "value over time"
                )
    if "information" in run.engines and read.has("engines/information/regimes/leaders"):
        lead = 1 - read("engines/information/regimes/leaders/p_agreement")
        work = 1 - read("engines/information/regimes/working_level/p_agreement")
        broker = 1 - read("engines/information/regimes/broker/p_agreement")
        parts.append(
            f"with bottom lines unknown P(no deal) is {lead:.2f} at a summit, {work:.2f} after "
            f"working-level talks, {broker:.2f} with a broker"
        )
        if read.has("engines/information/signal/p_accept_prior"):
            named = read("engines/information/signal/offer_name")
            p_acc = read("engines/information/signal/p_accept_prior")
            if named:
                parts.append(f"'{named}' had a {p_acc:.2f} chance by its maker's belief")
    if not parts:
        read.take()
        return None
    text = "Why talks fail anyway: " + "; ".join(parts) + "."
    return Point("why-no-deal", text, read.take(), ("simulate", "information"))


def _signals(run: RunResult, read: _Reader) -> Point | None:
    if "signals" not in run.engines:
        return None
    games = read("engines/signals/games")
    parts = []
    for gid, g in games.items():
        title = g.get("title") or gid
        sep = read(f"engines/signals/headlines/separating:{gid}")
        kinds = sorted({e["kind"] for e in g.get("equilibria", [])})
        if sep:
            parts.append(f"{title}: it separates the types (credible)")
        elif kinds:
            parts.append(f"{title}: {join_and(kinds)} only (reveals nothing)")
        else:
            parts.append(f"{title}: no pure-strategy equilibrium")
    return Point("signals", "; ".join(parts) + ".", read.take(), ("signals",))


def _at_home(run: RunResult, read: _Reader) -> Point | None:
    if "ratify" not in run.engines:
        return None
    two = read("engines/ratify/headlines/two_level_size")
    intl = read("engines/ratify/headlines/international_size")
    text = (
        f"At home: {plural(int(two), 'package')} of the {int(intl):,} in the leaders' zone "
        "would pass ratification on both sides"
    )
    binds = [
        k.split(":", 1)[1]
        for k, v in run.engines["ratify"].headlines.items()
        if k.startswith("plan_b_binds:")
    ]
    for party in binds:
        b = read(f"engines/ratify/headlines/plan_b_binds:{party}")
        text += f"; {possessive(party_name(run.scenario, party))} plan B " + (
            "binds" if b else "does not bind"
        )
    return Point("at-home", text + ".", read.take(), ("ratify",))


def _first_move(run: RunResult, read: _Reader) -> Point | None:
    if "sequence" not in run.engines:
        return None
    s = run.scenario
    feasible = read("engines/sequence/feasible")
    if feasible:
        rounds = read("engines/sequence/rounds")
        text = f"Sequencing: a self-enforcing schedule exists in {plural(rounds, 'round')}"
        er = run.engines["sequence"]
        movers = [f for f in er.findings if f.kind == "sequence.first_mover"]
        if movers:
            text += f"; {movers[0].text[:-1]}"
    else:
        text = "Sequencing: no self-enforcing schedule exists"
        if read.has("engines/sequence/blocking/party"):
            party = read("engines/sequence/blocking/party")
            rnd = read("engines/sequence/blocking/round")
            text += f"; {party_name(s, party)} would stop first, in round {rnd}"
    for k, f in enumerate(run.engines["sequence"].findings):
        if f.kind != "sequence.assumptions":
            continue
        base = f"engines/sequence/findings/{k}/values/rounds_by_assumption"
        if not feasible and read.has(f"{base}/free_snapback"):
            free = read(f"{base}/free_snapback")
            if free is not None:
                text += f"; one exists only if snapback is free ({plural(free, 'round')})"
        carried = read(f"engines/sequence/findings/{k}/values/carried_by")
        if feasible and carried:
            text += f"; it rests on {join_and([c.replace('_', ' ') for c in carried])}"
    return Point("first-move", text + ".", read.take(), ("sequence",))


def _stakeholders(run: RunResult, read: _Reader) -> Point | None:
    if "forecast" not in run.engines:
        return None
    section = run.scenario.stakeholders
    assert section is not None
    dims = read("engines/forecast/dimensions")
    parts = []
    for dim_id in dims:
        label = section.dimension(dim_id).label
        base = f"engines/forecast/dimensions/{dim_id}"
        prediction = read(f"{base}/prediction")
        status = read(f"{base}/convergence/status")
        if status == "cycle":
            lo, hi = read(f"{base}/convergence/mean_range")
            how = f"mean oscillates {lo:.1f}–{hi:.1f}"
        elif status == "converged":
            how = f"positions settle after {read(f'{base}/convergence/rounds')} rounds"
        else:
            how = "unsettled"
        parts.append(f"{label} {prediction:.1f} (median, {how})")
    return Point("stakeholders", "Forecast: " + "; ".join(parts) + ".", read.take(),
                 ("forecast",))  # fmt: skip


def _strategy(run: RunResult, read: _Reader) -> Point | None:
    if "stability" not in run.engines:
        return None
    er = run.engines["stability"]
    nash = read("engines/stability/equilibria/nash")
    model = er.result.result.model
    from accord.app.engines.stability import describe_state

    states = [describe_state(model, x) for x in nash]
    text = "Nash-stable: " + join_and(states) if states else "No state is Nash-stable"
    return Point("strategy", text + ".", read.take(), ("stability",))


BUILDERS = (
    _deal,
    _proposals,
    _what_works,
    _why_no_deal,
    _signals,
    _at_home,
    _first_move,
    _stakeholders,
    _strategy,
)


def brief(run: RunResult) -> Briefing:
    """The briefing of one run result (at most :data:`MAX_POINTS` points, in question order)."""
    from accord.app.jsonable import to_jsonable

    read = _Reader(to_jsonable(run.to_dict()))
    points = []
    for build in BUILDERS:
        point = build(run, read)
        if point is not None:
            points.append(point)
    if len(points) > MAX_POINTS:
        # Merge the last two (stakeholders and strategy) rather than drop either.
        a, b = points[MAX_POINTS - 1], points[MAX_POINTS]
        merged = Point(
            f"{a.topic}+{b.topic}",
            f"{a.text} {b.text}",
            {**a.numbers, **b.numbers},
            a.engines + b.engines,
        )
        points = [*points[: MAX_POINTS - 1], merged, *points[MAX_POINTS + 1 :]]
    return Briefing(run.scenario.id, run.scenario.title, tuple(points[:MAX_POINTS]))
