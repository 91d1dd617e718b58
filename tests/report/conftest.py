from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


@pytest.fixture(scope="session")
def pd_scenario():
    from accord.io.scenario_file import load_scenario

    return load_scenario(HERE / "pd_conflict.yaml")


@pytest.fixture(scope="session")
def hanoi_data():
    import accord
    from accord.report import compute_sections

    return compute_sections(accord.load("hanoi-2019"))


@pytest.fixture(scope="session")
def hanoi_html(hanoi_data):
    from accord.report import render_report

    return render_report(hanoi_data)
