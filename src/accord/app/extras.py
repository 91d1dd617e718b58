"""Which optional extra brings which module, so a missing one is named in every message."""

from __future__ import annotations

EXTRAS = {
    "plotly": "report",
    "kaleido": "report",
    "duckdb": "store",
    "pyarrow": "store",
    "fastapi": "web",
    "uvicorn": "web",
    "starlette": "web",
    "multipart": "web",
    "python_multipart": "web",
    "httpx": "web",
    "dask": "dask",
    "distributed": "dask",
    "pandas": "pandas",
    "negmas": "compare",
}


def extra_for_module(module: str) -> str | None:
    """The extra that installs ``module`` (or its top-level package), if it is optional."""
    return EXTRAS.get(module.split(".")[0])
