"""Importing the twelve ANAC/GENIUS domains, checked against utilities computed from the XML.

The reference utilities are computed here with the standard library's XML parser and GENIUS's
published additive model (Lin et al. 2014: evaluation / issue maximum, weights normalised), not
with the importer, so a mistake in the importer cannot hide in its own output.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from accord.io.genius import import_genius, kebab, party_labels
from accord.scenario.model import Scenario
from accord.scenario.outcomes import outcome_space, utility_matrix

GENIUS_DIR = Path(__file__).parents[2].parent / "shared" / "data" / "genius"

ANAC_DOMAINS = {
    # folder: (outcomes, parties)
    "Amsterdam": (3024, 2),
    "Camera": (3600, 2),
    "Car": (15625, 2),
    "Energy": (390625, 2),
    "EnglandZimbabwe": (576, 2),
    "Grocery": (1600, 2),
    "ItexvsCypress": (180, 2),
    "Laptop": (27, 2),
    "SupermarketB": (112896, 2),
    "Travel": (188160, 2),
    "Wholesaler": (56700, 2),
    "group2-politics": (23040, 3),
}


def domain_dir(name: str) -> Path:
    folder = GENIUS_DIR / name
    if not folder.is_dir():
        pytest.skip(
            f"the ANAC domain folder {folder} is absent (it lives in ../shared/data/genius)"
        )
    return folder


def reference_utility(profile: Path, outcome: dict[str, str]) -> float:
    """GENIUS's additive utility of {issue name: value text}, read directly from a profile file."""
    objective = ET.parse(profile).getroot().find("objective")
    assert objective is not None
    weights = {w.get("index"): float(w.get("value", "nan")) for w in objective.findall("weight")}
    total_weight = sum(weights.values())
    utility = 0.0
    for issue in objective.findall("issue"):
        evaluations = {
            i.get("value"): float(i.get("evaluation", "nan")) for i in issue.findall("item")
        }
        value = outcome[issue.get("name", "")]
        utility += (
            weights[issue.get("index")]
            / total_weight
            * evaluations[value]
            / max(evaluations.values())
        )
    return utility


def original_outcome(scenario: Scenario, index: int) -> dict[str, str]:
    """Outcome number `index` with GENIUS's issue names and value texts."""
    decoded = outcome_space(scenario).decode(index)
    out = {}
    for issue in scenario.issues:
        out[issue.name or issue.id] = issue.label(str(decoded[issue.id]))
    return out


@pytest.mark.parametrize("name", sorted(ANAC_DOMAINS))
def test_every_anac_domain_imports(name: str) -> None:
    scenario = import_genius([domain_dir(name)])
    n_outcomes, n_parties = ANAC_DOMAINS[name]
    utilities = utility_matrix(scenario)
    assert utilities.shape == (n_outcomes, n_parties)
    # GENIUS semantics: each issue's best value is worth 1, weights sum to 1 → best outcome is 1.
    np.testing.assert_allclose(utilities.max(axis=0), 1.0)
    assert utilities.min() >= 0.0
    assert [s.id for s in scenario.sources] == ["genius-domain"]
    for issue in scenario.issues:
        assert issue.name  # the original GENIUS name is kept
        assert issue.options is not None
        for option in issue.options:  # the id is the kebab form of the original text
            base = kebab(issue.label(option), option)
            assert option == base or option.startswith(base + "-")


@pytest.mark.parametrize(
    ("name", "profiles"),
    [
        ("Laptop", {"buyer": "laptop_buyer_utility.xml", "seller": "laptop_seller_utility.xml"}),
        ("Energy", {"consumer": "energy_consumer.xml", "distributor": "energy_distributor.xml"}),
        (
            "group2-politics",
            {
                "util1": "Politics_util1.xml",
                "util2": "Politics_util2.xml",
                "util3": "Politics_util3.xml",
            },
        ),
        ("Car", {"deal": "adg_deal.xml", "deal2": "adg_deal2.xml"}),
    ],
)
def test_imported_utilities_equal_hand_computed_ones(name: str, profiles: dict[str, str]) -> None:
    folder = domain_dir(name)
    scenario = import_genius([folder])
    assert scenario.party_ids == tuple(profiles)
    utilities = utility_matrix(scenario)
    rng = np.random.default_rng(20190227)
    picks = {0, utilities.shape[0] - 1, *rng.integers(0, utilities.shape[0], size=25).tolist()}
    for index in sorted(picks):
        outcome = original_outcome(scenario, index)
        for column, (party, file) in enumerate(profiles.items()):
            expected = reference_utility(folder / file, outcome)
            assert utilities[index, column] == pytest.approx(expected, abs=1e-12), (party, outcome)


