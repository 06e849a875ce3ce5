"""Catalogues a session draws on: candidate systems and funding sources (CSV or Excel)."""

from __future__ import annotations

from pathlib import Path

from kit import i18n
from kit.domain.model import FundingSource, SystemOption
from kit.exceptions import InputError
from kit.io.sheets import read_table

SYSTEM_COLUMNS = {"システムID": "system_id", "名称": "name", "初期費用(円)": "initial_cost_yen",
                  "年間運用費(円)": "annual_cost_yen", "連携": "integration",
                  "住民の使いやすさ": "resident_usability", "職員の使いやすさ": "staff_usability",
                  "運用負担": "operating_burden", "機能": "capabilities", "出典": "source",
                  "機能タグ": "enables"}
FUNDING_COLUMNS = {"財源ID": "funding_id", "名称": "name", "補助率": "rate", "上限額(円)": "cap_yen",
                   "対象経費の割合": "eligible_share", "出典": "source", "仮定": "assumption",
                   "残額に適用": "on_remaining"}


def _rows(path: Path, columns: dict[str, str]) -> list[tuple[int, dict]]:
    df = read_table(path)
    df = df.rename(columns={k: v for k, v in columns.items() if k in df.columns})
    rows = []
    for i, record in enumerate(df.to_dict(orient="records"), start=2):
        rows.append((i, {k: v for k, v in record.items()
                         if k in columns.values() and v not in (None, "")}))
    return rows


def _parse(model, row: int, data: dict, file: Path):
    try:
        return model.parse(data)
    except InputError as exc:
        raise InputError(i18n.t("err.row", "ja", row=row, message=exc.message_ja),
                         i18n.t("err.row", "en", row=row, message=exc.message_en),
                         field=exc.field, value=exc.value, row=row) from None


def load_systems(path: str | Path) -> dict[str, SystemOption]:
    path = Path(path)
    return {o.system_id: o for o in (_parse(SystemOption, i, r, path)
                                     for i, r in _rows(path, SYSTEM_COLUMNS))}


def load_funding(path: str | Path) -> dict[str, FundingSource]:
    path = Path(path)
    out: dict[str, FundingSource] = {}
    for i, row in _rows(path, FUNDING_COLUMNS):
        key = str(row.pop("funding_id", "")).strip()
        if not key:
            raise InputError(*i18n.both("err.required", field=f"funding_id ({i})", value=""),
                             field="funding_id", row=i)
        out[key] = _parse(FundingSource, i, {**row, "funding_id": key}, path)
    return out
