"""Regimes of information side by side: complete, leaders, working-level talks and a broker.

Issue 12 ("the cloze test"). For one proposer and one responder of a scenario:

* ``complete`` — the proposer knows the responder's bottom line r and offers the package it
  prefers among those worth at least r to the responder (a deal whenever a zone exists);
* ``leaders`` — the proposer uses its belief as the scenario states it (ultimatum or screening,
  :mod:`accord.information.protocols`);
* ``working_level`` — the same protocol with each belief's spread around its mean shrunk to the
  ``working_level`` share;
* ``broker`` — a third party who knows both bottom lines proposes the Nash package within the
  zone (the package maximising the product of the two gains over the reservation values among
  those where both gain ≥ 0; Nash 1950, Econometrica 18(2), pp. 155-162), or reports that no
  zone exists.

Each regime is evaluated under the proposer's belief (over the belief's type grid; for the
ultimatum, P(accept) and the proposer's expected utility use the exact CDF) and under the
responder's true reservation value from ``preferences``. Under the truth the responder answers
the equilibrium offers by optimal stopping. Expected utilities are ``r + δ^t·(u − r)`` for a deal
in round t and ``r`` without one (the convention of issue 12). The value of working-level talks
and of the broker are differences between regimes. Joint-gain shares divide by the largest joint
gain of any package in the zone. Working-level talks shrink the belief around its own mean
(``r ↦ m + w·(r − m)``), so ``working_level: 0`` means "bottom lines known" only when the belief
is centred on the truth; otherwise it is a confident belief at its mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.errors import EngineInputError
from accord.information.beliefs import Belief
from accord.information.protocols import Plan, pareto_frontier, screening, ultimatum
from accord.scenario.model import Scenario
from accord.scenario.outcomes import OutcomeSpace, outcome_space, utility_matrix

REGIMES = ("complete", "leaders", "working_level", "broker")


@dataclass(frozen=True)
class Problem:
    """Everything the engine needs, read from the scenario."""

    scenario_id: str
    proposer: str
    responder: str
    names: dict[str, str]
    u_p: np.ndarray
    u_r: np.ndarray
    r_p: float
    r_true: float
    d_p: float
    d_r: float
    belief: Belief
    protocol: str
    rounds: int
    working_level: float
    grid: int
    broker: str | None
    space: OutcomeSpace | None = None
    rejected: int | None = None
    rejected_name: str | None = None
    truth_belief: Belief | None = None
    """The scenario's own uncertainty about the responder's reservation value (preferences)."""


@dataclass(frozen=True)
class Evaluation:
    offers: tuple[dict[str, Any], ...]
    p_agreement: float
    expected_utilities: dict[str, float]
    joint_gain_share: float | None
    p_impasse_despite_zone: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "offers": [{**o, "p_accept": _r(o["p_accept"])} for o in self.offers],
            "p_agreement": _r(self.p_agreement),
            "expected_utilities": {k: _r(v) for k, v in self.expected_utilities.items()},
            "joint_gain_share": None
            if self.joint_gain_share is None
            else _r(self.joint_gain_share),
            "p_impasse_despite_zone": _r(self.p_impasse_despite_zone),
        }


def _r(x: float) -> float:
    """A float for JSON without round-off noise (12 decimals; -0.0 becomes 0.0)."""
    return round(float(x), 12) + 0.0


@dataclass(frozen=True)
class Regime:
    """One regime under the proposer's belief and, separately, under the true bottom line."""

    name: str
    belief: Evaluation
    truth: Evaluation
    posteriors: tuple[dict[str, float], ...] = ()
    zone: bool = True

    def to_dict(self) -> dict[str, Any]:
        out = self.belief.to_dict()
        out["truth"] = self.truth.to_dict()
        out["posteriors"] = list(self.posteriors)
        out["zone"] = self.zone
        return out


