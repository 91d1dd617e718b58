"""Malformed and hostile GENIUS XML: each case is a ScenarioError naming the file, never a hang."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from accord.errors import ScenarioError
from accord.io import safe_xml
from accord.io.genius import import_genius

DOMAIN = """<?xml version="1.0"?>
<negotiation_template><utility_space number_of_issues="2">
<objective index="0" name="Toy" type="objective">
  <issue index="1" name="Venue" type="discrete">
    <item index="1" value="Paris"/>
    <item index="2" value="Hanoi"/>
  </issue>
  <issue index="2" name="Date" type="discrete">
    <item index="1" value="May"/>
    <item index="2" value="June"/>
  </issue>
</objective></utility_space></negotiation_template>
"""

PROFILE = """<?xml version="1.0"?>
<utility_space>
<objective index="0" name="Toy" type="objective">
  <weight index="1" value="0.6"/>
  <weight index="2" value="0.4"/>
  <issue index="1" name="Venue" type="discrete">
    <item index="1" value="Paris" evaluation="2"/>
    <item index="2" value="Hanoi" evaluation="1"/>
  </issue>
  <issue index="2" name="Date" type="discrete">
    <item index="1" value="May" evaluation="1"/>
    <item index="2" value="June" evaluation="3"/>
  </issue>
