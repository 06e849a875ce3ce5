"""Reading an event log (発券機・業務システムのログ): CSV in UTF-8 or CP932, or Excel.

Only the four named columns are kept, as text; the analysis is :mod:`kit.domain.frontyard.eventlog`.
A CSV is read by ``pandas.read_csv`` (fast for a million rows); an .xlsx through
:func:`kit.io.sheets.read_table` (the kit's checks for damaged or oversized workbooks).
Column names are matched as written or ignoring width, case and spaces. The index is the row
number as a spreadsheet shows it (header = row 1).
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from kit.domain.values import header_key
from kit.io.cells import check_file, detail, fail
from kit.io.sheets import read_table

LOG_MAX_MB = 1000


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        data = path.read_bytes()
    except OSError:
        raise fail("err.unreadable", value=path.name,
                   detail=detail("detail.cannot_open")) from None
    encoding = _encoding(data)
    if encoding is None:
        raise fail("err.encoding", value=path.name)
    try:
        return pd.read_csv(io.BytesIO(data), dtype=object, encoding=encoding,
                           keep_default_na=False, skip_blank_lines=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise fail("err.unreadable", value=path.name,
                   detail=detail("detail.bad_csv", str(exc)[:80])) from None


def _encoding(data: bytes) -> str | None:
    """UTF-8 (with or without BOM) when the bytes decode as UTF-8, else CP932, else None."""
    for encoding in ("utf-8-sig", "cp932"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def read_event_log(path: str | Path, columns: dict[str, str], *,
                   max_mb: float = LOG_MAX_MB) -> tuple[pd.DataFrame, dict[str, str]]:
    """``(frame, {case/activity/start/end: header in the file})``; a missing column fails
    naming it and the columns found."""
    path = Path(path)
    suffix = check_file(path, max_mb)
    frame = read_table(path, max_mb=max_mb) if suffix == ".xlsx" else _read_csv(path)
    if suffix == ".csv":
        frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    headers = [str(h) for h in frame.columns]
    keys = {header_key(h): h for h in headers}
    found = {}
    for role, wanted in columns.items():
        header = wanted if wanted in headers else keys.get(header_key(wanted))
        if header is None:
            raise fail("err.missing_column", attr=role, field=wanted,
                       value=", ".join(headers) or "—")
        found[role] = header
    frame = frame[list(dict.fromkeys(found.values()))]
    if frame.empty:
        raise fail("err.no_rows", value=path.name)
    return frame, found

