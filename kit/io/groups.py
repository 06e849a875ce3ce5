"""The groups list (``--groups``): one row per group with its theme, cases and members."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from kit.domain import model
from kit.domain.model import GroupWork
from kit.io.sheets import (
    build_row,
    fail,
    find_columns,
    lookup,
    read_table,
    records,
)

GROUP_COLUMNS = {"group_id": ("グループID", "group_id"), "theme": ("テーマ", "theme"),
                 "annual_cases": ("年間件数", "annual_cases"), "members": ("メンバー", "members"),
                 "uptake": ("オンライン利用率", "uptake"), "system": ("システム", "system"),
                 "funding": ("財源", "funding")}
GROUP_REQUIRED = ("group_id", "theme", "annual_cases", "members")
_SPLIT_RE = re.compile(r"[;；、，,\n]")
_GROUP_LOOKUP = lookup([(text, name) for name, texts in GROUP_COLUMNS.items()
                         for text in texts])
def _split(text: str) -> list[str]:
    return [item.strip() for item in _SPLIT_RE.split(text) if item.strip()]


def _group(row: int, cells: dict[str, str], headers: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {name: cells[name] for name in ("group_id", "theme",
                                                           "annual_cases", "uptake")
                            if cells.get(name)}
    data["members"] = _split(cells.get("members", ""))
    work = build_row(GroupWork, data, row, headers)
    system = _split(cells.get("system", ""))        # a bundle: ids separated by ';'
    funding = _split(cells.get("funding", ""))
    for name, ids in (("system", system), ("funding", funding)):
        for item in ids:
            if not model.SLUG_RE.match(item):
                raise fail("err.bad_id", row=row, attr=name, field=headers[name], value=item)
    return {"group_id": work.group_id, "theme": work.theme, "annual_cases": work.annual_cases,
            "members": list(work.members), "uptake": work.uptake, "system": system,
            "funding": funding}


def read_groups(path: str | Path, *, max_mb: float = 20) -> list[dict[str, Any]]:
    """The groups list: dicts with group_id, theme, annual_cases, members (list), uptake
    (float or None), system (list of ids: the chosen bundle), funding (list of ids). Members are separated by
    ';', '、', '，', ',' or a line break; funding ids likewise."""
    path = Path(path)
    frame = read_table(path, max_mb=max_mb)
    if not len(frame.columns):
        raise fail("err.no_rows", value=path.name)
    positions = find_columns(frame, _GROUP_LOOKUP, GROUP_REQUIRED, GROUP_COLUMNS)
    if frame.empty:
        raise fail("err.no_rows", value=path.name)
    groups: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row, cells, headers in records(frame, positions):
        group = _group(row, cells, headers)
        if group["group_id"] in seen:
            raise fail("err.duplicate_group", row=row, attr="group_id",
                        value=group["group_id"])
        seen.add(group["group_id"])
        groups.append(group)
    return groups


# --- writing ------------------------------------------------------------------------------
