"""The batch engine plays exactly the scalar engine's negotiations (issue 3, deliverable 3), under
both information models and both discounting conventions (issue 12, deliverable 4)."""

from __future__ import annotations

import numpy as np
import pytest

from accord.simulation import (
    REGISTRY,
    parse_strategy,
    simulate_batch,
    simulate_batch_arrays,
    simulate_scalar,
)

BATCH_STRATEGIES = [i.name for i in REGISTRY.infos() if i.kernel is not None]


def _random_spec(rng: np.random.Generator, n_parties: int, allow_rubinstein: bool):
    names = [n for n in BATCH_STRATEGIES if n != "rubinstein" or allow_rubinstein]
    name = str(rng.choice(names))
    info = REGISTRY.get(name)
    params = []
    for p in info.params:
        if p.name == "e":
            params.append(f"e={rng.choice([0.1, 0.5, 1.0, 3.0])}")
        elif p.name == "open":
            params.append(f"open={rng.uniform(0.3, 1.0):.3f}")
        elif p.name == "step":
            params.append(f"step={rng.uniform(0.0, 0.2):.3f}")
        elif p.name == "m":
            params.append(f"m={int(rng.integers(0, 6))}")
    return parse_strategy(name + (":" + ",".join(params) if params else ""))


def _assert_same(a, b) -> None:
    np.testing.assert_array_equal(a.agreement, b.agreement)
    np.testing.assert_array_equal(a.rounds, b.rounds)
    np.testing.assert_array_equal(a.end, b.end)
    np.testing.assert_array_equal(a.walked_away, b.walked_away)
    np.testing.assert_array_equal(a.utilities, b.utilities)  # bit for bit


def test_batch_equals_scalar_on_many_random_scenarios(sim) -> None:
    rng = np.random.default_rng(20190228)
    outcomes_seen = set()
    models_seen = set()
    for case in range(250):
        setup = sim.random_setup(rng)
        specs = [
            _random_spec(rng, setup.n_parties, allow_rubinstein=setup.n_parties == 2)
            for _ in range(setup.n_parties)
        ]
        runs = 3 if any(s.info.stochastic for s in specs) else 1
        scalar = simulate_scalar(setup, specs, runs=runs, seed=case)
        batch = simulate_batch(setup, specs, runs=runs, seed=case)
        _assert_same(scalar, batch)
        outcomes_seen.update(int(e) for e in scalar.end)
        models_seen.add((setup.information, setup.discounting))
    # The random cases must exercise every way a negotiation can end, under every model.
    assert outcomes_seen == {0, 1, 2}
    assert len(models_seen) == 4


@pytest.mark.parametrize("name", BATCH_STRATEGIES)
def test_batch_equals_scalar_for_each_strategy_in_self_play(name: str, sim) -> None:
    rng = np.random.default_rng(7)
    u, codes = sim.random_domain(rng, 2, (4, 5, 3))
    from accord.simulation import NegotiationSetup

    setup = NegotiationSetup.create(
        u, reservation=[0.2, 0.3], discount=[0.95, 0.9], deadline=30, issue_codes=codes
    )
    specs = [parse_strategy(name), parse_strategy("linear")]
    _assert_same(simulate_scalar(setup, specs, 5, 3), simulate_batch(setup, specs, 5, 3))


MODELS = [
    ("beliefs", "deals-and-walkaway", None),
    ("beliefs", "deals-only", [[0.0, 0.45], [0.3, 0.0]]),
    ("complete", "deals-and-walkaway", None),
    ("complete", "deals-only", None),
]


