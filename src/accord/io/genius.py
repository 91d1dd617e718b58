"""GENIUS negotiation domains in and out: XML domain and profile files ↔ an Accord scenario.

GENIUS (Lin, Kraus, Baarslag, Tykhonov, Hindriks & Jonker 2014, "Genius: an integrated
environment for supporting the design of generic automated negotiators", *Computational
Intelligence* 30(1)) and the ANAC competitions describe a bilateral or multilateral negotiation by
one *domain* file (the issues and their values) and one *profile* file per party (a linear-additive
utility space). The semantics implemented here are GENIUS's additive utility space:

* a discrete value's utility is its ``evaluation`` divided by the largest evaluation of that issue
  in the same profile (GENIUS ``EvaluatorDiscrete.normalize``); an issue whose largest evaluation
  is below 1e-5 is worth 0 everywhere. (NegMAS's GENIUS loader keeps the raw evaluations instead,
  which is a different utility function: ``benchmarks/compare_negmas.py`` applies GENIUS's
  division before comparing);
* an integer issue's utility is ``clip(offset + slope·(x − lowerbound), 0, 1)`` (GENIUS
  ``EvaluatorInteger``), imported exactly as a piecewise-linear value function on a grid of step 1;
  real-valued issues are refused with a hint (discretise them first);
* the issue weights are normalised by their sum (Accord normalises them as well);
* ``<reservation value=...>`` (or a ``reservation`` attribute of ``utility_space``) is the
  utility of no agreement, default 0;
* ``<discount_factor value=d>`` with ``d < 1`` becomes ``Preference.discount``. GENIUS discounts
  over *normalised time* — a deal at time ``t ∈ [0, 1]`` is worth ``u·d^t`` — while Accord's
  discount is *per round*. By default ``d`` is carried over unchanged (so one Accord round spans
  the whole GENIUS deadline); pass ``deadline_rounds=R`` to spread it over ``R`` rounds
  (``δ = d^(1/R)``, so ``δ^R = d``), and the exporter inverts the same mapping.

Every file is untrusted: it is read only up to :data:`MAX_GENIUS_BYTES` and parsed with
defusedxml with DTDs, entities and external references forbidden (:mod:`accord.io.safe_xml`), so
an entity bomb or an external entity is refused at once. Every problem becomes a
:class:`~accord.errors.ScenarioError` naming the file, the line of the element where known, and
the fix.

The work is split into :mod:`accord.io.safe_xml` (reading XML safely),
:mod:`accord.io.genius_parse` (the GENIUS model as read from the files),
:mod:`accord.io.genius_ids` (ids for GENIUS names), :mod:`accord.io.genius_import` and
:mod:`accord.io.genius_export`; this module gathers their public names.

Export writes the same format back. GENIUS requires each issue's best evaluation to be the
reference point (utility 1), so a party whose best outcome is worth less than 1 in Accord is
exported with every utility (and its reservation value) multiplied by ``1 / u_max``; preference
orders and the Nash and Kalai–Smorodinsky points do not change, and scenarios imported from GENIUS
round-trip exactly (:func:`genius_scale_factors` tells which parties are rescaled).

Example::

    >>> from pathlib import Path
    >>> scenario = import_genius([Path("../shared/data/genius/Laptop")])  # doctest: +SKIP
    >>> scenario.party_ids  # doctest: +SKIP
    ('buyer', 'seller')
"""

from __future__ import annotations

from accord.io.genius_export import (
    MAX_EXPORT_VALUES,
    export_genius,
    genius_scale_factors,
)
from accord.io.genius_ids import kebab, party_labels, unique_ids
from accord.io.genius_import import import_genius
from accord.io.genius_parse import (
    GENIUS_ZERO_EVALUATION,
    GeniusDomain,
    GeniusIssue,
    GeniusProfile,
    find_genius_files,
    parse_domain,
    parse_profile,
)
from accord.io.safe_xml import MAX_XML_BYTES, XmlDoc, parse_xml, read_xml

MAX_GENIUS_BYTES = MAX_XML_BYTES
"""Largest GENIUS XML file read (ANAC files are a few kilobytes)."""

__all__ = [
    "GENIUS_ZERO_EVALUATION",
    "MAX_EXPORT_VALUES",
    "MAX_GENIUS_BYTES",
    "GeniusDomain",
    "GeniusIssue",
    "GeniusProfile",
    "XmlDoc",
    "export_genius",
    "find_genius_files",
    "genius_scale_factors",
    "import_genius",
    "kebab",
    "parse_domain",
    "parse_profile",
    "parse_xml",
    "party_labels",
    "read_xml",
    "unique_ids",
]
