"""Batched fast path of the bargaining analysis's headline outputs over many parameter samples.

Model (DESIGN.md §3a, :mod:`accord.scenario.outcomes`): party p's utility of outcome
``o = (o_1, ..., o_J)`` is ``U_p(o) = sum_j w_pj / (sum_k w_pk) * v_pj(o_j)``, linear in the option
values and, after normalisation, in the weights. So for a batch of B samples we build each sample's
weight matrix (B, P, J), value tables (B, P, K_j) and reservations (B, P) with NumPy — substituting
the sampled columns into the point values — and broadcast the tables into the product space:
``U[b, o, p]``, shape (B, n_outcomes, P), without building a pydantic object per sample.

Headline outputs follow :func:`accord.uncertainty.registry._analyse` exactly (which calls
:func:`accord.bargaining.analyse` on a rebuilt scenario): utilities and reservations are rounded
to the same ``UTILITY_DECIMALS`` and the zone uses the same ``ZONE_ATOL``, so both paths give the
same numbers (a test checks this on random samples).

Example::

    >>> from accord.io.scenario_file import load_scenario
    >>> from accord.uncertainty.parameters import uncertain_params
    >>> s = load_scenario("hanoi-2019")
    >>> ps = [p for p in uncertain_params(s) if p.path[0] == "preferences"]
    >>> import numpy as np
    >>> out = analyse_headlines(s, ps, np.array([[p.point for p in ps]]))
    >>> out["deal_possible"].tolist()
    [1.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.bargaining.analysis import UTILITY_DECIMALS
from accord.bargaining.solutions import ZONE_ATOL
from accord.errors import EngineInputError
from accord.scenario.model import Scenario
from accord.scenario.outcomes import issue_value_table, numeric_value, require_preferences
from accord.uncertainty.parameters import UncertainParam

MAX_BATCH_ELEMENTS = 4_000_000
"""Samples are processed in chunks of at most this many utilities (about 32 MB each)."""


@dataclass(frozen=True)
class _Layout:
    """Point arrays of a scenario and where each sampled parameter goes in them."""

    weights: np.ndarray  # (P, J) raw (unnormalised) weights
    tables: tuple[np.ndarray, ...]  # per issue (P, K_j) value tables
    reservation: np.ndarray  # (P,)
    proposal_codes: tuple[tuple[int | None, ...], ...]  # per proposal, per issue: option index
    proposal_numeric: np.ndarray  # (n_proposals, P, J) numeric-issue values (0 for discrete)
    weight_cols: tuple[tuple[int, int, int], ...]  # (column, party, issue)
    value_cols: tuple[tuple[int, int, int, int], ...]  # (column, party, issue, option)
    reservation_cols: tuple[tuple[int, int], ...]  # (column, party)


def _layout(scenario: Scenario, params: Sequence[UncertainParam]) -> _Layout:
    require_preferences(scenario)
    if not scenario.issues:
        raise EngineInputError(f"scenario '{scenario.id}' has no issues to analyse")
    parties = {p: k for k, p in enumerate(scenario.party_ids)}
    issues = {i.id: j for j, i in enumerate(scenario.issues)}
    weights = np.array(
        [
            [scenario.preferences[p].weights[i.id].point for i in scenario.issues]
            for p in scenario.party_ids
        ],
        dtype=np.float64,
    )
    tables = tuple(
        np.array([issue_value_table(scenario, p, issue) for p in scenario.party_ids])
        for issue in scenario.issues
    )
    reservation = np.array(
        [scenario.preferences[p].reservation.point for p in scenario.party_ids], dtype=np.float64
    )
    codes: list[tuple[int | None, ...]] = []
    numeric = np.zeros((len(scenario.proposals), len(parties), len(issues)))
    for k, prop in enumerate(scenario.proposals):
        row: list[int | None] = []
        for j, issue in enumerate(scenario.issues):
            v = prop.outcome[issue.id]
            if issue.options is not None:
                row.append(issue.options.index(str(v)))
                continue
            row.append(None)
            for p, pid in enumerate(scenario.party_ids):
                vf = scenario.preferences[pid].values.get(issue.id)
                if vf is not None:
                    x = np.array([float(v)])
                    numeric[k, p, j] = numeric_value(issue, vf, x)[0]  # type: ignore[arg-type]
        codes.append(tuple(row))
    w_cols, v_cols, r_cols = [], [], []
    for c, prm in enumerate(params):
        path = prm.path
        if len(path) < 3 or path[0] != "preferences":
            continue  # outside preferences: does not change the analysis
        p = parties[str(path[1])]
        if path[2] == "reservation":
            r_cols.append((c, p))
        elif path[2] == "weights":
            w_cols.append((c, p, issues[str(path[3])]))
        elif path[2] == "values" and len(path) == 5:
            j = issues[str(path[3])]
            options = scenario.issues[j].options
            assert options is not None
            v_cols.append((c, p, j, options.index(str(path[4]))))
    return _Layout(
        weights, tables, reservation, tuple(codes), numeric,
        tuple(w_cols), tuple(v_cols), tuple(r_cols),
    )  # fmt: skip


def _sample_parts(
    layout: _Layout, values: np.ndarray
) -> tuple[np.ndarray, list[np.ndarray], np.ndarray]:
    """Normalised weights (B, P, J), value tables per issue (B, P, K_j), reservations (B, P)."""
    b = values.shape[0]
    w = np.repeat(layout.weights[None], b, axis=0)
    for c, p, j in layout.weight_cols:
        w[:, p, j] = values[:, c]
    total = w.sum(axis=2, keepdims=True)
    if np.any(total <= 0):
        raise EngineInputError("a sample gives a party all-zero weights; narrow the weight ranges")
    w /= total
    tables = [np.repeat(t[None], b, axis=0) for t in layout.tables]
    for c, p, j, k in layout.value_cols:
        tables[j][:, p, k] = values[:, c]
    r = np.repeat(layout.reservation[None], b, axis=0)
    for c, p in layout.reservation_cols:
        r[:, p] = values[:, c]
    return w, tables, r


def _utilities(w: np.ndarray, tables: list[np.ndarray]) -> np.ndarray:
    """U[b, o, p] by broadcasting the weighted tables into the product space (C order)."""
    b, p, m = w.shape
    acc: np.ndarray | None = None
    for j, t in enumerate(tables):
        part = (w[:, :, j, None] * t).reshape((b, p) + (1,) * j + (-1,) + (1,) * (m - j - 1))
        acc = part if acc is None else acc + part
    assert acc is not None
    return np.moveaxis(acc.reshape(b, p, -1), 1, 2)


def sample_arrays(
    scenario: Scenario, params: Sequence[UncertainParam], values: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each sample's utility matrix (B, n_outcomes, P) and reservations (B, P), unrounded."""
    layout = _layout(scenario, params)
    w, tables, r = _sample_parts(layout, np.atleast_2d(np.asarray(values, dtype=np.float64)))
    return _utilities(w, tables), r


