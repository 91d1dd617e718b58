"""The memory budget, the documented work limits and progress reporting (accord.budget, issue 19).

Every refusal is provoked with a small budget (``ACCORD_MEMORY_BUDGET`` or the ``budget``
argument) or just past a documented limit, never by allocating gigabytes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from accord import budget
from accord.errors import EngineInputError, ScenarioError
from accord.scenario.model import Scenario

runner = CliRunner()


# ----------------------------------------------------------------------------- the budget


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1000", 1000),
        ("4G", 4 * 1024**3),
        ("4g", 4 * 1024**3),
        ("512M", 512 * 1024**2),
        ("1.5GiB", 3 * 512 * 1024**2),
        ("2KB", 2048),
        (" 3T ", 3 * 1024**4),
    ],
)
def test_parse_size(text: str, expected: int) -> None:
    assert budget.parse_size(text) == expected


@pytest.mark.parametrize("text", ["", "lots", "4X", "-1G", "0", "1e9"])
def test_parse_size_refuses_what_is_not_a_size(text: str) -> None:
    with pytest.raises(EngineInputError, match="ACCORD_MEMORY_BUDGET"):
        budget.parse_size(text)


def test_budget_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_MEMORY_BUDGET", "3G")
    assert budget.memory_budget() == (3 * 1024**3, "set by ACCORD_MEMORY_BUDGET")


def test_default_budget_is_half_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    import resource

    monkeypatch.delenv("ACCORD_MEMORY_BUDGET", raising=False)
    if resource.getrlimit(resource.RLIMIT_AS)[0] != resource.RLIM_INFINITY:
        pytest.skip("an address-space limit is in force here")
    phys = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    assert budget.memory_budget() == (phys // 2, "half this machine's memory")


def test_address_space_limit_caps_the_default_budget() -> None:
    # Under `ulimit -v` of 1.5 GiB the budget is what the limit still leaves, below the limit.
    code = (
        "import resource; lim = 3 * 512 * 1024**2; "
        "resource.setrlimit(resource.RLIMIT_AS, (lim, lim)); "
        "from accord.budget import memory_budget; b, src = memory_budget(); "
        "print(b, b < lim, 'ulimit' in src)"
    )
    env = {k: v for k, v in os.environ.items() if k != "ACCORD_MEMORY_BUDGET"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout.split()
    assert out[1:] == ["True", "True"] and int(out[0]) > 0


def test_check_memory_states_estimate_budget_and_way_out() -> None:
    budget.check_memory(1024**2, "a small thing", "do less", budget=1024**2)  # at the budget: ok
    with pytest.raises(EngineInputError) as exc:
        budget.check_memory(3 * 1024**3, "the big thing", "Narrow the issues", budget=1024**3)
    text = str(exc.value)
    assert "the big thing needs about 3.0 GiB" in text
    assert "budget of 1.0 GiB" in text and "Narrow the issues" in text
    assert "ACCORD_MEMORY_BUDGET=4G" in text  # 1.25 × the estimate, rounded up


def test_human_units() -> None:
    assert budget.human(512) == "512 B"
    assert budget.human(3 * 1024**2) == "3.0 MiB"
    assert budget.human(5.5 * 1024**4) == "5.5 TiB"


def test_progress_scope_installs_and_restores() -> None:
    seen: list[tuple[int, int]] = []
    assert budget.current_progress() is None
    with budget.progress_scope(lambda d, t: seen.append((d, t))):
        cb = budget.resolve(None)
        assert cb is not None
        cb(1, 2)
    assert budget.current_progress() is None and seen == [(1, 2)]

    def mine(d: int, t: int) -> None:
        return None

    assert budget.resolve(mine) is mine


# ----------------------------------------------------------------------------- bargaining


def bargaining_scenario(options: int, issues: int) -> Scenario:
    rng = np.random.default_rng(3)
    ids = [f"i{k}" for k in range(issues)]
    opts = [f"o{j}" for j in range(options)]
    return Scenario.model_validate(
        {
            "accord": 1, "id": "grid", "title": "Grid",
            "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
            "issues": [{"id": i, "options": opts} for i in ids],
            "preferences": {
                p: {"weights": {i: 1 for i in ids},
                    "values": {i: {o: float(rng.random()) for o in opts} for i in ids}}
                for p in ("a", "b")
            },
        }
    )  # fmt: skip


def test_bargaining_refuses_over_budget_before_allocating(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.bargaining import analyse
    from accord.bargaining.analysis import analysis_bytes

    s = bargaining_scenario(40, 3)  # 64,000 outcomes
    assert analysis_bytes(64_000, 2) == 64_000 * (24 * 2 + 64)
    monkeypatch.setenv("ACCORD_MEMORY_BUDGET", "1M")
    with pytest.raises(EngineInputError, match=r"64,000 outcomes × 2 parties.*1\.0 MiB"):
        analyse(s)
    monkeypatch.setenv("ACCORD_MEMORY_BUDGET", "64M")
    assert analyse(s).n_outcomes == 64_000


def test_listing_the_whole_frontier_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.bargaining import analyse

    result = analyse(bargaining_scenario(10, 2))
    n = int(result.pareto.shape[0])
    assert result.to_dict()["pareto_count"] == n == len(result.to_dict()["pareto"])
    monkeypatch.setenv("ACCORD_MEMORY_BUDGET", "100")
    with pytest.raises(EngineInputError, match="--limit"):
        result.to_dict()
    assert result.to_dict(max_pareto=1)["pareto_listed"] == 1  # a capped listing still works


def _analyse_app() -> typer.Typer:
    from accord.cli.analyse import register

    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Test root."""

    register(app)
    return app


