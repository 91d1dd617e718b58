"""Helpers shared by the CLI commands: loading a scenario argument, JSON output, error handling.

The CLI is a thin edge (DESIGN.md §2): parse, call an engine, print. Bad input exits with code 2
and a one-paragraph message; an internal error exits with 1.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from accord.errors import AccordError, EngineInputError, ScenarioError

if TYPE_CHECKING:
    from accord.scenario.model import Scenario

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

P = ParamSpec("P")
R = TypeVar("R")

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2


def load_scenario_arg(ref: str) -> Scenario:
    """Load a scenario given as a path or a built-in id (raises ScenarioError)."""
    from accord.io.scenario_file import load_scenario

    return load_scenario(ref)


def to_jsonable(obj: Any) -> Any:
    """Convert results (dataclasses with to_dict, NumPy scalars and arrays) to plain JSON types."""
    import numpy as np

    if hasattr(obj, "to_dict"):
        return to_jsonable(obj.to_dict())
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating | float):
        f = float(obj)
        return f if f == f and f not in (float("inf"), float("-inf")) else None
    return obj


def print_json(obj: Any) -> None:
    """Print one JSON document on stdout (machine-readable output of ``--json``)."""
    sys.stdout.write(json.dumps(to_jsonable(obj), indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def guarded(func: Callable[P, R]) -> Callable[P, R]:
    """Turn Accord's errors into a one-paragraph message and the documented exit codes."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except (ScenarioError, EngineInputError) as exc:
            err_console.print(f"[bold red]error:[/] {exc}", soft_wrap=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except AccordError as exc:
            err_console.print(f"[bold red]error:[/] {exc}", soft_wrap=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except MemoryError:
            err_console.print(
                "[bold red]error:[/] ran out of memory; try a smaller outcome space or fewer runs."
            )
            raise typer.Exit(EXIT_INTERNAL) from None
        except Exception as exc:  # an internal error: say so plainly, exit 1
            err_console.print(
                f"[bold red]internal error:[/] {type(exc).__name__}: {exc}. This is a bug in "
                "Accord; please report it with the command you ran.",
                soft_wrap=True,
            )
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper
