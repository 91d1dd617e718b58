"""Errors that reach the user.

Every problem with an input file becomes a :class:`ScenarioError` that names the file, the line
where known, the field path and what to do. The CLI prints it as one paragraph and exits with 2.
"""

from __future__ import annotations

from collections.abc import Sequence


class AccordError(Exception):
    """Base class of Accord's own errors."""


class ScenarioError(AccordError):
    """A problem with a scenario, GENIUS or CSV input, phrased for the person who wrote it."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | Sequence[str | int] | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        if field is None or isinstance(field, str):
            self.field = field
        else:
            self.field = format_path(field)
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file or "<scenario>"
        if self.line is not None:
            where += f", line {self.line}"
        if self.field:
            where += f", field '{self.field}'"
        message = self.message.rstrip()
        if message and message[-1] not in ".?!)":
            message += "."
        text = f"{where}: {message}"
        if self.hint:
            text += f" Fix: {self.hint.rstrip('.')}."
        return text

    def with_file(self, file: str) -> ScenarioError:
        """The same error, located in `file` (keeps an existing file name)."""
        return ScenarioError(
            self.message, file=self.file or file, line=self.line, field=self.field, hint=self.hint
        )


class EngineInputError(AccordError):
    """An engine was asked for what the scenario cannot give (for example a missing section)."""


def format_path(path: Sequence[str | int]) -> str:
    """Render a field path like ``preferences.usa.weights[0]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
