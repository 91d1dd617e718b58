"""The application layer between the engines and the edges (docs/architecture.md).

:mod:`accord.app.registry` holds the one engine registry; :mod:`accord.app.run` computes every
engine's answer once; :mod:`accord.app.briefing` sums it up; :mod:`accord.app.api` is the Python
API. Nothing is imported here, so the low half (registry, specs) can be used by the sweep layer
without pulling in the high half.
"""
