"""Published graph models used by the validation tests (as dicts in the ``conflict:`` format)."""

from __future__ import annotations

# Elmira groundwater contamination conflict, the 9-state model of Fang, Hipel & Kilgour (1993),
# *Interactive Decision Making* (the Elmira case study), as used by Kilgour, Hipel, Fang & Peng
# (2001), Group Decision and Negotiation 10:159-175. (Hipel et al. 1997, Applied Mathematics and
# Computation, analyses a different dispute and is no longer cited.) The 12-state form of the
# GMCR+ example file is in test_conflict_gmcr_examples.py. The published state numbers (P1..P9)
# order the states differently from the decimal-code convention, so tests map by option vectors:
#   P1 delay; P2 modify+delay; P3 accept; P4 modify+accept; P5 delay+insist;
#   P6 modify+delay+insist; P7 accept+insist; P8 modify+accept+insist; P9 abandon.
ELMIRA_PUBLISHED_STATES = {
    1: {"delay"},
    2: {"modify", "delay"},
    3: {"accept"},
    4: {"modify", "accept"},
    5: {"delay", "insist"},
    6: {"modify", "delay", "insist"},
    7: {"accept", "insist"},
    8: {"modify", "accept", "insist"},
    9: {"abandon"},
}
ELMIRA_PUBLISHED_RANKINGS = {  # most preferred first, published numbering
    "moe": [7, 3, 4, 8, 5, 1, 2, 6, 9],
    "ur": [1, 4, 8, 5, 9, 3, 7, 2, 6],
    "lg": [7, 3, 5, 1, 8, 6, 4, 2, 9],
}
ELMIRA_OPTIONS = ("modify", "delay", "accept", "abandon", "insist")


def elmira_section() -> dict:
    """The Elmira model in the ``conflict:`` format, rankings translated to state numbers."""
    from accord.scenario.conflict import ConflictSection

    base = {
        "decision_makers": [
            {"id": "moe", "name": "Ontario Ministry of the Environment", "options": ["modify"]},
            {"id": "ur", "name": "Uniroyal", "options": ["delay", "accept", "abandon"]},
            {"id": "lg", "name": "Local government", "options": ["insist"]},
        ],
        "infeasible": [
            {"exactly_one_of": ["delay", "accept", "abandon"]},
        ],
        # modifying the order and abandoning are irreversible; after accepting, Uniroyal cannot
        # go back to delaying (irreversible moves of the Elmira model, Fang et al. 1993)
        "irreversible": {"modify": "forward", "abandon": "forward", "delay": "backward"},
    }
    probe = ConflictSection.model_validate(
        {**base, "preferences": {d: {"prioritization": ["modify"]} for d in ("moe", "ur", "lg")}}
    )
    codes = [int(c) for c in probe.feasible_codes()]
    ours = published_to_ours(codes)
    prefs = {
        dm: {"ranking": [ours[p] if p == 9 else ours[p][0] for p in ranking]}
        for dm, ranking in ELMIRA_PUBLISHED_RANKINGS.items()
    }
    return {**base, "preferences": prefs, "status_quo": {o: o == "delay" for o in ELMIRA_OPTIONS}}


def published_to_ours(codes: list[int]) -> dict[int, list[int]]:
    """Map published Elmira state numbers to ours (decimal-code order).

    The published model writes the abandonment state P9 with "-" for the other options: Uniroyal
    can abandon from any state, and then nothing else matters. In option form that is four
    states (MoE's and LG's options free) that every decision maker ranks as equal, which gives
    the same moves and the same stability as P9."""
    out: dict[int, list[int]] = {}
    for number, taken in ELMIRA_PUBLISHED_STATES.items():
        variants = [taken]
        if number == 9:  # abandoned: whatever MoE and LG do, one published state
            variants = [
                taken | extra for extra in (set(), {"modify"}, {"insist"}, {"modify", "insist"})
            ]
        out[number] = []
        for v in variants:
            code = sum(1 << k for k, o in enumerate(ELMIRA_OPTIONS) if o in v)
            out[number].append(codes.index(code) + 1)
    return out


CUBAN = {
    # Cuban missile crisis as in the GMCR literature (Fang, Hipel & Kilgour 1993; the GMCR+
    # example file Examples/Cuban.gmcr of Hipel's group): US air strike (irreversible) /
    # blockade; USSR withdraw / escalate, not both. Preferences by option prioritisation, all
    # eight USSR statements of the example file (the last was missing before, which tied states
    # and made state 2 a spurious Nash equilibrium).
    "decision_makers": [
        {"id": "us", "options": ["air-strike", "blockade"]},
        {"id": "ussr", "options": ["withdraw", "escalate"]},
    ],
    "infeasible": [{"withdraw": True, "escalate": True}],
    "irreversible": {"air-strike": "forward"},
    "preferences": {
        "us": {
            "prioritization": [
                "withdraw",
                "-escalate",
                "-air-strike & withdraw",
                "-blockade & withdraw",
                "air-strike & escalate",
                "blockade & escalate",
                "(air-strike & -withdraw) | (blockade & -escalate) | (air-strike & -escalate)"
                " | (blockade & -withdraw)",
                "-air-strike & -withdraw & -escalate",
                "-blockade & -withdraw & -escalate",
            ]
        },
        "ussr": {
            "prioritization": [
                "-escalate",
                "air-strike | -escalate",
                "blockade | -escalate",
                "-air-strike & -escalate",
                "-blockade & -escalate",
                "(blockade <-> withdraw) | (air-strike & withdraw)",
                "blockade & -withdraw & -escalate",
                "air-strike & -blockade & withdraw & -escalate",
            ]
        },
    },
    "status_quo": {"air-strike": False, "blockade": False, "withdraw": False, "escalate": False},
}
