"""The compiled random streams and the block-wise, memory-bounded batch engine (issues 18, 19).

* :func:`stream_uniforms` gives NumPy's own bits (``Generator(PCG64(SeedSequence(seed,
  spawn_key=(k,))))``, the independent reference) on random seeds, spawn keys and shapes;
* the serial and the parallel kernel play the same negotiations, and both equal the scalar
  engine fed with NumPy's draws, on random setups and on the Hanoi scenario;
* results do not depend on the block size (the stream layout is per run);
* a request over the memory budget is refused before anything large is allocated, with a
  message that names the estimate and the way out; an accepted huge-deadline run stays within
  one block of draws.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

import accord.simulation.batch as batch_module
from accord.errors import EngineInputError
from accord.simulation import (
    NegotiationSetup,
    negotiate,
    parse_strategy,
    simulate_batch,
    simulate_batch_arrays,
    simulate_scalar,
)
from accord.simulation.kernel import BLOCK
from accord.simulation.setup import draws_from_streams, negotiation_draws, negotiation_streams
from accord.simulation.streams import reference_uniforms, stream_uniforms


def _assert_same(a, b) -> None:
    np.testing.assert_array_equal(a.agreement, b.agreement)
    np.testing.assert_array_equal(a.rounds, b.rounds)
    np.testing.assert_array_equal(a.end, b.end)
    np.testing.assert_array_equal(a.walked_away, b.walked_away)
    np.testing.assert_array_equal(a.utilities, b.utilities)  # bit for bit


def _numpy_draws(seed: int, start: int, stop: int, p: int, deadline: int) -> np.ndarray:
    """The reference, written out: one NumPy generator per spawned child."""
    out = np.empty((stop - start, p, deadline))
    for row, k in enumerate(range(start, stop)):
        child = np.random.SeedSequence(seed, spawn_key=(k,))
        out[row] = np.random.Generator(np.random.PCG64(child)).random((p, deadline))
    return out


# ------------------------------------------------------------------------------- streams


def test_compiled_streams_give_numpys_bits_on_random_seeds_and_keys() -> None:
    rng = np.random.default_rng(18)
    seeds = [0, 1, 2**32 - 1, 2**32, 2**64 + 5, 2**127 + 3, 2**128, 2**200 + 17]
    seeds += [int(s) for s in rng.integers(0, 2**63, size=12)]
    for seed in seeds:
        start = int(rng.choice([0, int(rng.integers(0, 5000)), 2**32 - 2, 2**40 + 1]))
        rows = int(rng.integers(1, 6))
        p, deadline = int(rng.integers(1, 4)), int(rng.integers(1, 40))
        fast = stream_uniforms(seed, start, start + rows, p, deadline)
        np.testing.assert_array_equal(fast, _numpy_draws(seed, start, start + rows, p, deadline))
    # The public helpers agree with the reference as well.
    np.testing.assert_array_equal(
        negotiation_draws(9, 30, 2, 7),
        draws_from_streams(negotiation_streams(9, 0, 30), 2, 7),
    )
    np.testing.assert_array_equal(
        reference_uniforms(9, 3, 8, 2, 7), negotiation_draws(9, 8, 2, 7)[3:]
    )


def test_streams_fill_a_reused_buffer_and_take_numpy_integer_seeds() -> None:
    buffer = np.full((6, 2, 5), -1.0)
    view = stream_uniforms(np.int64(4), 10, 13, 2, 5, out=buffer)
    assert np.shares_memory(view, buffer) and view.shape == (3, 2, 5)
    np.testing.assert_array_equal(buffer[:3], _numpy_draws(4, 10, 13, 2, 5))
    assert np.all(buffer[3:] == -1.0)  # rows past the block are left alone


def test_a_seed_numpy_refuses_is_refused_the_same_way() -> None:
    with pytest.raises(ValueError):
        np.random.SeedSequence(-1)
    with pytest.raises(ValueError):
        stream_uniforms(-1, 0, 2, 2, 3)


# ----------------------------------------------------------- kernels against the reference


def _hanoi_setup() -> tuple[NegotiationSetup, tuple[str, ...]]:
    from accord.io.scenario_file import load_scenario
    from accord.simulation.from_scenario import scenario_setup

    sim = scenario_setup(load_scenario("hanoi-2019"))
    return sim.setup, sim.party_ids


def _scalar_with_numpy_draws(setup, specs, runs: int, seed: int) -> list:
    draws = _numpy_draws(seed, 0, runs, setup.n_parties, setup.deadline)
    return [negotiate(setup, specs, draws[k], seed) for k in range(runs)]


@pytest.mark.parametrize(
    "pair",
    [("random", "boulware:e=0.2"), ("working-level", "random"), ("random", "tit-for-tat")],
)
def test_serial_and_parallel_kernels_equal_the_scalar_engine_on_hanoi(
    pair: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    setup, _ = _hanoi_setup()
    specs = [parse_strategy(s) for s in pair]
    runs = 3 * BLOCK + 5  # several parallel blocks, one of them partial
    monkeypatch.setattr(batch_module, "PARALLEL_MIN_ROUNDS", 2**62)
    serial = simulate_batch(setup, specs, runs, seed=2019)
    monkeypatch.setattr(batch_module, "PARALLEL_MIN_ROUNDS", 0)
    parallel = simulate_batch(setup, specs, runs, seed=2019)
    _assert_same(serial, parallel)
    traces = _scalar_with_numpy_draws(setup, specs, runs, 2019)
    assert serial.agreement.tolist() == [t.agreement for t in traces]
    assert serial.rounds.tolist() == [t.round for t in traces]
    assert [tuple(u) for u in serial.utilities.tolist()] == [t.utilities for t in traces]
    # The random strategy really varies between runs (the draws matter to the comparison).
    assert len(set(serial.agreement.tolist())) > 1


def test_serial_and_parallel_kernels_agree_on_random_setups(
    sim, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(1918)
    names = ["random", "boulware", "conceder", "tit-for-tat", "grit", "working-level", "hardliner"]
    for case in range(25):
        setup = sim.random_setup(rng)
        specs = [parse_strategy("random")] + [
            parse_strategy(str(rng.choice(names))) for _ in range(setup.n_parties - 1)
        ]
        runs = int(rng.integers(BLOCK + 1, 3 * BLOCK))
        monkeypatch.setattr(batch_module, "PARALLEL_MIN_ROUNDS", 2**62)
        serial = simulate_batch(setup, specs, runs, seed=case)
        monkeypatch.setattr(batch_module, "PARALLEL_MIN_ROUNDS", 0)
        _assert_same(serial, simulate_batch(setup, specs, runs, seed=case))
        if case % 5 == 0:  # the scalar engine, fed NumPy's draws, on a few of them
            traces = _scalar_with_numpy_draws(setup, specs, runs, case)
            assert serial.rounds.tolist() == [t.round for t in traces]
            assert [tuple(u) for u in serial.utilities.tolist()] == [t.utilities for t in traces]


def test_the_scalar_engine_makes_each_runs_draws_from_its_own_stream(sim) -> None:
    rng = np.random.default_rng(5)
    u, codes = sim.random_domain(rng, 2, (4, 4))
    setup = NegotiationSetup.create(u, reservation=[0.1, 0.2], deadline=15, issue_codes=codes)
    specs = [parse_strategy("random"), parse_strategy("random")]
    result = simulate_scalar(setup, specs, 12, seed=77)
    traces = _scalar_with_numpy_draws(setup, specs, 12, 77)
    assert result.agreement.tolist() == [t.agreement for t in traces]
    assert [tuple(x) for x in result.utilities.tolist()] == [t.utilities for t in traces]


# ---------------------------------------------------------------------------- block size


def test_results_do_not_depend_on_the_block_size(sim, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(19)
    u, codes = sim.random_domain(rng, 2, (5, 4, 3))
    setup = NegotiationSetup.create(
        u, reservation=[0.2, 0.1], discount=[0.97, 0.93], deadline=40, issue_codes=codes
    )
    specs = [parse_strategy("random"), parse_strategy("working-level")]
    whole = simulate_batch(setup, specs, 90, seed=4)
    assert whole.agreement.std() > 0  # the runs differ, so a shifted stream would show
    # A block of draws of one or two runs: DRAW_BLOCK_BYTES below two runs' draws.
    monkeypatch.setattr(batch_module, "DRAW_BLOCK_BYTES", 2 * 8 * 2 * 40 - 1)
    blocks: list[int] = []
    tiny = simulate_batch(setup, specs, 90, seed=4, progress=blocks.append)
    _assert_same(whole, tiny)
    assert blocks == [1] * 90


def test_per_negotiation_arrays_do_not_depend_on_the_block_size(
    sim, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(20)
    runs, deadline = 70, 18
    domains = [sim.random_domain(rng, 2, (3, 4)) for _ in range(runs)]
    u3 = np.stack([d[0] for d in domains])
    codes = domains[0][1]
    res = rng.random((runs, 2)) * 0.4  # per-negotiation tables, made block by block
    disc = rng.uniform(0.9, 1.0, (runs, 2))
    specs = [parse_strategy("random"), parse_strategy("linear")]
    whole = simulate_batch_arrays(u3, res, disc, deadline, specs, seed=8, issue_codes=codes)
    chunked = simulate_batch_arrays(
        u3, res, disc, deadline, specs, seed=8, issue_codes=codes, chunk=9
    )
    _assert_same(whole, chunked)
    monkeypatch.setattr(batch_module, "DRAW_BLOCK_BYTES", 1)  # one negotiation per block
    _assert_same(
        whole, simulate_batch_arrays(u3, res, disc, deadline, specs, seed=8, issue_codes=codes)
    )
    draws = _numpy_draws(8, 0, runs, 2, deadline)
    for k in range(0, runs, 7):
        setup = NegotiationSetup.create(u3[k], res[k], disc[k], deadline, issue_codes=codes)
        trace = negotiate(setup, specs, draws[k])
        assert (trace.agreement, trace.round) == (whole.agreement[k], whole.rounds[k])
        assert trace.utilities == tuple(whole.utilities[k])


# -------------------------------------------------------------------------------- memory


def _long_setup(deadline: int) -> NegotiationSetup:
    u = np.array([[1.0, 0.0], [0.7, 0.3], [0.5, 0.5], [0.3, 0.7], [0.0, 1.0]])
    return NegotiationSetup.create(u, deadline=deadline)


def test_a_huge_request_is_refused_before_allocating(monkeypatch: pytest.MonkeyPatch) -> None:
    setup = _long_setup(100_000)
    specs = [parse_strategy("random"), parse_strategy("hardliner")]

    def must_not_run(*args, **kwargs):
        raise AssertionError("allocated or played before refusing")

    monkeypatch.setattr(batch_module, "_empty_outputs", must_not_run)
    monkeypatch.setattr(batch_module, "stream_uniforms", must_not_run)
    tracemalloc.start()
    try:
        with pytest.raises(EngineInputError) as err:
            simulate_batch(setup, specs, 1_000_000, seed=0, budget=32 * 1024**2)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1024**2
    text = str(err.value)
    assert "1,000,000 negotiation(s) of up to 100,000 rounds" in text
    assert "memory budget of 32.0 MiB" in text
    assert "Lower the number of runs" in text and "deadline" in text
    assert "ACCORD_MEMORY_BUDGET" in text
    # The estimate it names exceeds the budget (outputs alone: 1e6 runs × 41 bytes).
    estimate = float(text.split("needs about ")[1].split(" MiB")[0])
    assert estimate > 32.0


def test_the_budget_comes_from_the_environment_through_the_engine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from accord.app.run import run_all
    from accord.io.scenario_file import load_scenario

    monkeypatch.setenv("ACCORD_MEMORY_BUDGET", "4M")
    s = load_scenario("hanoi-2019")
    settings = {
        "runs": 1_000_000,
        "strategies": {"usa": "random"},
        "matrix": False,
        "grid": False,
        "compare_information": False,
        "compare_discounting": False,
    }
    r = run_all(s, {"simulate": settings}, only=("simulate",), seed=0, uncertainty=False)
    assert "simulate" not in r.engines
    reason = r.left_out["simulate"]
    assert "1,000,000 negotiation(s)" in reason and "set by ACCORD_MEMORY_BUDGET" in reason


def test_an_accepted_long_run_holds_one_block_of_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    deadline, runs = 100_000, 24
    setup = _long_setup(deadline)
    specs = [parse_strategy("random"), parse_strategy("hardliner")]
    per_run = 8 * 2 * deadline  # 1.6 MB of draws per negotiation
    monkeypatch.setattr(batch_module, "DRAW_BLOCK_BYTES", 2 * per_run)
    tracemalloc.start()
    try:
        result = simulate_batch(setup, specs, runs, seed=1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Two runs' draws plus the kernel's copies of the setup's tables (four p × deadline rows:
    # reservations, walk-away values, discount powers, the time curve): about 9.6 MB, where
    # drawing every run at once would take runs × per_run = 38 MB.
    assert peak < 2 * per_run + 6 * 8 * 2 * (deadline + 1)
    assert peak < runs * per_run / 3
    traces = _scalar_with_numpy_draws(setup, specs, runs, 1)
    assert result.rounds.tolist() == [t.round for t in traces]
    assert result.agreement.tolist() == [t.agreement for t in traces]


def test_warm_up_loads_the_kernels_a_scenario_uses() -> None:
    from accord.simulation.batch import warm_up
    from accord.simulation.kernel import play_serial
    from accord.simulation.streams import _fill_streams

    warm_up()
    loaded = (len(play_serial.signatures), len(_fill_streams.signatures))
    assert loaded[0] >= 1 and loaded[1] >= 1
    setup, _ = _hanoi_setup()
    simulate_batch(setup, [parse_strategy("random"), parse_strategy("grit")], 40, seed=3)
    # Hanoi's batch found every kernel already loaded with its argument types.
    assert (len(play_serial.signatures), len(_fill_streams.signatures)) == loaded


def test_the_scalar_engine_refuses_over_the_budget_before_playing() -> None:
    setup = _long_setup(100_000)
    specs = [parse_strategy("random"), parse_strategy("hardliner")]
    with pytest.raises(EngineInputError, match=r"1,000,000 negotiation\(s\) of up to 100,000"):
        simulate_scalar(setup, specs, 1_000_000, seed=0, budget=1024**2)
    # Within the budget the same call shape plays (two runs, checked against NumPy's draws).
    result = simulate_scalar(setup, specs, 2, seed=0, budget=1024**3)
    traces = _scalar_with_numpy_draws(setup, specs, 2, 0)
    assert result.rounds.tolist() == [t.round for t in traces]
