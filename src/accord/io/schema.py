"""The JSON Schema of scenario files, generated from the model and shipped with the package."""

from __future__ import annotations

from typing import Any

from accord.scenario.model import Scenario


def scenario_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for version-1 scenario files."""
    schema = Scenario.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Accord scenario, version 1"
    return schema
