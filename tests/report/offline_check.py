"""Find every reference in an HTML document that would make the browser fetch something, and
every link that is not an in-page fragment (``href="#…"``)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

NETWORK = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*['\"]?\s*(?:https?:)?//", re.IGNORECASE)
CSS_IMPORT = re.compile(r"@import", re.IGNORECASE)
FETCHING_ATTRS = {"src", "href", "srcset", "poster", "data", "action", "background"}


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.scripts_with_src = 0
        self.links = 0
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and any(k == "src" for k, _ in attrs):
            self.scripts_with_src += 1
            self.problems.append(f"<script src=...> {attrs}")
        if tag == "link":
            self.links += 1
            self.problems.append(f"<link> {attrs}")
        for k, v in attrs:
            if v and k in FETCHING_ATTRS and NETWORK.match(v):
                self.problems.append(f"<{tag} {k}={v}>")
            elif tag in ("a", "area") and k == "href" and not (v or "").startswith("#"):
                # Only in-page fragments: a relative or javascript: link would leave the file.
                self.problems.append(f"<{tag} href={v}> leaves the page")
            if v and k == "style" and CSS_URL.search(v):
                self.problems.append(f"<{tag} style={v}>")
        self.in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style and (CSS_URL.search(data) or CSS_IMPORT.search(data)):
            self.problems.append("CSS url()/@import to the network")


def network_references(html: str) -> list[str]:
    parser = _Refs()
    parser.feed(html)
    parser.close()
    return parser.problems


class Outline(HTMLParser):
    """What accessibility and link checks need: ids, links (href and text), headings in order,
    figure wrappers, tables with whether they have a caption or header cells, landmarks."""

    VOID = frozenset({"meta", "br", "img", "input", "hr", "link", "col", "wbr", "source"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[dict[str, str]] = []
        self.headings: list[tuple[int, str]] = []
        self.figures: list[dict[str, str]] = []
        self.tables: list[dict[str, bool]] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text_in: dict[str, list[str]] = {}
        self._stack: list[tuple[str, dict[str, str], list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "div" and "figure" in a.get("class", "").split():
            self.figures.append(a)
        if tag == "table":
            self.tables.append({"caption": False, "th": False, "labelled": "aria-labelledby" in a})
        if self.tables and tag in ("caption", "th"):
            self.tables[-1][tag] = True
        if tag not in self.VOID:
            self._stack.append((tag, a, []))

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            t, a, text = self._stack.pop()
            joined = " ".join("".join(text).split())
            if self._stack:
                self._stack[-1][2].append("".join(text))
            if t == "a":
                self.links.append({"href": a.get("href", ""), "id": a.get("id", ""),
                                   "text": joined})  # fmt: skip
            if len(t) == 2 and t[0] == "h" and t[1].isdigit():
                self.headings.append((int(t[1]), joined))
            if "id" in a:
                self.text_in[a["id"]] = [joined]
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1][0] not in ("script", "style"):
            self._stack[-1][2].append(data)


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    parser.close()
    return parser
