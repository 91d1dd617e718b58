"""The vectorised engine agrees with the plain-loop reference on random actor sets."""

import numpy as np
import pytest

from accord.forecast.expected_utility import VARIANTS, eu_round
from accord.forecast.reference import reference_round


@pytest.mark.parametrize("variant", ["scholz", "bdm"])
@pytest.mark.parametrize("seed", range(12))
def test_random_rounds_agree(variant: str, seed: int) -> None:
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    n = int(rng.integers(2, 8))
    c = rng.uniform(0.05, 1.0, n)
    s = rng.uniform(0.0, 1.0, n)
    x = rng.uniform(0.0, 100.0, n)
    if seed % 3 == 0:  # shared positions exercise the "no offers between equals" rule
        x[: n // 2] = x[0]
    span = float(x.max() - x.min()) or 1.0
    ref_x = list(x)
    batch_x = x[None, :].copy()
    prior = None
    for _ in range(4):
        ref = reference_round(ref_x, list(c), list(s), span, variant, prior)
        fast = eu_round(
            batch_x,
            c[None],
            s[None],
            np.array([span]),
            VARIANTS[variant],
            None if prior is None else np.array([prior]),
        )
        prior = list(ref.risk)
        np.testing.assert_allclose(fast.risk[0], ref.risk, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(fast.positions[0], ref.positions, rtol=1e-12, atol=1e-9)
        kinds = [None, "confrontation", "compromise", "capitulation"]
        assert [kinds[k] for k in fast.offer_kind[0]] == list(ref.offer_kind)
        ref_x, batch_x = list(ref.positions), fast.positions


def test_batch_rows_are_independent() -> None:
    # Running runs together must give each run the answer it gets alone.
    rng = np.random.default_rng(7)
    x = rng.uniform(0, 10, (5, 6))
    c = rng.uniform(0.1, 1, (5, 6))
    s = rng.uniform(0, 1, (5, 6))
    span = x.max(axis=1) - x.min(axis=1)
    together = eu_round(x, c, s, span, VARIANTS["scholz"]).positions
    for b in range(5):
        alone = eu_round(
            x[b : b + 1], c[b : b + 1], s[b : b + 1], span[b : b + 1], VARIANTS["scholz"]
        )
        np.testing.assert_array_equal(alone.positions[0], together[b])
