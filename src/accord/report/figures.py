"""Plotly figures of the engines' results: pure functions from results to ``go.Figure``.

The same figures appear in the HTML report and, as Plotly JSON, in the web app. Each function takes
what it draws (arrays, names, the engine's frozen result) and returns a new figure; none reads a
file or the network.

* :func:`utility_space`: every outcome in the utility plane of two parties, the Pareto frontier,
  each party's reservation line, the zone of possible agreement (the region above both reservation
  lines; Raiffa 1982, *The Art and Science of Negotiation*, ch. 4), the bargaining solutions and the
  named proposals.
* :func:`concession_curves`: each offer's utility to every party, round by round.
* :func:`strategy_matrix`: agreement rate for each pair of strategies.
* :func:`conflict_graph`: feasible states of a graph model, unilateral improvements, equilibria and
  the status-quo paths (Fang, Hipel & Kilgour 1993).
* :func:`forecast_trajectories`: each actor's position per round on each dimension.
* :func:`sequencing_gantt`: the share of each step delivered in each round.

Example::

    >>> import numpy as np
    >>> fig = utility_space(np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]), ("A", "B"),
    ...                     reservation=np.array([0.2, 0.2]), pareto=np.array([0, 1, 2]))
    >>> [t.name for t in fig.data][:2]
    ['all outcomes', 'Pareto frontier']
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf")
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
MAX_POINTS = 20_000
"""Outcomes drawn in the utility plane; larger spaces are thinned evenly (the frontier is kept)."""


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": 15}},
        template="plotly_white",
        height=height,
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
        legend={"orientation": "h", "y": -0.18},
        font={"family": "system-ui, sans-serif", "size": 12},
    )
    return fig


def utility_space(
    utilities: np.ndarray,
    party_names: Sequence[str],
    *,
    reservation: np.ndarray,
    pareto: np.ndarray,
    solutions: Mapping[str, int | None] | None = None,
    proposals: Sequence[tuple[str, Sequence[float]]] = (),
    hover: Sequence[str] | None = None,
) -> go.Figure:
    """Outcomes of the first two parties' utilities (x: first party, y: second party).

    ``pareto`` holds the frontier's outcome indices, ``solutions`` maps a solution's name to its
    outcome index, ``proposals`` are (name, utilities) pairs.
    """
    u = np.asarray(utilities, dtype=np.float64)
    n = u.shape[0]
    show = np.arange(n) if n <= MAX_POINTS else np.linspace(0, n - 1, MAX_POINTS).astype(np.int64)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=u[show, 0],
            y=u[show, 1],
            mode="markers",
            name="all outcomes" if n <= MAX_POINTS else f"outcomes ({show.size:,} of {n:,})",
            marker={"size": 5, "color": "rgba(120,120,120,0.35)"},
            text=None if hover is None else [hover[int(i)] for i in show],
            hovertemplate="%{text}<br>(%{x:.3f}, %{y:.3f})<extra></extra>"
            if hover is not None
            else "(%{x:.3f}, %{y:.3f})<extra></extra>",
        )
    )
    front = np.asarray(pareto, dtype=np.int64)
    front = front[np.argsort(u[front, 0], kind="stable")]
    fig.add_trace(
        go.Scatter(
            x=u[front, 0],
            y=u[front, 1],
            mode="lines+markers",
            name="Pareto frontier",
            line={"color": PALETTE[0], "width": 2, "shape": "hv"},
            marker={"size": 6, "color": PALETTE[0]},
            text=None if hover is None else [hover[i] for i in front],
            hovertemplate="%{text}<br>(%{x:.3f}, %{y:.3f})<extra>frontier</extra>"
            if hover is not None
            else "(%{x:.3f}, %{y:.3f})<extra>frontier</extra>",
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
        fillcolor="rgba(44,160,44,0.10)",
        line={"width": 0},
        layer="below",
    )
    fig.add_trace(
        go.Scatter(
            x=[r[0], r[0], None, r[0], x_hi],
            y=[r[1], y_hi, None, r[1], r[1]],
            mode="lines",
            name="reservation values (zone of agreement shaded)",
            line={"color": PALETTE[2], "dash": "dash"},
            hoverinfo="skip",
        )
    )
    for k, (name, index) in enumerate((solutions or {}).items()):
        if index is None:
            continue
        fig.add_trace(
            go.Scatter(
                x=[u[index, 0]],
                y=[u[index, 1]],
                mode="markers",
                name=SOLUTION_LABELS.get(name, name),
                marker={
                    "size": 14,
                    "symbol": SOLUTION_SYMBOLS.get(name, "circle"),
                    "color": PALETTE[(k + 3) % len(PALETTE)],
                    "line": {"width": 1, "color": "#333"},
                },
                text=None if hover is None else [hover[index]],
                hovertemplate="%{text}<br>(%{x:.3f}, %{y:.3f})<extra>" + name + "</extra>"
                if hover is not None
                else "(%{x:.3f}, %{y:.3f})<extra>" + name + "</extra>",
            )
        )
    for name, pu in proposals:
        fig.add_trace(
            go.Scatter(
                x=[pu[0]],
                y=[pu[1]],
                mode="markers+text",
                name=f"proposal: {name}",
                text=[name],
                textposition="top center",
                marker={"size": 12, "symbol": "circle-open", "color": "#000", "line": {"width": 2}},
                hovertemplate=name + "<br>(%{x:.3f}, %{y:.3f})<extra>proposal</extra>",
            )
        )
    fig.update_xaxes(title=f"utility to {party_names[0]}", range=[-0.03, 1.03])
    fig.update_yaxes(title=f"utility to {party_names[1]}", range=[-0.03, 1.03])
    return _layout(fig, "Utility space: outcomes, frontier, zone of agreement", height=520)


def concession_curves(
    offer_utilities: np.ndarray,
    proposers: Sequence[int],
    party_names: Sequence[str],
    *,
    reservation: np.ndarray | None = None,
    title: str = "Concession curves of the simulated negotiation",
) -> go.Figure:
    """Utility of each round's offer (rows) to each party (columns); markers by proposer."""
    u = np.asarray(offer_utilities, dtype=np.float64).reshape(len(proposers), len(party_names))
    rounds = np.arange(1, u.shape[0] + 1)
    fig = go.Figure()
    for j, name in enumerate(party_names):
        color = PALETTE[j % len(PALETTE)]
        fig.add_trace(
            go.Scatter(
                x=rounds,
                y=u[:, j],
                mode="lines+markers",
                name=f"utility to {name}",
                line={"color": color},
                marker={
                    "symbol": ["circle" if p == j else "circle-open" for p in proposers],
                    "size": 8,
                    "color": color,
                },
                hovertemplate="round %{x}: %{y:.3f}<extra>" + name + "</extra>",
            )
        )
        if reservation is not None:
            fig.add_hline(
                y=float(reservation[j]),
                line={"color": color, "dash": "dot", "width": 1},
                annotation_text=f"{name} reservation",
                annotation_position="bottom right",
            )
    fig.update_xaxes(title="round (filled marker: the party's own offer)")
    fig.update_yaxes(title="utility of the offer", range=[-0.03, 1.03])
    return _layout(fig, title)


