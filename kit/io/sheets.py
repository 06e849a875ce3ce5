"""Reading and writing step sheets and group lists as CSV or Excel (.xlsx).

Pure I/O: no Jupyter, no plotting. Every cell is read as text and goes through the model
(:class:`~kit.domain.model.Step`, :class:`~kit.domain.model.GroupWork`), which reads what real sheets contain
(full-width digits, ``15分``, ``1,200件``, ``20%``). Enum cells may hold the Japanese or the
English label, or the value itself. A problem raises :class:`~kit.exceptions.InputError` in
Japanese and English naming the file, or the row as the spreadsheet numbers it, the column
header as written in the file and the value. Where the table is in a sheet (header row,
total rows, merged cells, formulas) is :mod:`kit.io.layout`.

CSV is read as UTF-8 (with or without BOM) or CP932 and written as UTF-8 with a BOM, which
Excel in Japan opens without mojibake. Text that Excel would run as a formula (starting with
``=``, ``+``, ``-`` or ``@``) is written to CSV behind an apostrophe, removed again on reading;
in .xlsx it is stored as a plain string.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ValidationError

from kit import i18n
from kit.domain import messages
from kit.domain.values import header_key
from kit.exceptions import InputError
from kit.io import layout
from kit.io.cells import FORMULA_RE, num_text

FIELD_MARK = "\ue000"      # stands for the column header inside a model message


def lookup(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {header_key(text): name for text, name in pairs}


def _row_message(err: dict, row: int, headers: dict[str, str]) -> InputError:
    loc = tuple(err.get("loc", ()))
    name = str(loc[0]) if loc else ""
    header = headers.get(name, name)
    texts = []
    for lang in i18n.LANGS:
        if err.get("type") == "enum":
            choices = "/".join(text for text, _ in i18n.choices(name, lang))
            value = messages.short_value(err.get("input"))
            text = i18n.t("err.choice", lang, field=header, value=value, choices=choices)
        else:
            marked = {**err, "loc": (FIELD_MARK, *loc[1:])}
            text = messages.message(marked, lang, "").replace(FIELD_MARK, header)
        texts.append(i18n.t("err.row", lang, row=row, message=text))
    return InputError(texts[0], texts[1], field=".".join(map(str, loc)),
                      value=err.get("input"), row=row)


def row_errors(exc: ValidationError, row: int, headers: dict[str, str]) -> list[InputError]:
    """The model's message for every problem of a row, naming the column as written."""
    return [_row_message(err, row, headers) for err in exc.errors(include_url=False)]


def row_error(exc: ValidationError, row: int, headers: dict[str, str]) -> InputError:
    """The model's message for the first problem, naming the column as written, in a row."""
    return row_errors(exc, row, headers)[0]


def build_row(kind: type[BaseModel], data: dict, row: int, headers: dict[str, str],
              problems=None) -> Any:
    """The row as a model; with ``problems``, every error is collected and None returned."""
    try:
        return kind.model_validate(data)
    except ValidationError as exc:
        if problems is None:
            raise row_error(exc, row, headers) from None
        for error in row_errors(exc, row, headers):
            problems.add(error)
        return None


def read_table(path: str | Path, *, max_mb: float = 20, known: dict[str, str] | None = None,
               sheet: str | None = None) -> pd.DataFrame:
    """The table of a CSV or an .xlsx sheet as a DataFrame of stripped strings.

    Columns are the header cells (NFKC, stripped; duplicates kept as they are), the index is
    the spreadsheet row number of each data row. The header row, total rows and merged cells
    are found as :mod:`kit.io.layout` says; a problem inside the sheet raises.
    """
    table = layout.read_table(path, known=known, sheet=sheet, max_mb=max_mb)
    table.problems.check()
    return table.frame


def records(frame: pd.DataFrame, positions: dict[str, int]):
    """(row number, {field: text}, {field: header}) for each data row."""
    headers = {name: str(frame.columns[pos]) for name, pos in positions.items()}
    for row, values in zip(frame.index, frame.itertuples(index=False, name=None),
                           strict=True):
        yield int(row), {name: values[pos] for name, pos in positions.items()}, headers


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return num_text(value)
    return "'" + value if FORMULA_RE.match(value) else value


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([[csv_cell(value) for value in row] for row in rows])


def text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fill_sheet(sheet, header: list[str], rows: list[list[Any]]) -> None:
    """Write a header (bold) and rows into an openpyxl sheet the way the kit writes every
    sheet: text cells stay text (never a formula or an error code), columns as wide as their
    text (8–50), the header frozen."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"    # never a formula or an error code: text as typed
    for pos, title in enumerate(header, start=1):
        texts = [title] + [str(row[pos - 1]) for row in rows if row[pos - 1] is not None]
        width = max(text_width(text) for text in texts) + 2
        sheet.column_dimensions[get_column_letter(pos)].width = min(max(width, 8), 50)
    sheet.freeze_panes = "A2"
