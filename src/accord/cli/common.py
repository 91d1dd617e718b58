"""Helpers shared by the CLI commands: loading a scenario argument, JSON output, error handling.

The CLI is a thin edge (DESIGN.md §2): parse, call an engine, print. Bad input exits with code 2
and a one-paragraph message; an internal error exits with 1.
"""

from __future__ import annotations

import errno
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING, Any, NoReturn, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from accord.errors import AccordError, EngineInputError, ScenarioError

if TYPE_CHECKING:
    from accord.scenario.model import Scenario

# Markup is off: user text prints verbatim (accord.cli.render explains how output is styled).
console = Console(highlight=False, markup=False, emoji=False)
err_console = Console(stderr=True, highlight=False, markup=False, emoji=False)

P = ParamSpec("P")
R = TypeVar("R")

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2


def load_scenario_arg(ref: str) -> Scenario:
    """Load a scenario given as a path or a built-in id (raises ScenarioError)."""
    from accord.io.scenario_file import load_scenario

    return load_scenario(ref)


def print_json(obj: Any) -> None:
    """Print one JSON document on stdout (machine-readable output of ``--json``)."""
    from accord.app.jsonable import to_jsonable

    sys.stdout.write(json.dumps(to_jsonable(obj), indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def print_result(
    scenario_id: str, settings: Any, seed: int | None, payload: dict[str, Any]
) -> None:
    """Print ``payload`` in the envelope every ``--json`` output carries: the scenario, Accord's
    version, the settings used and the seed (an engine's own ``settings`` key is kept inside)."""
    from accord import __version__

    body = dict(payload)
    own = body.pop("settings", None)
    merged = {**(own if isinstance(own, dict) else {}), **(settings or {})}
    body.pop("scenario", None)
    body.pop("seed", None)
    print_json(
        {
            "scenario": scenario_id,
            "accord_version": __version__,
            "settings": merged,
            "seed": seed,
            **body,
        }
    )


def print_engine_result(er: Any, scenario: Any, payload: dict[str, Any] | None = None) -> None:
    """An engine result (:class:`accord.app.run.EngineResult`) in the ``--json`` envelope."""
    print_result(
        scenario.id, er.settings.to_dict(), er.seed, er.to_dict() if payload is None else payload
    )


DEFAULT_LIST_LIMIT = 1000
"""Items a ``--json`` listing holds by default (``--limit N``; ``--limit 0`` lists all). A capped
listing says how many items exist and how many are listed (``<key>_count``, ``<key>_listed``)."""

LIMIT_HELP = "List at most this many items per large list in --json (0: all)."


def list_limit(limit: int) -> int | None:
    """The ``--limit`` value as an engine's cap: None (all) for 0; refuses a negative value."""
    if limit < 0:
        raise EngineInputError(f"--limit must be 0 (all) or more, got {limit}")
    return None if limit == 0 else limit


def engine_payload(er: Any, raw: dict[str, Any]) -> dict[str, Any]:
    """``er.to_dict()`` with the engine's own part replaced by ``raw`` (built with a cap), so the
    uncapped listing is never built."""
    return {
        **raw,
        "settings": er.settings.to_dict(),
        "seed": er.seed,
        "headlines": dict(er.headlines),
        "findings": [f.to_dict() for f in er.findings],
    }


def show_progress(flag: bool) -> bool:
    """Whether to draw a progress bar: asked for with ``--progress``, or stderr is a terminal
    (never under ``--json``, whose stdout stays one JSON document either way)."""
    return flag or (err_console.is_terminal and not JSON_ERRORS)


@contextmanager
def progress_bar(label: str, enabled: bool) -> Iterator[None]:
    """A Rich progress bar on stderr fed by the engines' progress callbacks
    (:func:`accord.budget.progress_scope`); does nothing when ``enabled`` is false."""
    from accord.budget import progress_scope

    if not enabled:
        yield
        return
    if not err_console.is_terminal:  # asked for with --progress: plain lines, a few seconds apart
        with progress_scope(_line_progress(label)):
            yield
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    )
    task = bar.add_task(label, total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=max(total, 1))

    with bar, progress_scope(update):
        yield


PROGRESS_LINE_EVERY_S = 2.0
"""Seconds between two progress lines when stderr is not a terminal."""


def _line_progress(label: str) -> Callable[[int, int], None]:
    import time

    start = time.monotonic()
    last = [start - PROGRESS_LINE_EVERY_S]

    def update(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_LINE_EVERY_S and done < total:
            return
        last[0] = now
        share = done / total if total > 0 else 0.0
        left = (now - start) * (1 - share) / share if share > 0 else None
        eta = "" if left is None else f", about {left:.0f} s left"
        sys.stderr.write(f"{label}: {share:.0%} ({done:,} of {total:,}{eta})\n")
        sys.stderr.flush()

    return update


def guarded(func: Callable[P, R]) -> Callable[P, R]:
    """Turn Accord's errors into a one-paragraph message and the documented exit codes."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        json_mode(any(kwargs.get(k) is True for k in ("json_out", "as_json", "json")))
        try:
            return func(*args, **kwargs)
        except (ScenarioError, EngineInputError) as exc:
            _error("error", str(exc))
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except AccordError as exc:
            _error("error", str(exc))
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except MemoryError:
            _error("error", "ran out of memory; try a smaller outcome space or fewer runs.")
            raise typer.Exit(EXIT_INTERNAL) from None
        except OSError as exc:
            why = environment_error(exc)
            if why is None:
                _internal(exc)
            _error("error", str(why))
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except ModuleNotFoundError as exc:
            from accord.app.extras import extra_for_module

            extra = extra_for_module(exc.name or "")
            if extra is None:
                _internal(exc)
            _error("error", f"install accord[{extra}] for this command ({exc.name} is missing).")
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except Exception as exc:  # an internal error: say so plainly, exit 1
            _internal(exc)

    return wrapper


_ENVIRONMENT = {
    errno.ENOSPC: "the disk is full: free space, then run the command again",
    errno.EDQUOT: "the disk quota is used up: free space, then run the command again",
    errno.EROFS: "the file system is read-only: write somewhere else (see --help for -o/--out)",
    errno.EACCES: "permission denied: write somewhere you may, or change the permissions",
    errno.EPERM: "the operation is not permitted here: choose another place",
    errno.ENOENT: "no such file or folder: check the path",
    errno.ENOTDIR: "a part of the path is not a folder: check the path",
    errno.EISDIR: "this is a folder, not a file: give a file name",
}


def environment_error(exc: OSError) -> str | None:
    """The machine's refusal (disk full, read-only, no permission, no such path) in words with
    the way out; None for any other OSError, which is a bug."""
    what = _ENVIRONMENT.get(exc.errno or -1)
    if what is None:
        return None
    where = f" ({exc.filename})" if exc.filename else ""
    return f"{what}{where}."


def _error(label: str, message: str) -> None:
    from accord.cli.render import clean

    if JSON_ERRORS:
        sys.stdout.write(json.dumps({"error": clean(message), "kind": label}) + "\n")
        return
    text = Text(f"{label}: ", style="bold red")
    text.append(clean(message))
    err_console.print(text, soft_wrap=True)


def _internal(exc: BaseException) -> NoReturn:
    _error(
        "internal error",
        f"{type(exc).__name__}: {exc}. This is a bug in Accord; please report it with the "
        "command you ran.",
    )
    raise typer.Exit(EXIT_INTERNAL) from None


JSON_ERRORS = False
"""Set by commands run with ``--json``: errors are then one JSON object on stdout."""


def json_mode(enabled: bool) -> None:
    global JSON_ERRORS
    JSON_ERRORS = bool(enabled)
