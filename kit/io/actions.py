"""The action-plan sheet: ``kit actions import`` / ``export`` (docs/after-workshop.md).

Columns (Japanese or English headers, any order): ``対応``/``action`` (required),
``担当``/``owner``, ``期限``/``due`` (2027/4/1, 2027-04-01, 令和9年4月1日, an Excel date or
serial), ``状況``/``status`` (未着手 / 進行中 / 完了 / 中止, or todo / doing / done / dropped;
blank = 未着手), ``手順``/``steps`` (step names or numbers separated by ``;`` or ``、``) and
``備考``/``notes``. Every row is validated before anything is returned: one bad row refuses
the whole file, naming the row, the column as written and the value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet.datavalidation import DataValidation

from kit import i18n
from kit.domain.after import actions
from kit.domain.after.plan import ActionItem
from kit.domain.model import GroupWork
from kit.exceptions import InputError
from kit.io.cells import SUFFIXES, fail
from kit.io.layout import find_columns, read_table
from kit.io.sheets import build_row, fill_sheet, lookup, records, write_csv

# (ActionItem field, catalogue column key), in sheet order
COLUMNS = (("title", "act.col.action"), ("owner", "act.col.owner"), ("due", "act.col.due"),
           ("status", "act.col.status"), ("steps", "act.col.steps"),
           ("notes", "act.col.notes"))
_LOOKUP = lookup([(i18n.t(key, lang), name) for name, key in COLUMNS for lang in i18n.LANGS]
                 + [("action", "title"), ("title", "title")])


def read_actions(path: str | Path, work: GroupWork, *, max_mb: float = 20) -> list[ActionItem]:
    """The actions of a sheet for ``work`` (its steps resolve the ``手順`` column)."""
    path = Path(path)
    # the header row, total rows and merges as for every sheet; every problem in one report
    table = read_table(path, known=_LOOKUP, required=("title",), max_mb=max_mb)
    frame, problems = table.frame, table.problems
    names = {name: i18n.both(key) for name, key in COLUMNS}
    if not len(frame.columns):
        raise fail("act.err.empty", value=path.name)
    positions = find_columns(table, _LOOKUP, ("title",), names)
    if frame.empty and not problems:
        raise fail("act.err.empty", value=path.name)
    items = []
    for row, cells, headers in records(frame, positions) if "title" in positions else ():
        data: dict[str, Any] = {k: v for k, v in cells.items() if v != "" and k != "steps"}
        if "status" in data:
            data["status"] = actions.parse_status(data["status"])
        try:
            data["steps"] = actions.step_ids(work.steps, cells.get("steps", ""), row=row)
        except InputError as exc:
            problems.add(fail("act.err.unknown_step", row=row, attr="steps", value=exc.value))
            continue
        item = build_row(ActionItem, data, row, headers, problems)
        if item is not None:
            items.append(item)
    problems.check()
    return items


def _cells(item: ActionItem, work: GroupWork, lang: str) -> list[Any]:
    return [item.title, item.owner, item.due or None, actions.status_label(item.status, lang),
            "; ".join(actions.step_names(work, item.steps)), item.notes]


def write_actions(work: GroupWork, path: str | Path, lang: str = "ja") -> Path:
    """Write ``work``'s actions as .csv (UTF-8 with BOM) or .xlsx; :func:`read_actions` reads
    it back to the same actions (with new ids)."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise fail("err.file_type", value=path.name)
    header = [i18n.t(key, lang) for _, key in COLUMNS]
    rows = [_cells(item, work, lang) for item in work.actions]
    if path.suffix.lower() == ".csv":
        write_csv(path, header, rows)
        return path
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = i18n.t("act.sheet", lang)
    fill_sheet(sheet, header, rows)
    labels = ",".join(text for text, _ in actions.status_choices(lang))
    rule = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True)
    rule.add(f"D2:D{max(len(rows) + 1, 200)}")
    sheet.add_data_validation(rule)
    book.save(path)
    return path
