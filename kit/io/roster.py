"""The facilitator's roster of groups formed from the survey, as an editable Excel sheet.

One row per participant: グループID, テーマ, 回答ID, 氏名, 所属, 職種 (English headers with
``lang="en"``). The facilitator moves people by changing グループID (blank = leave out),
renames a theme in any row of its group, and feeds the sheet back with ``--assign``
(:func:`kit.domain.survey.grouping.apply_assignments`, which reads both header languages).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from kit import i18n
from kit.io.sheets import fill_sheet

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
    rows = [[str(value or "") for value in row]
            for row in roster[list(ROSTER_COLUMNS)].itertuples(index=False)]
    fill_sheet(sheet, header, rows)
    book.save(path)
    return path
