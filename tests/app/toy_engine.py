"""A toy engine a third party could ship: it counts the scenario's issues (for the plug-in test).

It is installed through the entry-point group ``accord.engines`` by
tests/app/test_plugin_engine.py, which writes a ``*.dist-info/entry_points.txt`` beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import Field

from accord.app.registry import Absent, EngineSettings, EngineSpec, Finding


class ToySettings(EngineSettings):
    bonus: float = Field(0.0, description="added to the count")


@dataclass(frozen=True)
class ToyResult:
    issues: int
    bonus: float

    def to_dict(self) -> dict[str, Any]:
        return {"issues": self.issues, "bonus": self.bonus}


def prepare(scenario: Any, settings: ToySettings) -> tuple[int, float]:
    if not scenario.issues:
        raise Absent("the scenario has no issues to count")
    return len(scenario.issues), settings.bonus


def run(prepared: tuple[int, float], seed: int) -> ToyResult:
    return ToyResult(*prepared)


def headlines(r: ToyResult) -> dict[str, float]:
    return {"toy_count": r.issues + r.bonus}


def findings(r: ToyResult) -> list[Finding]:
    return [Finding("toy.count", f"The toy engine counts {r.issues + r.bonus:g} issues.",
                    {"count": r.issues + r.bonus})]  # fmt: skip


SPEC = EngineSpec(
    key="toy",
    title="Toy engine",
    sections=("issues", "preferences"),
    settings=ToySettings,
    prepare=prepare,
    run=run,
    headlines=headlines,
    findings=findings,
    description="counts issues",
)
