"""Opening a clerk's file and reading its cells: size and unpacked-size checks, the encoding
(UTF-8 with or without BOM, or CP932), workbooks, each cell as text (time cells as Excel shows
them), and :func:`fail`, the error that names the file, the row and the column.

The lowest layer of :mod:`kit.io.layout` (where a table is in a sheet) and :mod:`kit.io.sheets`
(rows into the model).
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

from kit import i18n
from kit.exceptions import InputError

SUFFIXES = (".csv", ".xlsx")
UNZIPPED_FACTOR = 10        # an .xlsx may unpack to at most this many times max_mb
FORMULA_RE = re.compile(r"'*[=+\-@]")      # text Excel would take for a formula
_CP932_STRAYS = re.compile("[\x80\uf8f0-\uf8f3]")   # single bytes 0x80, 0xA0, 0xFD-0xFF


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


def num_text(number: float) -> str:
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
        return num_text(value)
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
