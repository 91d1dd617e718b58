"""Results store: a folder of Parquet parts per sweep plus a DuckDB catalogue (embedded default).

See :mod:`accord.store.runs`.
"""

from accord.store.runs import DEFAULT_STORE, RunStore, SweepRecord

__all__ = ["DEFAULT_STORE", "RunStore", "SweepRecord"]
