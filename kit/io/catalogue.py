"""Catalogues a session draws on: candidate systems and funding sources (CSV or Excel).

Read like every sheet (:mod:`kit.io.layout`): the header row is found, total rows skipped,
a header close to a known one refused, every problem of the file reported in one error.
"""

from __future__ import annotations

from pathlib import Path

from kit import i18n
from kit.domain.model import FundingSource, SystemOption
from kit.exceptions import InputError
from kit.io.layout import find_columns, read_table
from kit.io.sheets import lookup, records

SYSTEM_COLUMNS = {"システムID": "system_id", "名称": "name", "初期費用(円)": "initial_cost_yen",
                  "年間運用費(円)": "annual_cost_yen", "連携": "integration",
                  "住民の使いやすさ": "resident_usability", "職員の使いやすさ": "staff_usability",
                  "運用負担": "operating_burden", "機能": "capabilities", "出典": "source",
                  "機能タグ": "enables"}
FUNDING_COLUMNS = {"財源ID": "funding_id", "名称": "name", "補助率": "rate", "上限額(円)": "cap_yen",
                   "対象経費の割合": "eligible_share", "出典": "source", "仮定": "assumption",
                   "残額に適用": "on_remaining",
                   # funding as the budget books it (kit.domain.money.fiscal): blank kind = subsidy
                   "種類": "kind", "充当率": "coverage", "利率": "interest_rate",
                   "据置年数": "grace_years", "償還年数": "repayment_years",
                   "交付税算入率": "allocation_tax_rate"}


def _rows(path: Path, columns: dict[str, str], required: tuple[str, ...]):
    """(rows as (row number, {field: text}), the file's problems so far)."""
    known = lookup([(text, name) for text, name in columns.items()] +
                   [(name, name) for name in columns.values()])
    table = read_table(path, known=known, required=required)
    names = {name: (text, name) for text, name in columns.items()}
    positions = find_columns(table, known, required, names)
    rows = [(row, {k: v for k, v in cells.items() if v not in (None, "")})
            for row, cells, _ in records(table.frame, positions)]
    return rows, table.problems


def _parse(model, row: int, data: dict, problems):
    try:
        return model.parse(data)
    except InputError as exc:
        problems.add(InputError(i18n.t("err.row", "ja", row=row, message=exc.message_ja),
                                i18n.t("err.row", "en", row=row, message=exc.message_en),
                                field=exc.field, value=exc.value, row=row))
        return None


def load_systems(path: str | Path) -> dict[str, SystemOption]:
    rows, problems = _rows(Path(path), SYSTEM_COLUMNS, ("system_id", "name"))
    options = [_parse(SystemOption, i, r, problems) for i, r in rows]
    problems.check()
    return {o.system_id: o for o in options}


def load_funding(path: str | Path) -> dict[str, FundingSource]:
    rows, problems = _rows(Path(path), FUNDING_COLUMNS, ("name",))
    funding: dict[str, FundingSource] = {}
    for i, row in rows:
        key = str(row.pop("funding_id", "")).strip()
        if not key:
            problems.add(InputError(*i18n.both("err.required", field=f"funding_id ({i})",
                                               value=""), field="funding_id", row=i))
            continue
        source = _parse(FundingSource, i, {**row, "funding_id": key}, problems)
        if source is not None:
            funding[key] = source
    problems.check()
    return funding