def test_laptop_buyer_by_hand() -> None:
    """One outcome worked out on paper from laptop_buyer_utility.xml."""
    folder = domain_dir("Laptop")
    scenario = import_genius(
        [
            folder / "laptop_domain.xml",
            folder / "laptop_buyer_utility.xml",
            folder / "laptop_seller_utility.xml",
        ]
    )
    space = outcome_space(scenario)
    index = space.encode({"laptop": "dell", "harddisk": "60-gb", "external-monitor": "19-lcd"})
    w = (0.4452125771655631, 0.37808251708013424, 0.1767567099260568)
    # Dell 12 of max 30, 60 Gb 30 of 30, 19'' LCD 30 of 30.
    expected = (w[0] * 12 / 30 + w[1] * 1.0 + w[2] * 1.0) / sum(w)
    assert utility_matrix(scenario)[index, 0] == pytest.approx(expected, abs=1e-12)
    assert scenario.issue("external-monitor").label("19-lcd") == "19'' LCD"


def test_reservation_and_discount_follow_the_profiles() -> None:
    wholesaler = import_genius([domain_dir("Wholesaler")])
    assert {p.reservation.point for p in wholesaler.preferences.values()} == {0.5}
    laptop = import_genius([domain_dir("Laptop")])
    discount = laptop.preferences["buyer"].discount
    assert discount is not None and discount.point == pytest.approx(0.42441038)
    spread = import_genius([domain_dir("Laptop")], deadline_rounds=10)
    per_round = spread.preferences["buyer"].discount
    assert per_round is not None
    assert per_round.point**10 == pytest.approx(0.42441038)  # d over the whole deadline
    # discount_factor 1.0 means no discounting
    assert import_genius([domain_dir("Amsterdam")]).preferences["party1"].discount is None


def test_car_similarity_items_are_not_read_as_values() -> None:
    # Car's profiles nest <item value="unspecified"> inside <similarity_function>.
    car = import_genius([domain_dir("Car")])
    assert car.issue("cd-player").options == ("good", "fairly-good", "standard", "meager", "none")


def test_party_labels_drop_shared_words() -> None:
    assert party_labels(["a/camera_buyer_utility.xml", "a/camera_seller_utility.xml"]) == [
        "buyer",
        "seller",
    ]
    assert party_labels(["England.xml", "Zimbabwe.xml"]) == ["England", "Zimbabwe"]
    assert party_labels(["only_one.xml"]) == ["only one"]


def test_kebab_ids() -> None:
    assert kebab("19'' LCD", "x") == "19-lcd"
    assert kebab("Fairly Good", "x") == "fairly-good"
    assert kebab("Café crème", "x") == "cafe-creme"
    assert kebab("!!!", "option-3") == "option-3"
    assert len(kebab("a" * 200, "x")) <= 64


INTEGER_DOMAIN = """<negotiation_template><utility_space>
<objective index="0" name="Deal" type="objective">
  <issue index="1" name="Price" type="integer" lowerbound="10" upperbound="20"/>
  <issue index="2" name="Colour" type="discrete">
    <item index="1" value="Red"/><item index="2" value="Blue"/>
  </issue>
</objective></utility_space></negotiation_template>"""

INTEGER_PROFILE = """<utility_space><objective index="0" name="Deal" type="objective">
  <weight index="1" value="{w1}"/><weight index="2" value="{w2}"/>
  <issue index="1" name="Price" type="integer" lowerbound="10" upperbound="20">
    <evaluator ftype="linear" slope="{slope}" offset="{offset}"/>
  </issue>
  <issue index="2" name="Colour" type="discrete">
    <item index="1" value="Red" evaluation="{red}"/><item index="2" value="Blue" evaluation="4"/>
  </issue>
</objective><reservation value="0.2"/></utility_space>"""


def test_integer_issue_follows_genius_clipped_linear_evaluator(tmp_path: Path) -> None:
    (tmp_path / "deal_domain.xml").write_text(INTEGER_DOMAIN)
    (tmp_path / "deal_a.xml").write_text(
        INTEGER_PROFILE.format(w1=3, w2=1, slope=0.25, offset=-0.5, red=1)
    )
    (tmp_path / "deal_b.xml").write_text(
        INTEGER_PROFILE.format(w1=1, w2=1, slope=-0.1, offset=1.0, red=2)
    )
    scenario = import_genius([tmp_path])
    assert scenario.issue("price").range == (10, 20)
    utilities = utility_matrix(scenario)
    space = outcome_space(scenario)
    for price in range(10, 21):
        for colour, red_or_blue in (("red", 0), ("blue", 1)):
            row = utilities[space.encode({"price": price, "colour": colour})]
            # GENIUS EvaluatorInteger: clip(offset + slope * (x - lowerbound), 0, 1)
            a_price = min(max(-0.5 + 0.25 * (price - 10), 0.0), 1.0)
            b_price = min(max(1.0 - 0.1 * (price - 10), 0.0), 1.0)
            a_colour = (1 / 4, 1.0)[red_or_blue]
            b_colour = (2 / 4, 1.0)[red_or_blue]
            assert row[0] == pytest.approx(0.75 * a_price + 0.25 * a_colour, abs=1e-12)
            assert row[1] == pytest.approx(0.5 * b_price + 0.5 * b_colour, abs=1e-12)
    assert scenario.preferences["a"].reservation.point == 0.2
