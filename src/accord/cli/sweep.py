"""``accord sweep`` and ``accord runs``: uncertainty sweeps, sensitivity, "what would it take".

Thin edge over :mod:`accord.uncertainty` and :mod:`accord.store` (DESIGN.md §2): parse, call,
print. The uncertainty summary of ``accord run`` is :mod:`accord.app.uncertainty`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from accord.cli.common import console, err_console, guarded, load_scenario_arg, print_json
from accord.cli.render import FoldTable as Table
from accord.errors import AccordError

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")]
StoreOpt = Annotated[
    Path, typer.Option("--store", help="Results store folder (Parquet parts + DuckDB catalogue).")
]


def _count(text: str | int) -> int:
    """A whole number of samples: ``10000``, ``10_000``, ``10,000`` or ``1e8``."""
    if isinstance(text, int):
        return text
    cleaned = str(text).strip().replace("_", "").replace(",", "")
    try:
        return int(cleaned)
    except ValueError:
        pass
    try:
        value = float(cleaned)
    except ValueError:
        value = float("nan")
    if not value.is_integer():
        raise typer.BadParameter(f"'{text}' is not a whole number (for example 10000 or 1e6)")
    return int(value)


def _notes(store: Any) -> None:
    """Print what the store had to say (a damaged catalogue listed around, a part set aside)."""
    from rich.text import Text

    for note in store.notes:
        err_console.print(Text("note: ", style="bold yellow") + Text(note), soft_wrap=True)


def _parse_options(items: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise AccordError(f"--option takes KEY=VALUE (for example runs=100), got '{item}'")
        try:
            out[key.strip()] = int(value)
        except ValueError:
            try:
                out[key.strip()] = float(value)
            except ValueError:
                out[key.strip()] = value.strip()
    return out


def _summary_table(result: Any) -> Table:
    table = Table(title=f"Outputs over {result.plan.samples:,} samples")
    for col in ("output", "mean", "5%", "median", "95%"):
        table.add_column(col, justify="left" if col == "output" else "right")
    for name, s in result.summary().items():
        table.add_row(name, *(f"{s[k]:.4g}" for k in ("mean", "p05", "p50", "p95")))
    return table


def _tornado_table(t: Any) -> Table:
    table = Table(title=f"Tornado: {t.output} (baseline {t.baseline:.4g})")
    for col in ("parameter", "low", "high", "output at low", "output at high", "swing"):
        table.add_column(col, justify="left" if col == "parameter" else "right")
    for r in t.rows:
        table.add_row(
            r.label, f"{r.low_value:.3g}", f"{r.high_value:.3g}",
            f"{r.output_low:.4g}", f"{r.output_high:.4g}", f"{r.swing:.4g}",
        )  # fmt: skip
    return table


def register(app: typer.Typer) -> None:
    """Add ``accord sweep`` and the ``accord runs`` sub-commands."""

    @app.command()
    @guarded
    def sweep(
        scenario: Annotated[str, typer.Argument(help="Path or built-in id.")],
        engine: Annotated[
            str, typer.Option(help="An engine key; 'accord engines' lists them.")
        ] = "analyse",
        samples: Annotated[
            int,
            typer.Option(
                parser=_count, help="Number of parameter samples N (a whole number; 1e6 works)."
            ),
        ] = 10_000,
        seed: Annotated[int, typer.Option(help="Seed of every random stream.")] = 0,
        sampler: Annotated[str, typer.Option(help="random | lhs | sobol")] = "lhs",
        batch_size: Annotated[
            int | None, typer.Option(help="Samples per batch (default by engine).")
        ] = None,
        executor: Annotated[str, typer.Option(help="serial | processes")] = "processes",
        workers: Annotated[
            int | None, typer.Option(help="Worker processes (default: all cores).")
        ] = None,
        dask: Annotated[
            str | None, typer.Option(help="Dask scheduler address (tcp://host:8786) or 'local'.")
        ] = None,
        store: StoreOpt = Path("accord-runs"),
        resume: Annotated[bool, typer.Option(help="Finish an interrupted sweep.")] = False,
        overwrite: Annotated[bool, typer.Option(help="Start a stored sweep again.")] = False,
        option: Annotated[
            list[str] | None, typer.Option(help="Engine option KEY=VALUE (repeatable).")
        ] = None,
        sobol: Annotated[
            int, typer.Option(help="Also compute Sobol' indices with this base N (0: no).")
        ] = 0,
        target: Annotated[
            str | None,
            typer.Option(
                help="What would it take to reach OUTPUT>=X (or <=X), e.g. deal_possible>=1."
            ),
        ] = None,
        json_out: JsonOpt = False,
    ) -> None:
        """Sample the uncertain parameters N times, run an engine on each, store the results."""
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        from accord.store import RunStore
        from accord.uncertainty import (
            Target,
            get_engine,
            plan_sweep,
            run_sweep,
            sensitivity_for,
            sobol_for,
            what_would_it_take,
        )

        s = load_scenario_arg(scenario)
        opts = _parse_options(option or [])
        plan = plan_sweep(
            s, engine, samples=samples, seed=seed, sampler=sampler, batch_size=batch_size,
            options=opts,
        )  # fmt: skip
        if sobol < 0:
            raise AccordError(f"--sobol must be 0 or more, got {sobol}")
        parsed_target = Target.parse(target) if target else None
        quiet = json_out
        progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=console, disable=quiet, transient=False,
        )  # fmt: skip
        with progress:
            task = progress.add_task(f"{engine} sweep", total=plan.samples)

            def tick(done: int, total: int) -> None:
                progress.update(task, completed=done)

            def warn(message: str) -> None:
                from rich.text import Text

                err_console.print(Text("warning: ", style="bold yellow") + Text(message))

            rs = RunStore(store)
            try:
                result = run_sweep(
                    plan, rs, resume=resume, overwrite=overwrite,
                    executor=executor, workers=workers, dask=dask, progress=tick, notify=warn,
                )  # fmt: skip
            except KeyboardInterrupt:
                progress.stop()
                console.print(
                    f"interrupted: finished batches are kept in {store}; run the same "
                    "command with --resume to finish the sweep."
                )
                raise typer.Exit(130) from None
        _notes(rs)
        entry = get_engine(engine)
        tornado = sensitivity_for(
            s, engine, plan.params, entry.tornado_output(result.summary()), opts
        )
        out: dict[str, Any] = {**result.to_dict(), "tornado": tornado.to_dict()}
        if sobol:
            out["sobol"] = sobol_for(s, engine, plan.params, tornado.output, opts, sobol, seed)
        if parsed_target is not None:
            out["what_would_it_take"] = what_would_it_take(
                s, engine, parsed_target, options=opts
            ).to_dict()
        if json_out:
            print_json(out)
            return
        console.print(f"sweep {result.sweep_id} stored in {store}")
        console.print(_summary_table(result))
        console.print(_tornado_table(tornado))
        if "sobol" in out:
            table = Table(title=f"Sobol' indices of {tornado.output} (N = {sobol})")
            for col in ("parameter", "first order", "total"):
                table.add_column(col, justify="left" if col == "parameter" else "right")
            for row in out["sobol"]["indices"]:
                table.add_row(
                    row["parameter"],
                    f"{row['first']:.3f} ± {row['first_se']:.3f}",
                    f"{row['total']:.3f} ± {row['total_se']:.3f}",
                )
            console.print(table)
        if "what_would_it_take" in out:
            _print_whatif(out["what_would_it_take"], console)

    runs = typer.Typer(help="List, show and export stored sweeps.", no_args_is_help=True)
    app.add_typer(runs, name="runs")

    @runs.command("list")
    @guarded
    def runs_list(store: StoreOpt = Path("accord-runs"), json_out: JsonOpt = False) -> None:
        """List the sweeps in a results store."""
        from accord.store import RunStore

        rs = RunStore(store)
        records = rs.list()
        _notes(rs)
        if json_out:
            print_json({"store": str(store), "sweeps": [r.to_dict() for r in records]})
            return
        table = Table(title=f"Sweeps in {store}")
        for col in ("id", "scenario", "engine", "samples", "done", "sampler", "seed", "status"):
            table.add_column(col)
        for r in records:
            table.add_row(
                r.id, r.scenario, r.engine, f"{r.samples:,}", f"{r.done:,}", r.sampler,
                str(r.seed), r.status,
            )  # fmt: skip
        console.print(table if records else f"no sweeps in {store}")

    @runs.command("show")
    @guarded
    def runs_show(
        sweep_id: Annotated[str, typer.Argument(help="A sweep id from 'accord runs list'.")],
        store: StoreOpt = Path("accord-runs"),
        json_out: JsonOpt = False,
    ) -> None:
        """Show a stored sweep's settings and a summary of its outputs."""
        import numpy as np

        from accord.store import RunStore

        rs = RunStore(store)
        manifest = rs.manifest(sweep_id)
        record = rs.get(sweep_id)
        _notes(rs)
        summary: dict[str, Any] = {}
        for name in rs.column_names(sweep_id):
            if name == "sample" or name.startswith("param:"):
                continue
            x = rs.column(sweep_id, name)  # one column at a time: memory O(samples), not O(table)
            x = x[np.isfinite(x)]
            summary[name] = {"mean": float(x.mean()) if x.size else None, "rows": int(x.size)}
        info = {**manifest, "id": sweep_id, "status": record.status, "done": record.done,
                "lacking": max(0, int(manifest["samples"]) - record.done),
                "summary": summary}  # fmt: skip
        if json_out:
            print_json(info)
            return
        console.print(
            f"{sweep_id}: {manifest['engine']} on {manifest['scenario']}, "
            f"{record.done:,} of {manifest['samples']:,} samples ({record.status}), "
            f"{manifest['sampler']} sampler, seed {manifest['seed']}"
        )
        t = Table(title="Output means")
        t.add_column("output")
        t.add_column("mean", justify="right")
        for name, s in summary.items():
            t.add_row(name, "-" if s["mean"] is None else f"{s['mean']:.4g}")
        console.print(t)

    @runs.command("export")
    @guarded
    def runs_export(
        sweep_id: Annotated[str, typer.Argument(help="A sweep id from 'accord runs list'.")],
        output: Annotated[Path, typer.Option("-o", "--output", help="A .csv or .parquet file.")],
        store: StoreOpt = Path("accord-runs"),
    ) -> None:
        """Export a sweep's rows (one per sample) to CSV or Parquet."""
        from accord.store import RunStore, resume_command

        rs = RunStore(store)
        done = rs.export(sweep_id, output)
        _notes(rs)
        console.print(f"wrote {done.path} ({done.rows:,} of {done.samples:,} samples)")
        if done.lacking:
            err_console.print(
                f"partial export: the sweep lacks {done.lacking:,} of its {done.samples:,} "
                "samples (not finished, or parts set aside); finish it with "
                f"`{resume_command(rs.manifest(sweep_id), rs.root)}`, then export again",
                soft_wrap=True,
            )


def _print_whatif(w: dict[str, Any], out: Console) -> None:
    table = Table(title=f"What would it take: {w['question'] or w['target']}")
    table.add_column("#", justify="right")
    table.add_column("smallest change")
    table.add_column("size", justify="right")
    for k, c in enumerate(w["changes"], 1):
        table.add_row(str(k), c["sentence"], f"{c['size']:.3f}")
    table.caption = (
        "size: the change as a share of each parameter's plausible range (for a pair, the "
        "length of the two-part step), so changes in different units compare"
    )
    if w["reached_at_point"]:
        out.print(f"The point estimate already meets the target ({w['target']}).")
    elif not w["changes"]:
        out.print(f"No change of one or two parameters in their ranges meets {w['target']}.")
    else:
        out.print(table)
