"""Figures against independent references: brute-force Pareto sets, closed-form solutions, the
prisoner's dilemma of the GMCR literature, and the structure a reader relies on (markers named,
labels apart, plain text)."""

from __future__ import annotations

import html
from itertools import pairwise

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from accord.report import compute_sections, section_views
from accord.report.figures import (
    BASIC_TRACE_TYPES,
    concession_curves,
    conflict_graph,
    negotiation_dance,
    outcome_distribution,
    plain,
    strategy_matrix,
    utility_matrix,
    utility_space,
)
from accord.scenario.model import Scenario

EVIL = '<a href="https://x">x</a> <b style="color:red">b</b>'


def brute_force_pareto(u: np.ndarray) -> set[int]:
    """Definition: i is efficient iff no j is >= on both and > on one (O(n²) loops)."""
    out = set()
    for i in range(u.shape[0]):
        dominated = any(
            (u[j] >= u[i]).all() and (u[j] > u[i]).any() for j in range(u.shape[0]) if j != i
        )
        if not dominated:
            out.add(i)
    return out


@settings(max_examples=30, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 40), st.just(2)), elements=st.floats(0, 1)))
def test_frontier_drawn_is_the_brute_force_pareto_set(u):
    from accord.bargaining import pareto_mask

    front = np.flatnonzero(pareto_mask(u))
    fig = utility_space(u, ("A", "B"), reservation=np.zeros(2), pareto=front)
    trace = next(t for t in fig.data if t.name == "Pareto frontier")
    drawn = {(float(x), float(y)) for x, y in zip(trace.x, trace.y, strict=True)}
    expected = {(float(u[i, 0]), float(u[i, 1])) for i in brute_force_pareto(u)}
    assert drawn == expected
    # Drawn left to right so the staircase line does not cross itself.
    assert list(trace.x) == sorted(trace.x)


@settings(max_examples=25, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 30), st.integers(3, 4)),
        elements=st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0, 0.3, 0.6]),
    )
)
def test_each_panel_of_the_scatter_matrix_draws_that_pairs_pareto_set(u):
    from accord.bargaining import pareto_mask

    k = u.shape[1]
    fig = utility_matrix(
        u,
        [f"P{j}" for j in range(k)],
        reservation=np.zeros(k),
        pareto=np.flatnonzero(pareto_mask(u)),
    )
    panels = [t for t in fig.data if t.name == "Pareto frontier of the pair"]
    assert sorted(tuple(t.meta["pair"]) for t in panels) == [
        (i, j) for i in range(k) for j in range(k) if i < j
    ]
    for t in panels:
        i, j = t.meta["pair"]
        drawn = {(float(x), float(y)) for x, y in zip(t.x, t.y, strict=True)}
        expected = {(float(u[a, i]), float(u[a, j])) for a in brute_force_pareto(u[:, [i, j]])}
        assert drawn == expected
        # A two-party frontier falls to the right: never up and to the right.
        assert list(t.x) == sorted(t.x)
        assert all(b <= a for a, b in pairwise(t.y))
    # The n-party efficient set is drawn too, and called a projection.
    assert any("projection" in (t.name or "") for t in fig.data)


def _split(r1: float, r2: float) -> Scenario:
    return Scenario.model_validate(
        {
            "accord": 1,
            "id": "split",
            "title": "Split",
            "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
            "issues": [{"id": "share", "range": [0, 1], "step": 0.01}],
            "preferences": {
                "a": {
                    "weights": {"share": 1},
                    "values": {"share": "increasing"},
                    "reservation": r1,
                },
                "b": {
                    "weights": {"share": 1},
                    "values": {"share": "decreasing"},
                    "reservation": r2,
                },
            },
        }
    )


