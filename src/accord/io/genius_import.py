"""Building an Accord scenario from GENIUS domain and profile files (see :mod:`accord.io.genius`
for the semantics)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from accord.errors import ScenarioError
from accord.io.genius_ids import kebab, party_labels, unique_ids
from accord.io.genius_parse import find_genius_files, parse_domain, parse_profile
from accord.scenario.model import Scenario

_SOURCE_ID = "genius-domain"


def import_genius(paths: Sequence[Path], *, deadline_rounds: int | None = None) -> Scenario:
    """Build an Accord scenario from a GENIUS domain folder, or a domain file plus profile files.

    Each profile becomes a party (id from its file name), each issue an Accord issue (kebab-case
    id, original name kept in ``name``; option ids kebab-case with the original text in
    ``labels``). ``deadline_rounds`` spreads GENIUS's whole-deadline discount over that many
    Accord rounds (see the module docstring).
    """
    if deadline_rounds is not None and deadline_rounds < 1:
        raise ScenarioError(
            f"deadline_rounds must be a positive whole number, got {deadline_rounds}",
            hint="give the number of rounds the GENIUS deadline stands for",
        )
    domain_doc, profile_docs = find_genius_files(paths)
    domain = parse_domain(domain_doc)
    profiles = [parse_profile(doc, domain) for doc in profile_docs]

    issue_ids = unique_ids(
        [i.name for i in domain.issues], "issue", [i.saved_id for i in domain.issues]
    )
    option_ids = {
        issue.name: unique_ids(issue.values, "option", issue.saved_value_ids)
        for issue in domain.issues
        if issue.values
    }
    labels = party_labels([p.file for p in profiles])
    party_ids = unique_ids(labels, "party")

    issues: list[dict[str, Any]] = []
    for issue, iid in zip(domain.issues, issue_ids, strict=True):
        entry: dict[str, Any] = {"id": iid, "name": issue.name}
        if issue.kind == "discrete":
            ids = option_ids[issue.name]
            entry["options"] = ids
            renamed = {o: v for o, v in zip(ids, issue.values, strict=True) if o != v}
            if renamed:
                entry["labels"] = renamed
        else:
            entry["range"] = [issue.lower, issue.upper]
            entry["step"] = 1
        issues.append(entry)

    preferences: dict[str, Any] = {}
    for profile, pid in zip(profiles, party_ids, strict=True):
        weights: dict[str, float] = {}
        values: dict[str, Any] = {}
        for issue, iid in zip(domain.issues, issue_ids, strict=True):
            weights[iid] = profile.weights[issue.name]
            if issue.kind == "discrete":
                ids = option_ids[issue.name]
                table = profile.discrete_values[issue.name]
                values[iid] = {o: table[v] for o, v in zip(ids, issue.values, strict=True)}
            else:
                values[iid] = {"points": [list(p) for p in profile.integer_points[issue.name]]}
        pref: dict[str, Any] = {
            "weights": weights,
            "values": values,
            "reservation": profile.reservation,
        }
        if profile.discount is not None:
            rounds = deadline_rounds or 1
            pref["discount"] = profile.discount ** (1.0 / rounds)
        preferences[pid] = pref

    domain_file = Path(domain.file).name
    data = {
        "accord": 1,
        "id": kebab(domain.name, "genius-domain"),
        "title": f"{domain.name} (GENIUS domain)",
        "description": (
            f"Imported from the GENIUS/ANAC negotiation domain '{domain.name}' ({domain_file}) "
            f"with the profiles {', '.join(Path(p.file).name for p in profiles)}. GENIUS "
            "discounts over normalised time (u·d^t, t in [0, 1]); here the discount is per round"
            + (f", spread over {deadline_rounds} rounds." if deadline_rounds else ".")
        ),
        "sources": [
            {
                "id": _SOURCE_ID,
                "title": f"GENIUS negotiation domain '{domain.name}' ({domain_file})",
                "author": "Lin, Kraus, Baarslag, Tykhonov, Hindriks & Jonker",
                "publisher": "GENIUS / Automated Negotiating Agents Competition (ANAC)",
                "file": domain_file,
            }
        ],
        "parties": [
            {"id": pid, "name": label or pid, "description": f"GENIUS profile {Path(p.file).name}"}
            for pid, label, p in zip(party_ids, labels, profiles, strict=True)
        ],
        "issues": issues,
        "preferences": preferences,
    }
    try:
        return Scenario.model_validate(data)
    except ScenarioError as exc:
        raise exc.with_file(domain.file) from None
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        raise ScenarioError(
            f"does not make a valid scenario: {first['msg']}",
            file=domain.file,
            field=".".join(str(p) for p in first["loc"]),
        ) from None