@dataclass(frozen=True)
class Signal:
    """What a rejection told the proposer: its posterior and its best next offer under it."""

    offer: dict[str, Any]
    offer_name: str | None
    responder_utility: float
    p_accept_prior: float
    prior: dict[str, float]
    posterior: dict[str, float]
    next_offer: dict[str, Any] | None
    next_p_accept: float
    next_responder_utility: float | None
    p_accept_truth: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "p_accept_truth": self.p_accept_truth,
            "offer": self.offer,
            "offer_name": self.offer_name,
            "responder_utility": self.responder_utility,
            "p_accept_prior": self.p_accept_prior,
            "prior": self.prior,
            "posterior": self.posterior,
            "next_offer": self.next_offer,
            "next_p_accept": self.next_p_accept,
            "next_responder_utility": self.next_responder_utility,
        }


@dataclass(frozen=True)
class InformationResult:
    scenario_id: str
    proposer: str
    responder: str
    broker: str | None
    names: dict[str, str]
    protocol: str
    rounds: int
    working_level: float
    r_true: float
    regimes: dict[str, Regime]
    signal: Signal | None
    values: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario_id,
            "proposer": self.proposer,
            "responder": self.responder,
            "broker": self.broker,
            "protocol": self.protocol,
            "rounds": self.rounds,
            "working_level": self.working_level,
            "responder_reservation": self.r_true,
            "regimes": {k: v.to_dict() for k, v in self.regimes.items()},
            "signal": self.signal.to_dict() if self.signal else None,
            "values": dict(self.values),
        }


# --- reading the scenario -------------------------------------------------------------------
def problem_from_scenario(
    scenario: Scenario,
    *,
    protocol: str | None = None,
    proposer: str | None = None,
    rounds: int | None = None,
    working_level: float | None = None,
    grid: int | None = None,
) -> Problem:
    """Read the ``information:`` section and the two parties' utilities (EngineInputError)."""
    sec = scenario.information
    if sec is None:
        raise EngineInputError(
            f"scenario '{scenario.id}' has no 'information:' section; add beliefs (holder, about, "
            "reservation), protocol and proposer"
        )
    at_table = set(scenario.party_ids)
    prop = proposer or sec.proposer
    if prop not in at_table:
        raise EngineInputError(
            f"the proposer '{prop}' is not a party at the table; use one of: "
            + ", ".join(scenario.party_ids)
        )
    if proposer is not None and proposer != sec.proposer:
        held = [b for b in sec.beliefs if b.holder == prop]
        if len(held) != 1:
            raise EngineInputError(
                f"'{prop}' holds {len(held)} beliefs in the information section; give it one "
                "belief about the responder"
            )
        resp = held[0].about
    else:
        resp = sec.responder_id
    if resp not in at_table:
        raise EngineInputError(f"the responder '{resp}' is not a party at the table")
    spec = sec.belief(prop, resp)
    assert spec is not None
    proto = protocol or sec.protocol
    if proto not in ("ultimatum", "screening"):
        raise EngineInputError(f"unknown protocol '{proto}'; use ultimatum or screening")
    n_rounds = sec.rounds if rounds is None else int(rounds)
    if not 1 <= n_rounds <= 20:
        raise EngineInputError(f"rounds must be between 1 and 20, got {n_rounds}")
    wl = sec.working_level.point if working_level is None else float(working_level)
    if not 0.0 <= wl <= 1.0:
        raise EngineInputError(f"working_level must lie in [0, 1], got {wl:g}")
    space = outcome_space(scenario)
    u = utility_matrix(scenario, space)
    ids = scenario.party_ids
    prefs = scenario.preferences

    def disc(pid: str) -> float:
        d = prefs[pid].discount
        return 1.0 if d is None else float(d.point)

    rejected = None
    rejected_name = None
    if sec.rejected is not None:
        match = [p for p in scenario.proposals if p.id == sec.rejected]
        if not match:
            raise EngineInputError(
                f"information.rejected names '{sec.rejected}', which is not a proposal; use one "
                "of: " + (", ".join(p.id for p in scenario.proposals) or "-")
            )
        if match[0].by in (None, prop):  # a proposal by the other side says nothing here
            rejected = space.encode(match[0].outcome)
            rejected_name = match[0].name or match[0].id
    names = {p.id: p.name for p in scenario.parties}
    return Problem(
        scenario_id=scenario.id,
        proposer=prop,
        responder=resp,
        names=names,
        u_p=u[:, ids.index(prop)].copy(),
        u_r=u[:, ids.index(resp)].copy(),
        r_p=float(prefs[prop].reservation.point),
        r_true=float(prefs[resp].reservation.point),
        d_p=disc(prop),
        d_r=disc(resp),
        belief=Belief.from_param(spec.reservation.to_param()),
        protocol=proto,
        rounds=1 if proto == "ultimatum" else n_rounds,
        working_level=wl,
        grid=grid or sec.grid,
        broker=sec.broker,
        space=space,
        rejected=rejected,
        rejected_name=rejected_name,
        truth_belief=Belief.from_param(prefs[resp].reservation),
    )


