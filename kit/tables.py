"""Reading and writing step sheets and group lists as CSV or Excel (.xlsx).

Pure I/O: no Jupyter, no plotting. Every cell is read as text and goes through the model
(:class:`~kit.model.Step`, :class:`~kit.model.GroupWork`), which reads what real sheets contain
(full-width digits, ``15分``, ``1,200件``, ``20%``). Enum cells may hold the Japanese or the
English label, or the value itself. A problem raises :class:`~kit.exceptions.InputError` in
Japanese and English naming the file, or the row as the spreadsheet numbers it (header row 1,
first data row 2), the column header as written in the file and the value.

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
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from pydantic import BaseModel, ValidationError

from . import i18n, model
from .exceptions import InputError
from .model import GroupWork, Step

SUFFIXES = (".csv", ".xlsx")
UNZIPPED_FACTOR = 10        # an .xlsx may unpack to at most this many times max_mb
TEMPLATE_ROWS = 500         # rows that get the dropdown lists in a written sheet
# (model field, catalogue column key), in sheet order
STEP_COLUMNS = (("name", "step"), ("actor", "actor"), ("channel", "channel"),
                ("minutes", "minutes"), ("share", "share"), ("wait_days", "wait_days"),
                ("value", "value"), ("action", "action"), ("minutes_after", "minutes_after"),
                ("share_after", "share_after"), ("wait_days_after", "wait_days_after"),
                ("phase", "phase"), ("uptake_dependent", "uptake_dependent"),
                ("is_new", "is_new"), ("pain", "pain"),
                ("minutes_after_low", "minutes_after_low"),
                ("minutes_after_high", "minutes_after_high"), ("needs", "needs"))
GROUP_COLUMNS = {"group_id": ("グループID", "group_id"), "theme": ("テーマ", "theme"),
                 "annual_cases": ("年間件数", "annual_cases"), "members": ("メンバー", "members"),
                 "uptake": ("オンライン利用率", "uptake"), "system": ("システム", "system"),
                 "funding": ("財源", "funding")}
GROUP_REQUIRED = ("group_id", "theme", "annual_cases", "members")
_ENUMS = {"actor": model.Actor, "channel": model.Channel, "value": model.ValueClass,
          "action": model.Action, "phase": model.Phase}
_BOOLS = ("uptake_dependent", "is_new")
_STEP_ALIASES = {"name": "name", "所要時間": "minutes", "見直し後": "minutes_after"}
_FORMULA_RE = re.compile(r"'*[=+\-@]")      # text Excel would take for a formula
_SPLIT_RE = re.compile(r"[;；、，,\n]")
_CP932_STRAYS = re.compile("[\x80\uf8f0-\uf8f3]")   # single bytes 0x80, 0xA0, 0xFD-0xFF
_FIELD_MARK = "\ue000"      # stands for the column header inside a model message


def _key(text: Any) -> str:
    """Matching key of a header or label: NFKC, lower case, no spaces, '_' or '-'."""
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", str(text)).lower())


def _lookup(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {_key(text): name for text, name in pairs}


_STEP_LOOKUP = _lookup([(i18n.t(f"col.{col}", lang), name) for name, col in STEP_COLUMNS
                        for lang in i18n.LANGS] + list(_STEP_ALIASES.items()))
_GROUP_LOOKUP = _lookup([(text, name) for name, texts in GROUP_COLUMNS.items()
                         for text in texts])
_ENUM_LOOKUP = {kind: _lookup([(member.value, member.value) for member in enum]
                              + [(text, value) for lang in i18n.LANGS
                                 for text, value in i18n.choices(kind, lang)])
                for kind, enum in _ENUMS.items()}


# --- errors -------------------------------------------------------------------------------
def _fail(key: str, *, row: int | None = None, attr: str = "", **values: Any) -> InputError:
    """A bilingual InputError from catalogue ``key``; a tuple value is (ja, en)."""
    texts = []
    for i, lang in enumerate(i18n.LANGS):
        filled = {k: v[i] if isinstance(v, tuple) else v for k, v in values.items()}
        text = i18n.t(key, lang, **filled)
        texts.append(text if row is None else i18n.t("err.row", lang, row=row, message=text))
    return InputError(texts[0], texts[1], field=attr, value=values.get("value"), row=row)


def _detail(key: str, extra: str = "") -> tuple[str, str]:
    return tuple(i18n.t(key, lang) + (f" ({extra})" if extra else "") for lang in i18n.LANGS)


def _row_error(exc: ValidationError, row: int, headers: dict[str, str]) -> InputError:
    """The model's message for the first problem, naming the column as written, in a row."""
    err = exc.errors(include_url=False)[0]
    loc = tuple(err.get("loc", ()))
    name = str(loc[0]) if loc else ""
    header = headers.get(name, name)
    texts = []
    for lang in i18n.LANGS:
        if err.get("type") == "enum":
            choices = "/".join(text for text, _ in i18n.choices(name, lang))
            value = model._short(err.get("input"))
            text = i18n.t("err.choice", lang, field=header, value=value, choices=choices)
        else:
            marked = {**err, "loc": (_FIELD_MARK, *loc[1:])}
            text = model._message(marked, lang, "").replace(_FIELD_MARK, header)
        texts.append(i18n.t("err.row", lang, row=row, message=text))
    return InputError(texts[0], texts[1], field=".".join(map(str, loc)),
                      value=err.get("input"), row=row)


