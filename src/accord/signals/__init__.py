"""Signalling games: costly signals, beliefs and credibility (the ``signals:`` section).

A finite signalling game (Cho & Kreps 1987) is solved for every pure-strategy perfect Bayesian
equilibrium (:mod:`accord.signals.solver`, checked against the brute force of
:mod:`accord.signals.reference`), each with its kind, posteriors, admissible off-path beliefs,
payoffs and the intuitive criterion; two-type games without a pure equilibrium get their hybrid
equilibria. :mod:`accord.signals.readings` says which messages are informative, costly or cheap,
sunk or hand-tying (Fearon 1997), and what single change would make separation appear or vanish.

Example::

    >>> from accord.signals import beer_quiche, solve
    >>> [e.kind for e in solve(beer_quiche(0.9)).equilibria]
    ['pooling', 'pooling']
"""

from accord.signals.batch import solve_batch
from accord.signals.engine import (
    GameAnalysis,
    analyse_game,
    findings,
    game_from_section,
    select_games,
)
from accord.signals.game import MAX_SIZE, SignallingGame, beer_quiche
from accord.signals.readings import MessageReading, Threshold, message_readings, what_it_would_take
from accord.signals.reference import reference_equilibria
from accord.signals.solver import Equilibrium, Hybrid, Solution, separating_exists, solve

__all__ = [
    "MAX_SIZE",
    "Equilibrium",
    "GameAnalysis",
    "Hybrid",
    "MessageReading",
    "SignallingGame",
    "Solution",
    "Threshold",
    "analyse_game",
    "beer_quiche",
    "findings",
    "game_from_section",
    "message_readings",
    "reference_equilibria",
    "select_games",
    "separating_exists",
    "solve",
    "solve_batch",
    "what_it_would_take",
]
