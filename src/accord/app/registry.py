"""The one registry of engines that every surface uses (docs/architecture.md, "The registry").

An engine is described by an :class:`EngineSpec`: its key (the same word on the command line, in
``accord sweep --engine``, in the JSON and in the report), the scenario sections it reads, its
typed settings, and four pure functions — ``prepare``, ``run``, ``headlines`` and ``findings``.
The terminal, the HTML report, the web app and sweeps all reach engines through :func:`get_spec`
and :func:`all_specs`; none of them computes an answer of its own.

Settings have one source of truth (:func:`resolve_settings`): an explicit override (a CLI flag, a
web control) wins over the scenario's own section, which wins over the engine's default, and the
result records every value and where it came from.

Third parties add engines through the entry-point group ``accord.engines``: each entry point names
an :class:`EngineSpec` object (``mypkg.engine:SPEC``).

Example::

    >>> spec = get_spec("analyse")
    >>> spec.key, "preferences" in spec.sections
    ('analyse', True)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from accord.errors import AccordError, EngineInputError
from accord.scenario.model import Scenario

ENTRY_POINT_GROUP = "accord.engines"

from accord.app.builtin import BUILTIN_ENGINES  # noqa: E402 - re-exported here


class Absent(AccordError):
    """The scenario has no section for this engine: the engine is left out, with this reason."""


class MissingExtra(AccordError):
    """An optional dependency is not installed; the message names the extra to install."""

    def __init__(self, extra: str, what: str, module: str | None = None) -> None:
        self.extra = extra
        self.what = what
        self.module = module
        super().__init__(f"install accord[{extra}] for {what}")


class EngineSettings(BaseModel):
    """Base class of an engine's typed settings: frozen, unknown keys refused, all defaulted."""

    model_config = ConfigDict(frozen=True, extra="forbid")


@dataclass(frozen=True)
class Finding:
    """One finding: structured data first, the sentence second.

    ``kind`` is ``"<engine>.<what>"``; ``values`` holds the numbers and ids the sentence rests on;
    ``text`` states them in words (labels, not ids). Every surface renders the same list.
    """

    kind: str
    text: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "values": dict(self.values)}


@dataclass(frozen=True)
class EngineSpec:
    """An engine as the application layer sees it (see the module docstring)."""

    key: str
    title: str
    sections: tuple[str, ...]
    settings: type[BaseModel]
    prepare: Callable[[Scenario, Any], Any]
    run: Callable[[Any, int], Any]
    headlines: Callable[[Any], dict[str, float]]
    findings: Callable[[Any], list[Finding]]
    scenario_settings: Callable[[Scenario], Mapping[str, Any]] | None = None
    stochastic: bool = False
    description: str = ""
    target: str = ""
    """The headline a sweep's "what would it take" aims at by default (``""``: the first one)."""


@dataclass(frozen=True)
class ResolvedSettings:
    """The settings an engine ran with, and where each value came from."""

    values: BaseModel
    sources: Mapping[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "values": self.values.model_dump(mode="json"),
            "sources": dict(self.sources),
        }


def resolve_settings(
    spec: EngineSpec, scenario: Scenario, overrides: Mapping[str, Any] | None = None
) -> ResolvedSettings:
    """Override, then the scenario's own section, then the default (module docstring)."""
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    unknown = sorted(set(overrides) - set(spec.settings.model_fields))
    if unknown:
        raise EngineInputError(
            f"'{spec.key}' has no setting {', '.join(repr(u) for u in unknown)}; its settings are: "
            + (", ".join(spec.settings.model_fields) or "none")
        )
    from_scenario = dict(spec.scenario_settings(scenario)) if spec.scenario_settings else {}
    from_scenario = {k: v for k, v in from_scenario.items() if v is not None}
    merged = {**from_scenario, **overrides}
    try:
        values = spec.settings(**merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise EngineInputError(
            f"setting '{where}' of '{spec.key}': {first['msg']}; check the flag or the "
            "scenario's section"
        ) from None
    sources = {
        name: "override"
        if name in overrides
        else "scenario"
        if name in from_scenario
        else "default"
        for name in spec.settings.model_fields
    }
    return ResolvedSettings(values, sources)


_CACHE: dict[str, EngineSpec] | None = None


def _load_builtin(name: str) -> EngineSpec | None:
    module_name = f"accord.app.engines.{name}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None  # not written (yet): the registry simply does not list it
        raise
    spec = getattr(module, "SPEC", None)
    if not isinstance(spec, EngineSpec):
        raise TypeError(f"{module_name} defines no EngineSpec named SPEC")
    return spec


def _load_plugins() -> list[EngineSpec]:
    out = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        spec = ep.load()
        if not isinstance(spec, EngineSpec):
            raise TypeError(f"entry point '{ep.name}' ({ep.value}) is not an EngineSpec")
        out.append(spec)
    return out


def all_specs() -> dict[str, EngineSpec]:
    """Every engine: the built-in ones in their order, then plug-ins in entry-point order."""
    global _CACHE
    if _CACHE is None:
        specs: dict[str, EngineSpec] = {}
        for name in BUILTIN_ENGINES:
            spec = _load_builtin(name)
            if spec is not None:
                specs[spec.key] = spec
        for spec in _load_plugins():
            if spec.key in specs:
                raise TypeError(f"two engines use the key '{spec.key}'")
            specs[spec.key] = spec
        _CACHE = specs
    return dict(_CACHE)


def reset_registry() -> None:
    """Forget the loaded specs (for tests that install an entry point)."""
    global _CACHE
    _CACHE = None


def get_spec(key: str) -> EngineSpec:
    """The spec of an engine; an unknown key is an error listing the known ones."""
    specs = all_specs()
    if key not in specs:
        raise EngineInputError(f"unknown engine '{key}'; use one of: {', '.join(specs)}")
    return specs[key]
