"""Read stakeholder tables from CSV into the ``stakeholders:`` section model.

Two layouts are recognised from their header:

* **simple** (one dimension): a header ``actor,capability,position,salience`` (any case, any column
  order), then one actor per row. Salience lies in [0, 1].
* **KTAB-style** (several dimensions): a title row (its first cell is the title), then a header
  ``Actor,Description,Power,Pstn1,Sal1,Pstn2,Sal2,...``, then one actor per row. Dimension ``k`` is
  named ``dim-k``. KTAB writes salience on 0-100; when any salience exceeds 1 all of them are
  divided by 100.

Positions use the 0-100 scale when they fit in it; otherwise the scale is the positions' own
range. An actor written as a valid id (``USA``, ``A01``) keeps it unchanged; any other name gets
a kebab-case id (``Dmitri Ivanov`` → ``dmitri-ivanov``) and stays the actor's display name. Ids
are unique without regard to case. Numbers must be finite, and so must the sum of the capabilities
and the span of the positions. Every problem becomes a :class:`~accord.errors.ScenarioError`
naming the file, the line and the column.

Example:
    >>> text = "actor,capability,position,salience\\nUS,100,20,0.9\\nDmitri Ivanov,40,90,1\\n"
    >>> section = parse_stakeholders_csv(text, file="t.csv")
    >>> [(a.id, a.name) for a in section.actors]
    [('US', 'US'), ('dmitri-ivanov', 'Dmitri Ivanov')]
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

from pydantic import ValidationError

from accord.budget import current_progress
from accord.errors import ScenarioError
from accord.io.safe_read import read_bytes_limited
from accord.scenario.base import is_id, shown
from accord.scenario.stakeholders import MAX_ACTORS, Stakeholders

MAX_BYTES = 2_000_000

MAX_DIMENSIONS = 200
"""Most dimensions (position/salience column pairs) a KTAB-style table may have. Each dimension is
forecast separately with its own rounds, so a table of thousands of them runs for minutes (60,000
took over two minutes); above the limit the file is refused before its rows are read."""
SIMPLE_COLUMNS = ("actor", "capability", "position", "salience")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64].strip("-")


def _number(cell: str, file: str, line: int, column: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise ScenarioError(
            f"'{cell}' is not a number", file=file, line=line, field=column, hint="write a number"
        ) from None
    if not math.isfinite(value):
        raise ScenarioError(
            f"'{cell}' is not a finite number", file=file, line=line, field=column,
            hint="write a finite number",
        )  # fmt: skip
    return value


def _actor_id(name: str, file: str, line: int, column: str, seen: dict[str, int]) -> str:
    """The id the user wrote when it is a valid id, else the name's kebab form."""
    actor_id = name if is_id(name) else _slug(name)
    if not actor_id:
        raise ScenarioError(
            "the actor has no name", file=file, line=line, field=column,
            hint="give each actor a name with at least one letter or digit",
        )  # fmt: skip
    key = actor_id.casefold()  # 'US' and 'us' are the same actor
    if key in seen:
        raise ScenarioError(
            f"the actor {shown(name)} (id '{actor_id}') already appears on line {seen[key]} "
            "(ids are compared without regard to case)",
            file=file, line=line, field=column, hint="list each actor once",
        )  # fmt: skip
    seen[key] = line
    return actor_id


def _scale(values: list[float], file: str, column: str) -> tuple[float, float]:
    lo, hi = min(values), max(values)
    if not math.isfinite(hi - lo):
        raise ScenarioError(
            f"the positions span {lo:g} to {hi:g}, more than a float can hold", file=file,
            field=column, hint="rescale the positions, for example to 0-100",
        )  # fmt: skip
    if lo >= 0 and hi <= 100:
        return (0.0, 100.0)
    return (lo, hi) if lo < hi else (lo - 1.0, hi + 1.0)


