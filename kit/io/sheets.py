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
import datetime as _dt
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ValidationError

from kit import i18n
from kit.domain import messages
from kit.domain.values import header_key
from kit.exceptions import InputError

SUFFIXES = (".csv", ".xlsx")
UNZIPPED_FACTOR = 10        # an .xlsx may unpack to at most this many times max_mb
FORMULA_RE = re.compile(r"'*[=+\-@]")      # text Excel would take for a formula
_CP932_STRAYS = re.compile("[\x80\uf8f0-\uf8f3]")   # single bytes 0x80, 0xA0, 0xFD-0xFF
FIELD_MARK = "\ue000"      # stands for the column header inside a model message


def lookup(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {header_key(text): name for text, name in pairs}


def fail(key: str, *, row: int | None = None, attr: str = "", **values: Any) -> InputError:
    """A bilingual InputError from catalogue ``key``; a tuple value is (ja, en)."""
    texts = []
    for i, lang in enumerate(i18n.LANGS):
        filled = {k: v[i] if isinstance(v, tuple) else v for k, v in values.items()}
        text = i18n.t(key, lang, **filled)
        texts.append(text if row is None else i18n.t("err.row", lang, row=row, message=text))
    return InputError(texts[0], texts[1], field=attr, value=values.get("value"), row=row)


def detail(key: str, extra: str = "") -> tuple[str, str]:
    return tuple(i18n.t(key, lang) + (f" ({extra})" if extra else "") for lang in i18n.LANGS)


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


# --- reading ------------------------------------------------------------------------------
def check_file(path: Path, max_mb: float) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise fail("err.file_type", value=path.name)
    try:
        size = path.stat().st_size
    except OSError:
        raise fail("err.unreadable", value=path.name,
                    detail=detail("detail.cannot_open")) from None
    if size > max_mb * 1024 * 1024:
        raise fail("err.file_too_large", value=path.name, limit=max_mb)
    return suffix


def _decode(data: bytes, name: str) -> str:
    """UTF-8 (a BOM is dropped), else CP932; bytes no Shift_JIS text contains are refused."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError:
        text = None
    if text is None or _CP932_STRAYS.search(text):
        raise fail("err.encoding", value=name)
    return text


def csv_rows(path: Path) -> list[list[str]]:
    try:
        data = path.read_bytes()
    except OSError:
        raise fail("err.unreadable", value=path.name,
                    detail=detail("detail.cannot_open")) from None
    try:
        rows = list(csv.reader(io.StringIO(_decode(data, path.name), newline="")))
    except csv.Error as exc:
        raise fail("err.unreadable", value=path.name,
                    detail=detail("detail.bad_csv", str(exc))) from None
    return [[_unquote(cell.strip()) for cell in row] for row in rows]


def _unquote(text: str) -> str:
    """Drop the apostrophe written before text Excel would take for a formula."""
    return text[1:] if FORMULA_RE.match(text) and text.startswith("'") else text


def load_book(path: Path, *, data_only: bool):
    import openpyxl  # here, not at import: rendering a handout never reads a workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds of error for a damaged file
        raise fail("err.unreadable", value=path.name,
                    detail=detail("detail.corrupt_xlsx")) from exc


def check_unzipped(path: Path, max_mb: float) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise fail("err.unreadable", value=path.name,
                    detail=detail("detail.corrupt_xlsx")) from None
    if total > UNZIPPED_FACTOR * max_mb * 1024 * 1024:
        raise fail("err.file_too_large", value=path.name, limit=max_mb)


def _num_text(number: float) -> str:
    number = float(number)
    if number.is_integer() and abs(number) < 1e16:
        return str(int(number))
    return repr(number)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _num_text(value)
    if isinstance(value, _dt.datetime) and value < _EXCEL_DAY_ONE:
        value = value - _EXCEL_EPOCH       # h:mm over 24 hours: elapsed time, not a date
    if isinstance(value, _dt.time):
        value = _dt.timedelta(hours=value.hour, minutes=value.minute, seconds=value.second)
    if isinstance(value, _dt.timedelta):
        return clock_text(value)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    return str(value).strip()


_EXCEL_EPOCH = _dt.datetime(1899, 12, 31)   # openpyxl reads serials below 60 so
_EXCEL_DAY_ONE = _dt.datetime(1900, 3, 1)     # before it, an h:mm cell's days, not a date


def clock_text(span: _dt.timedelta) -> str:
    """A time cell as Excel shows it: ``0:10``, ``25:30`` (``1:30:15`` with seconds)."""
    seconds = round(span.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}" + (f":{secs:02d}" if secs else "")


def read_table(path: str | Path, *, max_mb: float = 20, known: dict[str, str] | None = None,
               sheet: str | None = None) -> pd.DataFrame:
    """The table of a CSV or an .xlsx sheet as a DataFrame of stripped strings.

    Columns are the header cells (NFKC, stripped; duplicates kept as they are), the index is
    the spreadsheet row number of each data row. The header row, total rows and merged cells
    are found as :mod:`kit.io.layout` says; a problem inside the sheet raises.
    """
    from kit.io.layout import read_table as locate_table

    table = locate_table(path, known=known, sheet=sheet, max_mb=max_mb)
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
        return _num_text(value)
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
