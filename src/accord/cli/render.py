"""Terminal rendering that never loses information (docs/architecture.md, "Surfaces").

The consoles are created with Rich markup *off*, so user text (names, quotes, ids, error hints)
prints verbatim — ``[sic]`` stays ``[sic]`` and ``[/]`` cannot break the renderer. Styling is
applied with ``style=`` and :class:`rich.text.Text`, never with markup in strings. Control
characters (ESC, OSC and other C0/C1 codes) are replaced before anything reaches the terminal.
Table columns fold long cells instead of cutting them with "…".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: Any) -> str:
    """``text`` as a string with C0/C1 control characters shown as U+FFFD (tabs/newlines kept)."""
    return _CONTROL.sub("\ufffd", str(text))


def styled(text: Any, style: str = "") -> Text:
    return Text(clean(text), style=style)


class FoldTable(Table):
    """A Rich table whose columns fold long cells onto more lines instead of cutting them."""

    def add_column(self, header: Any = "", *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("overflow", "fold")
        super().add_column(header, *args, **kwargs)


def table(
    title: str, columns: Iterable[str | tuple[str, str]], caption: str | None = None
) -> Table:
    """A table whose columns fold (never truncate); a column is ``name`` or ``(name, justify)``."""
    t = FoldTable(title=clean(title), caption=clean(caption) if caption else None)
    for col in columns:
        name, justify = (col, "left") if isinstance(col, str) else col
        t.add_column(clean(name), justify=justify, overflow="fold")
    return t


def row(t: Table, *cells: Any, style: str | None = None) -> None:
    t.add_row(*(c if isinstance(c, Text) else clean(c) for c in cells), style=style)


def rule(console: Console, title: str) -> None:
    console.rule(styled(title, "bold"))


def bullets(console: Console, findings: Iterable[Any]) -> None:
    """Print findings (objects with ``text``, or strings) as bullets, verbatim."""
    for f in findings:
        console.print("• " + clean(getattr(f, "text", f)))


def yes_no(flag: bool) -> Text:
    return styled("yes", "green") if flag else styled("no", "red")
