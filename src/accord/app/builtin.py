"""The built-in engines' keys, in the order surfaces show them (no imports: the CLI reads this
at start-up, so ``accord --help`` stays fast)."""

BUILTIN_ENGINES = (
    "analyse",
    "simulate",
    "stability",
    "forecast",
    "sequence",
    "information",
    "signals",
    "ratify",
)
"""Modules under :mod:`accord.app.engines` that define a ``SPEC``; each engine's CLI command is
the module of the same name under :mod:`accord.cli`. A module that does not exist is skipped."""
