"""A source's ``url``: http(s) only, checked, limited in length; ``accord evidence`` names it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.errors import ScenarioError
from accord.io.evidence import check_evidence
from accord.io.scenario_file import parse_scenario
from accord.io.schema import scenario_schema
from accord.scenario.model import MAX_URL_LENGTH

runner = CliRunner()


def _scenario(url_line: str) -> str:
    """A small scenario whose first source carries ``url_line`` (YAML, already quoted)."""
    return (
        "accord: 1\nid: ev\ntitle: ev\n"
        f"sources:\n  - id: article\n    title: An article\n{url_line}"
        "  - id: notes\n    title: Notes\n"
        "parties:\n  - id: a\n    name: A\n    evidence:\n"
        "      - {source: article, quote: left without a deal}\n"
        "      - {source: notes, quote: met twice}\n"
        "  - id: b\n    name: B\n"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.org/2019/03/hanoi-summit/",
        "http://example.org/a?b=c&d=e#f",
        "HTTPS://EXAMPLE.ORG/CAPS",
        "https://[2001:db8::1]:8443/x",
        "https://example.org/" + "a" * (MAX_URL_LENGTH - len("https://example.org/")),
    ],
)
def test_web_addresses_are_accepted(url: str) -> None:
    s = parse_scenario(_scenario(f'    url: "{url}"\n'), file="s.yaml")
    assert s.source("article").url == url
    assert s.source("notes").url is None  # the field stays optional


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("javascript:alert(1)", "is not a web address; give one that starts with https://"),
        ("JavaScript://example.org/%0aalert(1)", "is not a web address"),
        ("data:text/html,<b>x</b>", "is not a web address"),
        ("file:///etc/passwd", "is not a web address"),
        ("ftp://example.org/a", "is not a web address"),
        ("//example.org/a", "is not a web address"),
        ("example.org/a", "is not a web address"),
        ("https:/example.org", "is not a web address"),
        ("https://", "names no host"),
        ("https://example.org/a b", "contains a space"),
        ("https://example.org/\\x1b]8;;evil\\x07", "contains a control character"),
        ("https://example.org/\\u202egpj.exe", "invisible formatting character (U+202E"),
        ("https://[::1/x", "is not a valid address"),
        ("https://example.org/" + "a" * MAX_URL_LENGTH, f"at most {MAX_URL_LENGTH:,} are allowed"),
    ],
)
def test_other_urls_are_refused_naming_the_field(url: str, reason: str) -> None:
    # Double quotes in YAML read \x1b and \u202e as the characters themselves.
    with pytest.raises(ScenarioError) as info:
        parse_scenario(_scenario(f'    url: "{url}"\n'), file="s.yaml")
    err = info.value
    assert err.field == "sources[0].url"
    assert err.file == "s.yaml" and err.line == 7
    assert reason in err.message
    assert "sources[0].url" in str(err)
    assert "\x1b" not in str(err) and "\u202e" not in str(err)  # never echoed raw


def test_a_bad_url_exits_2_in_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(_scenario("    url: javascript:alert(1)\n"), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "field 'sources[0].url'" in result.output and "javascript:" in result.output
    assert "Traceback" not in result.output


def test_the_schema_states_the_limits() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = scenario_schema()
    prop = schema["$defs"]["Source"]["properties"]["url"]
    assert prop["maxLength"] == MAX_URL_LENGTH
    good = yaml.safe_load(_scenario('    url: "https://example.org/a"\n'))
    jsonschema.validate(good, schema)
    bad = yaml.safe_load(_scenario('    url: "javascript:alert(1)"\n'))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_evidence_says_where_to_get_a_missing_text(tmp_path: Path) -> None:
    s = parse_scenario(_scenario('    url: "https://example.org/hanoi"\n'), file="s.yaml")
    report = check_evidence(s, tmp_path)
    assert not report.ok
    by_source = {m.source: m for m in report.missing_texts}
    assert set(by_source) == {"article", "notes"}
    assert by_source["article"].message == (
        "source 'article' has no file; get its text from https://example.org/hanoi and save it "
        f"as {tmp_path / 'article.txt'}"
    )
    assert by_source["notes"].url is None
    assert "gives no url" in by_source["notes"].message
    # Once the text is there, the source is no longer listed.
    (tmp_path / "article.txt").write_text("They left without a deal.", encoding="utf-8")
    again = check_evidence(s, tmp_path)
    assert [m.source for m in again.missing_texts] == ["notes"]
    assert [c.found for c in again.checks] == [True, None]


def test_evidence_cli_prints_the_url_and_the_file_name(tmp_path: Path) -> None:
    text = _scenario('    url: "https://example.org/hanoi"\n    file: 000_article.txt\n')
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    sources = tmp_path / "texts"
    sources.mkdir()
    result = runner.invoke(app, ["evidence", str(path), "--sources", str(sources)])
    assert result.exit_code == 1
    expected = (
        "source 'article' has no file; get its text from https://example.org/hanoi and save it "
        f"as {sources / '000_article.txt'}"
    )
    assert expected in result.output  # on one line: a long url is not wrapped
    as_json = runner.invoke(app, ["evidence", str(path), "--sources", str(sources), "--json"])
    missing = json.loads(as_json.stdout)["missing_texts"]
    assert [m["url"] for m in missing] == ["https://example.org/hanoi", None]
    assert missing[0]["save_as"] == str(sources / "000_article.txt")


def test_a_source_without_a_quote_to_check_is_not_listed(tmp_path: Path) -> None:
    text = (
        "accord: 1\nid: ev\ntitle: ev\nsources:\n"
        "  - {id: article, title: A, url: 'https://example.org/a'}\n"
        "parties:\n  - id: a\n    name: A\n    evidence:\n"
        "      - {source: article, note: 'no quote, only a pointer'}\n"
    )
    report = check_evidence(parse_scenario(text, file="s.yaml"), tmp_path)
    assert report.missing_texts == ()
