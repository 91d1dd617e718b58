"""Accord without its extras (``pip install accord``): commands run, and a missing extra is named.

A real bare venv is slow to build in CI, so the child process hides the optional packages with an
import hook that fails exactly as a missing package does (ModuleNotFoundError with its name).
The note of the last session records the same check in a real venv with only ``pip install .``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HIDE = """
import sys, importlib.abc
OPTIONAL = {"plotly", "kaleido", "duckdb", "pyarrow", "fastapi", "uvicorn", "starlette",
            "dask", "distributed", "pandas", "httpx", "multipart", "python_multipart"}
class Hide(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in OPTIONAL:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Hide())
import importlib.util
_find = importlib.util.find_spec
def find_spec(name, package=None):
    if name.split(".")[0] in OPTIONAL:
        return None
    return _find(name, package)
importlib.util.find_spec = find_spec
sys.argv = ["accord", *sys.argv[1:]]
from accord.cli.main import main
main()
"""


def _accord(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", HIDE, *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )


def test_run_without_the_report_extra_prints_its_name(tmp_path: Path) -> None:
    res = _accord(["run", "divide-the-dollar"], tmp_path)
    assert res.returncode == 0, res.stderr
    assert "install accord[report] for the HTML report" in res.stdout
    assert "This is a bug" not in res.stdout + res.stderr
    assert not list(tmp_path.glob("*.html"))


def test_a_command_that_needs_an_extra_names_it(tmp_path: Path) -> None:
    res = _accord(["sweep", "hanoi-2019", "--samples", "8", "--executor", "serial"], tmp_path)
    assert res.returncode == 2, res.stdout + res.stderr
    assert "install accord[store]" in res.stderr
    assert "This is a bug" not in res.stderr
    res = _accord(["serve"], tmp_path)
    assert res.returncode == 2 and "install accord[web]" in res.stderr
