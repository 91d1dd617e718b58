"""The report's evidence: labels in words, links both ways between numbers and quotes, and the
"edited" marks on values a user changed."""

from __future__ import annotations

import html as html_lib
import importlib.util
import re
from pathlib import Path

import pytest

import accord
from accord.app.labels import definite, field_label, whose
from accord.report import compute_sections, evidence_rows, render_report
from accord.scenario.base import Param

_spec = importlib.util.spec_from_file_location(
    "offline_check_evidence", Path(__file__).with_name("offline_check.py")
)
assert _spec and _spec.loader
offline_check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(offline_check)


@pytest.fixture(scope="module")
def hanoi():
    return accord.load("hanoi-2019")


def test_names_take_the_article_and_possessive_english_uses():
    assert whose("United States") == "the United States'"  # not "the United States's"
    assert whose("DPRK") == "the DPRK's"
    assert whose("South Korea") == "South Korea's"
    assert whose("US Congress and domestic critics") == "the US Congress and domestic critics'"
    assert definite("Government of Japan") == "the Government of Japan"
    assert definite("buyer") == "the buyer" and definite("The Union") == "The Union"
    assert whose("NATO") == "NATO's" and whose("EU") == "the EU's"


@pytest.mark.parametrize(
    ("path", "label"),
    [
        (("preferences", "dprk", "weights", "security-assurance"),
         "the DPRK's weight on security assurance"),
        (("preferences", "usa", "reservation"), "the United States' reservation value"),
        (("stakeholders", "actors", 1, "salience", "sanctions-relief"),
         "the DPRK's salience on sanctions relief (stakeholder model)"),
        (("stakeholders", "actors", 3, "capability"), "China's capability (stakeholder model)"),
        (("preferences", "usa", "values", "denuclearisation", "yongbyon"),
         "the United States' value of “Dismantle the Yongbyon nuclear facilities (and the "
         "moratorium)” on denuclearisation"),
        (("preferences", "usa", "values", "verification", "none"),
         "the United States' value of “None” on verification"),
        (("domestic", 0, "ratifiers", 0, "reservation"),
         "the reservation value of Critics in Congress (ratification in the United States)"),
        (("information", "working_level"),
         "the uncertainty left after working-level talks (incomplete information)"),
        (("simulation", "outside_options", 0, "value"),
         "the DPRK's outside option from round 7 (simulation)"),
    ],
)  # fmt: skip
def test_field_labels_read_as_words(hanoi, path, label):
    assert field_label(hanoi, path) == label


def test_no_evidence_label_is_a_field_path(hanoi):
    rows = evidence_rows(hanoi)
    assert len(rows) > 100
    for r in rows:
        label = r["label"]
        assert label != r["field"], label
        assert not re.search(r"\[\d+\]|\w\.\w|_", label), label  # no positions, dots, snake_case
    # A path no rule knows (a third-party section) falls back to the path, ids for positions.
    assert field_label(hanoi, ("sequencing", "steps", 2, "brand_new")).endswith("(sequencing)")
    assert field_label(hanoi, ("plugin", "thing", 3)) == "plugin.thing[3]"


def _entries(html: str) -> dict[str, str]:
    """Each appendix entry's HTML by its id (entries hold no nested <details>)."""
    return dict(re.findall(r'<details id="(ev-[^"]+)">(.*?)</details>', html, flags=re.S))


def test_numbers_and_quotes_link_both_ways(hanoi_data, hanoi_html):
    s = hanoi_data.scenario
    doc = offline_check.outline(hanoi_html)
    ids = set(doc.ids)
    entries = _entries(hanoi_html)
    rows = evidence_rows(s)
    assert set(entries) == {r["anchor"] for r in rows}
    # Every link into the appendix lands on an entry; every entry is linked to from somewhere.
    into = [link for link in doc.links if link["href"].startswith("#ev-")]
    assert into and all(link["href"][1:] in ids for link in into)
    # Every bargaining number the scenario's tables show links to its evidence.
    for pid, pref in s.preferences.items():
        for issue, w in pref.weights.items():
            anchor = f"ev-preferences-{pid}-weights-{issue}"
            assert (anchor in entries) == bool(w.evidence)
            if w.evidence:
                assert f'href="#{anchor}"' in hanoi_html, anchor
        if pref.reservation.evidence:
            assert (
                hanoi_html.count(f'href="#ev-preferences-{pid}-reservation"') >= 2
            )  # + key number
    # Every entry links back to where its number is used: an element that links to the entry,
    # or the section of an engine that reads it.
    back_targets = {link["id"]: link["href"] for link in doc.links if link["id"]}
    sections = {v for tag, a in doc.tags if tag == "section" for v in [a.get("id")]}
    for anchor, body in entries.items():
        used = re.search(r"Used in: (.*?)</p>", body, flags=re.S)
        assert used, anchor
        hrefs = re.findall(r'href="#([^"]+)"', used.group(1))
        assert hrefs, anchor
        for target in hrefs:
            assert target in back_targets or target in sections, (anchor, target)
            if target in back_targets:
                assert back_targets[target] == f"#{anchor}"
    # The stakeholder model's numbers are not in the scenario tables: they point to the forecast.
    sal = entries["ev-stakeholders-actors-1-salience-sanctions-relief"]
    assert 'href="#forecast"' in sal
    label = "the DPRK's salience on sanctions relief (stakeholder model) = 0.85"
    assert html_lib.escape(label, quote=True) in hanoi_html