def strategy_matrix(
    agreement_rate: np.ndarray,
    mean_utilities: np.ndarray,
    strategies: Sequence[str],
    party_names: Sequence[str],
) -> go.Figure:
    """Heat map of the agreement rate; each cell's text gives both parties' mean utilities."""
    rate = np.asarray(agreement_rate, dtype=np.float64)
    mu = np.asarray(mean_utilities, dtype=np.float64)
    text = [
        [f"{rate[i, j]:.0%}<br>{mu[i, j, 0]:.2f} / {mu[i, j, 1]:.2f}" for j in range(rate.shape[1])]
        for i in range(rate.shape[0])
    ]
    fig = go.Figure(
        go.Heatmap(
            z=rate,
            x=list(strategies),
            y=list(strategies),
            text=text,
            texttemplate="%{text}",
            zmin=0,
            zmax=1,
            colorscale="Blues",
            colorbar={"title": "agreement"},
            hovertemplate=f"{party_names[0]}: %{{y}}<br>{party_names[1]}: %{{x}}<br>"
            "%{text}<extra></extra>",
        )
    )
    fig.update_xaxes(title=f"strategy of {party_names[1]}", side="bottom")
    fig.update_yaxes(title=f"strategy of {party_names[0]}", autorange="reversed")
    return _layout(
        fig,
        f"Strategy matrix: agreement rate; mean utility {party_names[0]} / {party_names[1]}",
        height=460,
    )


