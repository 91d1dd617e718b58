"""Plotly figures of the engines' results: pure functions from results to ``go.Figure``.

The same figures appear in the HTML report and, as Plotly JSON, in the web app. Each function takes
what it draws (arrays, names, colours, the engine's numbers) and returns a new figure; none reads a
file or the network.

Three rules hold for every figure here:

* **Plain text.** Plotly renders the text of titles, axes, legends, hover labels and annotations as
  a small HTML dialect (``<a href>``, ``<b>``, ``<br>``, ``style=``). Every string that comes from a
  scenario goes through :func:`plain`, which escapes ``&``, ``<`` and ``>``, so a party called
  ``<a href="https://x">x</a>`` is drawn as those characters and never as a link. User strings are
  never pasted into a ``hovertemplate`` either (``%{...}`` there is a template field): they travel
  in ``text``/``customdata`` and the templates are constant.
* **One colour per party.** :func:`party_colours` maps the scenario's party order to
  :data:`PALETTE`; every figure takes its colours from that mapping, and things that are not a
  party (the frontier, the zone, solutions) are drawn in neutral greys and black.
* **The basic bundle.** Only ``scatter`` and ``bar`` traces are used (the trace types of Plotly's
  ``plotly-basic`` bundle, which the report ships), so heat maps and histograms are drawn as
  shapes, scatter text and bars.

The figures:

* :func:`utility_space`: every outcome in the utility plane of two parties, the Pareto frontier,
  each party's reservation line, the zone of possible agreement (the region above both reservation
  lines; Raiffa 1982, *The Art and Science of Negotiation*, ch. 4), the bargaining solutions and the
  named proposals. Solutions that fall on the same outcome share one marker named after all of them.
* :func:`utility_matrix`: the same for three or more parties, one panel per pair of parties (a
  scatter matrix); each panel draws the pair's own Pareto frontier and marks the outcomes that are
  efficient for all parties as a projection.
* :func:`concession_curves`: each party's own offers, round by round, valued by that party.
* :func:`negotiation_dance`: the offers of both parties in the utility plane, round by round, and
  how the negotiation ended (Raiffa 1982, ch. 9, "the negotiation dance").
* :func:`strategy_matrix`: agreement rate for each pair of strategies (a shaded table).
* :func:`conflict_graph`: the feasible states of a graph model on a grid (columns: the first
  decision maker's options, rows: the others'), unilateral improvements, the equilibria of each
  stability concept and the status-quo paths (Fang, Hipel & Kilgour 1993).
* :func:`forecast_trajectories`: each actor's position per round on each dimension.
* :func:`sequencing_gantt`: the share of each step delivered in each round.

Example::

    >>> import numpy as np
    >>> fig = utility_space(np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]), ("A", "B"),
    ...                     reservation=np.array([0.2, 0.2]), pareto=np.array([0, 1, 2]))
    >>> [t.name for t in fig.data][:2]
    ['all outcomes', 'Pareto frontier']
    >>> plain('<a href="https://x">x</a>')
    '&lt;a href&#61;"https://x"&gt;x&lt;/a&gt;'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

import numpy as np
import plotly.graph_objects as go

PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#393b79",
)
"""Party colours, in the scenario's party order (Tableau 10, grey left out for neutral marks)."""

NEUTRAL = "#555555"
"""Colour of what belongs to no party: the Pareto frontier, outcome markers' outlines."""
OUTCOMES = "rgba(120,120,120,0.35)"
ZONE_FILL = "rgba(120,120,120,0.12)"

SOLUTION_SYMBOLS = {
    "nash": "star",
    "kalai_smorodinsky": "diamond",
    "utilitarian": "square",
    "egalitarian": "triangle-up",
    "rubinstein": "x",
}
SOLUTION_LABELS = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "utilitarian": "Utilitarian",
    "egalitarian": "Egalitarian",
    "rubinstein": "Rubinstein",
}
SOLUTION_SHADES = ("#000000", "#444444", "#777777", "#999999", "#bbbbbb")
"""Solution markers are black to light grey: they belong to no party."""
CONCEPT_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon")
MAX_POINTS = 20_000
"""Outcomes drawn in the utility plane; larger spaces are thinned evenly (the frontier is kept)."""
MAX_MATRIX_POINTS = 5_000
"""Outcomes drawn per panel of the scatter matrix."""
UTILITY_SCALE = "0 = worst package, 1 = best"
BASIC_TRACE_TYPES = frozenset({"scatter", "bar", "pie"})
"""Trace types in Plotly's ``plotly-basic`` bundle; every figure here uses only these."""


def plain(text: object) -> str:
    """``text`` as plain text for Plotly: ``&``, ``<``, ``>`` (and ``=``) escaped as entities.

    Plotly splits label text at its pseudo-HTML tags (links, bold, line breaks, inline styles)
    and decodes the entities of the text between them, so the escaped string is drawn exactly as
    written and no tag survives. ``=`` is escaped too (``&#61;``, drawn as "="), so not even an
    attribute such as ``style=`` remains in the figure's JSON for another renderer to pick up.
    """
    return (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("=", "&#61;")
    )


def party_colours(order: Sequence[str]) -> dict[str, str]:
    """A fixed colour per id: the i-th distinct id of ``order`` gets ``PALETTE[i]`` (cycled).

    The caller passes the scenario's party order (then any other actors), so the same party has
    the same colour in every figure of a run.
    """
    out: dict[str, str] = {}
    for key in order:
        if key not in out:
            out[key] = PALETTE[len(out) % len(PALETTE)]
    return out


def _colour(colours: Sequence[str] | None, j: int) -> str:
    if colours is not None and j < len(colours):
        return colours[j]
    return PALETTE[j % len(PALETTE)]


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    """Common layout; ``title`` must already be plain text (see :func:`plain`)."""
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": 15}},
        template="plotly_white",
        height=height,
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
        legend={"orientation": "h", "y": -0.18},
        font={"family": "system-ui, sans-serif", "size": 12},
    )
    return fig