def _rows(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) for each non-blank row."""
    reader = csv.reader(io.StringIO(text))
    rows = []
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((reader.line_num, [c.strip() for c in cells]))
    except csv.Error as exc:
        raise ScenarioError(f"not a readable CSV file: {exc}", line=reader.line_num) from None
    return rows


def parse_stakeholders_csv(text: str, file: str = "<csv>") -> Stakeholders:
    """Parse a simple or KTAB-style stakeholder CSV (see the module docstring)."""
    if "\x00" in text:
        raise ScenarioError(
            "holds a NUL character, so it is not a text CSV file", file=file,
            line=text.count("\n", 0, text.index("\x00")) + 1, hint="save the table as CSV text",
        )  # fmt: skip
    try:
        rows = _rows(text)
    except ScenarioError as exc:
        raise exc.with_file(file) from None
    if not rows:
        raise ScenarioError(
            "the file is empty", file=file,
            hint="start with the header actor,capability,position,salience",
        )  # fmt: skip
    first = [c.lower() for c in rows[0][1]]
    if set(SIMPLE_COLUMNS) <= set(first):
        data = _simple(rows, file)
    elif len(rows) > 1 and [c.lower() for c in rows[1][1][:3]] == ["actor", "description", "power"]:
        data = _ktab(rows, file)
    else:
        raise ScenarioError(
            "unrecognised header", file=file, line=rows[0][0],
            hint="use the header actor,capability,position,salience, or a title row followed by "
            "Actor,Description,Power,Pstn1,Sal1,... (KTAB)",
        )  # fmt: skip
    try:
        return Stakeholders.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ScenarioError(
            str(err["msg"]).removeprefix("Value error, "),
            file=file,
            field=("stakeholders", *err["loc"]),
        ) from None


def _check_count(n_actors: int, file: str) -> None:
    if n_actors > MAX_ACTORS:
        raise ScenarioError(
            f"{n_actors} actors exceed the limit of {MAX_ACTORS}", file=file,
            hint="merge minor actors into groups",
        )  # fmt: skip
    if n_actors < 2:
        raise ScenarioError(
            f"found {n_actors} actor(s)", file=file, hint="list at least two actors, one per row"
        )


def _simple(rows: list[tuple[int, list[str]]], file: str) -> dict[str, object]:
    header = [c.lower() for c in rows[0][1]]
    col = {name: header.index(name) for name in SIMPLE_COLUMNS}
    _check_count(len(rows) - 1, file)
    actors = []
    positions: list[float] = []
    capabilities: list[float] = []
    seen: dict[str, int] = {}
    for line, cells in rows[1:]:
        if len(cells) < len(header):
            raise ScenarioError(
                f"expected {len(header)} cells, found {len(cells)}", file=file, line=line,
                hint="give actor,capability,position,salience on every row",
            )  # fmt: skip
        name = cells[col["actor"]]
        actor_id = _actor_id(name, file, line, "actor", seen)
        cap = _number(cells[col["capability"]], file, line, "capability")
        pos = _number(cells[col["position"]], file, line, "position")
        sal = _number(cells[col["salience"]], file, line, "salience")
        _positive(cap, file, line, "capability")
        _unit(sal, file, line, "salience")
        positions.append(pos)
        capabilities.append(cap)
        actors.append(
            {
                "id": actor_id,
                "name": name,
                "capability": cap,
                "positions": {"issue": pos},
                "salience": {"issue": sal},
            }
        )
    _check_sum(capabilities, file, "capability")
    dims = [{"id": "issue", "scale": _scale(positions, file, "position")}]
    return {"dimensions": dims, "actors": actors}


def _check_sum(values: list[float], file: str, column: str) -> None:
    if not math.isfinite(sum(values)):
        raise ScenarioError(
            f"the sum of the {column} column overflows", file=file, field=column,
            hint="scale the numbers down; only their ratios matter",
        )  # fmt: skip


def _positive(cap: float, file: str, line: int, column: str) -> None:
    if cap <= 0:
        raise ScenarioError(
            f"capability must be positive, got {cap:g}", file=file, line=line, field=column,
            hint="give a positive number, or leave out actors with no influence",
        )  # fmt: skip


def _unit(sal: float, file: str, line: int, column: str) -> None:
    if not 0 <= sal <= 1:
        raise ScenarioError(
            f"salience must lie in [0, 1], got {sal:g}", file=file, line=line, field=column,
            hint="give a salience between 0 and 1",
        )  # fmt: skip


def _ktab(rows: list[tuple[int, list[str]]], file: str) -> dict[str, object]:
    header_line, header = rows[1]
    rest = header[3:]
    if not rest or len(rest) % 2:
        raise ScenarioError(
            "after Actor,Description,Power the header needs pairs of columns Pstn1,Sal1,...",
            file=file, line=header_line, hint="add a position and a salience column per dimension",
        )  # fmt: skip
    n_dims = len(rest) // 2
    if n_dims > MAX_DIMENSIONS:
        raise ScenarioError(
            f"{n_dims:,} dimensions (position/salience column pairs) exceed the limit of "
            f"{MAX_DIMENSIONS}", file=file, line=header_line,
            hint="split the table into several files or keep the dimensions that matter",
        )  # fmt: skip
    for k in range(n_dims):
        pos_name, sal_name = rest[2 * k].lower(), rest[2 * k + 1].lower()
        if not (
            pos_name.startswith("pos") or pos_name.startswith("pstn")
        ) or not sal_name.startswith("sal"):
            raise ScenarioError(
                f"columns {4 + 2 * k} and {5 + 2 * k} should be a position and a salience, got "
                f"'{rest[2 * k]}' and '{rest[2 * k + 1]}'",
                file=file, line=header_line, hint="name them Pstn1,Sal1,Pstn2,Sal2,...",
            )  # fmt: skip
    _check_count(len(rows) - 2, file)
    parsed = []
    seen: dict[str, int] = {}
    report = current_progress()
    for done, (line, cells) in enumerate(rows[2:], start=1):
        if report is not None:
            report(done, len(rows) - 2)
        if len(cells) < len(header):
            raise ScenarioError(
                f"expected {len(header)} cells, found {len(cells)}", file=file, line=line,
                hint="give every actor a power and a position and salience per dimension",
            )  # fmt: skip
        actor_id = _actor_id(cells[0], file, line, header[0], seen)
        cap = _number(cells[2], file, line, header[2])
        _positive(cap, file, line, header[2])
        pos = [_number(cells[3 + 2 * k], file, line, rest[2 * k]) for k in range(n_dims)]
        sal = [_number(cells[4 + 2 * k], file, line, rest[2 * k + 1]) for k in range(n_dims)]
        for k, value in enumerate(sal):
            if not 0 <= value <= 100:
                raise ScenarioError(
                    f"salience must lie in [0, 100] (or [0, 1]), got {value:g}", file=file,
                    line=line, field=rest[2 * k + 1], hint="give a salience between 0 and 100",
                )  # fmt: skip
        parsed.append((actor_id, cells[0], cells[1], cap, pos, sal))
    scale_sal = 100.0 if any(v > 1 for *_, sal in parsed for v in sal) else 1.0
    _check_sum([p[3] for p in parsed], file, header[2])
    dims = [
        {"id": f"dim-{k + 1}", "scale": _scale([p[4][k] for p in parsed], file, rest[2 * k])}
        for k in range(n_dims)
    ]
    actors = [
        {
            "id": actor_id,
            "name": name if not description else f"{name} ({description})",
            "capability": cap,
            "positions": {f"dim-{k + 1}": pos[k] for k in range(n_dims)},
            "salience": {f"dim-{k + 1}": sal[k] / scale_sal for k in range(n_dims)},
        }
        for actor_id, name, description, cap, pos, sal in parsed
    ]
    return {"dimensions": dims, "actors": actors}


def read_stakeholders_csv(path: str | Path) -> Stakeholders:
    """Read a stakeholder CSV file (size-limited to 2 MB)."""
    p = Path(path)
    name = str(path)
    if not p.is_file():
        raise ScenarioError("no such file", file=name, hint="check the path")
    data = read_bytes_limited(
        p, MAX_BYTES, hint=f"a stakeholder table holds at most {MAX_ACTORS} actors"
    )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"not UTF-8 text (byte {exc.start})", file=name, hint="save the file as UTF-8 CSV"
        ) from None
    return parse_stakeholders_csv(text, file=name)