def test_analyse_json_limit() -> None:
    app = _analyse_app()
    capped = json.loads(
        runner.invoke(app, ["analyse", "divide-the-dollar", "--json", "--limit", "5"]).stdout
    )
    # Divide the dollar on a 0.01 grid: all 101 splits are efficient.
    assert (capped["pareto_count"], capped["pareto_listed"], len(capped["pareto"])) == (101, 5, 5)
    full = json.loads(
        runner.invoke(app, ["analyse", "divide-the-dollar", "--json", "--limit", "0"]).stdout
    )
    assert full["pareto_listed"] == 101 == len(full["pareto"])
    # the even sample keeps both ends of the frontier
    assert capped["pareto"][0] == full["pareto"][0] and capped["pareto"][-1] == full["pareto"][-1]
    bad = runner.invoke(app, ["analyse", "divide-the-dollar", "--json", "--limit", "-1"])
    assert bad.exit_code == 2 and "--limit" in bad.stdout


# ----------------------------------------------------------------------------- conflict


def conflict_section(n_dms: int, per: int = 2, infeasible: bool = False):  # type: ignore[no-untyped-def]
    from accord.scenario.conflict import ConflictSection

    dms = [{"id": f"d{i}", "options": [f"o{i}-{k}" for k in range(per)]} for i in range(n_dms)]
    prefs = {d["id"]: {"prioritization": [f"-o{i}-0", f"o{(i + 1) % n_dms}-1"]}
             for i, d in enumerate(dms)}  # fmt: skip
    data: dict = {"decision_makers": dms, "preferences": prefs}
    if infeasible:
        data["infeasible"] = [{"o0-0": True, "o0-1": True}]
    return ConflictSection.model_validate(data)


def test_conflict_estimate_and_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.conflict import model_from_section
    from accord.conflict.model import analysis_bytes
    from accord.conflict.stability import analyse

    # 3 decision makers with 2 options each: 64 states, each with at most 2^2 candidate moves
    # per decision maker: 32·64·4·3 kept + 64·64·4 being built + 64·64·3 per-state arrays.
    assert analysis_bytes(64, (2, 2, 2)) == 32 * 64 * 4 * 3 + 64 * 64 * 4 + 64 * 64 * 3
    # 24 options, 12 decision makers (the red team's case): far over 14 GB, refused up front.
    assert analysis_bytes(1 << 24, (2,) * 12) > 14e9
    monkeypatch.setenv("ACCORD_MEMORY_BUDGET", "10K")
    with pytest.raises(EngineInputError, match=r"64 states × 3 decision makers"):
        model_from_section(conflict_section(3))
    # with an infeasibility rule the estimate waits for the feasible states: 48 of 64
    with pytest.raises(EngineInputError, match=r"48 states × 3 decision makers"):
        model_from_section(conflict_section(3, infeasible=True))
    monkeypatch.setenv("ACCORD_MEMORY_BUDGET", "10M")
    model = model_from_section(conflict_section(3))
    monkeypatch.setenv("ACCORD_MEMORY_BUDGET", "10K")
    with pytest.raises(EngineInputError, match="stability analysis"):
        analyse(model)