def test_coinciding_solutions_are_one_marker_named_after_all_of_them():
    # On x + y = 1 with reservations (0.1, 0.3): Nash (1950) maximises (x - 0.1)(0.7 - x) → 0.4;
    # Kalai–Smorodinsky (1975) equalises the gains relative to the ideal (0.6 each) → 0.4;
    # the egalitarian solution equalises the gains → 0.4. Three solutions on one point.
    data = compute_sections(_split(0.1, 0.3), only=("analyse",))
    view = section_views(data)[0]
    fig = dict(view.figures)["utility-space"]
    markers = [t for t in fig.data if t.meta and "solutions" in t.meta]
    at = next(t for t in markers if "nash" in t.meta["solutions"])
    assert {"nash", "kalai_smorodinsky", "egalitarian"} <= set(at.meta["solutions"])
    for label in ("Nash", "Kalai–Smorodinsky", "Egalitarian"):
        assert label in at.name
    assert np.isclose(at.x[0], 0.4) and np.isclose(at.y[0], 0.6)
    # Every solution the engine found is named by exactly one marker, and no two markers sit on
    # the same point (so none hides another).
    engine = {n for n, i in data.engine("analyse").result.result.solutions if i is not None}
    named = [n for t in markers for n in t.meta["solutions"]]
    assert sorted(named) == sorted(engine)
    points = [(t.x[0], t.y[0]) for t in markers]
    assert len(set(points)) == len(points)
    zone = fig.layout.shapes[0]
    assert (zone.x0, zone.y0) == (0.1, 0.3)
    # The zone holds x in [0.1, 0.7]: 61 grid points, as the finding says.
    assert "61 of 101 packages" in view.findings[0]
    # The solutions table names each concept once, with the package in words.
    table = next(t for t in view.tables if t.name == "solutions")
    nash = next(r for r in table.rows if r[0] == "Nash")
    assert nash[1] == "share: 0.4" and nash[2:] == ("0.400", "0.600")


def test_solution_markers_group_by_outcome():
    u = np.array([[0.2, 0.8], [0.5, 0.5], [0.8, 0.2]])
    fig = utility_space(
        u,
        ("A", "B"),
        reservation=np.zeros(2),
        pareto=np.arange(3),
        solutions={"nash": 1, "utilitarian": 1, "egalitarian": 1, "kalai_smorodinsky": 2},
        proposals=[("offer", (0.5, 0.5))],
    )
    markers = [t for t in fig.data if t.meta and "solutions" in t.meta]
    assert [t.name for t in markers] == ["Nash = Utilitarian = Egalitarian", "Kalai–Smorodinsky"]
    # A proposal on a solution is an open ring larger than the solution's marker.
    prop = next(t for t in fig.data if t.name == "proposal: offer")
    assert prop.marker.symbol == "circle-open" and prop.marker.size > markers[0].marker.size


def test_concession_curves_plot_each_partys_own_offers_and_labels_stay_apart():
    # Alternating offers: A proposes in odd rounds, B in even ones.
    proposers = [0, 1, 0, 1, 0, 1]
    u = np.array([[1.0, 0.1], [0.2, 1.0], [0.9, 0.3], [0.3, 0.9], [0.8, 0.5], [0.5, 0.8]])
    fig = concession_curves(u, proposers, ["A", "B"], reservation=np.array([0.5, 0.5]))
    a = next(t for t in fig.data if t.name.startswith("offers by A"))
    b = next(t for t in fig.data if t.name.startswith("offers by B"))
    assert list(a.x) == [1, 3, 5] and list(a.y) == [1.0, 0.9, 0.8]
    assert list(b.x) == [2, 4, 6] and list(b.y) == [1.0, 0.9, 0.8]
    # Equal reservations: the two labels are at opposite ends of the line.
    labels = [x for x in fig.layout.annotations if "reservation" in x.text]
    assert len(labels) == 2 and labels[0].x != labels[1].x
    # Three parties with one value: still no two labels at the same place.
    fig3 = concession_curves(
        np.tile([0.5, 0.5, 0.5], (3, 1)), [0, 1, 2], ["A", "B", "C"], reservation=np.full(3, 0.4)
    )
    places = [(x.x, x.y, x.yshift) for x in fig3.layout.annotations if "reservation" in x.text]
    assert len(places) == 3 and len(set(places)) == 3


