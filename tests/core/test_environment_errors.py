"""The machine's refusals (disk full, read-only, no permission) end with the way out and exit 2,
not "internal error ... This is a bug" (issue 19)."""

from __future__ import annotations

import errno

import pytest
import typer

from accord.cli import common


def _raises(exc: BaseException):
    @common.guarded
    def command() -> None:
        raise exc

    return command


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, "the disk is full: free space"),
        (errno.EROFS, "read-only"),
        (errno.EACCES, "permission denied"),
    ],
)
def test_environment_failures_name_the_way_out(code: int, words: str, capsys) -> None:
    with pytest.raises(typer.Exit) as exit_:
        _raises(OSError(code, "os message", "/data/out/report.html"))()
    assert exit_.value.exit_code == common.EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert words in err and "/data/out/report.html" in err
    assert "bug" not in err.lower()


def test_any_other_os_error_is_still_reported_as_a_bug(capsys) -> None:
    with pytest.raises(typer.Exit) as exit_:
        _raises(OSError(errno.ECONNRESET, "connection reset"))()
    assert exit_.value.exit_code == common.EXIT_INTERNAL
    assert "bug" in capsys.readouterr().err.lower()