def test_conflict_listing_limit_and_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.conflict import model_from_section
    from accord.conflict.stability import analyse

    result = analyse(model_from_section(conflict_section(3)))
    full, capped = result.to_dict(), result.to_dict(limit=2)
    assert full["states_count"] == 64 == len(full["states"]) == capped["states_count"]
    assert capped["states_listed"] == 2 and capped["states"] == full["states"][:2]
    assert capped["payoffs"]["d0"] == full["payoffs"]["d0"][:2]
    for concept, eq in full["equilibria"].items():
        assert capped["equilibria_count"][concept] == len(eq)
        assert capped["equilibria"][concept] == eq[:2]
    for dm, per in full["stability"].items():
        for concept, states in per.items():
            assert capped["stability_count"][dm][concept] == len(states)
    monkeypatch.setenv("ACCORD_MEMORY_BUDGET", "1K")
    with pytest.raises(EngineInputError, match="--limit"):
        result.to_dict()


def test_stability_progress_reaches_the_end() -> None:
    from accord.conflict import model_from_section
    from accord.conflict.stability import analyse

    seen: list[tuple[int, int]] = []
    with budget.progress_scope(lambda d, t: seen.append((d, t))):
        analyse(model_from_section(conflict_section(3)))
    assert seen[-1] == (6, 6) and [d for d, _ in seen] == sorted(d for d, _ in seen)


# ----------------------------------------------------------------------------- forecast


def arrays(n: int):  # type: ignore[no-untyped-def]
    from accord.forecast.engine import StakeholderArrays

    rng = np.random.default_rng(1)
    return StakeholderArrays(
        "d", tuple(f"a{i}" for i in range(n)), rng.uniform(1, 10, n), rng.uniform(0, 100, n),
        rng.uniform(0.1, 1, n),
    )  # fmt: skip


def test_forecast_work_limit_refuses_up_front() -> None:
    from accord.forecast.engine import MAX_WORK, forecast_dimension

    # 500 actors × 1000 rounds (the red team's 25 minutes): 500³ · 1001 cells, over MAX_WORK
    assert MAX_WORK < 500**3 * 1001
    with pytest.raises(EngineInputError, match=r"125,125,000,000, over the limit"):
        forecast_dimension(arrays(500), "scholz", 1000)
    # bdm's security risk is n⁵ per round: 60 actors already exceed the limit
    with pytest.raises(EngineInputError, match="bdm forecast"):
        forecast_dimension(arrays(60), "bdm", 10)
    # the static models have no rounds and are never refused for work
    assert forecast_dimension(arrays(500), "median", 1000).converged


def test_forecast_memory_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.forecast.engine import forecast_dimension, peak_bytes

    assert peak_bytes(50, "scholz") == 24 * 50**3 and peak_bytes(20, "bdm") == 24 * 20**4
    monkeypatch.setenv("ACCORD_MEMORY_BUDGET", "1M")  # 50 actors need 2.9 MiB
    with pytest.raises(EngineInputError, match="one round of the scholz forecast with 50 actors"):
        forecast_dimension(arrays(50), "scholz", 10)


def test_forecast_progress_counts_every_round() -> None:
    from accord.forecast.engine import ROUND_OVERHEAD_CELLS, forecast_dimension

    seen: list[tuple[int, int]] = []
    result = forecast_dimension(arrays(30), "scholz", 5, lambda d, t: seen.append((d, t)))
    cells = max(30**3, ROUND_OVERHEAD_CELLS)
    played = sum(1 for _ in seen)
    assert seen[0] == (cells, cells * 61) and seen[-1] == (cells * played, cells * 61)
    assert played >= len(result.rounds) - 1


