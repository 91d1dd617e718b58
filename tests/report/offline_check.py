"""Find every reference in an HTML document that would make the browser fetch something."""

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
