"""The facilitator's roster of groups formed from the survey, as an editable Excel sheet.

One row per participant: グループID, テーマ, 年間件数, 回答ID, 氏名, 所属, 職種, ログイン名 (English
headers with ``lang="en"``); ログイン名 is the login the room will give that person (a group's
n-th row is its n-th login, ``kit hub logins`` prints their passwords) and is not read back. The facilitator moves people by changing グループID (blank = leave out),
renames a theme or types the annual cases (「1,200件」 is read as 1200) in any row of its
group, and feeds the sheet back with ``--assign``
(:func:`kit.domain.survey.grouping.apply_assignments`, which reads both header languages).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from kit import i18n
from kit.io.sheets import fill_sheet

ROSTER_COLUMNS = ("group_id", "theme", "annual_cases", "id", "name", "section", "role",
                  "login")


def roster_path(session_dir: str | Path) -> Path:
    """Beside the session folder: ``<folder>_roster.xlsx`` (kept if the folder is removed)."""
    session_dir = Path(session_dir).resolve()
    return session_dir.with_name(f"{session_dir.name}_roster.xlsx")


def _cell(value):
    """Annual cases as a number (1200, not 「1200.0」), blank when unknown; the rest as text."""
    if isinstance(value, float):
        return None if value != value else (int(value) if value.is_integer() else value)
    return str(value or "")


def write_roster(roster: pd.DataFrame, path: str | Path, lang: str = "ja") -> Path:
    """Write :meth:`GroupPlan.roster` as an .xlsx with a bold, frozen header row."""
    path = Path(path)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = i18n.t("inputs.roster_sheet", lang)
    header = [i18n.t(f"inputs.roster_{c}", lang) for c in ROSTER_COLUMNS]
    rows = [[_cell(value) for value in row]
            for row in roster[list(ROSTER_COLUMNS)].itertuples(index=False)]
    fill_sheet(sheet, header, rows)
    book.save(path)
    return path
