"""Benchmark: full GMCR analysis (Nash, GMR, SMR, SEQ, SIM, SEQ+SIM, status quo) of random
conflicts, vectorised engine vs the scalar reference, measured side by side in one run.

Random conflicts: options split round-robin among decision makers, payoffs uniform integers, at
most 2^16 feasible states (a random subset when 2^options is larger).
"""

from __future__ import annotations

import time

import numpy as np

from accord.conflict.model import ConflictModel
from accord.conflict.reference import is_stable
from accord.conflict.stability import CONCEPTS, analyse

CASES = [(8, 2), (8, 3), (12, 3), (16, 2), (16, 4), (20, 4)]
REFERENCE_MAX_STATES = 256  # the per-state reference is O(n^2) per concept and state
REFERENCE_MAX_DMS = 2  # with 3 DMs the reference's SIM product takes tens of seconds
SEED = 20190228


def random_conflict(n_options: int, n_dms: int, rng: np.random.Generator) -> ConflictModel:
    total = 1 << n_options
    n_states = min(total, 1 << 16)
    codes = (
        np.sort(rng.choice(total, size=n_states, replace=False))
        if n_states < total
        else (np.arange(total))
    )
    return ConflictModel.build(
        dm_ids=tuple(f"dm{i}" for i in range(n_dms)),
        option_ids=tuple(f"o{k}" for k in range(n_options)),
        option_owner=tuple(k % n_dms for k in range(n_options)),
        codes=codes,
        payoff=rng.integers(0, 1000, size=(n_dms, codes.size)),
        status_quo=0,
    )


def main() -> None:
    streams = np.random.SeedSequence(SEED).spawn(len(CASES))
    print(f"GMCR full analysis, seed {SEED}")
    header = f"{'options':>7} {'DMs':>4} {'states':>7} {'vectorised s':>13} {'reference s':>12} "
    print(header + f"{'speed-up':>9}  skipped")
    for (n_options, n_dms), stream in zip(CASES, streams, strict=True):
        model = random_conflict(n_options, n_dms, np.random.default_rng(stream))
        start = time.perf_counter()
        result = analyse(model)
        fast = time.perf_counter() - start
        ref_text, ratio = "-", "-"
        if model.n_states <= REFERENCE_MAX_STATES and n_dms <= REFERENCE_MAX_DMS:
            start = time.perf_counter()
            for concept in CONCEPTS:
                for d in range(model.n_dms):
                    for s in range(model.n_states):
                        is_stable(model, d, s, concept)
            slow = time.perf_counter() - start
            ref_text, ratio = f"{slow:.3f}", f"{slow / fast:.0f}x"
        skipped = ",".join(result.skipped) or "-"
        print(
            f"{n_options:>7} {n_dms:>4} {model.n_states:>7} {fast:>13.3f} {ref_text:>12} "
            f"{ratio:>9}  {skipped}"
        )


if __name__ == "__main__":
    main()
