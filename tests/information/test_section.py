"""The ``information:`` section: bad input names the file, the field and the fix (item 9)."""

from __future__ import annotations

import pytest

import accord
from accord.errors import ScenarioError
from accord.information import Belief
from accord.scenario.base import Param

from .conftest import dollar


def info(data, **changes):
    data["information"] = {**data["information"], **changes}
    return data


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"beliefs": [{"holder": "alice", "about": "carol", "reservation": 0.5}]},
         "information.beliefs", "'carol' is not a party"),
        ({"beliefs": [{"holder": "alice", "about": "alice", "reservation": 0.5}]},
         "information.beliefs[0]", "about itself"),
        ({"beliefs": [{"holder": "alice", "about": "bob", "reservation": {"uniform": [0.5, 1.5]}}]},
         "information.beliefs", "must lie in [0, 1]"),
        ({"beliefs": [{"holder": "alice", "about": "bob", "reservation": {"normal": [0.5, 0.1]}}]},
         "information.beliefs", "must lie in [0, 1]"),
        ({"rounds": 0}, "information.rounds", "rounds must be between 1 and 20"),
        ({"rounds": 21}, "information.rounds", "rounds must be between 1 and 20"),
        ({"broker": "carol"}, "information.broker", "'carol' is not a party"),
        ({"working_level": 1.5}, "information.working_level", "working_level"),
        ({"working_level": -0.1}, "information.working_level", "working_level"),
    ],
)  # fmt: skip
def test_bad_input_names_file_field_and_fix(build, change, field, text) -> None:
    with pytest.raises(ScenarioError) as err:
        build(info(dollar({"uniform": [0, 1]}), **change))
    e = err.value
    assert e.file == "dollar.yaml"
    assert e.field is not None and e.field.startswith(field)
    assert text in str(e)
    assert any(w in str(e) for w in ("Fix:", "; give", "; use")), str(e)


def test_posterior_is_the_truncated_prior() -> None:
    b = Belief.from_param(Param.model_validate({"triangular": [0.0, 0.5, 1.0]}))
    post = b.truncate_below(0.5)
    # Triangular: F(0.75) = 1 − 2·0.25² = 0.875, F(0.5) = 0.5, so P(r ≤ 0.75 | r > 0.5) = 0.75.
    assert float(post.cdf(0.75)) == pytest.approx(0.75)
    assert float(post.cdf(0.5)) == pytest.approx(0.0)
    choice = Belief.from_param(
        Param.model_validate({"choice": [[0.2, 0.5], [0.6, 0.25], [0.8, 0.25]]})
    )
    assert float(choice.truncate_below(0.3).cdf(0.6)) == pytest.approx(0.5)


def test_shrink_keeps_the_mean_and_scales_the_spread() -> None:
    b = Belief.from_param(Param.model_validate({"uniform": [0.35, 0.75]}))
    s = b.shrink(0.25)
    assert (s.lo, s.hi) == pytest.approx((0.5, 0.6))
    assert s.mean == pytest.approx(0.55)
    assert Belief.from_param(Param(value=0.4)).shrink(0.5).mean == pytest.approx(0.4)


def test_hanoi_section_loads_and_tells_the_story() -> None:
    s = accord.load("hanoi-2019")
    assert s.information is not None and s.information.broker == "rok"
    assert "rok" not in s.party_ids
    from accord.information import run

    out = run(s).to_dict()
    assert set(out["regimes"]) == {"complete", "leaders", "working_level", "broker"}
    sig = out["signal"]
    # The US turned down the DPRK's package, so its bottom line exceeds what that package gave it.
    assert sig["posterior"]["lo"] == pytest.approx(sig["responder_utility"])
    assert sig["posterior"]["hi"] == pytest.approx(0.75)
    # Uniform prior: the posterior is uniform on [u, 0.75], and P(accept) was (u − 0.35)/0.4.
    u = sig["responder_utility"]
    assert sig["posterior"]["mean"] == pytest.approx((u + 0.75) / 2)
    assert sig["p_accept_prior"] == pytest.approx((u - 0.35) / 0.4)
    # The US bottom line in preferences is triangular [0.4, 0.5, 0.6]: F(u) = (u − 0.4)²/0.02.
    assert sig["p_accept_truth"] == pytest.approx((u - 0.4) ** 2 / 0.02)
    for regime in out["regimes"].values():
        assert 0.0 <= regime["p_agreement"] <= 1.0
        assert regime["joint_gain_share"] is None or 0.0 <= regime["joint_gain_share"] <= 1.0 + 1e-9


def test_beliefs_are_not_sampled_by_a_sweep_and_round_trip(build) -> None:
    """A belief's spread is the belief: a sweep must not turn it into one number."""
    import yaml

    from accord.io.scenario_file import parse_scenario
    from accord.uncertainty.parameters import uncertain_params

    s = build(dollar({"triangular": [0.1, 0.3, 0.6]}, working_level={"uniform": [0.1, 0.4]}))
    sampled = [p.path for p in uncertain_params(s) if p.path[0] == "information"]
    assert sampled == [("information", "working_level")]
    again = parse_scenario(yaml.safe_dump(s.to_yaml_dict()), file="again.yaml")
    assert again.information == s.information
    certain = build(dollar(0.4))
    assert certain.to_yaml_dict()["information"]["beliefs"][0]["reservation"] == 0.4