@pytest.mark.parametrize("information,discounting,believed", MODELS)
@pytest.mark.parametrize("pair", [("boulware", "random"), ("rubinstein", "tit-for-tat")])
def test_per_negotiation_arrays_equal_scalar(
    sim, information: str, discounting: str, believed, pair: tuple[str, str]
) -> None:
    rng = np.random.default_rng(11)
    runs = 40
    domains = [sim.random_domain(rng, 2, (3, 4, 2)) for _ in range(runs)]
    u3 = np.stack([d[0] for d in domains])
    u3[1] = u3[0]  # equal neighbours share their beliefs
    codes = domains[0][1]
    res = rng.random((runs, 2)) * 0.4
    disc = rng.uniform(0.9, 1.0, (runs, 2))
    specs = [parse_strategy(name) for name in pair]
    model = {
        "information": information,
        "discounting": discounting,
        "believed_reservation": believed,
    }
    batch = simulate_batch_arrays(u3, res, disc, 25, specs, seed=5, issue_codes=codes, **model)
    from accord.simulation import NegotiationSetup, negotiate, negotiation_draws

    draws = negotiation_draws(5, runs, 2, 25)
    for k in range(runs):
        setup = NegotiationSetup.create(u3[k], res[k], disc[k], 25, issue_codes=codes, **model)
        trace = negotiate(setup, specs, draws[k])
        assert trace.agreement == batch.agreement[k]
        assert trace.round == batch.rounds[k]
        assert trace.utilities == tuple(batch.utilities[k])  # bit for bit


def test_chunking_and_seed_give_the_same_runs(sim) -> None:
    rng = np.random.default_rng(3)
    u, codes = sim.random_domain(rng, 2, (5, 5))
    from accord.simulation import NegotiationSetup

    setup = NegotiationSetup.create(u, deadline=20, issue_codes=codes)
    specs = [parse_strategy("random"), parse_strategy("conceder")]
    whole = simulate_batch(setup, specs, 50, seed=9)
    chunked = simulate_batch(setup, specs, 50, seed=9, chunk=7)
    _assert_same(whole, chunked)
    other_seed = simulate_batch(setup, specs, 50, seed=10)
    assert not np.array_equal(whole.agreement, other_seed.agreement)


def test_streams_are_the_children_of_one_spawn() -> None:
    from accord.simulation.setup import negotiation_streams

    spawned = np.random.SeedSequence(42).spawn(12)
    direct = negotiation_streams(42, 5, 12)
    for a, b in zip(spawned[5:], direct, strict=True):
        assert np.array_equal(a.generate_state(4), b.generate_state(4))


def test_batch_equals_scalar_on_large_clustered_domains(sim) -> None:
    """Domains up to 1,000 outcomes with heavy ties, near-equal clusters and tiny scales: the
    batch engine's bucketed ranking (second scan, crowded-bucket fallback) must still play
    exactly the scalar engine's negotiations."""
    from accord.simulation import NegotiationSetup

    rng = np.random.default_rng(11)
    for case in range(60):
        n_parties = int(rng.choice([2, 2, 3]))
        sizes = tuple(int(s) for s in rng.integers(5, 11, size=3))
        u, codes = sim.random_domain(rng, n_parties, sizes)
        mode = case % 4
        if mode == 1:
            u = np.round(u, 1)  # heavy ties
        elif mode == 2:  # many near-equal utilities at the top
            u = np.where(rng.random(u.shape) < 0.5, 1.0 - 1e-12 * rng.random(u.shape), u)
        elif mode == 3:
            u = u * 1e-300  # a tiny scale
        setup = NegotiationSetup.create(
            u,
            reservation=rng.random(n_parties) * (0.3 if mode != 3 else 0.0),
            discount=np.where(rng.random(n_parties) < 0.5, 1.0, rng.uniform(0.9, 1.0, n_parties)),
            deadline=int(rng.integers(5, 120)),
            opener=int(rng.integers(n_parties)),
            issue_codes=codes,
            information=("beliefs", "complete")[case % 2],
            discounting=("deals-and-walkaway", "deals-only")[(case // 2) % 2],
        )
        specs = [
            _random_spec(rng, n_parties, allow_rubinstein=n_parties == 2) for _ in range(n_parties)
        ]
        runs = 3 if any(s.info.stochastic for s in specs) else 1
        _assert_same(
            simulate_scalar(setup, specs, runs, case), simulate_batch(setup, specs, runs, case)
        )
