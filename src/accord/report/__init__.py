"""Figures and the self-contained HTML report (pure functions from results to figures and HTML).

Entry points: :func:`compute_sections` runs :func:`accord.app.run.run_all` (or
:func:`report_data` wraps a result already computed), :func:`section_views` turns the results
into figures and findings, and :func:`render_report` / :func:`build_report_html` write the
single-file report.
"""

from accord.report.html import build_report_html, evidence_rows, render_report
from accord.report.sections import ReportData, compute_sections, report_data
from accord.report.views import SectionView, section_views

__all__ = [
    "ReportData",
    "SectionView",
    "build_report_html",
    "compute_sections",
    "evidence_rows",
    "render_report",
    "report_data",
    "section_views",
]
