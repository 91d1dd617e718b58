"""Terminal output never loses information (docs/architecture.md, "Surfaces").

Each command is rendered at 60, 80 and 120 columns; no cell may be cut with "…", and user text
with Rich-markup look-alikes (``[sic]``, ``[b]``, ``[/]``) prints verbatim.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from accord.cli import common
from accord.cli.main import app

runner = CliRunner()

COMMANDS = [
    ["show", "hanoi-2019"],
    ["analyse", "hanoi-2019"],
    ["simulate", "hanoi-2019", "--runs", "1"],
    ["simulate", "--list-strategies"],
    ["stability", "hanoi-2019"],
    ["forecast", "hanoi-2019"],
    ["sequence", "hanoi-2019", "--no-thresholds"],
    ["information", "hanoi-2019"],
    ["signals", "hanoi-2019"],
    ["ratify", "hanoi-2019"],
    ["engines"],
]


def _render(args: list[str], width: int, codes: tuple[int, ...] = (0,)) -> str:
    common.console.width = width
    common.err_console.width = width
    try:
        res = runner.invoke(app, args)
    finally:
        common.console.width = 80
        common.err_console.width = 80
    assert res.exit_code in codes, (args, res.output)
    return res.output


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: "-".join(a[:2]))
def test_no_cell_is_cut(args: list[str], width: int) -> None:
    out = _render(args, width)
    assert "…" not in out, out[max(0, out.find("…") - 200) : out.find("…") + 50]


@pytest.mark.parametrize("width", [60, 80, 120])
def test_run_sweep_and_runs_list_are_not_cut(width: int, tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    sweep = ["sweep", "hanoi-2019", "--samples", "16", "--executor", "serial", "--store", store]
    for args in (["run", "logrolling", "--no-report"], sweep, ["runs", "list", "--store", store]):
        out = _render(args, width)
        assert "…" not in out, (args, out)


def test_markup_look_alikes_print_verbatim(tmp_path: Path) -> None:
    data = {
        "accord": 1,
        "id": "markup",
        "title": "Talks [b] of [/] the [sic] kind",
        "sources": [{"id": "src", "title": "A source"}],
        "parties": [{"id": "a", "name": "Party [b] A"}, {"id": "b", "name": "Side [/] B"}],
        "issues": [{"id": "share", "range": [0, 1], "step": 0.1}],
        "preferences": {
            "a": {
                "weights": {"share": 1},
                "values": {"share": "increasing"},
                "reservation": {
                    "value": 0.2,
                    "evidence": [{"source": "src", "quote": "the [sic] delegation [/x] left"}],
                },
            },
            "b": {"weights": {"share": 1}, "values": {"share": "decreasing"}},
        },
    }
    path = tmp_path / "markup.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    out = _render(["show", str(path)], 120)
    assert "Talks [b] of [/] the [sic] kind" in out
    assert "Party [b] A" in out and "Side [/] B" in out
    out = _render(["evidence", str(path)], 120, codes=(0, 1))  # 1: the source has no text
    assert "the [sic] delegation [/x] left" in " ".join(out.split())
    out = _render(["run", str(path), "--no-report"], 120)
    assert "Party [b] A" in out
