"""Results store: a folder of checked Parquet parts per sweep plus a DuckDB catalogue.

See :mod:`accord.store.runs`.
"""

from accord.store.runs import (
    DEFAULT_STORE,
    BadPart,
    ExportResult,
    PartCheck,
    RunStore,
    StoreError,
    SweepRecord,
    resume_command,
)

__all__ = [
    "DEFAULT_STORE",
    "BadPart",
    "ExportResult",
    "PartCheck",
    "RunStore",
    "StoreError",
    "SweepRecord",
    "resume_command",
]
