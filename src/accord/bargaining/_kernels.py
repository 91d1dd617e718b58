"""Numba kernels for the hot loops; imported lazily so that ``accord --help`` stays fast.

Each kernel has a NumPy or pure-Python reference beside the code that calls it, and a test checks
that they agree.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def staircase_dominated_kernel(u: np.ndarray, p1: np.ndarray, p2: np.ndarray) -> np.ndarray:
    """For each row x of ``u`` (n, 2): is x dominated by the staircase (p1 up, p2 down)?

    Binary search for the first staircase point with p1 >= x1; that point has the largest p2 of
    all points at least as good on the first utility.
    """
    n = u.shape[0]
    m = p1.shape[0]
    out = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        x1 = u[i, 0]
        x2 = u[i, 1]
        lo = 0
        hi = m
        while lo < hi:
            mid = (lo + hi) >> 1
            if p1[mid] < x1:
                lo = mid + 1
            else:
                hi = mid
        if lo < m:
            q1 = p1[lo]
            q2 = p2[lo]
            out[i] = q2 >= x2 and (q1 > x1 or q2 > x2)
    return out