def test_negotiation_dance_marks_the_end():
    proposers = [0, 1, 0, 1]
    u = np.array([[1.0, 0.0], [0.0, 1.0], [0.8, 0.4], [0.6, 0.6]])
    agreed = negotiation_dance(
        u, proposers, ["A", "B"], end="agreement", end_round=4, outcome=u[-1]
    )
    end = next(t for t in agreed.data if t.meta and "end" in t.meta)
    assert (end.x[0], end.y[0]) == (0.6, 0.6) and "agreement" in end.name and "4" in end.name
    a = next(t for t in agreed.data if t.name == "offers by A")
    assert list(zip(a.x, a.y, strict=True)) == [(1.0, 0.0), (0.8, 0.4)]
    assert list(a.text) == ["1", "3"]
    walked = negotiation_dance(
        u[:3], proposers[:3], ["A", "B"], end="walk-away", end_round=3,
        outcome=(0.2, 0.3), walked_away="B", reservation=np.array([0.2, 0.3]),
    )  # fmt: skip
    end = next(t for t in walked.data if t.meta and "end" in t.meta)
    assert (end.x[0], end.y[0]) == (0.2, 0.3) and "walk-away by B" in end.name
    # A repeated offer is labelled once with all its rounds.
    rep = negotiation_dance(
        np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]), [0, 1, 0], ["A", "B"],
        end="deadline", end_round=3, outcome=(0.0, 0.0),
    )  # fmt: skip
    a = next(t for t in rep.data if t.name == "offers by A")
    assert list(a.text) == ["1, 3", ""]


def test_strategy_matrix_is_a_shaded_table_of_basic_traces():
    rate = np.array([[0.0, 1.0], [0.5, 0.25]])
    mu = np.stack([rate, 1 - rate], axis=-1)
    fig = strategy_matrix(rate, mu, ["hard", "soft"], ["A", "B"])
    assert {t.type for t in fig.data} <= BASIC_TRACE_TYPES
    cells = fig.data[0]
    by_cell = {(x, y): t for x, y, t in zip(cells.x, cells.y, cells.text, strict=True)}
    assert by_cell[(1, 0)].startswith("100%") and by_cell[(0, 1)].startswith("50%")
    # Darker (a smaller red channel) for a higher agreement rate.
    red = [int(s.fillcolor[4:].split(",")[0]) for s in fig.layout.shapes]
    order = np.argsort(rate.ravel())
    assert all(red[a] >= red[b] for a, b in pairwise(order))


def test_outcome_distribution_counts_like_a_brute_force_histogram():
    rng = np.random.default_rng(3)
    values = rng.normal(size=500)
    fig = outcome_distribution(values, "margin", bins=20)
    bar = fig.data[0]
    assert bar.type == "bar"
    edges = np.linspace(values.min(), values.max(), 21)
    for k, count in enumerate(bar.y):
        lo, hi = edges[k], edges[k + 1]
        inside = sum(1 for v in values if lo <= v < hi or (k == 19 and v == hi))
        assert count == inside
    assert sum(bar.y) == values.size


def test_plain_escapes_every_tag_and_keeps_the_text():
    text = plain(EVIL + " & 1 < 2")
    assert "<" not in text and ">" not in text and "style=" not in text
    # Python's html.unescape decodes the same entities as Plotly: the reader sees the original.
    assert html.unescape(text) == EVIL + " & 1 < 2"


def test_conflict_graph_of_the_prisoners_dilemma(pd_scenario):
    # Fang, Hipel & Kilgour (1993): in the prisoner's dilemma mutual defection (state 4) is the
    # only Nash equilibrium; mutual cooperation (state 1) is GMR/SEQ stable as well.
    data = compute_sections(pd_scenario, only=("stability",))
    view = section_views(data)[0]
    facts = dict(view.facts)
    assert facts["Nash equilibria"] == "4"
    assert facts["GMR equilibria"] == "1, 4"
    assert facts["SEQ equilibria"] == "1, 4"
    assert facts["status quo"] == "state 1"
    fig = dict(view.figures)["conflict-graph"]
    by_concept = {
        t.meta["concept"]: t.meta["states"] for t in fig.data if t.meta and "concept" in t.meta
    }
    assert by_concept["Nash"] == [4] and by_concept["GMR"] == [1, 4] and by_concept["SEQ"] == [1, 4]
    states = next(t for t in fig.data if t.name and t.name.startswith("states"))
    assert list(states.text) == ["1", "2", "3", "4"]
    assert list(states.marker.line.width).index(4) == 0  # status quo: nobody defects
    # Each prisoner has two unilateral improvements (defect against either choice).
    for name in ("improvement by Alice", "improvement by Bob"):
        trace = next(t for t in fig.data if t.name == name)
        assert sum(v is None for v in trace.x) == 2
    # The states table: options, stability per prisoner and concept, the status quo's path.
    table = next(t for t in view.tables if t.name == "states")
    rows = {r[0]: dict(zip(table.columns, r, strict=True)) for r in table.rows}
    assert (rows["4"]["Alice: a-defect"], rows["4"]["Bob: b-defect"]) == ("Y", "Y")
    assert (rows["1"]["Alice: a-defect"], rows["1"]["Bob: b-defect"]) == ("N", "N")
    assert "Nash" in rows["4"]["equilibrium under"].split(", ")
    assert "Nash" not in rows["1"]["equilibrium under"].split(", ")
    assert "GMR" in rows["1"]["equilibrium under"].split(", ")
    # At mutual cooperation each prisoner gains by defecting, so neither is Nash-stable there.
    assert "Nash" not in rows["1"]["stable for Alice"].split(", ")
    assert rows["1"]["from the status quo"] == "status quo"
    assert rows["4"]["from the status quo"].startswith("reached: 1 →")


