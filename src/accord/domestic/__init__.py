"""Two-level games: domestic ratification, win-sets, tying hands and outside options.

Array level: :mod:`accord.domestic.winsets` (win-sets, the two-level zone, solutions inside it),
:mod:`accord.domestic.probability` (exact and sampled ratification probabilities, Iida's
take-it-or-leave-it offer), :mod:`accord.domestic.outside` (Binmore–Shaked–Sutton). Scenario
level: :func:`ratify` → :class:`RatifyResult`, and :func:`findings`.
"""

from accord.domestic.analysis import RatifyResult, ratify
from accord.domestic.findings import findings
from accord.domestic.outside import (
    OutsideOptionSplit,
    outside_option_split,
    outside_option_split_reference,
)
from accord.domestic.probability import pass_probability, take_it_or_leave_it
from accord.domestic.winsets import solve_masked, win_set_mask

__all__ = [
    "OutsideOptionSplit",
    "RatifyResult",
    "findings",
    "outside_option_split",
    "outside_option_split_reference",
    "pass_probability",
    "ratify",
    "solve_masked",
    "take_it_or_leave_it",
    "win_set_mask",
]
