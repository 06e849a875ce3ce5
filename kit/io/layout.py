"""Where the table is in a sheet made by a clerk (docs/inputs.md).

A city-hall sheet rarely starts with its header: a title merged over row 1, the section and
the date on row 2, a blank row, the header on row 4, a 合計 row with ``=SUM(...)`` at the end,
an 担当 merged down over the rows it covers. This module finds the table in such a sheet:

- **Header row**: of the first :data:`HEADER_SCAN_ROWS` rows, the one holding the most known
  headers (the first such row on a tie); when none holds any, the first non-blank row.
  Rows above it (titles, notes) and their merged cells are ignored.
- **Sheet**: ``sheet=NAME``, else the first sheet whose header row has the required
  columns, else the first sheet.
- **Total and note rows**: a row whose first text (the first cell that is not blank and not
  a bare number) is 合計 / 小計 / 計 / 総計 / total / subtotal, or starts with ※, is skipped
  and listed in :attr:`Table.skipped` for the import to say so.
- **Merged cells** inside the table: a merge down one column (an 担当 over three rows) gives
  its value to each row; a merge over several columns that have headers is refused naming
  the cells (which column's value would it be?), as is a merge that reaches into the header
  row from above or below. Merges wholly above the header or within skipped rows are ignored.
- **Formulas**: the values Excel saved with the file; a data cell whose formula has no
  saved value is refused naming the cell.
- **Headers** (:func:`find_columns`): every header that is not used gets a note; one close
  to a known header (``所用時間(分)``, ``時間(分)``, ``担当者``) whose column is missing is
  refused naming the header it probably means.

Every problem is collected in :attr:`Table.problems`; the caller raises them together.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kit.domain.problems import Problems
from kit.domain.values import header_key, one_line, to_number
from kit.io import cells
from kit.io.cells import fail

HEADER_SCAN_ROWS = 20
TOTAL_WORDS = frozenset({"合計", "小計", "計", "総計", "累計", "total", "subtotal",
                         "grandtotal", "sum"})
NOTE_MARKS = ("※",)


@dataclass
class Grid:
    """One sheet's cells as text (1-based coordinates in ``merges`` and ``no_value``)."""

    name: str
    rows: list[list[str]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    no_value: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass
class Table:
    """The table found in a file: ``frame`` (header texts, index = spreadsheet row numbers)."""

    frame: pd.DataFrame
    file: str
    sheet: str = ""
    header_row: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    problems: Problems | None = None

    @property
    def notes(self) -> list[tuple[str, str]]:
        return self.problems.notes if self.problems is not None else []


# --- reading the cells --------------------------------------------------------------------
def _xlsx_grids(path: Path, max_mb: float) -> list[Grid]:
    cells.check_unzipped(path, max_mb)
    book = cells.load_book(path, data_only=False)
    cached = None
    grids = []
    for sheet in book.worksheets:
        formulas = {(c.row, c.column): c.coordinate for row in sheet.iter_rows() for c in row
                    if c.data_type == "f"}
        source = sheet
        if formulas:
            if cached is None:
                cached = cells.load_book(path, data_only=True)
            source = cached[sheet.title]
        rows = [[cells.cell_text(v) for v in row] for row in source.iter_rows(values_only=True)]
        no_value = {rc: coordinate for rc, coordinate in formulas.items()
                    if rc[0] <= len(rows) and rc[1] <= len(rows[rc[0] - 1])
                    and rows[rc[0] - 1][rc[1] - 1] == ""}
        merges = [(r.min_row, r.min_col, r.max_row, r.max_col)
                  for r in sheet.merged_cells.ranges]
        grids.append(Grid(sheet.title, rows, merges, no_value))
    return grids


def _grids(path: Path, max_mb: float) -> list[Grid]:
    suffix = cells.check_file(path, max_mb)
    if suffix == ".xlsx":
        return _xlsx_grids(path, max_mb)
    return [Grid("", cells.csv_rows(path))]


# --- finding the table --------------------------------------------------------------------
def header_row(rows: list[list[str]], known: dict[str, str]) -> int | None:
    """0-based index of the header row (see the module docstring), None for a blank sheet."""
    best, best_score = None, 0
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = sum(1 for text in row if text and header_key(text) in known)
        if score > best_score:
            best, best_score = i, score
    if best is None:
        best = next((i for i, row in enumerate(rows) if any(row)), None)
    return best


def first_text(row: Sequence[str]) -> str:
    """The first cell that is not blank and not a bare number (a row's label)."""
    return next((text for text in row if text and not isinstance(to_number(text), float)), "")


def is_total(text: str) -> bool:
    key = header_key(text).strip("()（）[]【】:：")
    return key in TOTAL_WORDS or text.startswith(NOTE_MARKS)


def _has(grid: Grid, known: dict[str, str], required: Sequence[str]) -> bool:
    h = header_row(grid.rows, known)
    found = {known.get(header_key(t)) for t in grid.rows[h]} if h is not None else set()
    return bool(required) and set(required) <= found


def _pick(grids: list[Grid], file: str, known, required, sheet: str | None) -> Grid:
    if sheet and grids and grids[0].name:
        for grid in grids:
            if grid.name == sheet:
                return grid
        raise fail("inputs.err_no_sheet", value=file, sheet=sheet,
                   sheets=", ".join(g.name for g in grids))
    return next((g for g in grids if _has(g, known, required)), grids[0])


def _cell(grid: Grid, r0: int, c0: int, r1: int, c1: int) -> str:
    from openpyxl.utils import get_column_letter
    start, end = f"{get_column_letter(c0)}{r0}", f"{get_column_letter(c1)}{r1}"
    where = start if start == end else f"{start}:{end}"
    return f"{grid.name}!{where}" if grid.name else where


def _merges(grid: Grid, rows, head: int, named: set[int], skip: set[int],
            problems: Problems, file: str) -> None:
    """Fill merges down one column; refuse the ambiguous ones (1-based rows/columns)."""
    for r0, c0, r1, c1 in sorted(grid.merges):
        if r1 < head or (r0 > head and all(r in skip for r in range(r0, r1 + 1))):
            continue
        extra = [c for c in range(c0 + 1, c1 + 1) if c - 1 in named]
        if r0 > head and not extra:
            for r in range(r0 + 1, r1 + 1):
                rows[r - 1][c0 - 1] = rows[r0 - 1][c0 - 1]
            continue
        if r0 == r1 == head and not any(rows[r][c - 1] for r in range(head, len(rows))
                                        for c in range(c0 + 1, c1 + 1)):
            continue        # a wide header cell over columns without data
        problems.add(fail("inputs.err_merged", value=file, cell=_cell(grid, r0, c0, r1, c1)))


def locate(grid: Grid, file: str, known: dict[str, str], problems: Problems) -> Table:
    """The table of one sheet: header row, skipped rows, merges, formulas (module docstring)."""
    rows = [list(row) for row in grid.rows]
    h = header_row(rows, known)
    if h is None:
        return Table(pd.DataFrame(dtype=object), file, grid.name, 0, [], problems)
    head = rows[h]
    width = max(len(r) for r in rows)
    for row in rows:
        row.extend([""] * (width - len(row)))
    named = {i for i, text in enumerate(head) if text}
    skipped = [(n, first_text(row)) for n, row in enumerate(rows[h + 1:], start=h + 2)
               if is_total(first_text(row))]
    skip = {n for n, _ in skipped}
    _merges(grid, rows, h + 1, named, skip, problems, file)
    keep = sorted(named)
    headers = [one_line(unicodedata.normalize("NFKC", head[i])) for i in keep]
    index, body = [], []
    for n, row in enumerate(rows[h + 1:], start=h + 2):
        cells = [row[i] for i in keep]
        if n not in skip and any(cells):
            index.append(n)
            body.append(cells)
    used = set(index)
    for (r, c), coordinate in sorted(grid.no_value.items()):
        if r in used and c - 1 in named:
            cell = f"{grid.name}!{coordinate}" if grid.name else coordinate
            problems.add(fail("err.formula_no_value", value=file, cell=cell))
    frame = pd.DataFrame(body, columns=headers, index=pd.Index(index, name="row", dtype=int),
                         dtype=object)
    for n, text in skipped:
        problems.note("inputs.note_total_row", row=n, value=text)
    return Table(frame, file, grid.name, h + 1, skipped, problems)


def read_table(path: str | Path, *, known: dict[str, str] | None = None,
               required: Sequence[str] = (), sheet: str | None = None,
               max_mb: float = 20) -> Table:
    """The table of a CSV or of a sheet of an .xlsx, found as the module docstring says.

    File-level problems (type, size, encoding, a damaged file, no such sheet) raise at once;
    problems inside the sheet are collected in ``table.problems`` for the caller to raise
    together with its own (:meth:`Problems.check`).
    """
    path = Path(path)
    known = known or {}
    grids = _grids(path, max_mb)
    problems = Problems(path.name)
    if not grids:
        return Table(pd.DataFrame(dtype=object), path.name, "", 0, [], problems)
    grid = _pick(grids, path.name, known, required, sheet)
    return locate(grid, path.name, known, problems)


# --- columns --------------------------------------------------------------------------------
def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def close_field(header: str, candidates: dict[str, list[str]]) -> str | None:
    """The field whose known header ``header`` is probably a misspelling of, if any.

    Close: one contains the other (both at least 2 characters: 時間(分) ⊂ 所要時間(分),
    担当 ⊂ 担当者), or they differ by one character (所用 / 所要; two for 8+ characters).
    """
    key = header_key(header)
    if len(key) < 2:
        return None
    best, best_distance = None, None
    for name, keys in candidates.items():
        for known in keys:
            if len(known) < 2:
                continue
            distance = _distance(key, known)
            limit = 2 if min(len(key), len(known)) >= 8 else 1
            close = key in known or known in key or (
                min(len(key), len(known)) >= 3 and distance <= limit)
            if close and (best_distance is None or distance < best_distance):
                best, best_distance = name, distance
    return best


def find_columns(table: Table, lookup: dict[str, str], required: Sequence[str],
                 names: dict[str, tuple[str, str]]) -> dict[str, int]:
    """Model field -> position of its column. Collects into ``table.problems``: a field given
    twice, a header close to a known one whose column is missing, a missing required column;
    and a note for every header that is not used."""
    problems = table.problems
    headers = [str(h) for h in table.frame.columns]
    found: dict[str, int] = {}
    unused: list[str] = []
    for pos, header in enumerate(headers):
        name = lookup.get(header_key(header))
        if name is None:
            unused.append(header)
        elif name in found:
            first = headers[found[name]]
            shown = header if first == header else f"{first} / {header}"
            problems.add(fail("err.duplicate_column", attr=name, field=shown))
        else:
            found[name] = pos
    keys: dict[str, list[str]] = {}
    for key, name in lookup.items():
        if name not in found:
            keys.setdefault(name, []).append(key)
    meant: set[str] = set()
    for header in unused:
        name = close_field(header, keys)
        if name is None:
            problems.note("inputs.note_unused", field=header)
            continue
        meant.add(name)
        problems.add(fail("inputs.err_close_header", attr=name, field=header,
                          value=header, probable=names[name]))
    for name in required:
        if name not in found and name not in meant:
            problems.add(fail("err.missing_column", attr=name, field=names[name],
                              value=", ".join(headers)))
    return found
