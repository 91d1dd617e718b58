"""Bargaining under incomplete information as a registered engine (docs/architecture.md).

Wraps :mod:`accord.information` (issue 12, "the cloze test"): the ultimatum and the screening game
of Fudenberg & Tirole (1983) over the scenario's packages when the proposer does not know the
responder's bottom line, side by side with complete information, working-level talks and an
honest broker who proposes the Nash package (Nash 1950).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from accord.app.labels import outcome_text, party_name, possessive
from accord.app.registry import Absent, EngineSettings, EngineSpec, Finding
from accord.scenario.model import Scenario

REGIME_LABELS = {
    "complete": "with the bottom lines known",
    "leaders": "at a leaders' summit",
    "working_level": "after working-level talks",
    "broker": "with an honest broker",
}


class InformationSettings(EngineSettings):
    protocol: Literal["ultimatum", "screening"] | None = Field(
        None, description="ultimatum (one offer) or screening (several offers)"
    )
    proposer: str | None = Field(None, description="who makes the offer(s)")
    rounds: int | None = Field(None, ge=1, le=20, description="screening: how many offers")
    working_level: float | None = Field(
        None, ge=0.0, le=1.0, description="share of each belief's spread left after the talks"
    )
    grid: int | None = Field(None, ge=10, le=5000, description="points of the type grid")


@dataclass(frozen=True)
class Prepared:
    scenario: Scenario
    problem: Any


@dataclass(frozen=True)
class Information:
    scenario: Scenario
    result: Any

    def to_dict(self) -> dict[str, Any]:
        return dict(self.result.to_dict())


def scenario_settings(scenario: Scenario) -> dict[str, Any]:
    sec = scenario.information
    if sec is None:
        return {}
    return {
        "protocol": sec.protocol,
        "proposer": sec.proposer,
        "rounds": sec.rounds,
        "working_level": sec.working_level.point,
        "grid": sec.grid,
    }


def prepare(scenario: Scenario, settings: InformationSettings) -> Prepared:
    if scenario.information is None:
        raise Absent("the scenario has no 'information:' section")
    from accord.information import problem_from_scenario

    return Prepared(
        scenario,
        problem_from_scenario(
            scenario,
            protocol=settings.protocol,
            proposer=settings.proposer,
            rounds=settings.rounds,
            working_level=settings.working_level,
            grid=settings.grid,
        ),
    )


def run(p: Prepared, seed: int) -> Information:
    from accord.information import solve

    return Information(p.scenario, solve(p.problem))


def headlines(r: Information) -> dict[str, float]:
    d = r.result.to_dict()
    out: dict[str, float] = {}
    for name, reg in d["regimes"].items():
        out[f"p_agreement:{name}"] = reg["p_agreement"]
        out[f"p_no_deal:{name}"] = 1.0 - reg["p_agreement"]
        out[f"p_agreement_truth:{name}"] = reg["truth"]["p_agreement"]
        out[f"p_impasse_despite_zone:{name}"] = reg["p_impasse_despite_zone"]
        if reg["joint_gain_share"] is not None:
            out[f"joint_gain_share:{name}"] = reg["joint_gain_share"]
    out["value_working_level"] = d["values"].get("working_level_p_agreement", float("nan"))
    out["value_broker"] = d["values"].get("broker_p_agreement", float("nan"))
    if d["signal"] is not None:
        out["signal_posterior_mean"] = d["signal"]["posterior"]["mean"]
        out["signal_p_accept_prior"] = d["signal"]["p_accept_prior"]
    return out


def findings(r: Information) -> list[Finding]:
    s, res = r.scenario, r.result
    d = res.to_dict()
    reg = d["regimes"]
    prop, resp = party_name(s, res.proposer), party_name(s, res.responder)
    out: list[Finding] = []
    lead = reg["leaders"]
    serious = [o for o in lead["offers"] if o["outcome"] is not None]
    first = serious[0] if serious else lead["offers"][0]
    proto = "take-it-or-leave-it offer" if res.protocol == "ultimatum" else "first offer"
    offer_text = outcome_text(s, first["outcome"]) if first["outcome"] else "no offer"
    if res.protocol == "screening" and first["round"] > 0:
        offer_text += f", made only in round {first['round'] + 1} (it waits before offering)"
    took = "accepts" if lead["truth"]["p_agreement"] == 1.0 else "turns every offer down"
    out.append(
        Finding(
            "information.impasse",
            f"{REGIME_LABELS['leaders'].capitalize()}, {possessive(prop)} best {proto} under its "
            f"belief is {offer_text}; it expects P(no deal) {1 - lead['p_agreement']:.2f}, "
            f"{lead['p_impasse_despite_zone']:.2f} of it an impasse although a zone exists. "
            f"With {possessive(resp)} true bottom line ({res.r_true:.2f}), {resp} {took}.",
            {"regime": "leaders", "p_no_deal": 1 - lead["p_agreement"],
             "p_impasse_despite_zone": lead["p_impasse_despite_zone"],
             "offer": first["outcome"], "truth_p_agreement": lead["truth"]["p_agreement"],
             "responder_reservation": res.r_true},
        )
    )  # fmt: skip
    wl = reg["working_level"]
    out.append(
        Finding(
            "information.working_level",
            f"Working-level talks that leave {res.working_level:.0%} of the uncertainty bring "
            f"P(no deal) to {1 - wl['p_agreement']:.2f}, from {1 - lead['p_agreement']:.2f} at "
            "a summit, under the proposer's belief; the joint gain "
            f"realised is {_share(wl['truth']['joint_gain_share'])} of what is available under "
            f"the true bottom line, against {_share(lead['truth']['joint_gain_share'])} at a "
            "summit.",
            {"p_no_deal": 1 - wl["p_agreement"], "working_level": res.working_level,
             "value_p_agreement": wl["p_agreement"] - lead["p_agreement"],
             "joint_gain_share_truth": wl["truth"]["joint_gain_share"],
             "leaders_joint_gain_share_truth": lead["truth"]["joint_gain_share"]},
        )
    )  # fmt: skip
    br = reg["broker"]
    who = party_name(s, res.broker) if res.broker else "An honest broker"
    if br["zone"]:
        text = (
            f"{who}, learning both bottom lines, would propose the Nash package "
            f"{outcome_text(s, br['offers'][0]['outcome'])}; under {possessive(prop)} belief a "
            f"zone exists with probability {br['p_agreement']:.2f}, so P(no deal) falls to "
            f"{1 - br['p_agreement']:.2f}, from {1 - lead['p_agreement']:.2f} at a summit."
        )
    else:
        text = (
            f"{who}, learning both bottom lines, would report that no zone of agreement exists: "
            "no package gives both sides at least their bottom lines."
        )
    out.append(
        Finding(
            "information.broker",
            text,
            {"broker": res.broker, "zone": br["zone"], "p_no_deal": 1 - br["p_agreement"],
             "offer": br["offers"][0]["outcome"],
             "value_p_agreement": br["p_agreement"] - lead["p_agreement"]},
        )
    )  # fmt: skip
    sig = d["signal"]
    if sig is not None:
        observed = bool(sig["offer_name"])
        label = f"'{sig['offer_name']}'" if observed else f"{possessive(prop)} first offer"
        head = "By walking away from" if observed else f"If {resp} walked away from"
        tells = f"{resp} told {prop}" if observed else f"that would tell {prop}"
        post = sig["posterior"]
        nxt = (
            f"{possessive(prop)} best next offer under that posterior is "
            f"{outcome_text(s, sig['next_offer'])}, "
            f"worth {sig['next_responder_utility']:.2f} to {resp} and accepted with probability "
            f"{sig['next_p_accept']:.2f}"
            if sig["next_offer"]
            else "under that posterior no offer pays"
        )
        out.append(
            Finding(
                "information.signal",
                f"{head} {label} (worth {sig['responder_utility']:.2f} to it; "
                f"accepted with probability {sig['p_accept_prior']:.2f} under {possessive(prop)} "
                f"prior), {tells} that "
                f"{possessive(resp)} bottom line lies in "
                f"[{post['lo']:.2f}, {post['hi']:.2f}] (mean {post['mean']:.2f}); {nxt}."
                + (
                    f" Under the scenario's own range for {possessive(resp)} bottom line, the "
                    f"offer had a {sig['p_accept_truth']:.2f} chance."
                    if observed and sig["p_accept_truth"] is not None
                    else ""
                ),
                {"offer": sig["offer"], "responder_utility": sig["responder_utility"],
                 "p_accept_prior": sig["p_accept_prior"], "posterior": post,
                 "next_offer": sig["next_offer"], "next_p_accept": sig["next_p_accept"],
                 "p_accept_truth": sig["p_accept_truth"]},
            )
        )  # fmt: skip
        if sig["offer_name"] and lead["truth"]["p_agreement"] == 1.0:
            out.append(
                Finding(
                    "information.assumption",
                    f"The model's {prop} makes an offer {resp} accepts, while the offer it "
                    "made was turned down: the no deal comes from that offer ("
                    f"{sig['p_accept_prior']:.2f} chance under {possessive(prop)} own belief), "
                    "not from the unknown bottom line alone. The result rests on "
                    f"{possessive(prop)} utilities in preferences, which value the package above "
                    f"its own offer, and on {prop} optimising against its belief.",
                    {"offer_p_accept_prior": sig["p_accept_prior"],
                     "model_offer": first["outcome"]},
                )
            )  # fmt: skip
    return out


def _share(x: float | None) -> str:
    return "-" if x is None else f"{x:.0%}"


SPEC = EngineSpec(
    key="information",
    title="Incomplete information",
    sections=("information", "preferences"),
    settings=InformationSettings,
    prepare=prepare,
    run=run,
    headlines=headlines,
    findings=findings,
    scenario_settings=scenario_settings,
    description="P(no deal) when bottom lines are unknown; working-level talks and a broker",
    target="p_agreement:leaders",
)