# ----------------------------------------------------------------------------- sequencing


def sequencing_problem(steps: int, divisible: bool):  # type: ignore[no-untyped-def]
    from accord.scenario.sequencing import Sequencing
    from accord.sequencing import problem_from_section

    section = Sequencing.model_validate(
        {
            "max_rounds": 6,
            "parties": {
                "a": {"patience": 0.95, "trust": 0.9, "completion_value": 0.5, "detection": 1.0},
                "b": {"patience": 0.95, "trust": 0.9, "completion_value": 0.5, "detection": 1.0},
            },
            "steps": [
                {"id": f"s{k}", "owner": "ab"[k % 2], "cost": 0.1, "value": 0.2,
                 "divisible": divisible}
                for k in range(steps)
            ],
        }
    )  # fmt: skip
    return problem_from_section(section)[0]


def test_sequencing_refuses_many_indivisible_steps() -> None:
    from accord.sequencing import analyse
    from accord.sequencing.engine import MAX_INDIVISIBLE_STEPS

    with pytest.raises(EngineInputError, match=f"is {MAX_INDIVISIBLE_STEPS + 1}, over the limit"):
        analyse(sequencing_problem(MAX_INDIVISIBLE_STEPS + 1, divisible=False))


def test_sequencing_memory_budget_and_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.sequencing import analyse
    from accord.sequencing.engine import programme_bytes

    problem = sequencing_problem(4, divisible=True)
    # 4 steps × 6 rounds: 24 shares + slack + 12 elastic = 37 columns; 12 + 4 rows; 4 copies
    assert programme_bytes(problem) == 8 * 37 * 16 * 4
    seen: list[tuple[int, int]] = []
    result = analyse(problem, with_variants=False, progress=lambda d, t: seen.append((d, t)))
    assert result.schedule.feasible
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1] and len(seen) >= 3
    monkeypatch.setenv("ACCORD_MEMORY_BUDGET", "1K")
    with pytest.raises(EngineInputError, match="schedule programme of 4 steps × 6 rounds"):
        analyse(problem)


# ----------------------------------------------------------------------------- CSV


def test_ktab_csv_dimension_limit_and_progress() -> None:
    from accord.io.stakeholders_csv import MAX_DIMENSIONS, parse_stakeholders_csv

    def table(n_dims: int, n_actors: int = 3) -> str:
        head = ",".join(f"Pstn{k + 1},Sal{k + 1}" for k in range(n_dims))
        rows = "".join(
            f"a{i},d,{i + 1}," + ",".join(f"{(i * 7 + k) % 100},50" for k in range(n_dims)) + "\n"
            for i in range(n_actors)
        )
        return f"T\nActor,Description,Power,{head}\n{rows}"

    with pytest.raises(ScenarioError, match=f"{MAX_DIMENSIONS + 1:,} dimensions"):
        parse_stakeholders_csv(table(MAX_DIMENSIONS + 1), "t.csv")
    seen: list[tuple[int, int]] = []
    with budget.progress_scope(lambda d, t: seen.append((d, t))):
        section = parse_stakeholders_csv(table(2, 4), "t.csv")
    assert len(section.dimensions) == 2 and seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_monte_carlo_forecast_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.forecast.engine import monte_carlo_forecast

    # bdm on 100 actors: 100⁵ cells per run and round, 10¹³ for 100 runs × 10 rounds
    with pytest.raises(EngineInputError, match=r"10,000,000,000,000, over the limit"):
        monte_carlo_forecast(arrays(100), 100, 1, "bdm", 10)
    monkeypatch.setenv("ACCORD_MEMORY_BUDGET", "1K")  # one batch of 20 scholz runs on 20 actors
    with pytest.raises(EngineInputError, match="a batch of 20 scholz forecast runs"):
        monte_carlo_forecast(arrays(20), 20, 1, "scholz", 5)
