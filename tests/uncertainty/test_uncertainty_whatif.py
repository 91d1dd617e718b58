"""'What would it take' finds thresholds that linear utilities give in closed form."""

from __future__ import annotations

import pytest

from accord.errors import AccordError
from accord.io.scenario_file import load_scenario
from accord.uncertainty import Target, what_would_it_take


def test_single_changes_hit_the_closed_form_thresholds() -> None:
    s = load_scenario("hanoi-2019")
    # US utility of the DPRK offer = 0.4475 + 0.45 * (v - 0.4) in the US value v of 'yongbyon';
    # it reaches the US reservation 0.5 at v = 0.4 + 0.0525 / 0.45. The US reservation itself
    # must fall to 0.4475, inside its triangular range [0.4, 0.6].
    t = Target("margin:dprk-offer", ">=", 0.0, "the DPRK offer acceptable to both")
    r = what_would_it_take(
        s, "analyse", t,
        names=["preferences.usa.values.denuclearisation.yongbyon", "preferences.usa.reservation"],
    )  # fmt: skip
    got = {c.params[0]: c.after[0] for c in r.changes if len(c.params) == 1}
    assert got["preferences.usa.values.denuclearisation.yongbyon"] == pytest.approx(
        0.4 + 0.0525 / 0.45, abs=1e-6
    )
    assert got["preferences.usa.reservation"] == pytest.approx(0.4475, abs=1e-6)
    assert not r.reached_at_point
    assert "reservation value 0.052 lower (0.5 → 0.448)" in " ".join(
        c.sentence() for c in r.changes
    )


def test_pairs_are_reported_only_when_smaller_than_either_alone() -> None:
    s = load_scenario("hanoi-2019")
    t = Target("margin:dprk-offer", ">=", 0.0)
    r = what_would_it_take(
        s, "analyse", t, names=["preferences.usa.reservation", "preferences.dprk.reservation"],
    )  # fmt: skip
    # The DPRK already accepts its own offer, so its reservation cannot help: no pair beats the
    # US reservation alone, and the DPRK reservation alone never reaches the target.
    assert [c.params for c in r.changes] == [("preferences.usa.reservation",)]


def test_target_already_met_and_bad_targets() -> None:
    s = load_scenario("hanoi-2019")
    r = what_would_it_take(s, "analyse", Target.parse("deal_possible>=1"))
    assert r.reached_at_point and r.changes == ()
    with pytest.raises(AccordError, match="write OUTPUT>=NUMBER"):
        Target.parse("deal_possible=1")
    with pytest.raises(AccordError, match="no output 'agreement'"):
        what_would_it_take(s, "analyse", Target.parse("agreement>=1"))
