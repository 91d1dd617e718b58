"""import → export → import keeps every utility of every outcome; Accord → GENIUS keeps orders."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from accord.io.genius import export_genius, genius_scale_factors, import_genius
from accord.io.scenario_file import load_scenario, parse_scenario, scenario_to_yaml
from accord.scenario.model import Scenario
from accord.scenario.outcomes import reservations, utility_matrix

GENIUS_DIR = Path(__file__).parents[2].parent / "shared" / "data" / "genius"
DOMAINS = sorted(p.name for p in GENIUS_DIR.iterdir()) if GENIUS_DIR.is_dir() else []


@pytest.mark.skipif(not DOMAINS, reason=f"the ANAC domains folder {GENIUS_DIR} is absent")
@pytest.mark.parametrize("name", DOMAINS)
def test_round_trip_keeps_every_utility(name: str, tmp_path: Path) -> None:
    first = import_genius([GENIUS_DIR / name])
    written = export_genius(first, tmp_path)
    assert len(written) == 1 + len(first.parties)
    second = import_genius([tmp_path])
    assert second.party_ids == first.party_ids
    assert [i.id for i in second.issues] == [i.id for i in first.issues]
    assert [i.options for i in second.issues] == [i.options for i in first.issues]
    assert np.allclose(utility_matrix(second), utility_matrix(first), rtol=0, atol=1e-12)
    np.testing.assert_allclose(reservations(second), reservations(first))
    for pid in first.party_ids:
        d1, d2 = first.preferences[pid].discount, second.preferences[pid].discount
        assert (d1 is None) == (d2 is None)
        if d1 is not None and d2 is not None:
            assert d2.point == pytest.approx(d1.point)


@pytest.mark.skipif(not DOMAINS, reason=f"the ANAC domains folder {GENIUS_DIR} is absent")
def test_yaml_round_trip_of_an_imported_domain() -> None:
    scenario = import_genius([GENIUS_DIR / "Travel"])
    again = parse_scenario(scenario_to_yaml(scenario), file="travel.yaml")
    assert again == scenario


def test_divide_the_dollar_exports_as_a_discrete_grid(tmp_path: Path) -> None:
    dollar = load_scenario("divide-the-dollar")
    export_genius(dollar, tmp_path)
    back = import_genius([tmp_path])
    assert back.issues[0].size == dollar.issues[0].size
    np.testing.assert_allclose(utility_matrix(back), utility_matrix(dollar), atol=1e-12)
    # per-round discount 0.9 with deadline_rounds=1 is GENIUS's d = 0.9
    assert back.preferences["alice"].discount.point == pytest.approx(0.9)  # type: ignore[union-attr]


def test_deadline_rounds_inverts_on_export(tmp_path: Path) -> None:
    dollar = load_scenario("divide-the-dollar")
    export_genius(dollar, tmp_path, deadline_rounds=5)
    profile = next(p for p in tmp_path.iterdir() if p.name.endswith("-alice.xml"))
    factor = ET.parse(profile).getroot().find("discount_factor")
    assert factor is not None
    assert float(factor.get("value", "nan")) == pytest.approx(0.9**5)
    back = import_genius([tmp_path], deadline_rounds=5)
    assert back.preferences["alice"].discount.point == pytest.approx(0.9)  # type: ignore[union-attr]


def _scenario(values_a: dict[str, float], reservation: float) -> Scenario:
    return Scenario.model_validate(
        {
            "accord": 1,
            "id": "scaled",
            "title": "Scaled",
            "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
            "issues": [
                {"id": "venue", "options": ["paris", "geneva", "hanoi"]},
                {"id": "size", "range": [0, 4], "step": 1},
            ],
            "preferences": {
                "a": {
                    "weights": {"venue": 2, "size": 2},
                    "values": {"venue": values_a, "size": "increasing"},
                    "reservation": reservation,
                },
                "b": {
                    "weights": {"venue": 1, "size": 3},
                    "values": {
                        "venue": {"paris": 0.0, "geneva": 1.0, "hanoi": 0.5},
                        "size": "decreasing",
                    },
                },
            },
        }
    )


def test_best_value_below_one_is_rescaled_not_distorted(tmp_path: Path) -> None:
    # Party a's best venue is worth 0.5, so its best outcome is 0.5·0.5 + 0.5·1 = 0.75.
    scenario = _scenario({"paris": 0.5, "geneva": 0.25, "hanoi": 0.0}, reservation=0.3)
    factors = genius_scale_factors(scenario)
    assert factors["a"] == pytest.approx(1 / 0.75)
    assert factors["b"] == pytest.approx(1.0)
    export_genius(scenario, tmp_path)
    back = import_genius([tmp_path])
    u, v = utility_matrix(scenario), utility_matrix(back)
    np.testing.assert_allclose(v[:, 0], u[:, 0] / 0.75, atol=1e-12)
    np.testing.assert_allclose(v[:, 1], u[:, 1], atol=1e-12)
    assert back.preferences["a"].reservation.point == pytest.approx(0.3 / 0.75)
    # the linear integer-grid issue was written as a GENIUS integer issue
    assert back.issue("size").range == (0, 4)


def test_scenario_without_preferences_cannot_be_exported(tmp_path: Path) -> None:
    from accord.errors import ScenarioError

    bare = Scenario.model_validate({"accord": 1, "id": "bare", "title": "Bare"})
    with pytest.raises(ScenarioError, match="nothing to export"):
        export_genius(bare, tmp_path)


def test_hanoi_round_trip_keeps_ids_and_each_partys_utilities(tmp_path: Path) -> None:
    hanoi = load_scenario("hanoi-2019")
    export_genius(hanoi, tmp_path)
    back = import_genius([tmp_path])
    # ids come back from the accord_id attributes, original texts from the value names
    assert [(i.id, i.options) for i in back.issues] == [(i.id, i.options) for i in hanoi.issues]
    assert set(back.party_ids) == set(hanoi.party_ids)  # files are read in name order
    factors = genius_scale_factors(hanoi)
    u, v = utility_matrix(hanoi), utility_matrix(back)
    for pid in hanoi.party_ids:
        expected = u[:, hanoi.party_ids.index(pid)] * factors[pid]
        np.testing.assert_allclose(v[:, back.party_ids.index(pid)], expected, atol=1e-12)
