"""Pareto frontier: fast implementations against the O(n²) brute-force definition."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from accord.bargaining.frontier import (
    dominated_by_any,
    pareto_mask,
    pareto_mask_2d,
    pareto_mask_reference,
    pareto_mask_skyline,
    staircase_dominated,
    staircase_dominated_numpy,
)
from accord.errors import EngineInputError


def grid_utilities(max_parties: int, min_parties: int = 1) -> st.SearchStrategy[np.ndarray]:
    """Utilities on a coarse grid (0, 0.25, ..., 1) so that ties and duplicates are frequent."""
    return st.tuples(st.integers(1, 60), st.integers(min_parties, max_parties)).flatmap(
        lambda shape: arrays(np.int64, shape, elements=st.integers(0, 4)).map(lambda a: a / 4.0)
    )


@settings(max_examples=200, deadline=None)
@given(grid_utilities(max_parties=2, min_parties=2))
def test_two_party_frontier_equals_brute_force(u: np.ndarray) -> None:
    expected = pareto_mask_reference(u)
    assert np.array_equal(pareto_mask(u), expected)
    assert np.array_equal(pareto_mask_2d(u), expected)


@settings(max_examples=150, deadline=None)
@given(grid_utilities(max_parties=5, min_parties=3))
def test_many_party_skyline_equals_brute_force(u: np.ndarray) -> None:
    expected = pareto_mask_reference(u)
    assert np.array_equal(pareto_mask(u), expected)
    assert np.array_equal(pareto_mask_skyline(u, block=7), expected)


@settings(max_examples=100, deadline=None)
@given(grid_utilities(max_parties=4))
def test_continuous_ties_and_one_party(u: np.ndarray) -> None:
    # Add a random-looking but deterministic perturbation to half the rows: mixes exact ties with
    # distinct values.
    perturbed = u.copy()
    perturbed[::2] += np.sin(np.arange(perturbed[::2].size)).reshape(perturbed[::2].shape) * 1e-3
    assert np.array_equal(pareto_mask(perturbed), pareto_mask_reference(perturbed))


@settings(max_examples=100, deadline=None)
@given(grid_utilities(max_parties=2, min_parties=2), st.integers(1, 8))
def test_prefilter_path_equals_brute_force(u: np.ndarray, sample: int) -> None:
    # Force the staircase pre-filter on small inputs so the brute force can check it.
    fast = pareto_mask_2d(u, prefilter_min=1, sample_size=sample, skip_fraction=1.0)
    assert np.array_equal(fast, pareto_mask_reference(u))


def test_compiled_staircase_matches_numpy_reference() -> None:
    rng = np.random.default_rng(np.random.SeedSequence(7))
    u = rng.integers(0, 20, size=(5000, 2)) / 19.0
    stair_mask = pareto_mask_reference(u[:200])
    stair = np.unique(u[:200][stair_mask], axis=0)
    p1, p2 = stair[:, 0].copy(), stair[:, 1].copy()
    assert np.array_equal(staircase_dominated(u, p1, p2), staircase_dominated_numpy(u, p1, p2))


def test_large_two_party_space_against_skyline() -> None:
    # Above the pre-filter threshold the brute force is too slow; the skyline is an independent
    # algorithm (sum-sorted block nested loops, no staircase, no running maximum).
    rng = np.random.default_rng(np.random.SeedSequence(11))
    u = rng.integers(0, 60, size=(50_000, 2)) / 59.0
    assert np.array_equal(pareto_mask_2d(u), pareto_mask_skyline(u))


def test_hand_checked_examples() -> None:
    u = np.array([[1.0, 0.0], [0.5, 0.5], [0.4, 0.4], [0.5, 0.5], [0.0, 1.0], [0.5, 0.4]])
    # (0.4, 0.4) and (0.5, 0.4) are dominated by (0.5, 0.5); both copies of (0.5, 0.5) stay.
    assert pareto_mask(u).tolist() == [True, True, False, True, True, False]
    three = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.3, 0.3, 0.3], [0.2, 0.3, 0.3]])
    assert pareto_mask(three).tolist() == [True, True, True, True, False]
    assert pareto_mask(np.array([[0.2], [0.7], [0.7]])).tolist() == [False, True, True]
    assert pareto_mask(np.zeros((0, 2))).tolist() == []


def test_all_pareto_worst_case_is_all_on_frontier() -> None:
    x = np.random.default_rng(np.random.SeedSequence(3)).permutation(np.linspace(0, 1, 40_001))
    u = np.stack([x, 1.0 - x], axis=1)
    assert pareto_mask(u).all()


def test_dominated_by_any_for_off_grid_points() -> None:
    u = np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]])
    points = np.array([[0.5, 0.5], [0.45, 0.5], [0.6, 0.45], [0.2, 0.2]])
    assert dominated_by_any(points, u).tolist() == [False, True, False, True]


@pytest.mark.parametrize(
    "bad",
    [np.array([0.1, 0.2]), np.array([[np.nan, 0.1]]), np.array([[np.inf, 0.0]]), np.zeros((3, 0))],
)
def test_bad_matrices_are_refused_clearly(bad: np.ndarray) -> None:
    with pytest.raises(EngineInputError, match="utilities"):
        pareto_mask(bad)


def test_non_numeric_input_is_refused_clearly() -> None:
    with pytest.raises(EngineInputError, match="numeric"):
        pareto_mask([["a", "b"]])  # type: ignore[arg-type]
