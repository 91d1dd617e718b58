"""Property tests on random conflicts: inclusions between concepts and the scalar reference."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.conflict.model import ConflictModel
from accord.conflict.reference import coalition_stable, improvements, is_stable
from accord.conflict.stability import CONCEPTS, analyse


@st.composite
def random_conflicts(draw: st.DrawFn, max_options: int = 6) -> ConflictModel:
    n_dms = draw(st.integers(2, 3))
    n_options = draw(st.integers(n_dms, max_options))
    owner = list(range(n_dms)) + [draw(st.integers(0, n_dms - 1)) for _ in range(n_options - n_dms)]
    all_codes = np.arange(1 << n_options)
    keep = np.array(draw(st.lists(st.booleans(), min_size=all_codes.size, max_size=all_codes.size)))
    keep[draw(st.integers(0, all_codes.size - 1))] = True
    codes = all_codes[keep]
    payoff = np.array(
        [
            draw(st.lists(st.integers(0, 5), min_size=codes.size, max_size=codes.size))
            for _ in range(n_dms)
        ]
    )
    forward = draw(st.integers(0, (1 << n_options) - 1)) if draw(st.booleans()) else 0
    backward = draw(st.integers(0, (1 << n_options) - 1)) & ~forward if draw(st.booleans()) else 0
    return ConflictModel.build(
        dm_ids=tuple(f"dm{i}" for i in range(n_dms)),
        option_ids=tuple(f"o{k}" for k in range(n_options)),
        option_owner=tuple(owner),
        codes=codes,
        payoff=payoff,
        forward_mask=forward,
        backward_mask=backward,
    )


@settings(max_examples=60, deadline=None)
@given(random_conflicts())
def test_concept_inclusions(model: ConflictModel) -> None:
    # Fang, Hipel & Kilgour (1993), Theorem 3.x: R ⊆ SMR ⊆ GMR, R ⊆ SEQ ⊆ GMR, SEQ+SIM ⊆ SIM.
    st_ = analyse(model).stable
    for sub, sup in [
        ("nash", "seq"),
        ("seq", "gmr"),
        ("nash", "smr"),
        ("smr", "gmr"),
        ("nash", "seqsim"),
        ("seqsim", "sim"),
    ]:
        assert not np.any(st_[sub] & ~st_[sup]), (sub, sup)


@settings(max_examples=60, deadline=None)
@given(random_conflicts())
def test_nash_iff_no_unilateral_improvement(model: ConflictModel) -> None:
    nash = analyse(model).stable["nash"]
    for d in range(model.n_dms):
        for s in range(model.n_states):
            assert nash[d, s] == (not improvements(model, d, s))


@settings(max_examples=40, deadline=None)
@given(random_conflicts(max_options=5))
def test_vectorised_agrees_with_reference(model: ConflictModel) -> None:
    r = analyse(model)
    for concept in CONCEPTS:
        for d in range(model.n_dms):
            for s in range(model.n_states):
                assert r.stable[concept][d, s] == is_stable(model, d, s, concept), (concept, d, s)


@settings(max_examples=30, deadline=None)
@given(random_conflicts(max_options=5))
def test_coalition_agrees_with_reference(model: ConflictModel) -> None:
    r = analyse(model, coalition=("dm0", "dm1"))
    assert r.coalition is not None
    for concept in ("nash", "gmr", "seq"):
        expected = [
            s + 1 for s in range(model.n_states) if coalition_stable(model, [0, 1], s, concept)
        ]
        assert r.coalition.stable[concept] == expected, concept


def test_three_dm_legal_sequences_matter() -> None:
    # Three decision makers, one option each. From state 2 (a moved), b then c can sanction a only
    # through the sequence b, c; a lone opponent cannot. GMR must count the two-move sanction.
    codes = np.arange(8)
    pa = np.array([5, 6, 5, 5, 5, 5, 5, 0])  # a gains by moving 1 -> 2, loses only at code 7
    model = ConflictModel.build(
        dm_ids=("a", "b", "c"),
        option_ids=("x", "y", "z"),
        option_owner=(0, 1, 2),
        codes=codes,
        payoff=np.stack([pa, np.zeros(8, int), np.zeros(8, int)]),
    )
    r = analyse(model)
    assert not r.stable["nash"][0, 0]
    assert r.stable["gmr"][0, 0]  # 1 -> 2 (a), then b: 2 -> 4 (code 3), c: -> code 7
    assert is_stable(model, 0, 0, "gmr")
