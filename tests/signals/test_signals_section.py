"""The ``signals:`` section: parsing, the Hanoi games, and every bad input of issue item 7."""

from __future__ import annotations

import copy

import pytest
import yaml

from accord.errors import EngineInputError, ScenarioError
from accord.io.scenario_file import load_scenario, parse_scenario
from accord.signals import analyse_game, findings, game_from_section, select_games, solve

TYPES = ["resolved", "eager"]
MESSAGES = ["walk-away", "sign-partial-deal"]
ACTIONS = ["offer-more", "hold-firm"]


def base() -> dict:
    rows = [
        {"type": t, "message": m, "action": a, "sender": 1, "receiver": 0}
        for t in TYPES
        for m in MESSAGES
        for a in ACTIONS
    ]
    return {
        "accord": 1,
        "id": "toy-signals",
        "title": "Toy",
        "parties": [{"id": "usa", "name": "United States"}, {"id": "dprk", "name": "DPRK"}],
        "signals": [
            {
                "id": "walk-away",
                "title": "What walking away tells Pyongyang",
                "sender": "usa",
                "receiver": "dprk",
                "types": [{"id": "resolved", "prior": 0.5}, {"id": "eager", "prior": 0.5}],
                "messages": list(MESSAGES),
                "actions": list(ACTIONS),
                "payoffs": rows,
            }
        ],
    }


def parse(data: dict):
    return parse_scenario(yaml.safe_dump(data, sort_keys=False), file="toy.yaml")


def error_of(data: dict) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        parse(data)
    return info.value


def test_the_issue_layout_parses() -> None:
    s = parse(base())
    game = game_from_section(s.signals[0])
    assert game.shape == (2, 2, 2)
    assert game.prior.tolist() == [0.5, 0.5]


def test_one_type_may_take_the_rest_of_the_prior() -> None:
    data = base()
    data["signals"][0]["types"] = [{"id": "resolved", "prior": 0.3}, {"id": "eager"}]
    game = game_from_section(parse(data).signals[0])
    assert game.prior.tolist() == pytest.approx([0.3, 0.7])


def _assert_names(err: ScenarioError, *words: str) -> None:
    text = str(err)
    assert text.startswith("toy.yaml") and "field 'signals" in text, text
    for w in words:
        assert w in text, text


def test_missing_payoff_row() -> None:
    data = base()
    data["signals"][0]["payoffs"].pop(3)
    err = error_of(data)
    _assert_names(err, "missing", "type resolved, message sign-partial-deal, action hold-firm")
    assert err.file == "toy.yaml" and err.field and err.field.startswith("signals")


def test_payoff_row_given_twice() -> None:
    data = base()
    data["signals"][0]["payoffs"].append(dict(data["signals"][0]["payoffs"][0]))
    _assert_names(error_of(data), "repeats", "payoffs[8]", "payoffs[0]")


@pytest.mark.parametrize(
    ("priors", "words"),
    [
        ([0.5, 0.6], ["sum to 1.1", "not 1"]),
        ([0.5, 0.5 + 1e-8], ["not 1"]),
        ([-0.1, 1.1], ["prior of type 'resolved' is negative", "give a number in [0, 1]"]),
    ],
)
def test_bad_priors(priors, words) -> None:
    data = base()
    for t, p in zip(data["signals"][0]["types"], priors, strict=True):
        t["prior"] = p
    _assert_names(error_of(data), *words)


def test_priors_within_1e9_are_accepted() -> None:
    data = base()
    data["signals"][0]["types"][1]["prior"] = 0.5 + 1e-10
    assert parse(data).signals is not None


@pytest.mark.parametrize(
    ("key", "value", "word"),
    [
        ("type", "timid", "type 'timid'"),
        ("message", "tweet", "message 'tweet'"),
        ("action", "shrug", "action 'shrug'"),
    ],
)
def test_unknown_type_message_or_action(key, value, word) -> None:
    data = base()
    data["signals"][0]["payoffs"][2][key] = value
    _assert_names(error_of(data), word, "payoffs[2]", "use one of")


@pytest.mark.parametrize("role", ["sender", "receiver"])
def test_sender_or_receiver_not_a_party(role) -> None:
    data = base()
    data["signals"][0][role] = "china"
    err = error_of(data)
    assert err.field == f"signals[0].{role}"
    _assert_names(err, "'china' is not a party", "usa, dprk")


def test_duplicate_ids() -> None:
    data = base()
    data["signals"][0]["messages"] = ["walk-away", "walk-away"]
    _assert_names(error_of(data), "messages ids must be unique", "walk-away")
    data = base()
    data["signals"].append(copy.deepcopy(data["signals"][0]))
    _assert_names(error_of(data), "game ids must be unique", "walk-away")
    data = base()
    data["signals"][0]["types"] = [{"id": "resolved", "prior": 0.5}, {"id": "resolved"}]
    _assert_names(error_of(data), "types ids must be unique")