def test_conflict_graph_draws_given_edges():
    src, dst = np.array([0, 1]), np.array([1, 2])
    fig = conflict_graph(
        ["s1", "s2", "s3"],
        [(src, dst)],
        ["dm"],
        equilibria={"Nash": [2]},
        paths=[[0, 1, 2]],
    )
    names = [t.name for t in fig.data]
    assert "improvement by dm" in names and "status-quo path" in names
    assert next(t for t in fig.data if t.name == "Nash equilibrium").meta["states"] == [3]


def test_sequencing_section_shows_first_movers_and_the_gantt_chart():
    # One divisible step each, value 2 for cost 1, trust 0.9: the sequential exchange is
    # self-enforcing, so the report draws the schedule and names each round's first mover.
    from accord.report.views import colours

    s = Scenario.model_validate(
        {
            "accord": 1,
            "id": "exchange",
            "title": "One step each",
            "sequencing": {
                "max_rounds": 10,
                "parties": {
                    "a": {"patience": 1.0, "trust": 0.9, "completion_value": 0.5},
                    "b": {"patience": 1.0, "trust": 0.9, "completion_value": 0.5},
                },
                "steps": [
                    {"id": "step-a", "owner": "a", "cost": 1.0, "value": 2.0},
                    {"id": "step-b", "owner": "b", "cost": 1.0, "value": 2.0},
                ],
            },
        }
    )
    data = compute_sections(s, only=("sequence",))
    view = section_views(data)[0]
    sched = data.engine("sequence").result.analysis.schedule
    assert sched.feasible
    facts = dict(view.facts)
    movers = facts["first mover, round by round"].split("; ")
    assert len(movers) == sched.rounds and set(movers) <= {"a", "b"}
    gantt = dict(view.figures)["sequencing-gantt"]
    palette = colours(s)
    for t in gantt.data:
        assert t.marker.color == palette[t.meta["party"]]


def test_a_large_conflict_lists_the_states_a_reader_looks_up():
    # 9 options: 512 states, over the table's limit; the table keeps the equilibria, the status
    # quo and the states on its paths, and says how many it left out.
    from accord.report.views import MAX_TABLE_STATES

    mine = [f"a{k}" for k in range(5)]
    theirs = [f"b{k}" for k in range(4)]
    s = Scenario.model_validate(
        {
            "accord": 1,
            "id": "big",
            "title": "Big conflict",
            "conflict": {
                "decision_makers": [{"id": "a", "options": mine}, {"id": "b", "options": theirs}],
                "preferences": {
                    "a": {"prioritization": ["a0", "-b0", "a1 -> b1"]},
                    "b": {"prioritization": ["b0", "-a0", "b1 -> a1"]},
                },
                "status_quo": dict.fromkeys(mine + theirs, False),
            },
        }
    )
    data = compute_sections(s, only=("stability",))
    res = data.engine("stability").result.result
    assert res.model.n_states == 512 > MAX_TABLE_STATES
    view = section_views(data)[0]
    table = next(t for t in view.tables if t.name == "states")
    expected = {x for eq in res.equilibria.values() for x in eq}
    expected |= {x for p in res.status_quo_paths for x in (p.states or ())}
    expected.add(res.model.status_quo + 1)
    assert [int(r[0]) for r in table.rows] == sorted(expected)
    assert f"of {res.model.n_states:,} states" in table.title
    assert "conflict-graph" not in dict(view.figures)