def _edited(hanoi):
    """The Hanoi scenario with the US reservation and one DPRK weight changed by hand."""
    usa, dprk = hanoi.preferences["usa"], hanoi.preferences["dprk"]
    res = Param(value=0.35, evidence=usa.reservation.evidence, edited=True)
    w = dprk.weights["security-assurance"]
    weights = {**dprk.weights, "security-assurance": Param(value=0.5, evidence=w.evidence,
                                                           edited=True)}  # fmt: skip
    prefs = {
        **hanoi.preferences,
        "usa": usa.model_copy(update={"reservation": res}),
        "dprk": dprk.model_copy(update={"weights": weights}),
    }
    return hanoi.model_copy(update={"preferences": prefs})


def test_edited_values_are_marked_wherever_shown(hanoi):
    html = render_report(
        compute_sections(_edited(hanoi), only=("analyse",)), include_plotlyjs=False
    )
    start, end = html.index('<section id="briefing">'), html.index('<ul class="findings">')
    briefing = html_lib.unescape(html[start:end])
    # The briefing opens with a note that lists both edited values, in words, with their values.
    assert "Edited values." in briefing
    assert "the United States' reservation value: " in briefing and ">0.35<" in briefing
    assert "the DPRK's weight on security assurance: " in briefing
    mark = '<span class="edited"'
    # The scenario's preferences table and the key numbers mark the edited numbers.
    scenario = html[html.index('<section id="scenario">') : html.index('<section id="evidence">')]
    assert re.search(
        r'id="use-preferences-usa-reservation(-\d+)?"[^>]*>0\.35</a> ' + mark, scenario
    )
    assert re.search(r'id="use-preferences-dprk-weights-security-assurance(-\d+)?"[^>]*>[\d.]+</a> '
                     + mark, scenario)  # fmt: skip
    analyse = html[html.index('<section id="analyse">') : html.index('<section id="scenario">')]
    assert re.search(r">0\.35</a> " + mark, analyse)
    # The appendix says the quotes supported the original value; the unedited entries do not.
    entries = _entries(html)
    for anchor in (
        "ev-preferences-usa-reservation",
        "ev-preferences-dprk-weights-security-assurance",
    ):
        assert "Edited — the quotes supported the original value" in entries[anchor], anchor
        assert mark in entries[anchor]
    plain = entries["ev-preferences-dprk-reservation"]
    assert mark not in plain and "Edited" not in plain
    assert sum("Edited — the quotes" in body for body in entries.values()) == 2


def test_no_edited_note_without_edits(hanoi_html, pd_scenario):
    assert "Edited values." not in hanoi_html and '<span class="edited"' not in hanoi_html
    # An edited value without evidence is still listed in the briefing's note, without a link.
    b = pd_scenario.preferences["b"]
    prefs = {**pd_scenario.preferences, "b": b.model_copy(
        update={"reservation": Param(value=0.4, edited=True)})}  # fmt: skip
    edited = pd_scenario.model_copy(update={"preferences": prefs})
    html = render_report(compute_sections(edited, only=("analyse",)), include_plotlyjs=False)
    start = html.index("Edited values.")
    note = html_lib.unescape(html[start : html.index("</div>", start)])
    assert "Bob's reservation value: 0.4" in note


def test_a_view_table_that_names_its_fields_links_them(pd_scenario, monkeypatch):
    from dataclasses import dataclass

    from accord.report import html as report_html
    from accord.report.views import SectionView, Table

    @dataclass(frozen=True)
    class FieldTable(Table):
        paths: tuple = ()

    table = FieldTable(
        "walk-away",
        "Walk-away values <b>",
        ("party", "reservation"),
        (("Alice", "0.20"), ("Bob", "0.30")),
        paths=(
            (None, ("preferences", "a", "reservation")),
            (None, ("preferences", "b", "reservation")),
        ),
    )
    view = SectionView("analyse", "Bargaining analysis", (), (), (), (table,))
    monkeypatch.setattr(report_html, "section_views", lambda d: [view])
    html = render_report(compute_sections(pd_scenario, only=("analyse",)), include_plotlyjs=False)
    assert "<caption>Walk-away values &lt;b&gt;</caption>" in html
    # Alice's reservation has a quote: its cell links to it, and the entry links back to the
    # table; Bob's has none: plain text.
    assert re.search(r'<td><a class="ev" id="use-preferences-a-reservation[^"]*" '
                     r'href="#ev-preferences-a-reservation"', html)  # fmt: skip
    assert "<td>0.30</td>" in html
    entry = _entries(html)["ev-preferences-a-reservation"]
    assert "the table “Walk-away values &lt;b&gt;”" in entry