</objective>
<reservation value="0.1"/>
</utility_space>
"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<utility_space><objective name="&lol9;"/></utility_space>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<utility_space><objective name="&xxe;"/></utility_space>
"""

# (name, which file is broken, its content, words the message must contain, line if known)
CASES: list[tuple[str, str, str | bytes, str, int | None]] = [
    ("entity-bomb", "profile", BILLION_LAUGHS, "DTD", None),
    ("external-entity", "profile", EXTERNAL_ENTITY, "DTD", None),
    ("external-dtd", "domain", '<!DOCTYPE x SYSTEM "http://example.org/x.dtd"><x/>', "DTD", None),
    ("garbage", "profile", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "well-formed", 1),
    ("empty", "profile", "", "empty", None),
    ("blank", "domain", "   \n\n", "empty", None),
    ("truncated", "profile", PROFILE[: len(PROFILE) // 2], "well-formed", None),
    (
        "unknown-value",
        "profile",
        PROFILE.replace('value="Hanoi" evaluation', 'value="Geneva" evaluation'),
        "Geneva",
        8,
    ),
    ("negative-weight", "profile", PROFILE.replace('value="0.4"', 'value="-0.4"'), "negative", 5),
    (
        "negative-evaluation",
        "profile",
        PROFILE.replace('evaluation="3"', 'evaluation="-3"'),
        "negative",
        12,
    ),
    (
        "missing-issue",
        "profile",
        PROFILE.replace('<issue index="2" name="Date"', '<issue index="2" name="Dates"'),
        "Dates",
        10,
    ),
    (
        "issue-without-evaluations",
        "profile",
        PROFILE[: PROFILE.index('  <issue index="2"')] + "</objective></utility_space>",
        "no evaluations for the issue(s) Date",
        None,
    ),
    (
        "value-without-evaluation",
        "profile",
        PROFILE.replace('<item index="2" value="June" evaluation="3"/>', ""),
        "June",
        10,
    ),
    ("weight-not-a-number", "profile", PROFILE.replace('value="0.6"', 'value="lots"'), "lots", 4),
    (
        "no-weight",
        "profile",
        PROFILE.replace('<weight index="2" value="0.4"/>', ""),
        "weight",
        None,
    ),
    (
        "all-zero-weights",
        "profile",
        PROFILE.replace('value="0.6"', 'value="0"').replace('value="0.4"', 'value="0"'),
        "all zero",
        None,
    ),
    (
        "reservation-out-of-range",
        "profile",
        PROFILE.replace('<reservation value="0.1"/>', '<reservation value="1.5"/>'),
        "reservation",
        15,
    ),
    (
        "discount-out-of-range",
        "profile",
        PROFILE.replace("</utility_space>", '<discount_factor value="0"/></utility_space>'),
        "discount",
        None,
    ),
    ("wrong-root", "profile", "<html><body>hello</body></html>", "root element", 1),
    ("profile-without-evaluations", "profile", DOMAIN, "not a profile", None),
    (
        "domain-without-issues",
        "domain",
        '<utility_space><objective name="x"/></utility_space>',
        "no <issue>",
        None,
    ),
    (
        "issue-without-items",
        "domain",
        DOMAIN.replace('<item index="1" value="May"/>\n    <item index="2" value="June"/>', ""),
        "no <item>",
        None,
    ),
    (
        "real-issue",
        "domain",
        DOMAIN.replace('name="Date" type="discrete"', 'name="Date" type="real"'),
        "real",
        8,
    ),
    ("duplicate-issue", "domain", DOMAIN.replace('name="Date"', 'name="Venue"'), "twice", 8),
]


def write_case(tmp_path: Path, which: str, content: str | bytes) -> Path:
    folder = tmp_path / "domain"
    folder.mkdir()
    (folder / "toy_domain.xml").write_text(DOMAIN)
    (folder / "toy_a.xml").write_text(PROFILE)
    (folder / "toy_b.xml").write_text(PROFILE.replace('value="0.6"', 'value="0.2"'))
    broken = folder / ("toy_domain.xml" if which == "domain" else "toy_b.xml")
    if isinstance(content, bytes):
        broken.write_bytes(content)
    else:
        broken.write_text(content)
    return broken


def test_the_valid_toy_imports(tmp_path: Path) -> None:
    broken = write_case(tmp_path, "profile", PROFILE)
    scenario = import_genius([broken.parent])
    assert scenario.party_ids == ("a", "b")
    assert scenario.preferences["a"].reservation.point == 0.1


@pytest.mark.parametrize(
    ("name", "which", "content", "words", "line"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_file_is_a_scenario_error_naming_the_file(
    tmp_path: Path, name: str, which: str, content: str | bytes, words: str, line: int | None
) -> None:
    broken = write_case(tmp_path, which, content)
    start = time.perf_counter()
    with pytest.raises(ScenarioError) as info:
        # files given one by one, so the broken one is always read as the role it plays
        import_genius(
            [
                broken.parent / "toy_domain.xml",
                broken.parent / "toy_a.xml",
                broken.parent / "toy_b.xml",
            ]
        )
    assert time.perf_counter() - start < 2.0  # an entity bomb must not expand
    message = str(info.value)
    assert broken.name in message, message
    assert words in message, message
    if line is not None:
        assert info.value.line == line, message
    assert "Traceback" not in message


def test_oversized_file_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = write_case(tmp_path, "profile", PROFILE + "<!--" + "x" * 5000 + "-->")
    monkeypatch.setattr(safe_xml, "MAX_XML_BYTES", 4096)
    with pytest.raises(ScenarioError, match="over the limit") as info:
        import_genius([broken.parent])
    assert broken.name in str(info.value)


def test_folder_without_profiles(tmp_path: Path) -> None:
    (tmp_path / "toy_domain.xml").write_text(DOMAIN)
    with pytest.raises(ScenarioError, match="no profile files") as info:
        import_genius([tmp_path])
    assert str(tmp_path) in str(info.value)


def test_folder_without_xml(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing here")
    with pytest.raises(ScenarioError, match=r"no \.xml files"):
        import_genius([tmp_path])


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file") as info:
        import_genius([tmp_path / "nope.xml"])
    assert "nope.xml" in str(info.value)


def test_two_domain_candidates_are_ambiguous(tmp_path: Path) -> None:
    (tmp_path / "first.xml").write_text(DOMAIN)
    (tmp_path / "second.xml").write_text(DOMAIN)
    (tmp_path / "toy_a.xml").write_text(PROFILE)
    with pytest.raises(ScenarioError, match="ambiguous"):
        import_genius([tmp_path])


def test_bad_deadline_rounds(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="deadline_rounds"):
        import_genius([tmp_path], deadline_rounds=0)