def utility_scale(low: float, high: float) -> str:
    """What a party's utility scale means, from its worst and best package's utility."""
    if abs(low) < 5e-3 and abs(high - 1.0) < 5e-3:
        return UTILITY_SCALE
    return f"0 to 1; worst package {low:.2f}, best {high:.2f}"


def utility_axis_title(name: str, scale: str = UTILITY_SCALE) -> str:
    """Axis title of a party's utility, with what the scale means."""
    return f"utility of {plain(name)} ({plain(scale)})"


def _scale(scales: Sequence[str] | None, j: int) -> str:
    return scales[j] if scales is not None and j < len(scales) else UTILITY_SCALE


def _pareto_2d(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Indices of the points no other point weakly beats on both coordinates and strictly on one.

    Sorted by x descending (then y descending), a point is efficient iff its y exceeds every y
    before it; exact duplicates keep one representative (they draw the same point).
    """
    if x.size == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((-y, -x))
    ys = y[order]
    best = np.maximum.accumulate(ys)
    keep = np.ones(ys.size, dtype=bool)
    keep[1:] = ys[1:] > best[:-1]
    return np.sort(order[keep])


def solution_groups(
    solutions: Mapping[str, int | None],
) -> list[tuple[tuple[str, ...], int]]:
    """Solutions grouped by the outcome they pick, in first-seen order: ((names...), index).

    Coinciding solutions are drawn as one marker named after all of them, so none hides another.
    """
    groups: dict[int, list[str]] = {}
    for name, index in solutions.items():
        if index is not None:
            groups.setdefault(int(index), []).append(name)
    return [(tuple(names), index) for index, names in groups.items()]


def solution_group_label(names: Sequence[str]) -> str:
    return " = ".join(SOLUTION_LABELS.get(n, plain(n)) for n in names)


def _hover(texts: Sequence[str] | None, idx: np.ndarray) -> list[str] | None:
    return None if texts is None else [plain(texts[int(i)]) for i in idx]


def _point_template(texts: Any, extra: str = "") -> str:
    base = "(%{x:.3f}, %{y:.3f})<extra>" + extra + "</extra>"
    return "%{text}<br>" + base if texts is not None else base


def _solution_traces(
    u: np.ndarray,
    cols: tuple[int, int],
    solutions: Mapping[str, int | None],
    hover: Sequence[str] | None,
    *,
    show_legend: bool = True,
) -> list[go.Scatter]:
    out = []
    for k, (names, index) in enumerate(solution_groups(solutions)):
        label = solution_group_label(names)
        text = [label + ("" if hover is None else "<br>" + plain(hover[index]))]
        out.append(
            go.Scatter(
                x=[u[index, cols[0]]],
                y=[u[index, cols[1]]],
                mode="markers",
                name=label,
                legendgroup=f"solution-{k}",
                showlegend=show_legend,
                marker={
                    "size": min(14 + 2 * (len(names) - 1), 18),
                    "symbol": SOLUTION_SYMBOLS.get(names[0], "circle"),
                    "color": SOLUTION_SHADES[k % len(SOLUTION_SHADES)],
                    "line": {"width": 1.5, "color": "#ffffff"},
                },
                text=text,
                hovertemplate="%{text}<br>(%{x:.3f}, %{y:.3f})<extra></extra>",
                meta={"solutions": list(names), "outcome": int(index)},
            )
        )
    return out


def _proposal_traces(
    proposals: Sequence[tuple[str, Sequence[float]]],
    cols: tuple[int, int],
    *,
    show_legend: bool = True,
    with_text: bool = True,
) -> list[go.Scatter]:
    out = []
    for k, (name, pu) in enumerate(proposals):
        label = plain(name)
        out.append(
            go.Scatter(
                x=[pu[cols[0]]],
                y=[pu[cols[1]]],
                mode="markers+text" if with_text else "markers",
                name=f"proposal: {label}",
                legendgroup=f"proposal-{k}",
                showlegend=show_legend,
                text=[label],
                textposition="top center",
                # Open and larger than a solution marker, so a proposal on a solution rings it.
                marker={"size": 24, "symbol": "circle-open", "color": "#000", "line": {"width": 2}},
                hovertemplate="%{text}<br>(%{x:.3f}, %{y:.3f})<extra>proposal</extra>",
            )
        )
    return out


def _utility_plane_axes(
    fig: go.Figure, party_names: Sequence[str], scales: Any, colours: Any
) -> None:
    """The first two parties' utilities as the axes, titled with their scales and coloured as
    the parties are."""
    for k, update in enumerate((fig.update_xaxes, fig.update_yaxes)):
        update(
            title={
                "text": utility_axis_title(party_names[k], _scale(scales, k)),
                "font": {"color": _colour(colours, k)},
            },
            range=[-0.03, 1.03],
        )


def utility_space(
    utilities: np.ndarray,
    party_names: Sequence[str],
    *,
    reservation: np.ndarray,
    pareto: np.ndarray,
    solutions: Mapping[str, int | None] | None = None,
    proposals: Sequence[tuple[str, Sequence[float]]] = (),
    hover: Sequence[str] | None = None,
    colours: Sequence[str] | None = None,
    party_ids: Sequence[str] | None = None,
    scales: Sequence[str] | None = None,
) -> go.Figure:
    """Outcomes of two parties' utilities (x: first party, y: second party).

    ``pareto`` holds the frontier's outcome indices, ``solutions`` maps a solution's name to its
    outcome index, ``proposals`` are (name, utilities) pairs, ``colours`` the two parties' colours
    (their reservation lines and axis titles).
    """
    u = np.asarray(utilities, dtype=np.float64)
    n = u.shape[0]
    show = np.arange(n) if n <= MAX_POINTS else np.linspace(0, n - 1, MAX_POINTS).astype(np.int64)
    fig = go.Figure()
    text = _hover(hover, show)
    fig.add_trace(
        go.Scatter(
            x=u[show, 0],
            y=u[show, 1],
            mode="markers",
            name="all outcomes" if n <= MAX_POINTS else f"outcomes ({show.size:,} of {n:,})",
            marker={"size": 5, "color": OUTCOMES},
            text=text,
            hovertemplate=_point_template(text),
        )
    )
    front = np.asarray(pareto, dtype=np.int64)
    front = front[np.argsort(u[front, 0], kind="stable")]
    text = _hover(hover, front)
    fig.add_trace(
        go.Scatter(
            x=u[front, 0],
            y=u[front, 1],
            mode="lines+markers",
            name="Pareto frontier",
            line={"color": NEUTRAL, "width": 2, "shape": "hv"},
            marker={"size": 6, "color": NEUTRAL},
            text=text,
            hovertemplate=_point_template(text, "frontier"),
        )
    )
    r = np.asarray(reservation, dtype=np.float64)
    x_hi = max(float(u[:, 0].max()), float(r[0])) if n else 1.0
    y_hi = max(float(u[:, 1].max()), float(r[1])) if n else 1.0
    fig.add_shape(
        type="rect",
        x0=r[0],
        y0=r[1],
        x1=x_hi,
        y1=y_hi,
        fillcolor=ZONE_FILL,
        line={"width": 0},
        layer="below",
    )
    names = [plain(p) for p in party_names[:2]]
    # Each party's reservation line in its colour: x = r0 is the first party's, y = r1 the second's.
    for j, (xs, ys) in enumerate((([r[0], r[0]], [r[1], y_hi]), ([r[0], x_hi], [r[1], r[1]]))):
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name=f"reservation value of {names[j]} (zone of agreement shaded)",
                line={"color": _colour(colours, j), "dash": "dash", "width": 2},
                hoverinfo="skip",
                meta=None if party_ids is None else {"party": party_ids[j]},
            )
        )
    for trace in _solution_traces(u, (0, 1), solutions or {}, hover):
        fig.add_trace(trace)
    for trace in _proposal_traces(proposals, (0, 1)):
        fig.add_trace(trace)
    _utility_plane_axes(fig, party_names, scales, colours)
    return _layout(fig, "Utility space: outcomes, frontier, zone of agreement", height=520)


def utility_matrix(
    utilities: np.ndarray,
    party_names: Sequence[str],
    *,
    reservation: np.ndarray,
    pareto: np.ndarray,
    solutions: Mapping[str, int | None] | None = None,
    proposals: Sequence[tuple[str, Sequence[float]]] = (),
    hover: Sequence[str] | None = None,
    colours: Sequence[str] | None = None,
    party_ids: Sequence[str] | None = None,
    scales: Sequence[str] | None = None,
) -> go.Figure:
    """A scatter matrix for three or more parties: one panel per pair (x: party i, y: party j).

    Panel (row j, column i) for i < j. Each panel draws the outcomes, the **pair's own** Pareto
    frontier (the outcomes no other outcome beats for both of the two; a staircase falling to the
    right), the outcomes efficient for all parties (``pareto``) as a projection, both reservation
    lines and the solutions and proposals. Every party appears on at least one axis.
    """
    from plotly.subplots import make_subplots

    u = np.asarray(utilities, dtype=np.float64)
    n, k = u.shape
    if k < 3:
        raise ValueError("utility_matrix draws three or more parties; use utility_space for two")
    show = (
        np.arange(n)
        if n <= MAX_MATRIX_POINTS
        else np.linspace(0, n - 1, MAX_MATRIX_POINTS).astype(np.int64)
    )
    names = [plain(p) for p in party_names]
    r = np.asarray(reservation, dtype=np.float64)
    fig = make_subplots(
        rows=k - 1,
        cols=k - 1,
        horizontal_spacing=0.1,
        vertical_spacing=0.16,
    )
    front_all = np.asarray(pareto, dtype=np.int64)
    first = True
    for j in range(1, k):
        for i in range(j):
            row, col = j, i + 1
            text = _hover(hover, show)
            fig.add_trace(
                go.Scatter(
                    x=u[show, i],
                    y=u[show, j],
                    mode="markers",
                    name="all outcomes"
                    if n <= MAX_MATRIX_POINTS
                    else f"outcomes ({show.size:,} of {n:,})",
                    legendgroup="outcomes",
                    showlegend=first,
                    marker={"size": 4, "color": OUTCOMES},
                    text=text,
                    hovertemplate=_point_template(text),
                ),
                row=row,
                col=col,
            )
            pair = _pareto_2d(u[:, i], u[:, j])
            pair = pair[np.argsort(u[pair, i], kind="stable")]
            fig.add_trace(
                go.Scatter(
                    x=u[pair, i],
                    y=u[pair, j],
                    mode="lines+markers",
                    name="Pareto frontier of the pair",
                    legendgroup="pair-frontier",
                    showlegend=first,
                    line={"color": NEUTRAL, "width": 2, "shape": "hv"},
                    marker={"size": 5, "color": NEUTRAL},
                    meta={"pair": [i, j]},
                    hovertemplate="(%{x:.3f}, %{y:.3f})<extra>frontier of the pair</extra>",
                ),
                row=row,
                col=col,
            )
            fig.add_trace(
                go.Scatter(
                    x=u[front_all, i],
                    y=u[front_all, j],
                    mode="markers",
                    name="efficient for all parties (projection)",
                    legendgroup="projection",
                    showlegend=first,
                    marker={"size": 7, "symbol": "circle-open", "color": NEUTRAL},
                    meta={"pair": [i, j]},
                    hovertemplate="(%{x:.3f}, %{y:.3f})<extra>efficient for all</extra>",
                ),
                row=row,
                col=col,
            )
            for party, xs, ys in (
                (i, [r[i], r[i]], [r[j], 1.0]),
                (j, [r[i], 1.0], [r[j], r[j]]),
            ):
                fig.add_trace(
                    go.Scatter(
                        x=xs,
                        y=ys,
                        mode="lines",
                        name=f"reservation value of {names[party]}",
                        legendgroup=f"reservation-{party}",
                        showlegend=first or (party == j and i == 0),
                        line={"color": _colour(colours, party), "dash": "dash", "width": 2},
                        hoverinfo="skip",
                        meta=None if party_ids is None else {"party": party_ids[party]},
                    ),
                    row=row,
                    col=col,
                )
            for trace in _solution_traces(u, (i, j), solutions or {}, hover, show_legend=first):
                fig.add_trace(trace, row=row, col=col)
            for trace in _proposal_traces(proposals, (i, j), show_legend=first, with_text=False):
                fig.add_trace(trace, row=row, col=col)
            fig.update_xaxes(
                title={
                    "text": utility_axis_title(party_names[i], _scale(scales, i)),
                    "font": {"size": 11},
                },
                range=[-0.03, 1.03],
                row=row,
                col=col,
            )
            fig.update_yaxes(
                title={
                    "text": utility_axis_title(party_names[j], _scale(scales, j)),
                    "font": {"size": 11},
                },
                range=[-0.03, 1.03],
                row=row,
                col=col,
            )
            first = False
    return _layout(
        fig,
        f"Utility space of all {k} parties: one panel per pair",
        height=max(560, 360 * (k - 1)),
    )


def _reservation_labels(
    fig: go.Figure,
    reservation: np.ndarray,
    names: Sequence[str],
    colours: Sequence[str],
    party_ids: Sequence[str] | None,
) -> None:
    """Reservation lines with labels that never sit on each other.

    Labels alternate between the right and the left end of the plot; two labels on the same side
    whose values are close are pushed apart vertically.
    """
    placed: list[tuple[int, float, float]] = []  # (side, y, shift)
    for j, value in enumerate(reservation):
        v = float(value)
        fig.add_hline(y=v, line={"color": colours[j], "dash": "dot", "width": 1.5})
        side = j % 2
        shift = 8.0
        for s, y, sh in placed:
            if s == side and abs(y - v) < 0.06 and abs(sh - shift) < 14:
                shift = sh + 14
        placed.append((side, v, shift))
        fig.add_annotation(
            x=1.0 if side == 0 else 0.0,
            xref="paper",
            xanchor="right" if side == 0 else "left",
            y=v,
            yref="y",
            yshift=shift if side == 0 else -shift,
            showarrow=False,
            text=f"reservation of {names[j]}: {v:.2f}",
            font={"color": colours[j], "size": 11},
            name=None if party_ids is None else f"reservation:{party_ids[j]}",
        )


def concession_curves(
    offer_utilities: np.ndarray,
    proposers: Sequence[int],
    party_names: Sequence[str],
    *,
    reservation: np.ndarray | None = None,
    colours: Sequence[str] | None = None,
    party_ids: Sequence[str] | None = None,
    title: str = "Concession curves: each party's own offers, valued by that party",
) -> go.Figure:
    """Each party's own offers (rows of ``offer_utilities`` it proposed), valued by itself.

    A falling curve is a party conceding. The other party's offers are not on the curve (they
    would make it zig-zag between the two positions); :func:`negotiation_dance` shows both.
    """
    u = np.asarray(offer_utilities, dtype=np.float64).reshape(len(proposers), len(party_names))
    who = np.asarray(proposers, dtype=np.int64)
    rounds = np.arange(1, u.shape[0] + 1)
    names = [plain(p) for p in party_names]
    cols = [_colour(colours, j) for j in range(len(names))]
    fig = go.Figure()
    for j, name in enumerate(names):
        mine = who == j
        if not mine.any():
            continue
        fig.add_trace(
            go.Scatter(
                x=rounds[mine],
                y=u[mine, j],
                mode="lines+markers",
                name=f"offers by {name}: utility to {name}",
                line={"color": cols[j]},
                marker={"size": 8, "color": cols[j]},
                customdata=[name] * int(mine.sum()),
                hovertemplate="round %{x}: %{y:.3f}<extra>%{customdata}</extra>",
                meta=None if party_ids is None else {"party": party_ids[j]},
            )
        )
    if reservation is not None:
        _reservation_labels(fig, np.asarray(reservation, dtype=np.float64), names, cols, party_ids)
    fig.update_xaxes(title="round", dtick=1 if u.shape[0] <= 30 else None)
    fig.update_yaxes(
        title="utility of its own offer (0 to 1, higher is better)", range=[-0.03, 1.03]
    )
    return _layout(fig, plain(title))


def _round_labels(x: np.ndarray, y: np.ndarray, rounds: np.ndarray) -> list[str]:
    """Round numbers for a party's offers; an offer repeated at one point is labelled once
    with all its rounds ("1, 3, 5"), so the numbers do not print on top of each other."""
    at: dict[tuple[float, float], list[int]] = {}
    for k, (a, b) in enumerate(zip(np.round(x, 9).tolist(), np.round(y, 9).tolist(), strict=True)):
        at.setdefault((a, b), []).append(k)
    out = [""] * len(rounds)
    for ks in at.values():
        rs = [int(rounds[k]) for k in ks]
        out[ks[0]] = ", ".join(map(str, rs)) if len(rs) <= 3 else f"{rs[0]}–{rs[-1]} ({len(rs)}×)"
    return out


TEXT_SIDES = ("top center", "bottom center", "middle right", "middle left")
END_LABELS = {"agreement": "agreement", "deadline": "deadline: no agreement",
              "walk-away": "walk-away: no agreement"}  # fmt: skip


def negotiation_dance(
    offer_utilities: np.ndarray,
    proposers: Sequence[int],
    party_names: Sequence[str],
    *,
    end: str,
    end_round: int,
    outcome: Sequence[float] | np.ndarray,
    walked_away: str | None = None,
    reservation: np.ndarray | None = None,
    background: np.ndarray | None = None,
    colours: Sequence[str] | None = None,
    party_ids: Sequence[str] | None = None,
    scales: Sequence[str] | None = None,
) -> go.Figure:
    """The negotiation dance: each party's offers in the utility plane, round by round.

    x is the first party's utility, y the second's. Each party's offers form one line in its
    colour, labelled with the round; the end is one marker: the agreed package (``end ==
    "agreement"``) or, at a walk-away or the deadline, the reservation point both fall back to
    (``outcome``). ``background`` (outcomes × 2) draws all outcomes and their frontier faintly.
    """
    u = np.asarray(offer_utilities, dtype=np.float64).reshape(len(proposers), len(party_names))
    who = np.asarray(proposers, dtype=np.int64)
    rounds = np.arange(1, u.shape[0] + 1)
    names = [plain(p) for p in party_names]
    fig = go.Figure()
    if background is not None and len(background):
        b = np.asarray(background, dtype=np.float64)
        show = (
            np.arange(b.shape[0])
            if b.shape[0] <= MAX_POINTS
            else np.linspace(0, b.shape[0] - 1, MAX_POINTS).astype(np.int64)
        )
        fig.add_trace(
            go.Scatter(
                x=b[show, 0],
                y=b[show, 1],
                mode="markers",
                name="all outcomes",
                marker={"size": 4, "color": "rgba(120,120,120,0.18)"},
                hoverinfo="skip",
            )
        )
        front = _pareto_2d(b[:, 0], b[:, 1])
        front = front[np.argsort(b[front, 0], kind="stable")]
        fig.add_trace(
            go.Scatter(
                x=b[front, 0],
                y=b[front, 1],
                mode="lines",
                name="Pareto frontier" if len(names) == 2 else "Pareto frontier of these two",
                line={"color": "rgba(85,85,85,0.6)", "width": 1.5, "shape": "hv"},
                hoverinfo="skip",
            )
        )
    if reservation is not None:
        r = np.asarray(reservation, dtype=np.float64)
        for j, (xs, ys) in enumerate(
            (([r[0], r[0]], [-0.03, 1.03]), ([-0.03, 1.03], [r[1], r[1]]))
        ):
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    name=f"reservation value of {names[j]}",
                    line={"color": _colour(colours, j), "dash": "dot", "width": 1.5},
                    hoverinfo="skip",
                    meta=None if party_ids is None else {"party": party_ids[j]},
                )
            )
    # Every party's offers, also beyond the second: a third party's offers are points of the
    # same plane (what they give the first two parties).
    for j, name in enumerate(names):
        mine = who == j
        if not mine.any():
            continue
        fig.add_trace(
            go.Scatter(
                x=u[mine, 0],
                y=u[mine, 1],
                mode="lines+markers+text",
                name=f"offers by {name}",
                line={"color": _colour(colours, j), "width": 2},
                marker={"size": 9, "color": _colour(colours, j)},
                text=_round_labels(u[mine, 0], u[mine, 1], rounds[mine]),
                # Each party's round numbers on its own side, so two parties' labels at one
                # point do not overlap.
                textposition=TEXT_SIDES[j % len(TEXT_SIDES)],
                customdata=[[str(x), name] for x in rounds[mine].tolist()],
                textfont={"color": _colour(colours, j), "size": 10},
                hovertemplate="round %{customdata[0]}, offer by %{customdata[1]}<br>"
                "(%{x:.3f}, %{y:.3f})<extra></extra>",
                meta=None if party_ids is None else {"party": party_ids[j]},
            )
        )
    label = END_LABELS.get(end, plain(end))
    if end == "walk-away" and walked_away:
        label = f"walk-away by {plain(walked_away)}: no agreement"
    fig.add_trace(
        go.Scatter(
            x=[float(outcome[0])],
            y=[float(outcome[1])],
            mode="markers",
            name=f"{label} (round {end_round})",
            marker={
                "size": 18,
                "symbol": "star" if end == "agreement" else "x",
                "color": "#000",
                "line": {"width": 1.5, "color": "#fff"},
            },
            hovertemplate="(%{x:.3f}, %{y:.3f})<extra></extra>",
            meta={"end": end},
        )
    )
    _utility_plane_axes(fig, party_names, scales, colours)
    title = "Negotiation dance: the offers round by round (numbers: rounds)"
    if len(names) > 2:
        title += f"; utilities of {names[0]} and {names[1]}"
    return _layout(fig, title, 520)


def strategy_matrix(
    agreement_rate: np.ndarray,
    mean_utilities: np.ndarray,
    strategies: Sequence[str],
    party_names: Sequence[str],
) -> go.Figure:
    """A shaded table of the agreement rate; each cell's text gives both parties' mean utilities.

    Drawn as rectangles (layout shapes) and a scatter trace of cell texts: a heat map is not in
    Plotly's basic bundle.
    """
    rate = np.asarray(agreement_rate, dtype=np.float64)
    mu = np.asarray(mean_utilities, dtype=np.float64)
    rows, cols = rate.shape
    strat = [plain(s) for s in strategies]
    names = [plain(p) for p in party_names[:2]]
    fig = go.Figure()
    xs, ys, text, hover = [], [], [], []
    shapes: list[dict[str, Any]] = []
    for i in range(rows):
        for j in range(cols):
            v = float(rate[i, j]) if math.isfinite(rate[i, j]) else 0.0
            shade = round(245 - 180 * min(max(v, 0.0), 1.0))
            # Shapes collected and set once: add_shape validates the whole layout per call.
            shapes.append(
                {
                    "type": "rect",
                    "x0": j - 0.5,
                    "x1": j + 0.5,
                    "y0": i - 0.5,
                    "y1": i + 0.5,
                    "fillcolor": f"rgb({shade},{shade + 5 if shade < 250 else 250},255)",
                    "line": {"color": "#fff", "width": 2},
                    "layer": "below",
                }
            )
            xs.append(j)
            ys.append(i)
            text.append(f"{rate[i, j]:.0%}<br>{mu[i, j, 0]:.2f} / {mu[i, j, 1]:.2f}")
            hover.append(
                f"{names[0]}: {strat[i]}<br>{names[1]}: {strat[j]}<br>agreement {rate[i, j]:.0%}"
                f"<br>mean utility {names[0]} {mu[i, j, 0]:.2f}, {names[1]} {mu[i, j, 1]:.2f}"
            )
    fig.update_layout(shapes=shapes)
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="text",
            text=text,
            customdata=hover,
            textfont={"size": 11, "color": "#000"},
            hovertemplate="%{customdata}<extra></extra>",
            showlegend=False,
            name="agreement rate",
        )
    )
    fig.update_xaxes(
        title=f"strategy of {names[1]}",
        tickvals=list(range(cols)),
        ticktext=strat[:cols],
        range=[-0.5, cols - 0.5],
        showgrid=False,
        zeroline=False,
    )
    fig.update_yaxes(
        title=f"strategy of {names[0]}",
        tickvals=list(range(rows)),
        ticktext=strat[:rows],
        range=[rows - 0.5, -0.5],
        showgrid=False,
        zeroline=False,
    )
    return _layout(
        fig,
        f"Strategy matrix: agreement rate (darker: more often); mean utility {names[0]} / "
        f"{names[1]}",
        height=max(360, 60 * rows + 160),
    )


def _curve(
    x0: float, y0: float, x1: float, y1: float, bend: float = 0.18, steps: int = 12
) -> tuple[np.ndarray, np.ndarray]:
    """A quadratic Bézier from (x0, y0) to (x1, y1) bent to the left of its direction.

    A move and its reverse bend to opposite sides, and moves along one row or column do not lie
    on top of each other.
    """
    dx, dy = x1 - x0, y1 - y0
    length = math.hypot(dx, dy) or 1.0
    cx = (x0 + x1) / 2 - dy / length * bend * min(length, 3.0)
    cy = (y0 + y1) / 2 + dx / length * bend * min(length, 3.0)
    t = np.linspace(0.0, 1.0, steps)
    bx = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * x1
    by = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * y1
    return bx, by


def conflict_graph(
    state_labels: Sequence[str],
    improvements: Sequence[tuple[np.ndarray, np.ndarray]],
    dm_names: Sequence[str],
    *,
    cells: Sequence[tuple[int, int]] | None = None,
    columns: Sequence[str] = (),
    rows: Sequence[str] = (),
    column_title: str = "",
    row_title: str = "",
    equilibria: Mapping[str, Sequence[int]] | None = None,
    status_quo: int | None = None,
    paths: Sequence[Sequence[int]] = (),
    colours: Sequence[str] | None = None,
    dm_ids: Sequence[str] | None = None,
) -> go.Figure:
    """The states of a graph model on a grid, with unilateral improvements and equilibria.

    ``cells[i]`` is state i's (column, row): the column is what the first decision maker does
    (``columns`` names them), the row what the others do (``rows``), so the first decision
    maker's moves run along a row and the others' along a column. Without ``cells`` the states
    stand in one column. States, ``equilibria`` (concept label → state indices) and ``paths`` are
    0-based. Each concept's equilibria carry one marker each, in a row under the state; the status
    quo has a black ring; status-quo paths are thick black lines.
    """
    n = len(state_labels)
    grid = list(cells) if cells is not None else [(0, i) for i in range(n)]
    x = np.array([c for c, _ in grid], dtype=np.float64)
    y = np.array([r for _, r in grid], dtype=np.float64)
    dms = [plain(d) for d in dm_names]
    fig = go.Figure()
    for d, (src, dst) in enumerate(improvements):
        colour = _colour(colours, d)
        xs: list[float | None] = []
        ys: list[float | None] = []
        hx, hy, ang = [], [], []
        for a, b in zip(np.asarray(src).tolist(), np.asarray(dst).tolist(), strict=True):
            bx, by = _curve(x[a], y[a], x[b], y[b])
            xs += [*bx.tolist(), None]
            ys += [*by.tolist(), None]
            # Arrow head at 80% of the curve, pointing along it (marker angle: clockwise from up).
            k = int(0.8 * (bx.size - 1))
            hx.append(bx[k])
            hy.append(by[k])
            ang.append(math.degrees(math.atan2(bx[k + 1] - bx[k], -(by[k + 1] - by[k]))))
        meta = None if dm_ids is None else {"party": dm_ids[d]}
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name=f"improvement by {dms[d]}",
                legendgroup=f"dm-{d}",
                line={"color": colour, "width": 1.2},
                opacity=0.6,
                hoverinfo="skip",
                meta=meta,
            )
        )
        if hx:
            fig.add_trace(
                go.Scatter(
                    x=hx,
                    y=hy,
                    mode="markers",
                    # The y axis runs downwards (row 0 on top), hence the minus in the angle.
                    marker={"symbol": "triangle-up", "angle": ang, "size": 9, "color": colour},
                    legendgroup=f"dm-{d}",
                    showlegend=False,
                    hoverinfo="skip",
                    meta=meta,
                )
            )
    for k, path in enumerate(paths):
        if len(path) < 2:
            continue
        px: list[float] = []
        py: list[float] = []
        for a, b in pairwise(path):
            bx, by = _curve(x[a], y[a], x[b], y[b])  # along the move's own curve
            px += bx.tolist()
            py += by.tolist()
        fig.add_trace(
            go.Scatter(
                x=px,
                y=py,
                mode="lines",
                name="status-quo path" if k == 0 else None,
                legendgroup="sq-path",
                showlegend=k == 0,
                line={"color": "#000", "width": 4},
                opacity=0.7,
                hoverinfo="skip",
            )
        )
    concepts = list((equilibria or {}).items())
    stable_for = [[plain(c) for c, eq in concepts if i in set(eq)] for i in range(n)]
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="markers+text",
            name="states (number; hover for the options)",
            text=[str(i + 1) for i in range(n)],
            textposition="middle center",
            textfont={"color": "#fff", "size": 11},
            customdata=[
                plain(state_labels[i])
                + ("<br>equilibrium: " + ", ".join(stable_for[i]) if stable_for[i] else "")
                + ("<br>status quo" if i == status_quo else "")
                for i in range(n)
            ],
            hovertemplate="%{customdata}<extra></extra>",
            marker={
                "size": 24,
                "color": ["#333333" if stable_for[i] else "#9a9a9a" for i in range(n)],
                "line": {
                    "width": [4 if i == status_quo else 0 for i in range(n)],
                    "color": "#000",
                },
            },
        )
    )
    if status_quo is not None:
        fig.add_annotation(
            x=float(x[status_quo]),
            y=float(y[status_quo]),
            text="status quo",
            showarrow=True,
            arrowhead=0,
            ax=0,
            ay=-26,
            font={"size": 11},
        )
    # Each concept's equilibria: one marker per state, the concepts side by side under the state.
    width = 0.11
    for c, (label, eq) in enumerate(concepts):
        idx = sorted(set(int(i) for i in eq))
        dx = (c - (len(concepts) - 1) / 2) * width
        fig.add_trace(
            go.Scatter(
                x=[x[i] + dx for i in idx],
                y=[y[i] + 0.32 for i in idx],
                mode="markers",
                name=f"{plain(label)} equilibrium",
                marker={
                    "symbol": CONCEPT_SYMBOLS[c % len(CONCEPT_SYMBOLS)],
                    "size": 8,
                    "color": SOLUTION_SHADES[c % 3],
                },
                customdata=[f"state {i + 1}: {plain(label)} equilibrium" for i in idx],
                hovertemplate="%{customdata}<extra></extra>",
                meta={"concept": label, "states": [i + 1 for i in idx]},
            )
        )
    n_cols = max(len(columns), int(x.max()) + 1 if n else 1)
    n_rows = max(len(rows), int(y.max()) + 1 if n else 1)
    fig.update_xaxes(
        title=plain(column_title),
        tickvals=list(range(len(columns))),
        ticktext=[plain(c) for c in columns],
        range=[-0.6, n_cols - 0.4],
        showgrid=False,
        zeroline=False,
    )
    fig.update_yaxes(
        title=plain(row_title),
        tickvals=list(range(len(rows))),
        ticktext=[plain(r) for r in rows],
        range=[n_rows - 0.4, -0.6],
        showgrid=False,
        zeroline=False,
    )
    fig = _layout(
        fig,
        "Conflict: states, unilateral improvements, equilibria by concept",
        height=max(420, 70 * n_rows + 200),
    )
    fig.update_layout(margin={"l": 180})
    return fig


def _wrapped(text: str, width: int = 60) -> str:
    """Plain text broken into lines of at most ``width`` characters (Plotly's ``<br>``)."""
    import textwrap

    return "<br>".join(plain(line) for line in textwrap.wrap(text, width)) or plain(text)


def forecast_trajectories(
    dimensions: Sequence[tuple[str, Sequence[str], np.ndarray, np.ndarray]],
    *,
    colours: Sequence[Sequence[str]] | None = None,
    actor_ids: Sequence[Sequence[str]] | None = None,
    scale_notes: Sequence[str] | None = None,
    scales: Sequence[tuple[float, float]] | None = None,
) -> go.Figure:
    """One panel per dimension: (label, actor names, positions (rounds, actors), mean per round).

    ``colours[c][a]`` is actor a's colour in panel c (an actor of a party has the party's colour);
    ``scale_notes`` says what the ends of each panel's scale mean (printed under its title) and
    ``scales`` gives the y range.
    """
    from plotly.subplots import make_subplots

    k = max(len(dimensions), 1)
    titles = []
    for c, d in enumerate(dimensions):
        note = scale_notes[c] if scale_notes is not None else ""
        titles.append(plain(d[0]) + ("<br>" + _wrapped(note, 70 // k + 10) if note else ""))
    fig = make_subplots(rows=1, cols=k, subplot_titles=titles or [""])
    for c, (_label, actors, positions, mean) in enumerate(dimensions, start=1):
        pos = np.asarray(positions, dtype=np.float64)
        rounds = np.arange(pos.shape[0])
        for a, actor in enumerate(actors):
            name = plain(actor)
            colour = colours[c - 1][a] if colours is not None else PALETTE[a % len(PALETTE)]
            fig.add_trace(
                go.Scatter(
                    x=rounds,
                    y=pos[:, a],
                    mode="lines+markers",
                    name=name,
                    legendgroup=name,
                    showlegend=c == 1,
                    line={"color": colour},
                    customdata=[name] * pos.shape[0],
                    hovertemplate="%{customdata}: %{y:.1f} (round %{x})<extra></extra>",
                    meta=None if actor_ids is None else {"party": actor_ids[c - 1][a]},
                ),
                row=1,
                col=c,
            )
        fig.add_trace(
            go.Scatter(
                x=rounds,
                y=np.asarray(mean),
                mode="lines",
                name="weighted mean",
                legendgroup="mean",
                showlegend=c == 1,
                line={"color": "#000", "dash": "dash", "width": 3},
            ),
            row=1,
            col=c,
        )
        fig.update_xaxes(title_text="round", row=1, col=c)
        if scales is not None:
            lo, hi = scales[c - 1]
            pad = 0.03 * (hi - lo)
            fig.update_yaxes(
                title_text=f"position ({lo:g} to {hi:g})",
                range=[lo - pad, hi + pad],
                row=1,
                col=c,
            )
        else:
            fig.update_yaxes(title_text="position", row=1, col=c)
    fig.update_annotations(font={"size": 12})
    fig = _layout(fig, "Forecast: positions per actor, round by round", height=500)
    fig.update_layout(margin={"t": 110})
    return fig


def sequencing_gantt(
    rows: Sequence[Mapping[str, Any]],
    step_ids: Sequence[str],
    step_owner: Sequence[str],
    party_names: Mapping[str, str],
    colours: Mapping[str, str] | None = None,
) -> go.Figure:
    """Gantt-style chart: a bar per (step, round) with the share delivered as its opacity/text.

    Bars are in the owner's party colour (``colours``: party id → colour).
    """
    owners = list(dict.fromkeys(step_owner))
    fig = go.Figure()
    for k, owner in enumerate(owners):
        mine = [r for r in rows if r["owner"] == owner]
        colour = (colours or {}).get(owner, PALETTE[k % len(PALETTE)])
        fig.add_trace(
            go.Bar(
                x=[1.0] * len(mine),
                base=[r["round"] - 0.5 for r in mine],
                y=[plain(r["step"]) for r in mine],
                orientation="h",
                name=f"step by {plain(party_names.get(owner, owner))}",
                marker={
                    "color": colour,
                    "opacity": [0.35 + 0.65 * float(r["share"]) for r in mine],
                },
                text=[f"{float(r['share']):.0%}" for r in mine],
                textposition="inside",
                hovertemplate="%{y}: %{text} in round %{customdata}<extra></extra>",
                customdata=[r["round"] for r in mine],
                meta={"party": owner},
            )
        )
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(
        categoryorder="array", categoryarray=[plain(s) for s in step_ids][::-1], title="step"
    )
    fig.update_xaxes(title="round", dtick=1)
    return _layout(fig, "Sequencing: share of each step delivered per round", height=420)


def outcome_distribution(values: np.ndarray, label: str, bins: int = 30) -> go.Figure:
    """Distribution of a sweep's outcome: bars over ``numpy.histogram`` bins (count per bin)."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    counts, edges = np.histogram(v, bins=bins) if v.size else (np.zeros(0), np.zeros(1))
    text = plain(label)
    fig = go.Figure(
        go.Bar(
            x=(edges[:-1] + edges[1:]) / 2,
            y=counts,
            width=np.diff(edges),
            name=text,
            marker={"color": NEUTRAL, "line": {"width": 0.5, "color": "#fff"}},
            customdata=np.column_stack([edges[:-1], edges[1:]]) if counts.size else None,
            hovertemplate="[%{customdata[0]:.3g}, %{customdata[1]:.3g}): %{y} samples"
            "<extra></extra>",
        )
    )
    fig.update_layout(bargap=0)
    fig.update_xaxes(title=text)
    fig.update_yaxes(title="samples")
    return _layout(fig, f"Sweep: distribution of {text}")


def tornado(
    names: Sequence[str], low: Sequence[float], high: Sequence[float], base: float
) -> go.Figure:
    """Tornado chart: the outcome at each parameter's low and high value, widest bar on top."""
    lo, hi = np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)
    order = np.argsort(np.abs(hi - lo), kind="stable")
    labels = [plain(names[i]) for i in order]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=labels,
            x=lo[order] - base,
            base=base,
            orientation="h",
            name="parameter at its low value",
            marker={"color": "#9a9a9a"},
        )
    )
    fig.add_trace(
        go.Bar(
            y=labels,
            x=hi[order] - base,
            base=base,
            orientation="h",
            name="parameter at its high value",
            marker={"color": "#333333"},
        )
    )
    fig.update_layout(barmode="overlay")
    fig.add_vline(x=base, line={"color": "#000", "width": 1})
    fig.update_xaxes(title="deal margin (best smallest gain over the walk-away values)")
    return _layout(fig, "Sweep: which parameters move the outcome most (tornado)")


def regime_bars(
    regimes: Sequence[str], belief: Sequence[float], truth: Sequence[float]
) -> go.Figure:
    """P(no deal) per information regime, under the proposer's belief and the true bottom line."""
    fig = go.Figure()
    labels = [plain(r) for r in regimes]
    fig.add_bar(x=labels, y=list(belief), name="under the proposer's belief",
                marker_color="#9a9a9a")  # fmt: skip
    fig.add_bar(x=labels, y=list(truth), name="under the true bottom line",
                marker_color="#333333")  # fmt: skip
    fig.update_yaxes(title="P(no deal): 0 = a deal for sure, 1 = never", range=[0, 1])
    fig.update_layout(barmode="group")
    return _layout(fig, "Incomplete information: P(no deal) by regime", height=360)


def posterior_bars(
    title: str, messages: Sequence[str], types: Sequence[str], posteriors: Sequence[Sequence[float]]
) -> go.Figure:
    """The receiver's posterior over the sender's types after each on-path message."""
    fig = go.Figure()
    labels = [plain(m) for m in messages]
    for k, t in enumerate(types):
        fig.add_bar(x=labels, y=[p[k] for p in posteriors], name=f"P({plain(t)} | message)",
                    marker_color=SOLUTION_SHADES[k % len(SOLUTION_SHADES)])  # fmt: skip
    fig.update_yaxes(title="receiver's posterior probability of each type", range=[0, 1])
    fig.update_layout(barmode="stack")
    return _layout(fig, f"{plain(title)}: what each message reveals (first equilibrium)", 340)


def winset_bars(
    labels: Sequence[str], sizes: Sequence[int], colours: Sequence[str] | None = None,
    party_ids: Sequence[str | None] | None = None,
) -> go.Figure:  # fmt: skip
    """How many packages each level allows: the leaders' zone, each win-set, the two-level zone.

    ``colours`` gives each bar's colour (a party's win-set in the party's colour).
    """
    fig = go.Figure(
        go.Bar(
            x=[plain(x) for x in labels],
            y=list(sizes),
            marker_color=list(colours) if colours is not None else NEUTRAL,
            meta=None if party_ids is None else {"parties": list(party_ids)},
        )
    )
    fig.update_yaxes(title="packages (outcomes) allowed")
    return _layout(fig, "Two-level game: packages each level allows", height=340)
