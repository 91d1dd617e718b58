"""Section views against the engine results they show: tables, colours, axes, plain text and the
trace types of Plotly's basic bundle, over every built-in scenario."""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pytest

from accord.io.scenario_file import builtin_ids, load_scenario
from accord.report import compute_sections, section_views
from accord.report.figures import BASIC_TRACE_TYPES, PALETTE
from accord.report.views import SectionView, colours, party_order
from accord.scenario.model import Scenario

EVIL = '<a href="https://x">x</a> <b style="color:red">b</b>'
# The sequencing engine's threshold and assumption searches and the simulator's many runs and side
# comparisons take most of the run time and change no figure's structure; the views are built
# from fewer runs.
FAST = {
    "sequence": {"thresholds": False, "assumptions": False},
    "simulate": {
        "runs": 20,
        "grid": False,
        "compare_information": False,
        "compare_discounting": False,
    },
}


def three_parties(name: str = "A") -> Scenario:
    return Scenario.model_validate(
        {
            "accord": 1,
            "id": "three",
            "title": "Three parties",
            "parties": [
                {"id": "a", "name": name},
                {"id": "b", "name": "B"},
                {"id": "c", "name": "C"},
            ],
            "issues": [
                {"id": "x", "name": "Ex", "options": ["p", "q", "r"], "labels": {"p": "Pee"}},
                {"id": "y", "range": [0, 1], "step": 0.25},
            ],
            "preferences": {
                "a": {
                    "weights": {"x": 2, "y": 2},
                    "values": {"x": {"p": 1, "q": 0.5, "r": 0}, "y": "increasing"},
                    "reservation": 0.1,
                },
                "b": {
                    "weights": {"x": 0.5, "y": 0.5},
                    "values": {"x": {"p": 0, "q": 1, "r": 0.5}, "y": "decreasing"},
                    "reservation": 0.2,
                },
                "c": {
                    "weights": {"x": 1, "y": 3},
                    "values": {"x": {"p": 0.5, "q": 0, "r": 1}, "y": "decreasing"},
                },
            },
        }
    )