def conflict_graph(
    state_labels: Sequence[str],
    improvements: Sequence[tuple[np.ndarray, np.ndarray]],
    dm_names: Sequence[str],
    *,
    equilibria: Sequence[int] = (),
    status_quo: int | None = None,
    paths: Sequence[Sequence[int]] = (),
) -> go.Figure:
    """States on a circle; arrows for each decision maker's unilateral improvements.

    States are 0-based indices here; ``equilibria`` and ``paths`` too. Stable states are drawn
    large and green, the status quo with a black ring, the status-quo paths as thick lines.
    """
    n = len(state_labels)
    angle = 2 * math.pi * np.arange(n) / max(n, 1)
    x, y = np.cos(angle), np.sin(angle)
    fig = go.Figure()
    for d, (src, dst) in enumerate(improvements):
        xs: list[float | None] = []
        ys: list[float | None] = []
        for a, b in zip(np.asarray(src).tolist(), np.asarray(dst).tolist(), strict=True):
            xs += [x[a], x[b], None]
            ys += [y[a], y[b], None]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name=f"improvement by {dm_names[d]}",
                line={"color": PALETTE[d % len(PALETTE)], "width": 1},
                opacity=0.5,
                hoverinfo="skip",
            )
        )
        # Arrow heads: a marker near each target, pointing along the edge.
        if len(src):
            s, t = np.asarray(src), np.asarray(dst)
            hx, hy = x[t] * 0.85 + x[s] * 0.15, y[t] * 0.85 + y[s] * 0.15
            ang = np.degrees(np.arctan2(x[t] - x[s], y[t] - y[s]))
            fig.add_trace(
                go.Scatter(
                    x=hx,
                    y=hy,
                    mode="markers",
                    marker={
                        "symbol": "triangle-up",
                        "angle": ang,
                        "size": 8,
                        "color": PALETTE[d % len(PALETTE)],
                    },
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
    for k, path in enumerate(paths):
        if len(path) < 2:
            continue
        fig.add_trace(
            go.Scatter(
                x=[x[i] for i in path],
                y=[y[i] for i in path],
                mode="lines",
                name="status-quo path" if k == 0 else None,
                showlegend=k == 0,
                line={"color": "#000", "width": 3},
                hoverinfo="skip",
            )
        )
    eq = set(equilibria)
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="markers+text",
            name="states (green: equilibrium)",
            text=[str(i + 1) for i in range(n)],
            textposition="middle center",
            textfont={"color": "#fff", "size": 10},
            hovertext=list(state_labels),
            hovertemplate="%{hovertext}<extra></extra>",
            marker={
                "size": [26 if i in eq else 18 for i in range(n)],
                "color": [PALETTE[2] if i in eq else "#7f7f7f" for i in range(n)],
                "line": {
                    "width": [3 if i == status_quo else 0 for i in range(n)],
                    "color": "#000",
                },
            },
        )
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    return _layout(fig, "Conflict: states, unilateral improvements, equilibria", height=520)


def forecast_trajectories(
    dimensions: Sequence[tuple[str, Sequence[str], np.ndarray, np.ndarray]],
) -> go.Figure:
    """One panel per dimension: (label, actor names, positions (rounds, actors), mean per round)."""
    from plotly.subplots import make_subplots

    k = max(len(dimensions), 1)
    fig = make_subplots(rows=1, cols=k, subplot_titles=[d[0] for d in dimensions] or [""])
    for c, (_label, actors, positions, mean) in enumerate(dimensions, start=1):
        pos = np.asarray(positions, dtype=np.float64)
        rounds = np.arange(pos.shape[0])
        for a, actor in enumerate(actors):
            fig.add_trace(
                go.Scatter(
                    x=rounds,
                    y=pos[:, a],
                    mode="lines+markers",
                    name=actor,
                    legendgroup=actor,
                    showlegend=c == 1,
                    line={"color": PALETTE[a % len(PALETTE)]},
                    hovertemplate=actor + ": %{y:.1f} (round %{x})<extra></extra>",
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
    fig.update_yaxes(title_text="position", row=1, col=1)
    return _layout(fig, "Forecast: positions per actor, round by round", height=460)


def sequencing_gantt(
    rows: Sequence[Mapping[str, Any]],
    step_ids: Sequence[str],
    step_owner: Sequence[str],
    party_names: Mapping[str, str],
) -> go.Figure:
    """Gantt-style chart: a bar per (step, round) with the share delivered as its opacity/text."""
    owners = list(dict.fromkeys(step_owner))
    fig = go.Figure()
    for k, owner in enumerate(owners):
        mine = [r for r in rows if r["owner"] == owner]
        fig.add_trace(
            go.Bar(
                x=[1.0] * len(mine),
                base=[r["round"] - 0.5 for r in mine],
                y=[r["step"] for r in mine],
                orientation="h",
                name=f"step by {party_names.get(owner, owner)}",
                marker={
                    "color": PALETTE[k % len(PALETTE)],
                    "opacity": [0.35 + 0.65 * float(r["share"]) for r in mine],
                },
                text=[f"{float(r['share']):.0%}" for r in mine],
                textposition="inside",
                hovertemplate="%{y}: %{text} in round %{customdata}<extra></extra>",
                customdata=[r["round"] for r in mine],
            )
        )
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(categoryorder="array", categoryarray=list(step_ids)[::-1], title="step")
    fig.update_xaxes(title="round", dtick=1)
    return _layout(fig, "Sequencing: share of each step delivered per round", height=420)


def outcome_distribution(values: np.ndarray, label: str) -> go.Figure:
    """Histogram of a sweep's outcome (for example a party's utility across samples)."""
    fig = go.Figure(go.Histogram(x=np.asarray(values, dtype=np.float64), nbinsx=30, name=label))
    fig.update_xaxes(title=label)
    fig.update_yaxes(title="samples")
    return _layout(fig, f"Sweep: distribution of {label}")


def tornado(
    names: Sequence[str], low: Sequence[float], high: Sequence[float], base: float
) -> go.Figure:
    """Tornado chart: the outcome at each parameter's low and high value, widest bar on top."""
    lo, hi = np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)
    order = np.argsort(np.abs(hi - lo), kind="stable")
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=[names[i] for i in order],
            x=lo[order] - base,
            base=base,
            orientation="h",
            name="parameter at its low value",
            marker={"color": PALETTE[1]},
        )
    )
    fig.add_trace(
        go.Bar(
            y=[names[i] for i in order],
            x=hi[order] - base,
            base=base,
            orientation="h",
            name="parameter at its high value",
            marker={"color": PALETTE[0]},
        )
    )
    fig.update_layout(barmode="overlay")
    fig.add_vline(x=base, line={"color": "#000", "width": 1})
    return _layout(fig, "Sweep: which parameters move the outcome most (tornado)")


