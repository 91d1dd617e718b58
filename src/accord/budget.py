"""Memory budget, early refusal and progress reporting shared by every engine (issue 19).

**Memory budget.** Before an engine allocates its large arrays it estimates their peak size and
calls :func:`check_memory`; over the budget it raises :class:`accord.errors.EngineInputError`
(the CLI's exit 2 with one paragraph) that states the estimate, the budget and a way out, instead
of running the machine out of memory. The budget is, in order of precedence:

1. the ``budget`` argument of :func:`check_memory` (tests, the Python API);
2. the environment variable ``ACCORD_MEMORY_BUDGET``: bytes, or a number with a suffix ``K``,
   ``M``, ``G`` or ``T`` (powers of 1024; ``KB``/``KiB`` and lower case also read), for example
   ``ACCORD_MEMORY_BUDGET=4G``;
3. otherwise half the machine's physical memory (``SC_PHYS_PAGES × SC_PAGE_SIZE``), further
   capped by what the process may still map when an address-space limit (``RLIMIT_AS``, as set
   by ``ulimit -v``) is in force, so that a capped process refuses rather than dies.

Estimates are upper bounds of the arrays an engine holds at its peak, not measurements; they are
meant to be right within a small factor, which is what a refusal before the allocation needs.

**Progress.** Engines stay pure: a long computation takes an optional
``progress: Callable[[int, int], None] | None`` callback and calls it with (done, total). When
the argument is not given the engine calls :func:`current_progress`, the callback a surface has
installed with :func:`progress_scope` (the CLI installs a Rich bar on stderr), or nothing. The
callback only observes; it cannot change a result.

**Limits.** Work limits (actors × rounds, indivisible steps, CSV dimensions) are constants beside
each engine with a docstring; :func:`refuse_over` raises the uniform message for them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from accord.errors import EngineInputError

ENV_VAR = "ACCORD_MEMORY_BUDGET"
"""Environment variable that sets the memory budget (bytes, or with a K/M/G/T suffix)."""

DEFAULT_FRACTION = 0.5
"""Share of the machine's physical memory used as the default budget."""

ADDRESS_SPACE_SHARE = 0.85
"""Share of the address space still free under ``RLIMIT_AS`` that the budget may use (the rest
is left for the interpreter's own growth and the libraries' temporaries)."""

Progress = Callable[[int, int], None]
"""A progress callback: ``progress(done, total)``."""

_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*([kmgt]?)(?:i?b)?\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """Bytes from ``"4G"``, ``"512M"``, ``"1.5GiB"`` or ``"1000000"`` (powers of 1024).

    >>> parse_size("4G"), parse_size("512m"), parse_size("1000")
    (4294967296, 536870912, 1000)
    """
    match = _SIZE.match(text)
    if match is None:
        raise EngineInputError(
            f"{ENV_VAR}={text!r} is not a size; give bytes or a number with K, M, G or T, for "
            f"example {ENV_VAR}=4G"
        )
    value = float(match.group(1)) * _UNITS[match.group(2).lower()]
    if not value >= 1:
        raise EngineInputError(f"{ENV_VAR}={text!r} must be at least one byte, for example 4G")
    return int(value)


def human(n_bytes: float) -> str:
    """A size in the largest fitting binary unit, e.g. ``"3.7 GiB"``.

    >>> human(1536), human(14 * 1024**3)
    ('1.5 KiB', '14.0 GiB')
    """
    value = float(n_bytes)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(value) < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def physical_memory() -> int | None:
    """The machine's physical memory in bytes, or None where the platform does not say."""
    try:
        return int(os.sysconf("SC_PHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, OSError, ValueError):
        return None


def _address_space_left() -> int | None:
    """Bytes the process may still map under a soft ``RLIMIT_AS``; None without such a limit."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY or soft <= 0:
        return None
    used = 0
    try:
        with open("/proc/self/statm") as fh:
            used = int(fh.read().split()[0]) * int(os.sysconf("SC_PAGE_SIZE"))
    except (OSError, ValueError, IndexError):
        pass
    return max(int((soft - used) * ADDRESS_SPACE_SHARE), 0)


def memory_budget() -> tuple[int, str]:
    """The budget in bytes and where it comes from (for the refusal's message)."""
    text = os.environ.get(ENV_VAR)
    if text is not None and text.strip():
        return parse_size(text), f"set by {ENV_VAR}"
    phys = physical_memory()
    budget, source = (
        (int(phys * DEFAULT_FRACTION), "half this machine's memory")
        if phys
        else (8 * 1024**3, "a default of 8 GiB")
    )
    left = _address_space_left()
    if left is not None and left < budget:
        budget, source = left, "what the address-space limit (ulimit -v) leaves"
    return budget, source


def check_memory(
    estimate_bytes: float, what: str, way_out: str, *, budget: int | None = None
) -> None:
    """Refuse (EngineInputError) when ``estimate_bytes`` is over the memory budget.

    ``what`` names the computation ("the bargaining analysis of 49,000,000 outcomes × 3
    parties"), ``way_out`` says what the user can change ("narrow the issues or use a larger
    step"); the message adds the estimate, the budget and how to raise it.
    """
    if budget is None:
        limit, source = memory_budget()
    else:
        limit, source = int(budget), "given"
    if estimate_bytes <= limit:
        return
    raise EngineInputError(
        f"{what} needs about {human(estimate_bytes)} of memory, more than the memory budget of "
        f"{human(limit)} ({source}). {way_out.rstrip('.')}; or raise the budget with {ENV_VAR} "
        f"(for example {ENV_VAR}={_suggest(estimate_bytes)}) if this machine has the memory"
    )


def _suggest(estimate_bytes: float) -> str:
    gib = estimate_bytes * 1.25 / 1024**3
    return f"{max(1, int(gib + 0.999))}G"


def refuse_over(value: float, limit: float, what: str, way_out: str) -> None:
    """Refuse (EngineInputError) when ``value`` is over a documented work ``limit``."""
    if value <= limit:
        return
    raise EngineInputError(
        f"{what} is {value:,.0f}, over the limit of {limit:,.0f}. {way_out.rstrip('.')}"
    )


# ----------------------------------------------------------------------------- progress

_PROGRESS: ContextVar[Progress | None] = ContextVar("accord_progress", default=None)


def current_progress() -> Progress | None:
    """The progress callback installed by :func:`progress_scope`, or None."""
    return _PROGRESS.get()


@contextmanager
def progress_scope(callback: Progress | None) -> Iterator[None]:
    """Install ``callback`` as the progress sink of the engines run inside the block."""
    token = _PROGRESS.set(callback)
    try:
        yield
    finally:
        _PROGRESS.reset(token)


def resolve(progress: Progress | None) -> Progress | None:
    """An engine's explicit ``progress`` argument, else the installed one, else None."""
    return progress if progress is not None else _PROGRESS.get()


def array_bytes(*cells: float, itemsize: int = 8) -> float:
    """Bytes of an array with the given dimensions (float64 by default); a float, never overflows.

    >>> array_bytes(1000, 1000)
    8000000.0
    """
    total = float(itemsize)
    for c in cells:
        total *= float(c)
    return total