def analyse_headlines(
    scenario: Scenario, params: Sequence[UncertainParam], values: np.ndarray
) -> dict[str, np.ndarray]:
    """The ``analyse`` headline outputs (see :mod:`accord.uncertainty.registry`) of each sample."""
    layout = _layout(scenario, params)
    values = np.atleast_2d(np.asarray(values, dtype=np.float64))
    n_samples = values.shape[0]
    n_out = int(np.prod([t.shape[1] for t in layout.tables]))
    chunk = max(1, MAX_BATCH_ELEMENTS // (n_out * len(layout.reservation)))
    columns: dict[str, list[np.ndarray]] = {}
    for start in range(0, n_samples, chunk):
        part = _chunk_headlines(scenario, layout, values[start : start + chunk])
        for key, arr in part.items():
            columns.setdefault(key, []).append(arr)
    return {key: np.concatenate(arrs) for key, arrs in columns.items()}


def _chunk_headlines(
    scenario: Scenario, layout: _Layout, values: np.ndarray
) -> dict[str, np.ndarray]:
    w, tables, r = _sample_parts(layout, values)
    u = np.round(_utilities(w, tables), UTILITY_DECIMALS)
    r = np.round(r, UTILITY_DECIMALS)
    gains = u - r[:, None, :]
    zone = (gains >= -ZONE_ATOL).all(axis=2)
    zone_size = zone.sum(axis=1)
    out = {
        "deal_possible": (zone_size > 0).astype(np.float64),
        "zone_size": zone_size.astype(np.float64),
        "best_min_gain": gains.min(axis=2).max(axis=1),
    }
    any_in = np.zeros(values.shape[0], dtype=bool)
    for k, prop in enumerate(scenario.proposals):
        pu = np.zeros_like(r)
        for j, code in enumerate(layout.proposal_codes[k]):
            # The same left-to-right sum over issues as the scalar outcome_utilities.
            v = tables[j][:, :, code] if code is not None else layout.proposal_numeric[k, :, j]
            pu = pu + w[:, :, j] * v
        pu = np.round(pu, UTILITY_DECIMALS)
        in_zone = (pu >= r - ZONE_ATOL).all(axis=1)
        any_in |= in_zone
        out[f"in_zone:{prop.id}"] = in_zone.astype(np.float64)
        out[f"margin:{prop.id}"] = (pu - r).min(axis=1)
    if scenario.proposals:
        out["any_proposal_in_zone"] = any_in.astype(np.float64)
    return out