def regime_bars(
    regimes: Sequence[str], belief: Sequence[float], truth: Sequence[float]
) -> go.Figure:
    """P(no deal) per information regime, under the proposer's belief and the true bottom line."""
    fig = go.Figure()
    fig.add_bar(x=list(regimes), y=list(belief), name="under the proposer's belief",
                marker_color=PALETTE[0])  # fmt: skip
    fig.add_bar(x=list(regimes), y=list(truth), name="under the true bottom line",
                marker_color=PALETTE[2])  # fmt: skip
    fig.update_yaxes(title="P(no deal)", range=[0, 1])
    fig.update_layout(barmode="group")
    return _layout(fig, "Incomplete information: P(no deal) by regime", height=360)


def posterior_bars(
    title: str, messages: Sequence[str], types: Sequence[str], posteriors: Sequence[Sequence[float]]
) -> go.Figure:
    """The receiver's posterior over the sender's types after each on-path message."""
    fig = go.Figure()
    for k, t in enumerate(types):
        fig.add_bar(x=list(messages), y=[p[k] for p in posteriors], name=f"P({t} | message)",
                    marker_color=PALETTE[k % len(PALETTE)])  # fmt: skip
    fig.update_yaxes(title="receiver's posterior", range=[0, 1])
    fig.update_layout(barmode="stack")
    return _layout(fig, f"{title}: what each message reveals (first equilibrium)", height=340)


def winset_bars(labels: Sequence[str], sizes: Sequence[int]) -> go.Figure:
    """How many packages each level allows: the leaders' zone, each win-set, the two-level zone."""
    fig = go.Figure(go.Bar(x=list(labels), y=list(sizes), marker_color=PALETTE[3]))
    fig.update_yaxes(title="packages")
    return _layout(fig, "Two-level game: packages each level allows", height=340)
