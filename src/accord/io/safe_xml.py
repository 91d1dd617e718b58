"""Reading untrusted XML safely, keeping the line on which every element starts.

Every file is read only up to a size limit (:data:`MAX_XML_BYTES` by default, shared with the
other readers through :mod:`accord.io.safe_read`) and parsed with defusedxml with DTDs, entities
and external references forbidden, so an entity bomb or an external entity is refused at once.
Every problem becomes a :class:`~accord.errors.ScenarioError` naming the file and the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import (
    Element,
    ParseError,
    TreeBuilder,
)

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from accord.errors import ScenarioError
from accord.io.safe_read import read_bytes_limited

MAX_XML_BYTES = 50 * 1024 * 1024
"""Largest XML file read (GENIUS/ANAC files are a few kilobytes)."""


@dataclass(frozen=True)
class XmlDoc:
    """A parsed XML file: its root element and the line on which each element starts."""

    file: str
    root: Element
    lines: dict[int, int]

    def line(self, element: Element) -> int | None:
        return self.lines.get(id(element))

    def error(
        self, element: Element | None, message: str, hint: str | None = None
    ) -> ScenarioError:
        line = self.line(element) if element is not None else None
        return ScenarioError(message, file=self.file, line=line, hint=hint)


class _LineRecordingBuilder(TreeBuilder):
    """A tree builder that remembers the line of each start tag (ElementTree drops it)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.expat: Any = None

    def start(self, tag: Any, attrs: Any) -> Element:
        element = super().start(tag, attrs)
        if self.expat is not None:
            self.lines[id(element)] = self.expat.CurrentLineNumber
        return element


def read_xml(path: Path, limit: int | None = None) -> XmlDoc:
    """Read and parse one XML file with DTDs and entities forbidden (raises ScenarioError)."""
    data = read_bytes_limited(
        path,
        MAX_XML_BYTES if limit is None else limit,
        what="GENIUS XML",
        hint="GENIUS domain and profile files are small; check that this is the right file",
    )
    return parse_xml(data, str(path))


def parse_xml(data: bytes, file: str) -> XmlDoc:
    """Parse XML bytes safely: a DTD (and so any entity bomb or external entity) is refused."""
    if not data.strip():
        raise ScenarioError(
            "the file is empty", file=file, hint="give a GENIUS domain or profile XML file"
        )
    builder = _LineRecordingBuilder()
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    builder.expat = parser.parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as exc:
        raise ScenarioError(
            f"declares a DTD or entities ({type(exc).__name__}), which GENIUS files never need "
            "and which can hide an entity bomb or read other files",
            file=file,
            line=builder.expat.CurrentLineNumber,
            hint="remove the <!DOCTYPE ...> and <!ENTITY ...> declarations",
        ) from None
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise ScenarioError(
            f"is not well-formed XML at column {column + 1}: {reason}",
            file=file,
            line=line,
            hint="check the tags and quotes around that line; is this a GENIUS XML file?",
        ) from None
    except (RecursionError, MemoryError):
        raise ScenarioError("nests elements too deeply to read", file=file) from None
    return XmlDoc(file=file, root=root, lines=builder.lines)
