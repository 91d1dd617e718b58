"""Builders of random negotiation domains shared by the simulation tests (``sim`` fixture)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from accord.simulation.setup import NegotiationSetup


def random_domain(rng: np.random.Generator, n_parties: int, sizes: tuple[int, ...]):
    """Linear-additive utilities on the product of issues with ``sizes`` values each.

    Returns (utilities (n, p), issue_codes (n, k)); outcomes in C order.
    """
    grids = np.meshgrid(*[np.arange(s) for s in sizes], indexing="ij")
    codes = np.stack([g.reshape(-1) for g in grids], axis=1)
    u = np.zeros((codes.shape[0], n_parties))
    for p in range(n_parties):
        weights = rng.dirichlet(np.ones(len(sizes)))
        for k, s in enumerate(sizes):
            values = rng.random(s)
            values /= values.max()
            u[:, p] += weights[k] * values[codes[:, k]]
    return u, codes


def random_setup(rng: np.random.Generator) -> NegotiationSetup:
    """A random domain with random reservations, discounts, deadline, opener and plan Bs, either
    information model (with or without explicit beliefs) and either discounting convention."""
    n_parties = int(rng.choice([2, 2, 3]))
    sizes = tuple(int(s) for s in rng.integers(2, 6, size=int(rng.integers(1, 4))))
    u, codes = random_domain(rng, n_parties, sizes)
    if rng.random() < 0.3:  # ties in utility exercise the tie-breaks
        u = np.round(u, 1)
    deadline = int(rng.integers(1, 40))
    outside = []
    for _ in range(int(rng.integers(0, 3))):
        outside.append(
            (int(rng.integers(n_parties)), int(rng.integers(1, deadline + 2)), float(rng.random()))
        )
    information = str(rng.choice(["beliefs", "complete"]))
    believed = None
    if information == "beliefs" and rng.random() < 0.5:  # a scenario's information: section
        believed = rng.random((n_parties, n_parties))
    return NegotiationSetup.create(
        u,
        reservation=rng.random(n_parties) * 0.5,
        discount=np.where(rng.random(n_parties) < 0.5, 1.0, rng.uniform(0.8, 1.0, n_parties)),
        deadline=deadline,
        opener=int(rng.integers(n_parties)),
        outside_options=outside,
        issue_codes=codes,
        information=information,
        discounting=str(rng.choice(["deals-and-walkaway", "deals-only"])),
        believed_reservation=believed,
    )


@pytest.fixture
def sim() -> SimpleNamespace:
    """The builders above, for tests (pytest's importlib mode does not put tests on sys.path)."""
    return SimpleNamespace(random_domain=random_domain, random_setup=random_setup)