def _build(kind: type[BaseModel], data: dict, row: int, headers: dict[str, str]) -> Any:
    try:
        return kind.model_validate(data)
    except ValidationError as exc:
        raise _row_error(exc, row, headers) from None


# --- reading ------------------------------------------------------------------------------
def _check_file(path: Path, max_mb: float) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise _fail("err.file_type", value=path.name)
    try:
        size = path.stat().st_size
    except OSError:
        raise _fail("err.unreadable", value=path.name,
                    detail=_detail("detail.cannot_open")) from None
    if size > max_mb * 1024 * 1024:
        raise _fail("err.file_too_large", value=path.name, limit=max_mb)
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
        raise _fail("err.encoding", value=name)
    return text


def _csv_rows(path: Path) -> list[list[str]]:
    try:
        data = path.read_bytes()
    except OSError:
        raise _fail("err.unreadable", value=path.name,
                    detail=_detail("detail.cannot_open")) from None
    try:
        rows = list(csv.reader(io.StringIO(_decode(data, path.name), newline="")))
    except csv.Error as exc:
        raise _fail("err.unreadable", value=path.name,
                    detail=_detail("detail.bad_csv", str(exc))) from None
    return [[_unquote(cell.strip()) for cell in row] for row in rows]


def _unquote(text: str) -> str:
    """Drop the apostrophe written before text Excel would take for a formula."""
    return text[1:] if _FORMULA_RE.match(text) and text.startswith("'") else text


def _load(path: Path, *, data_only: bool):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds of error for a damaged file
        raise _fail("err.unreadable", value=path.name,
                    detail=_detail("detail.corrupt_xlsx")) from exc


def _check_unzipped(path: Path, max_mb: float) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _fail("err.unreadable", value=path.name,
                    detail=_detail("detail.corrupt_xlsx")) from None
    if total > UNZIPPED_FACTOR * max_mb * 1024 * 1024:
        raise _fail("err.file_too_large", value=path.name, limit=max_mb)


def _xlsx_rows(path: Path, max_mb: float) -> list[list[str]]:
    """The first sheet's cells as text; formulas give their saved results."""
    _check_unzipped(path, max_mb)
    book = _load(path, data_only=False)
    if not book.worksheets:
        return []
    sheet = book.worksheets[0]
    merged = sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))
    if merged:
        raise _fail("err.merged_cells", value=path.name, cell=f"{sheet.title}!{merged[0]}")
    formulas = [cell.coordinate for row in sheet.iter_rows() for cell in row
                if cell.data_type == "f"]
    if formulas:
        sheet = _load(path, data_only=True).worksheets[0]
        for coordinate in formulas:
            if sheet[coordinate].value is None:
                raise _fail("err.formula_no_value", value=path.name,
                            cell=f"{sheet.title}!{coordinate}")
    return [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]


def _num_text(number: float) -> str:
    number = float(number)
    if number.is_integer() and abs(number) < 1e16:
        return str(int(number))
    return repr(number)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _num_text(value)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    return str(value).strip()


