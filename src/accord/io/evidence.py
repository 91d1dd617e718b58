"""Check that every evidence quote appears in the text of the source it cites.

Texts and quotes are compared after normalising whitespace, quote marks, dashes and case, so a
quote copied from a web page with curly quotes still matches the plain-text source.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accord.errors import ScenarioError, format_path
from accord.io.scenario_file import read_text_limited
from accord.scenario.model import Scenario, iter_evidence

_QUOTES = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "`": "'",
        "—": "-",
        "–": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
        "…": "...",
    }
)


def normalise(text: str) -> str:
    """Unicode NFKC, straight quotes, hyphens for dashes, single spaces, lower case.

    Linear in the text's length: whitespace runs are collapsed first (``str.split``), so the
    spaces around a hyphen are one space each and plain replacements remove them (a regular
    expression such as ``\\s*-\\s*`` backtracks quadratically on a long run of spaces).
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = " ".join(text.split())
    return text.replace(" -", "-").replace("- ", "-").casefold()


@dataclass(frozen=True)
class QuoteCheck:
    field: str
    source: str
    quote: str
    found: bool | None  # None: no text for the source, or no quote to check
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "source": self.source,
            "quote": self.quote,
            "found": self.found,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class MissingText:
    """A cited source whose text is not in the sources folder, and how to get it: the source's
    ``url`` (when the scenario gives one) and the file name ``accord evidence`` looks for."""

    source: str
    url: str | None
    save_as: str  # the path, under the sources folder, where the text should be saved

    @property
    def message(self) -> str:
        if self.url:
            return (
                f"source '{self.source}' has no file; get its text from {self.url} and save it "
                f"as {self.save_as}"
            )
        return (
            f"source '{self.source}' has no file; save its text as {self.save_as} (the scenario "
            "gives no url for it: add 'url: https://...' to the source to say where to get it)"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "url": self.url,
            "save_as": self.save_as,
            "message": self.message,
        }


@dataclass(frozen=True)
class EvidenceReport:
    scenario: str
    checks: tuple[QuoteCheck, ...]
    missing_texts: tuple[MissingText, ...] = ()

    @property
    def missing(self) -> list[QuoteCheck]:
        return [c for c in self.checks if c.found is False]

    @property
    def unchecked(self) -> list[QuoteCheck]:
        return [c for c in self.checks if c.found is None and c.quote]

    @property
    def ok(self) -> bool:
        return not self.missing and not self.unchecked

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "quotes": sum(1 for c in self.checks if c.quote),
            "found": sum(1 for c in self.checks if c.found),
            "missing": len(self.missing),
            "unchecked": len(self.unchecked),
            "ok": self.ok,
            "checks": [c.to_dict() for c in self.checks],
            "missing_texts": [m.to_dict() for m in self.missing_texts],
        }


def source_text_path(scenario: Scenario, source_id: str, folder: Path) -> Path | None:
    """The file holding a source's text: its ``file`` entry, else ``<id>.txt`` or ``<id>.md``."""
    src = scenario.source(source_id)
    candidates = [src.file] if src.file else [f"{source_id}.txt", f"{source_id}.md"]
    for name in candidates:
        assert name is not None
        if "\x00" in name:
            raise ScenarioError(
                f"the source '{source_id}' names a file with a NUL character",
                field="sources",
                hint="give a plain file name relative to --sources",
            )
        p = (folder / name).resolve()
        if folder.resolve() not in p.parents:  # a `file` must stay inside the sources folder
            raise ScenarioError(
                f"the source '{source_id}' names a file outside the sources folder",
                field="sources",
                hint="give a file name relative to --sources",
            )
        if p.is_file():
            return p
    return None


def check_evidence(scenario: Scenario, folder: Path) -> EvidenceReport:
    """Check every quote in the scenario against the source texts in ``folder``."""
    if not folder.is_dir():
        raise ScenarioError(
            "is not a folder", file=str(folder), hint="give --sources the folder of source texts"
        )
    texts: dict[str, str | None] = {}
    checks = []
    for path, ev in iter_evidence(scenario):
        if ev.source not in texts:
            p = source_text_path(scenario, ev.source, folder)
            texts[ev.source] = normalise(read_text_limited(p)) if p else None
        text = texts[ev.source]
        field = format_path(path)
        if not ev.quote:
            checks.append(QuoteCheck(field, ev.source, "", None, "no quote"))
        elif text is None:
            checks.append(QuoteCheck(field, ev.source, ev.quote, None, "no text for this source"))
        else:
            found = normalise(ev.quote) in text
            checks.append(
                QuoteCheck(field, ev.source, ev.quote, found, "" if found else "not in the text")
            )
    # Only sources with a quote to check need their text; list each once, in citation order.
    wanted = dict.fromkeys(c.source for c in checks if c.found is None and c.quote)
    missing = tuple(_missing_text(scenario, sid, folder) for sid in wanted)
    return EvidenceReport(scenario.id, tuple(checks), missing)


def _missing_text(scenario: Scenario, source_id: str, folder: Path) -> MissingText:
    src = scenario.source(source_id)
    name = src.file or f"{source_id}.txt"
    return MissingText(source_id, src.url, str(folder / name))