# --- evaluation -----------------------------------------------------------------------------
def _outcome(pb: Problem, i: int) -> dict[str, Any]:
    if pb.space is None:
        return {"package": int(i)}
    return pb.space.decode(i)


def _offers(pb: Problem, plan_offers: list[tuple[int, int, float]]) -> tuple[dict[str, Any], ...]:
    return tuple(
        {"round": t, "outcome": _outcome(pb, i) if i >= 0 else None, "p_accept": p}
        for t, i, p in plan_offers
    )


def _complete_offer(pb: Problem, front: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Per reservation value: the proposer's best package worth ≥ r to the responder, or -1."""
    fr = pb.u_r[front]
    pos = np.searchsorted(fr, r, side="left")
    ok = pos < len(front)
    pk = np.where(ok, front[np.minimum(pos, len(front) - 1)], -1)
    return np.where((pk >= 0) & (pb.u_p[np.maximum(pk, 0)] >= pb.r_p), pk, -1)


def _max_joint(pb: Problem, front: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Per reservation value: the largest joint gain of a package in the zone (0 without one).

    This is the complete-information gain that the joint-gain shares divide by; it bounds what
    any regime can realise, so every share lies in [0, 1].
    """
    gp = pb.u_p[front] - pb.r_p
    gr = pb.u_r[front][None, :] - r[:, None]
    ok = (gp[None, :] >= 0) & (gr >= 0)
    return np.where(ok, gp[None, :] + gr, 0.0).max(axis=1, initial=0.0)


def _nash_offer(pb: Problem, front: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Per reservation value: the Nash package within the zone (max product of gains), or -1."""
    gp = pb.u_p[front] - pb.r_p
    gr = pb.u_r[front][None, :] - r[:, None]
    ok = (gp[None, :] >= 0) & (gr >= 0)
    prod = np.where(ok, gp[None, :] * gr, -1.0)
    j = np.argmax(prod, axis=1)
    return np.where(ok.any(axis=1), front[j], -1)


def _evaluate(
    pb: Problem,
    r: np.ndarray,
    w: np.ndarray,
    rnd: np.ndarray,
    pkg: np.ndarray,
    zmax: float,
    complete_joint: np.ndarray,
) -> tuple[float, dict[str, float], float | None, float]:
    """P(agreement), expected utilities, joint-gain share, P(impasse despite a zone)."""
    deal = rnd >= 0
    k = np.maximum(pkg, 0)
    dp = np.where(deal, pb.d_p ** np.maximum(rnd, 0), 0.0)
    dr = np.where(deal, pb.d_r ** np.maximum(rnd, 0), 0.0)
    gain_p = dp * (pb.u_p[k] - pb.r_p)
    gain_r = dr * (pb.u_r[k] - r)
    eu_p = pb.r_p + float(np.dot(w, gain_p))
    eu_r = float(np.dot(w, r + gain_r))
    joint = float(np.dot(w, gain_p + gain_r))
    cj = float(np.dot(w, complete_joint))
    share = joint / cj if cj > 1e-12 else None
    impasse = float(np.dot(w, (~deal) & (r <= zmax)))
    return float(np.dot(w, deal)), {pb.proposer: eu_p, pb.responder: eu_r}, share, impasse


def _stop(pb: Problem, offers: tuple[int, ...], r: float) -> tuple[int, int]:
    """The true responder's optimal stopping along the offers: (round, package) or (-1, -1)."""
    best, when, what = -1.0, -1, -1
    for t, i in enumerate(offers):
        if i < 0:
            continue
        g = pb.d_r**t * (pb.u_r[i] - r)
        if g >= 0 and g > best:
            best, when, what = g, t, i
    return when, what


def solve(pb: Problem) -> InformationResult:
    """All four regimes, the value of working-level talks and of the broker, and the signal."""
    front = pareto_frontier(pb.u_p, pb.u_r)
    in_zone = pb.u_p >= pb.r_p
    zmax = float(pb.u_r[in_zone].max()) if in_zone.any() else -np.inf
    types, mass, _ = pb.belief.grid(pb.grid)
    r_t = np.array([pb.r_true])
    w_t = np.array([1.0])

    comp_b = _complete_offer(pb, front, types)
    comp_t = _complete_offer(pb, front, r_t)
    cj_b, cj_t = _max_joint(pb, front, types), _max_joint(pb, front, r_t)
    regimes: dict[str, Regime] = {}

    def static(name: str, pk_b: np.ndarray, pk_t: np.ndarray) -> Regime:
        rnd_b, rnd_t = np.where(pk_b >= 0, 0, -1), np.where(pk_t >= 0, 0, -1)
        pa, eu, sh, imp = _evaluate(pb, types, mass, rnd_b, pk_b, zmax, cj_b)
        pa_t, eu_t, sh_t, imp_t = _evaluate(pb, r_t, w_t, rnd_t, pk_t, zmax, cj_t)
        i = int(pk_t[0])
        offers = _offers(pb, [(0, i, 1.0 if i >= 0 else 0.0)])
        return Regime(
            name,
            Evaluation(offers, pa, eu, sh, imp),
            Evaluation(offers, pa_t, eu_t, sh_t, imp_t),
            zone=bool(pb.r_true <= zmax),
        )

    regimes["complete"] = static("complete", comp_b, comp_t)
    for name, belief in (
        ("leaders", pb.belief),
        ("working_level", pb.belief.shrink(pb.working_level)),
    ):
        regimes[name] = _protocol_regime(pb, name, belief, zmax, cj_t)
    # The broker regime is computed whether or not the section names a broker: it is what an
    # honest broker who learns both bottom lines would propose.
    regimes["broker"] = static("broker", _nash_offer(pb, front, types), _nash_offer(pb, front, r_t))
    values = _values(regimes)
    return InformationResult(
        scenario_id=pb.scenario_id,
        proposer=pb.proposer,
        responder=pb.responder,
        broker=pb.broker,
        names=pb.names,
        protocol=pb.protocol,
        rounds=pb.rounds,
        working_level=pb.working_level,
        r_true=pb.r_true,
        regimes=regimes,
        signal=_signal(pb, regimes["leaders"]),
        values=values,
    )


def _plan(pb: Problem, belief: Belief) -> Plan:
    if pb.protocol == "ultimatum":
        return ultimatum(pb.u_p, pb.u_r, pb.r_p, belief)
    return screening(pb.u_p, pb.u_r, pb.r_p, belief, pb.rounds, pb.d_p, pb.d_r, pb.grid)


def _protocol_regime(
    pb: Problem,
    name: str,
    belief: Belief,
    zmax: float,
    cj_t: np.ndarray,
) -> Regime:
    """A regime in which the proposer bargains with ``belief``.

    It is evaluated under that belief (the one the proposer holds in this regime, on its type
    grid; the ultimatum's P(accept) from the exact CDF) and under the true bottom line.
    """
    plan = _plan(pb, belief)
    g_types, g_mass, _ = belief.grid(pb.grid)
    rnd = np.full(len(g_types), -1)
    pkg = np.full(len(g_types), -1)
    for t, i in enumerate(plan.offers):
        if i < 0:
            continue
        take = (rnd < 0) & (g_types <= pb.u_r[i])
        if pb.protocol == "screening":
            take = (rnd < 0) & (np.arange(len(g_types)) < plan.cutoffs[t])
        rnd = np.where(take, t, rnd)
        pkg = np.where(take, i, pkg)
    cj_g = _max_joint(pb, pareto_frontier(pb.u_p, pb.u_r), g_types)
    pa, eu, sh, imp = _evaluate(pb, g_types, g_mass, rnd, pkg, zmax, cj_g)
    if plan.exact:  # ultimatum: the exact CDF for P(accept), the proposer's utility, impasse
        i = plan.offers[0]
        pa = plan.p_accept[0]
        eu[pb.proposer] = pb.r_p + plan.proposer_gain
        z = float(belief.cdf(zmax)) if np.isfinite(zmax) else 0.0
        imp = max(0.0, z - pa) if i >= 0 else z
    when, what = _stop(pb, plan.offers, pb.r_true)
    pa_t, eu_t, sh_t, imp_t = _evaluate(
        pb,
        np.array([pb.r_true]),
        np.array([1.0]),
        np.array([when]),
        np.array([what]),
        zmax,
        cj_t,
    )
    pairs = zip(plan.offers, plan.p_accept, strict=True)
    offers = _offers(pb, [(t, i, p) for t, (i, p) in enumerate(pairs)])
    truth_offers = tuple(
        {**o, "p_accept": 1.0 if o["round"] == when else 0.0}
        for o in offers
        if when < 0 or o["round"] <= when
    )
    return Regime(
        name,
        Evaluation(offers, pa, eu, sh, imp),
        Evaluation(truth_offers, pa_t, eu_t, sh_t, imp_t),
        posteriors=tuple(p.describe() for p in plan.posteriors),
        zone=bool(pb.r_true <= zmax),
    )


def _values(regimes: dict[str, Regime]) -> dict[str, float]:
    out: dict[str, float] = {}
    lead = regimes["leaders"]
    for other in ("working_level", "broker"):
        if other not in regimes:
            continue
        o = regimes[other]
        out[f"{other}_p_agreement"] = o.belief.p_agreement - lead.belief.p_agreement
        out[f"{other}_p_agreement_truth"] = o.truth.p_agreement - lead.truth.p_agreement
        if o.belief.joint_gain_share is not None and lead.belief.joint_gain_share is not None:
            out[f"{other}_joint_gain_share"] = (
                o.belief.joint_gain_share - lead.belief.joint_gain_share
            )
    return out


def _signal(pb: Problem, leaders: Regime) -> Signal | None:
    """The rejection of the named proposal (or of the first equilibrium offer) and what follows.

    ``p_accept_truth`` is the chance the offer clears the responder's bottom line under the
    scenario's own distribution of it (``preferences``), as opposed to the proposer's belief.
    """
    if pb.rejected is not None:
        i = pb.rejected
        name = pb.rejected_name
    else:
        first = leaders.belief.offers[0]
        if first["outcome"] is None or pb.space is None:
            return None
        i = pb.space.encode(first["outcome"])
        name = None
    u = float(pb.u_r[i])
    post = pb.belief.truncate_below(u)
    nxt = ultimatum(pb.u_p, pb.u_r, pb.r_p, post)
    j = nxt.offers[0]
    return Signal(
        offer=_outcome(pb, i),
        offer_name=name,
        responder_utility=u,
        p_accept_prior=float(pb.belief.cdf(u)),
        prior=pb.belief.describe(),
        posterior=post.describe(),
        next_offer=_outcome(pb, j) if j >= 0 else None,
        next_p_accept=nxt.p_accept[0],
        next_responder_utility=float(pb.u_r[j]) if j >= 0 else None,
        p_accept_truth=None if pb.truth_belief is None else float(pb.truth_belief.cdf(u)),
    )


def run(scenario: Scenario, **overrides: Any) -> InformationResult:
    """Read the scenario and solve every regime (see :func:`problem_from_scenario`)."""
    return solve(problem_from_scenario(scenario, **overrides))