def _frame(rows: list[list[str]]) -> pd.DataFrame:
    """Header = first non-blank row; blank-header columns and blank rows are dropped."""
    numbered = [(n, row) for n, row in enumerate(rows, start=1) if any(row)]
    if not numbered:
        return pd.DataFrame(dtype=object)
    head = numbered[0][1]
    keep = [i for i, text in enumerate(head) if text]
    headers = [unicodedata.normalize("NFKC", head[i]).strip() for i in keep]
    index, body = [], []
    for n, row in numbered[1:]:
        cells = [row[i] if i < len(row) else "" for i in keep]
        if any(cells):
            index.append(n)
            body.append(cells)
    return pd.DataFrame(body, columns=headers, index=pd.Index(index, name="row", dtype=int),
                        dtype=object)


def read_table(path: str | Path, *, max_mb: float = 20) -> pd.DataFrame:
    """A CSV or the first sheet of an .xlsx as a DataFrame of stripped strings.

    Columns are the header cells (NFKC, stripped; duplicates kept as they are), the index is
    the spreadsheet row number of each data row. Fully blank rows are dropped.
    """
    path = Path(path)
    suffix = _check_file(path, max_mb)
    rows = _xlsx_rows(path, max_mb) if suffix == ".xlsx" else _csv_rows(path)
    return _frame(rows)


def _columns(frame: pd.DataFrame, lookup: dict[str, str], required: Sequence[str],
             names: dict[str, tuple[str, str]]) -> dict[str, int]:
    """Model field -> position of its column; a field given twice or a missing one fails."""
    headers = [str(h) for h in frame.columns]
    found: dict[str, int] = {}
    for pos, header in enumerate(headers):
        name = lookup.get(_key(header))
        if name is None:
            continue
        if name in found:
            first = headers[found[name]]
            shown = header if first == header else f"{first} / {header}"
            raise _fail("err.duplicate_column", attr=name, field=shown)
        found[name] = pos
    for name in required:
        if name not in found:
            raise _fail("err.missing_column", attr=name, field=names[name],
                        value=", ".join(headers))
    return found


def _records(frame: pd.DataFrame, positions: dict[str, int]):
    """(row number, {field: text}, {field: header}) for each data row."""
    headers = {name: str(frame.columns[pos]) for name, pos in positions.items()}
    for row, values in zip(frame.index, frame.itertuples(index=False, name=None),
                           strict=True):
        yield int(row), {name: values[pos] for name, pos in positions.items()}, headers


