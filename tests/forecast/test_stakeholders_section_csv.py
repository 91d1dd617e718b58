"""The `stakeholders:` section model and the CSV readers: valid input and clear errors."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from accord.errors import ScenarioError
from accord.io.stakeholders_csv import MAX_BYTES, parse_stakeholders_csv, read_stakeholders_csv
from accord.scenario.stakeholders import Stakeholders


def _section(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "dimensions": [{"id": "relief"}],
        "actors": [
            {"id": "a", "party": "usa", "capability": 10, "positions": {"relief": 20},
             "salience": {"relief": 0.5}},
            {"id": "b", "capability": {"triangular": [1, 2, 3]}, "positions": {"relief": 80},
             "salience": {"relief": 1.0}},
        ],
    }  # fmt: skip
    data.update(changes)
    return data


def test_valid_section_and_party_refs() -> None:
    section = Stakeholders.model_validate(_section())
    assert section.dimensions[0].scale == (0.0, 100.0)
    assert section.party_refs() == [(("actors", 0, "party"), "usa")]
    assert section.actors[1].capability.point == 2.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"dimensions": [{"id": "relief", "scale": [5, 5]}]}, "low < high"),
        ({"dimensions": [{"id": "relief"}, {"id": "relief"}]}, "used twice"),
    ],
)
def test_section_errors(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Stakeholders.model_validate(_section(**change))


def _actor(**kw: object) -> dict[str, object]:
    actor: dict[str, object] = {
        "id": "c", "capability": 1, "positions": {"relief": 50}, "salience": {"relief": 0.5}
    }  # fmt: skip
    actor.update(kw)
    return actor


@pytest.mark.parametrize(
    ("actor", "message"),
    [
        (_actor(capability=0), "capability must be positive"),
        (_actor(capability={"normal": [1, 1]}), "capability must lie in"),
        (_actor(positions={"relief": 150}), "position on 'relief' must lie in"),
        (_actor(salience={"relief": 1.5}), "salience on 'relief' must lie in"),
        (_actor(positions={"other": 5}, salience={"other": 0.1}), "'other' is not a dimension"),
        (_actor(salience={}), "same dimensions"),
        (_actor(id="a"), "'a' is used twice"),
    ],
)
def test_actor_errors(actor: dict[str, object], message: str) -> None:
    data = _section()
    data["actors"] = [*data["actors"], actor]  # type: ignore[misc]
    with pytest.raises(ValidationError, match=message):
        Stakeholders.model_validate(data)


def test_dimension_needs_two_actors_and_some_salience() -> None:
    data = _section(dimensions=[{"id": "relief"}, {"id": "pace"}])
    with pytest.raises(ValidationError, match="dimension 'pace': 0 actor"):
        Stakeholders.model_validate(data)
    zero = _section()
    for a in zero["actors"]:  # type: ignore[attr-defined]
        a["salience"] = {"relief": 0}
    with pytest.raises(ValidationError, match="every actor's salience is 0"):
        Stakeholders.model_validate(zero)


def test_simple_csv() -> None:
    text = "Actor,Capability,Position,Salience\nUnited States,100,20,0.9\nDPRK,40,1990,1\n"
    section = parse_stakeholders_csv(text, file="x.csv")
    assert [a.id for a in section.actors] == ["united-states", "DPRK"]
    assert section.actors[0].name == "United States"
    assert section.dimensions[0].scale == (20.0, 1990.0)  # positions off the 0-100 scale


def test_ktab_csv() -> None:
    text = (
        "Korea talks,two dims\n"
        "Actor,Description,Power,Pstn1,Sal1,Pstn2,Sal2\n"
        "USA,Washington,100,20,90,80,70\n"
        "DPRK,Pyongyang,40,90,100,15,95\n"
        "ROK,Seoul,30,60,80,45,70\n"
    )
    section = parse_stakeholders_csv(text, file="k.csv")
    assert [d.id for d in section.dimensions] == ["dim-1", "dim-2"]
    usa = section.actors[0]
    assert usa.positions["dim-2"].point == 80 and usa.salience["dim-1"].point == pytest.approx(0.9)
    assert usa.name == "USA (Washington)"


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("", ["empty"]),
        ("who,what\n1,2\n", ["unrecognised header", "line 1"]),
        ("actor,capability,position,salience\nA,1,5,0.5\nB,1,6,2\n", ["line 3", "salience"]),
        ("actor,capability,position,salience\nA,1,5,0.5\nB,-1,6,0.2\n", ["line 3", "capability"]),
        ("actor,capability,position,salience\nA,1,5,0.5\nA,1,6,0.2\n", ["line 3", "line 2"]),
        ("actor,capability,position,salience\nA,1,5,0.5\nB,1,nan,0.2\n", ["line 3", "position"]),
        ("actor,capability,position,salience\nA,1,5,0.5\nB,1\n", ["line 3", "expected 4 cells"]),
        ("actor,capability,position,salience\nA,1,5,0.5\n", ["1 actor"]),
        ("T\nActor,Description,Power,Pstn1\nA,,1,5\nB,,1,6\n", ["line 2", "pairs"]),
        ("T\nActor,Description,Power,Pstn1,Sal1\nA,,1,5,50\nB,,1,6,500\n", ["line 4", "Sal1"]),
    ],
)
def test_csv_errors_name_file_line_and_column(text: str, fragments: list[str]) -> None:
    with pytest.raises(ScenarioError) as info:
        parse_stakeholders_csv(text, file="bad.csv")
    message = str(info.value)
    assert message.startswith("bad.csv")
    for fragment in fragments:
        assert fragment in message


def test_size_limit_and_missing_file(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(b"actor,capability,position,salience\n" + b"x" * (MAX_BYTES + 1))
    with pytest.raises(ScenarioError, match="over the limit"):
        read_stakeholders_csv(big)
    with pytest.raises(ScenarioError, match="no such file"):
        read_stakeholders_csv(tmp_path / "nope.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("actor,capability,position,salience\nG\xf6del,1,2,0.5\n".encode("latin-1"))
    with pytest.raises(ScenarioError, match="UTF-8"):
        read_stakeholders_csv(latin)
