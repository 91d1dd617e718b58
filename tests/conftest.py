"""Fixtures shared by every test folder."""

from __future__ import annotations

from typing import Any

import pytest


def _engine_section(scenario: Any, key: str, console: Any, **settings: Any) -> Any:
    """Run one engine through the registry and print its ``accord run`` section (None when the
    scenario has no section for it)."""
    from accord.app.run import run_all
    from accord.cli.run_view import print_engine

    overrides = {key: settings} if settings else None
    result = run_all(scenario, overrides, only=(key,), uncertainty=False)
    er = result.engines.get(key)
    if er is not None:
        print_engine(er, console)
    return er


@pytest.fixture
def engine_section() -> Any:
    return _engine_section
