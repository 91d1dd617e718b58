"""Examples in the docs run as tests: module docstrings (doctest) and the README's Python block."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import accord

ROOT = Path(__file__).resolve().parents[2]
OPTIONAL = ("accord.web", "accord.cli.serve")  # need the `web` extra


def _modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(accord.__path__, "accord."):
        if not info.name.startswith(OPTIONAL):
            names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest example(s) failed in {name}"


def test_readme_python_example_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    assert blocks, "the README has a Python example"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})


@pytest.mark.parametrize("doc", ["api.md"])
def test_docs_python_examples_run(doc: str) -> None:
    text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, f"docs/{doc} has Python examples"
    for block in blocks:
        exec(compile(block, f"docs/{doc}", "exec"), {})
