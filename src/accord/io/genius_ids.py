"""Ids for GENIUS names: kebab-case, unique without regard to case, in linear time.

The original texts stay the display labels (issue ``name``, option ``labels``, party ``name``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from accord.scenario.base import is_id


def kebab(text: str, fallback: str) -> str:
    """A kebab-case id for free text (accents folded, at most 64 characters)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    # split camelCase words so 'ItexvsCypress' does not become one long blob
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", ascii_text)
    slug = re.sub(r"[^a-z0-9]+", "-", spaced.lower()).strip("-")[:64].strip("-")
    return slug or fallback


def unique_ids(texts: Sequence[str], fallback: str, saved: Sequence[str | None] = ()) -> list[str]:
    """Kebab ids for each text, made unique by numbering repeats (``x``, ``x-2``, ...).

    The original text stays the display label (issue ``name``, option ``labels``). ``saved`` ids
    (from an Accord export) are used as they are when they are valid and unique without regard
    to case. Linear time: a set of the ids taken and a counter per base id, so thousands of texts
    with the same slug do not rescan the list.
    """
    usable = [s for s in saved if s is not None and is_id(s)]
    if texts and len(usable) == len(texts) and len({s.casefold() for s in usable}) == len(usable):
        return usable
    taken: set[str] = set()
    next_suffix: dict[str, int] = {}
    out: list[str] = []
    for k, text in enumerate(texts, start=1):
        base = kebab(text, f"{fallback}-{k}")
        candidate = base
        if candidate.casefold() in taken:
            n = next_suffix.get(base.casefold(), 2)
            while True:
                suffix = f"-{n}"
                candidate = base[: 64 - len(suffix)].rstrip("-") + suffix
                n += 1
                if candidate.casefold() not in taken:
                    break
            next_suffix[base.casefold()] = n
        taken.add(candidate.casefold())
        out.append(candidate)
    return out


def party_labels(profile_files: Sequence[str]) -> list[str]:
    """Readable party names from profile file names, dropping the words they all share.

    ``camera_buyer_utility`` and ``camera_seller_utility`` give ``buyer`` and ``seller``.
    """
    words = [re.split(r"[-_ .]+", Path(f).stem) for f in profile_files]
    if len(words) > 1:
        while all(len(w) > 1 for w in words) and len({w[0].lower() for w in words}) == 1:
            words = [w[1:] for w in words]
        while all(len(w) > 1 for w in words) and len({w[-1].lower() for w in words}) == 1:
            words = [w[:-1] for w in words]
    return [" ".join(w) for w in words]
