"""``accord report`` (the self-contained HTML report) and ``accord serve`` (the local web app).

Parsing and printing only: the report is built by :mod:`accord.report`, the app by
:mod:`accord.web`. :func:`write_report` is what ``accord run`` calls to leave a report behind.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.cli.common import console, guarded, load_scenario_arg, print_json
from accord.errors import EngineInputError

if TYPE_CHECKING:
    from accord.app.run import RunResult
    from accord.scenario.model import Scenario


REPORT_EXTRA_NOTE = "install accord[report] for the HTML report"


def report_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("plotly") is not None


def write_report(run: RunResult | Scenario, path: Path, figures: Path | None = None) -> Path:
    """Write the HTML report of one run result (a scenario is run first) to ``path``, and its
    figures as PNG/SVG into ``figures``."""
    from accord.app.registry import MissingExtra

    if not report_available():
        raise MissingExtra("report", "the HTML report", "plotly")
    from accord.app.run import run_all
    from accord.report import render_report, report_data, section_views
    from accord.scenario.model import Scenario

    if isinstance(run, Scenario):
        run = run_all(run)

    data = report_data(run)
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise EngineInputError(f"the folder '{path.parent}' does not exist; create it first")
    path.write_text(render_report(data), encoding="utf-8")
    if figures is not None:
        from accord.report.export import write_figures

        figs = {name: fig for view in section_views(data) for name, fig in view.figures}
        write_figures(figs, figures)
    return path


def try_write_report(run: RunResult, path: Path) -> tuple[Path | None, str | None]:
    """``accord run``'s report: the path, or (None, the one line naming the missing extra)."""
    if not report_available():
        return None, REPORT_EXTRA_NOTE
    return write_report(run, path), None


def register(app: typer.Typer) -> None:
    @app.command("report")
    @guarded
    def report(
        scenario: Annotated[str, typer.Argument(help="Scenario file or built-in id.")],
        output: Annotated[
            Path, typer.Option("-o", "--output", help="The HTML file to write.")
        ] = Path("report.html"),
        figures: Annotated[
            Path | None,
            typer.Option("--figures", help="Also write each figure as PNG and SVG into DIR."),
        ] = None,
        json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    ) -> None:
        """Write one self-contained HTML report (opens offline) with every engine's section."""
        from accord.app.run import run_all

        s = load_scenario_arg(scenario)
        path = write_report(run_all(s), output, figures)
        size = path.stat().st_size
        info: dict[str, Any] = {"scenario": s.id, "report": str(path), "bytes": size}
        if figures is not None:
            info["figures"] = sorted(str(p) for p in figures.iterdir())
        if json_out:
            print_json(info)
            return
        console.print(f"wrote {path} ({size / 1e6:.1f} MB)")
        if figures is not None:
            console.print(f"wrote {len(info['figures'])} figure files into {figures}")

    @app.command("serve")
    @guarded
    def serve(
        host: Annotated[str, typer.Option("--host", help="Address to bind.")] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8765,
        workers: Annotated[
            int, typer.Option("--workers", help="Worker processes for computations (1-8).")
        ] = 2,
        compute_seconds: Annotated[
            float,
            typer.Option("--compute-seconds", help="Time limit of one engine's computation."),
        ] = 20.0,
    ) -> None:
        """Start the local web app (needs the 'web' extra: pip install 'accord[web]')."""
        try:
            import uvicorn

            from accord.web.app import LOCAL_HOSTS, create_app
            from accord.web.limits import server_config
        except ImportError as exc:
            from accord.app.registry import MissingExtra

            raise MissingExtra("web", f"the web app ({exc.name} is missing)") from None
        if not 0 < port < 65536:
            raise EngineInputError(f"--port must be in 1..65535, got {port}")
        if not 1 <= workers <= 8:
            raise EngineInputError(f"--workers must be in 1..8, got {workers}")
        if not 0.1 <= compute_seconds <= 600:
            raise EngineInputError(f"--compute-seconds must be in 0.1..600, got {compute_seconds}")
        hosts: tuple[str, ...] = LOCAL_HOSTS
        if host not in LOCAL_HOSTS:
            console.print(f"warning: binding {host} exposes the app beyond this machine.")
            hosts = (*LOCAL_HOSTS, host)
        console.print(f"Accord web app on http://{host}:{port}/ (API docs at /docs); Ctrl-C stops")
        web = create_app(workers=workers, compute_seconds=compute_seconds, allowed_hosts=hosts)
        config = server_config(web, host, port, log_level="warning", timeout_graceful_shutdown=5)
        uvicorn.Server(config).run()
