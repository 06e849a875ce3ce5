"""The facilitator's roster of groups formed from the survey, as an editable Excel sheet.

One row per participant: グループID, テーマ, 回答ID, 氏名, 所属, 職種 (English headers with
``lang="en"``). The facilitator moves people by changing グループID (blank = leave out),
renames a theme in any row of its group, and feeds the sheet back with ``--assign``
(:func:`kit.domain.grouping.apply_assignments`, which reads both header languages).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kit import i18n
from kit.io.sheets import text_width

ROSTER_COLUMNS = ("group_id", "theme", "id", "name", "section", "role")


def roster_path(session_dir: str | Path) -> Path:
    """Beside the session folder: ``<folder>_roster.xlsx`` (kept if the folder is removed)."""
    session_dir = Path(session_dir).resolve()
    return session_dir.with_name(f"{session_dir.name}_roster.xlsx")


def write_roster(roster: pd.DataFrame, path: str | Path, lang: str = "ja") -> Path:
    """Write :meth:`GroupPlan.roster` as an .xlsx with a bold, frozen header row."""
    path = Path(path)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = i18n.t("inputs.roster_sheet", lang)
    header = [i18n.t(f"inputs.roster_{c}", lang) for c in ROSTER_COLUMNS]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(roster[list(ROSTER_COLUMNS)].itertuples(index=False), start=2):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=str(value or ""))
            cell.data_type = "s"
    for c, title in enumerate(header, start=1):
        texts = [title] + [str(v or "") for v in roster[ROSTER_COLUMNS[c - 1]]]
        sheet.column_dimensions[get_column_letter(c)].width = min(
            max(text_width(t) for t in texts) + 2, 50)
    sheet.freeze_panes = "A2"
    book.save(path)
    return path