def _step_data(cells: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, text in cells.items():
        if text == "":
            continue        # the model's default
        data[name] = _ENUM_LOOKUP[name].get(_key(text), text) if name in _ENUMS else text
    return data


def read_steps(path: str | Path, *, max_mb: float = 20) -> list[Step]:
    """The steps of a sheet, each validated by the model; see the module docstring."""
    path = Path(path)
    frame = read_table(path, max_mb=max_mb)
    if not len(frame.columns):
        raise _fail("err.empty_sheet", value=path.name)
    names = {name: i18n.both(f"col.{col}") for name, col in STEP_COLUMNS}
    positions = _columns(frame, _STEP_LOOKUP, ("name",), names)
    if frame.empty:
        raise _fail("err.empty_sheet", value=path.name)
    return [_build(Step, _step_data(cells), row, headers)
            for row, cells, headers in _records(frame, positions)]


def _split(text: str) -> list[str]:
    return [item.strip() for item in _SPLIT_RE.split(text) if item.strip()]


def _group(row: int, cells: dict[str, str], headers: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {name: cells[name] for name in ("group_id", "theme",
                                                           "annual_cases", "uptake")
                            if cells.get(name)}
    data["members"] = _split(cells.get("members", ""))
    work = _build(GroupWork, data, row, headers)
    system = cells.get("system", "")
    funding = _split(cells.get("funding", ""))
    for name, ids in (("system", [system] if system else []), ("funding", funding)):
        for item in ids:
            if not model.SLUG_RE.match(item):
                raise _fail("err.bad_id", row=row, attr=name, field=headers[name], value=item)
    return {"group_id": work.group_id, "theme": work.theme, "annual_cases": work.annual_cases,
            "members": list(work.members), "uptake": work.uptake, "system": system,
            "funding": funding}


def read_groups(path: str | Path, *, max_mb: float = 20) -> list[dict[str, Any]]:
    """The groups list: dicts with group_id, theme, annual_cases, members (list), uptake
    (float or None), system (id or ""), funding (list of ids). Members are separated by
    ';', '、', '，', ',' or a line break; funding ids likewise."""
    path = Path(path)
    frame = read_table(path, max_mb=max_mb)
    if not len(frame.columns):
        raise _fail("err.no_rows", value=path.name)
    positions = _columns(frame, _GROUP_LOOKUP, GROUP_REQUIRED, GROUP_COLUMNS)
    if frame.empty:
        raise _fail("err.no_rows", value=path.name)
    groups: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row, cells, headers in _records(frame, positions):
        group = _group(row, cells, headers)
        if group["group_id"] in seen:
            raise _fail("err.duplicate_group", row=row, attr="group_id",
                        value=group["group_id"])
        seen.add(group["group_id"])
        groups.append(group)
    return groups


# --- writing ------------------------------------------------------------------------------
def _step_headers(lang: str) -> list[str]:
    return [i18n.t(f"col.{col}", lang) for _, col in STEP_COLUMNS]


def _step_row(step: Step, lang: str) -> list[Any]:
    """A step's cells: labels in ``lang`` for enums and flags, numbers, None for blank."""
    row: list[Any] = []
    for name, _ in STEP_COLUMNS:
        value = getattr(step, name)
        if name in _ENUMS:
            value = i18n.label(name, value, lang)
        elif isinstance(value, bool):
            value = i18n.label("bool", value, lang)
        elif isinstance(value, float):
            value = int(value) if value.is_integer() and abs(value) < 1e16 else value
        row.append(value)
    return row


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return _num_text(value)
    return "'" + value if _FORMULA_RE.match(value) else value


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([[_csv_cell(value) for value in row] for row in rows])


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _add_dropdowns(sheet, rows: int, lang: str) -> None:
    last = max(rows + 1, TEMPLATE_ROWS)
    for pos, (name, _) in enumerate(STEP_COLUMNS, start=1):
        kind = name if name in _ENUMS else "bool" if name in _BOOLS else None
        if kind is None:
            continue
        labels = ",".join(text for text, _ in i18n.choices(kind, lang))
        rule = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True,
                              showErrorMessage=True, errorStyle="warning",
                              error=i18n.t("tpl.choose", lang))
        letter = get_column_letter(pos)
        rule.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(rule)


def _fill_sheet(sheet, header: list[str], rows: list[list[Any]], lang: str) -> None:
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
        width = max(_width(text) for text in texts) + 2
        sheet.column_dimensions[get_column_letter(pos)].width = min(max(width, 8), 50)
    sheet.freeze_panes = "A2"
    _add_dropdowns(sheet, len(rows), lang)


def _write_xlsx(path: Path, sheets: list[tuple[str, list[str], list[list[Any]]]],
                lang: str) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        _fill_sheet(book.create_sheet(title), header, rows, lang)
    book.save(path)


def write_steps(steps: Iterable[Step], path: str | Path, lang: str = "ja") -> Path:
    """Write steps as .csv (UTF-8 with BOM) or .xlsx, headers and labels in ``lang``.

    :func:`read_steps` gives the same steps back (with new ids).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise _fail("err.file_type", value=path.name)
    header = _step_headers(lang)
    rows = [_step_row(step, lang) for step in steps]
    if suffix == ".csv":
        _write_csv(path, header, rows)
    else:
        _write_xlsx(path, [(i18n.t("sheet.steps", lang), header, rows)], lang)
    return path


def _examples(lang: str) -> list[Step]:
    return [
        Step(name=i18n.t("tpl.example1_step", lang), actor="resident", channel="paper",
             minutes=20, value="necessary", action="automate", minutes_after=5,
             phase="redesign", uptake_dependent=True, pain=i18n.t("tpl.example1_pain", lang)),
        Step(name=i18n.t("tpl.example2_step", lang), actor="back_office", channel="phone",
             minutes=15, share=0.2, wait_days=2, value="waste", action="eliminate",
             phase="quick_win", pain=i18n.t("tpl.example2_pain", lang)),
    ]


def write_steps_template(path: str | Path, lang: str = "ja") -> Path:
    """An .xlsx to fill in: an empty first sheet with headers and dropdown lists (the one
    :func:`read_steps` reads) and a second sheet with two example rows."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise _fail("err.file_type", value=path.name)
    header = _step_headers(lang)
    examples = [_step_row(step, lang) for step in _examples(lang)]
    _write_xlsx(path, [(i18n.t("sheet.steps", lang), header, []),
                       (i18n.t("sheet.example", lang), header, examples)], lang)
    return path
