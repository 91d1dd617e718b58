"""Figures and the self-contained HTML report (pure functions from results to figures and HTML).

Entry points: :func:`compute_sections` runs the engines a scenario has sections for (the one place
that calls them), :func:`section_views` turns the results into figures and findings, and
:func:`render_report` / :func:`build_report_html` write the single-file report.
"""

from accord.report.html import build_report_html, evidence_rows, render_report
from accord.report.sections import ReportData, ReportSettings, compute_sections
from accord.report.views import SectionView, section_views

__all__ = [
    "ReportData",
    "ReportSettings",
    "SectionView",
    "build_report_html",
    "compute_sections",
    "evidence_rows",
    "render_report",
    "section_views",
]