def test_a_game_over_5_by_5_by_5_is_refused_with_its_sizes() -> None:
    data = base()
    game = data["signals"][0]
    game["types"] = [{"id": f"t{k}", "prior": 1 / 6} for k in range(6)]
    game["types"][-1].pop("prior")
    game["payoffs"] = []
    _assert_names(error_of(data), "6 types, 2 messages and 2 actions", "at most 5")


def test_sender_equal_to_receiver_is_refused() -> None:
    data = base()
    data["signals"][0]["receiver"] = "usa"
    _assert_names(error_of(data), "both 'usa'")


def test_missing_section_and_unknown_game_are_engine_errors() -> None:
    with pytest.raises(EngineInputError, match="no 'signals:' section"):
        select_games(None)
    with pytest.raises(EngineInputError, match="use one of: walk-away"):
        select_games(parse(base()).signals, "nope")


# --- the Hanoi games: expected equilibria derived by hand from the payoffs in the file --------


@pytest.fixture(scope="module")
def hanoi():
    s = load_scenario("hanoi-2019")
    names = {p.id: p.name for p in s.parties}
    return {g.id: analyse_game(g, names) for g in select_games(s.signals)}


def test_hanoi_walk_away_separates(hanoi) -> None:
    # resolved: walk→offer-more 3 beats sign→hold-firm 0; eager: sign→hold-firm 2 beats
    # walk→offer-more 1.5. DPRK offers more only if P(resolved) >= 2/3 (0.5q >= 1 - q), so no
    # pooling survives: the separating profile is the only pure equilibrium.
    a = hanoi["walk-away"]
    sol = a.solution
    assert sol.count == 1
    eq = sol.equilibria[0]
    assert eq.kind == "separating" and eq.sender == (0, 1) and eq.receiver == (0, 1)
    # the separation holds while the eager type's walk-away payoff stays below 2
    top = a.thresholds[0]
    assert (top.target, top.type, top.message, top.action) == ("sender", 1, 0, 0)
    assert top.needed == pytest.approx(2.0, abs=1e-6)
    texts = [f["text"] for f in findings(a)]
    assert any(
        "'walk away' separates a resolved United States from an eager one" in t for t in texts
    )


def test_hanoi_moratorium_is_cheap_talk_that_moves_no_belief(hanoi) -> None:
    # both types get 2 from relief and 0 without, whatever cheap gesture; the US grants relief
    # only if P(committed) >= 1/2 > 0.4; Yongbyon costs the stalling type 1 < 2, so it would
    # mimic a committed DPRK: pooling on no gesture or on the moratorium, sanctions kept.
    a = hanoi["moratorium"]
    sol = a.solution
    assert sol.count == 2 and {e.sender for e in sol.equilibria} == {(0, 0), (1, 1)}
    assert all(e.receiver == (1, 1, 1) and e.intuitive for e in sol.equilibria)
    reading = a.messages[1]
    assert reading.cost_kind == "cheap" and reading.shift == pytest.approx(0.0)
    assert a.messages[2].cost_kind == "sunk" and not a.messages[2].separates
    # Yongbyon separates once it costs a stalling DPRK as much as relief is worth (payoff 1 → 0)
    cell = [
        t for t in a.thresholds if (t.target, t.type, t.message, t.action) == ("sender", 1, 2, 0)
    ]
    assert cell and cell[0].needed == pytest.approx(0.0, abs=1e-6)
    texts = " ".join(f["text"] for f in findings(a))
    assert "'keep the test moratorium' is cheap talk" in texts and "moves no belief" in texts


def test_solution_json_has_the_issue_keys(hanoi) -> None:
    data = hanoi["walk-away"].to_dict()
    eq = data["equilibria"][0]
    assert eq["sender"] == {"resolved": "walk-away", "eager": "sign-partial-deal"}
    assert eq["receiver"] == {"walk-away": "offer-more", "sign-partial-deal": "hold-firm"}
    for key in ("kind", "posteriors", "off_path_beliefs", "payoffs", "intuitive"):
        assert key in eq
    assert solve(hanoi["walk-away"].game).separating_exists


def test_hanoi_moratorium_receiver_threshold_from_the_grid_scan(hanoi) -> None:
    # T = 2 < M = 3, so receiver payoffs are scanned on a grid. Once the US would keep the
    # sanctions even against a DPRK known to be committed (its payoff from relief after no gesture
    # falls below 0), "committed: no gesture, stalling: moratorium, sanctions after both" is a
    # separating equilibrium: the switch is at exactly 0.
    a = hanoi["moratorium"]
    cell = [
        t for t in a.thresholds if (t.target, t.type, t.message, t.action) == ("receiver", 0, 0, 0)
    ]
    assert cell and cell[0].needed == pytest.approx(0.0, abs=1e-6) and cell[0].becomes