def poison(node: Any) -> Any:
    """Every name, title, label and scale end of a scenario with ``EVIL`` appended (ids kept)."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k in ("name", "title", "low", "high", "description") and isinstance(v, str):
                out[k] = f"{v} {EVIL}"
            elif k == "labels" and isinstance(v, dict):
                out[k] = {o: f"{t} {EVIL}" for o, t in v.items()}
            else:
                out[k] = poison(v)
        return out
    if isinstance(node, list):
        return [poison(x) for x in node]
    return node


@pytest.fixture(scope="module")
def runs() -> dict[str, tuple[Scenario, Any, list[SectionView]]]:
    out = {}
    for sid in builtin_ids():
        s = load_scenario(sid)
        data = compute_sections(s, FAST)
        out[sid] = (s, data, section_views(data))
    s = three_parties()
    data = compute_sections(s, FAST)
    out["three"] = (s, data, section_views(data))
    return out


def _view(views: list[SectionView], key: str) -> SectionView:
    return next(v for v in views if v.key == key)


def test_every_figure_uses_only_the_basic_bundles_trace_types(runs, pd_scenario):
    data = compute_sections(pd_scenario, FAST)
    all_views = [*(v for _, _, vs in runs.values() for v in vs), *section_views(data)]
    seen = set()
    for view in all_views:
        for name, fig in view.figures:
            types = {t.type for t in fig.data}
            assert types <= BASIC_TRACE_TYPES, (view.key, name, types)
            seen.add(name)
    # The walk reached the figures that used a heat map and a histogram.
    assert {"strategy-matrix", "sweep-distribution", "conflict-graph"} <= seen


def test_one_colour_per_party_in_every_figure(runs):
    s, _, views = runs["hanoi-2019"]
    palette = colours(s)
    expected = {pid: PALETTE[k] for k, pid in enumerate(p.id for p in s.parties)}
    seen: dict[str, set[str]] = {}
    figures_of: dict[str, set[str]] = {}
    for view in views:
        for name, fig in view.figures:
            for t in fig.data:
                if not (t.meta and "party" in t.meta):
                    continue
                pid = t.meta["party"]
                colour = t.line.color if t.mode and "lines" in t.mode else t.marker.color
                seen.setdefault(pid, set()).add(colour)
                figures_of.setdefault(pid, set()).add(name)
    for pid, cols in seen.items():
        assert cols == {palette[pid]}, (pid, cols)
    for pid in ("usa", "dprk"):
        assert palette[pid] == expected[pid]
        # The parties are drawn in the utility plane, the dance, the concession curves, the
        # conflict graph and the forecast: the same colour in each.
        assert {"utility-space", "negotiation-dance", "concession-curves", "conflict-graph",
                "forecast-trajectories"} <= figures_of[pid]  # fmt: skip
    # A party's colour does not depend on which sections the scenario has: it is its place in
    # the party list.
    assert party_order(s)[: len(s.parties)] == [p.id for p in s.parties]


def test_solutions_table_and_markers_show_every_solution(runs):
    s, data, views = runs["hanoi-2019"]
    r = data.engine("analyse").result.result
    view = _view(views, "analyse")
    table = next(t for t in view.tables if t.name == "solutions")
    sol = dict(r.solutions)
    if r.rubinstein is not None:
        sol["rubinstein"] = r.rubinstein.index
    labels = {
        "nash": "Nash",
        "kalai_smorodinsky": "Kalai–Smorodinsky",
        "utilitarian": "Utilitarian",
        "egalitarian": "Egalitarian",
        "rubinstein": "Rubinstein",
    }
    assert [row[0] for row in table.rows] == [labels[k] for k in sol]
    assert table.columns[2:] == ("utility of United States", "utility of DPRK")
    issues = {i.id: i for i in s.issues}
    for row, (_name, index) in zip(table.rows, sol.items(), strict=True):
        outcome = r.space.decode(index)
        for iid, option in outcome.items():
            assert f"{issues[iid].name}: {issues[iid].label(option)}" in row[1]
        assert [float(x) for x in row[2:]] == pytest.approx(r.utilities[index], abs=5e-4)
    # In Hanoi three solutions pick one package; the figure draws one marker named after all.
    fig = dict(view.figures)["utility-space"]
    markers = [t for t in fig.data if t.meta and "solutions" in t.meta]
    by_outcome: dict[int, set[str]] = {}
    for name, index in sol.items():
        by_outcome.setdefault(index, set()).add(name)
    assert {t.meta["outcome"]: set(t.meta["solutions"]) for t in markers} == by_outcome
    assert any(len(v) > 1 for v in by_outcome.values())
    for t in markers:
        for name in t.meta["solutions"]:
            assert labels[name] in t.name


def test_weights_are_shown_normalised_with_the_raw_value_only_when_it_differs(runs):
    s, _, views = runs["three"]
    table = next(t for t in _view(views, "analyse").tables if t.name == "weights")
    cells = {row[0]: row[1:] for row in table.rows}
    # a: 2 and 2 → 0.5 each; b: 0.5 and 0.5 → 0.5 each (raw differs too); c: 1 and 3 → 1/4, 3/4.
    assert cells["Ex"] == ("0.500 (raw 2)", "0.500", "0.250 (raw 1)")
    assert cells["y"] == ("0.500 (raw 2)", "0.500", "0.750 (raw 3)")
    for j, pid in enumerate(("a", "b", "c")):
        total = sum(float(cells[k][j].split()[0]) for k in cells)
        assert total == pytest.approx(1.0)
        assert float(cells["Ex"][j].split()[0]) == pytest.approx(
            s.preferences[pid].normalised_weights()["x"], abs=5e-4
        )
    hanoi = next(t for t in _view(runs["hanoi-2019"][2], "analyse").tables if t.name == "weights")
    assert not any("raw" in c for row in hanoi.rows for c in row)  # hanoi's weights sum to 1


def test_three_parties_get_a_panel_for_every_pair(runs):
    s, data, views = runs["three"]
    fig = dict(_view(views, "analyse").figures)["utility-space"]
    pairs = {tuple(t.meta["pair"]) for t in fig.data if t.meta and "pair" in t.meta}
    assert pairs == {(0, 1), (0, 2), (1, 2)}
    layout = fig.layout.to_plotly_json()
    titles = [ax["title"]["text"] for k, ax in layout.items() if "axis" in k and "title" in ax]
    for p in s.parties:
        assert any(f"utility of {p.name} (" in (t or "") for t in titles), p.name
    assert any("projection" in (t.name or "") for t in fig.data)
    # The dance draws each party's offers, a third party's too.
    dance = dict(_view(views, "simulate").figures)["negotiation-dance"]
    trace = data.engine("simulate").result.trace
    for j, p in enumerate(s.parties):
        mine = [o for o in trace.offers if o.proposer == j]
        drawn = next((t for t in dance.data if t.name == f"offers by {p.name}"), None)
        assert (drawn is None) == (not mine)
        if drawn is not None:
            assert len(drawn.x) == len(mine)


def test_negotiation_dance_follows_the_engines_trace(runs):
    s, data, views = runs["hanoi-2019"]
    sim = data.engine("simulate").result
    fig = dict(_view(views, "simulate").figures)["negotiation-dance"]
    for j, p in enumerate(s.parties[:2]):
        mine = [o.utilities for o in sim.trace.offers if o.proposer == j]
        t = next(t for t in fig.data if t.name == f"offers by {p.name}")
        assert np.allclose(np.column_stack([t.x, t.y]), np.array(mine)[:, :2])
        assert t.line.color == colours(s)[p.id]
    end = next(t for t in fig.data if t.meta and "end" in t.meta)
    names = ("agreement", "deadline", "walk-away")
    assert end.meta["end"] == names[sim.trace.end]
    if sim.trace.end == 0:  # the accepted offer is the last one
        assert (end.x[0], end.y[0]) == pytest.approx(sim.trace.offers[-1].utilities[:2])
    else:
        assert (end.x[0], end.y[0]) == pytest.approx(tuple(sim.sim.setup.reservation[:2]))
    assert f"round {sim.trace.round}" in end.name


def test_states_table_matches_the_stability_result(runs):
    from accord.conflict.stability import CONCEPT_LABELS

    s, data, views = runs["hanoi-2019"]
    res = data.engine("stability").result.result
    model = res.model
    table = next(t for t in _view(views, "stability").tables if t.name == "states")
    assert len(table.rows) == model.n_states
    col = {c: k for k, c in enumerate(table.columns)}
    dm_names = {d.id: d.name for d in s.conflict.decision_makers}
    for i, row in enumerate(table.rows):
        opts = model.state_options(i)
        for k, o in enumerate(model.option_ids):
            owner = dm_names[model.dm_ids[model.option_owner[k]]]
            assert row[col[f"{owner}: {o}"]] == ("Y" if opts[o] else "N")
        equilibria = set(row[col["equilibrium under"]].split(", "))
        for concept, eq in res.equilibria.items():
            assert (CONCEPT_LABELS[concept] in equilibria) == (i + 1 in eq)
        for d, dm in enumerate(model.dm_ids):
            stable = set(row[col[f"stable for {dm_names[dm]}"]].split(", "))
            for concept, m in res.stable.items():
                assert (CONCEPT_LABELS[concept] in stable) == bool(m[d, i])
    where = [row[col["from the status quo"]] for row in table.rows]
    assert where[model.status_quo] == "status quo"
    for p in res.status_quo_paths:
        if p.states is not None and p.target != model.status_quo + 1:
            assert " → ".join(map(str, p.states)) in where[p.target - 1]
    # The graph marks every concept's equilibria, with the engine's state numbers.
    fig = dict(_view(views, "stability").figures)["conflict-graph"]
    marked = {
        t.meta["concept"]: t.meta["states"] for t in fig.data if t.meta and "concept" in t.meta
    }
    assert marked == {CONCEPT_LABELS[c]: eq for c, eq in res.equilibria.items()}


def test_axis_titles_say_what_the_scale_means(runs):
    s, _, views = runs["hanoi-2019"]
    fig = dict(_view(views, "analyse").figures)["utility-space"]
    assert fig.layout.xaxis.title.text.startswith("utility of United States (")
    assert "worst" in fig.layout.xaxis.title.text and "best" in fig.layout.xaxis.title.text
    forecast = dict(_view(views, "forecast").figures)["forecast-trajectories"]
    # What the reader sees: line breaks as spaces, entities decoded (as Plotly does).
    subtitles = html.unescape(" ".join(a.text for a in forecast.layout.annotations))
    for dim in s.stakeholders.dimensions:
        lo = dim.scale[0]
        assert f"{lo:g} = {dim.low}"[:30] in subtitles.replace("<br>", " ")
        assert dim.label in subtitles
    assert forecast.layout.yaxis.title.text == "position (0 to 100)"


@pytest.mark.parametrize("which", ["hanoi", "three"])
def test_user_text_reaches_figures_as_plain_text(which):
    base = load_scenario("hanoi-2019") if which == "hanoi" else three_parties()
    s = Scenario.model_validate(poison(base.model_dump(mode="json", exclude_none=True)))
    views = section_views(compute_sections(s, FAST))
    drawn = 0
    for view in views:
        for _name, fig in view.figures:
            text = fig.to_json()
            assert "<a" not in text and "<b" not in text and "style=" not in text
            drawn += text.count("&lt;a href&#61;")
    # The names did reach the figures, escaped (the check above is not vacuous).
    assert drawn > 10
