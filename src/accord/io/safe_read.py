"""Size-limited reading of untrusted input files, shared by every reader in :mod:`accord.io`.

A file is refused before it is read when its size is over the limit, and it is never read past
``limit + 1`` bytes (a file that grows, or a device that reports no size, cannot exhaust memory).
Problems become a :class:`~accord.errors.ScenarioError` naming the file.
"""

from __future__ import annotations

from pathlib import Path

from accord.errors import ScenarioError


def read_bytes_limited(path: Path, limit: int, *, what: str = "", hint: str | None = None) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes."""
    file = str(path)
    kind = f" for {what}" if what else ""
    try:
        size = path.stat().st_size
        if size > limit:
            raise ScenarioError(
                f"the file is {size:,} bytes, over the limit of {limit:,}{kind}",
                file=file,
                hint=hint or "check that this is the right file",
            )
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise ScenarioError(f"cannot be read: {exc.strerror}", file=file) from None
    except ValueError as exc:  # a path with a NUL byte
        raise ScenarioError(f"cannot be read: {exc}", file=repr(file)) from None
    if len(data) > limit:
        raise ScenarioError(f"the file is over the limit of {limit:,} bytes{kind}", file=file)
    return data
