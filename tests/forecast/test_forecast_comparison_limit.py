"""A forecast whose second opinion (the other expected-utility reading) is over its work limit
still stands, and says why the comparison is missing (bdm grows as actors^5)."""

from __future__ import annotations

from accord.app.run import run_all
from accord.io.scenario_file import validate_scenario


def _many_actors(n: int) -> dict:
    actors = [
        {
            "id": f"a{k}",
            "name": f"Actor {k}",
            "capability": 1 + k % 7,
            "positions": {"d": (k * 37) % 101},
            "salience": {"d": 0.2 + (k % 5) / 10},
        }
        for k in range(n)
    ]
    return {
        "accord": 1,
        "id": "many",
        "title": "Many actors",
        "stakeholders": {
            "dimensions": [{"id": "d", "name": "D", "scale": [0, 100]}],
            "actors": actors,
        },
    }


def test_an_over_limit_comparison_leaves_the_forecast_and_says_why() -> None:
    s = validate_scenario(_many_actors(60), file="many.yaml")
    run = run_all(s, {"forecast": {"model": "scholz", "compare": True}}, only=("forecast",))
    assert "forecast" in run.engines  # not left out
    texts = [f.text for f in run.engines["forecast"].findings]
    assert any(t.startswith("The other reading of the model was not run:") for t in texts)
    small = validate_scenario(_many_actors(8), file="few.yaml")
    ok = run_all(small, {"forecast": {"model": "scholz", "compare": True}}, only=("forecast",))
    assert not any("was not run" in f.text for f in ok.engines["forecast"].findings)
    assert any(f.kind == "forecast.variants" for f in ok.engines["forecast"].findings)
