"""The groups list (``--groups``): one row per group with its theme, cases and members."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kit.domain import model
from kit.domain.model import GroupWork
from kit.domain.values import split_list
from kit.io.cells import fail
from kit.io.layout import find_columns, read_table
from kit.io.sheets import build_row, lookup, records

GROUP_COLUMNS = {"group_id": ("グループID", "group_id"), "theme": ("テーマ", "theme"),
                 "annual_cases": ("年間件数", "annual_cases"), "members": ("メンバー", "members"),
                 "uptake": ("オンライン利用率", "uptake"), "system": ("システム", "system"),
                 "funding": ("財源", "funding")}
GROUP_REQUIRED = ("group_id", "theme", "annual_cases", "members")
_GROUP_LOOKUP = lookup([(text, name) for name, texts in GROUP_COLUMNS.items()
                         for text in texts])


def _group(row: int, cells: dict[str, str], headers: dict[str, str],
           problems) -> dict[str, Any] | None:
    data: dict[str, Any] = {name: cells[name] for name in ("group_id", "theme",
                                                           "annual_cases", "uptake")
                            if cells.get(name)}
    data["members"] = split_list(cells.get("members", ""))
    work = build_row(GroupWork, data, row, headers, problems)
    system = split_list(cells.get("system", ""))        # a bundle: ids separated by ';'
    funding = split_list(cells.get("funding", ""))
    bad = False
    for name, ids in (("system", system), ("funding", funding)):
        for item in ids:
            if not model.SLUG_RE.match(item):
                problems.add(fail("err.bad_id", row=row, attr=name, field=headers[name],
                                  value=item))
                bad = True
    if work is None or bad:
        return None
    return {"group_id": work.group_id, "theme": work.theme, "annual_cases": work.annual_cases,
            "members": list(work.members), "uptake": work.uptake, "system": system,
            "funding": funding}


def read_groups(path: str | Path, *, sheet: str | None = None,
                max_mb: float = 20) -> list[dict[str, Any]]:
    """The groups list: dicts with group_id, theme, annual_cases, members (list), uptake
    (float or None), system (list of ids: the chosen bundle), funding (list of ids). Members
    are separated by ';', '、', '，', ',' or a line break; funding ids likewise. Group ids must
    differ without regard to case (``g01`` and ``G01`` would share a folder on Windows and
    macOS). Every problem of the file is raised in one error."""
    path = Path(path)
    table = read_table(path, known=_GROUP_LOOKUP, required=GROUP_REQUIRED, sheet=sheet,
                       max_mb=max_mb)
    frame, problems = table.frame, table.problems
    if not len(frame.columns):
        raise fail("err.no_rows", value=path.name)
    positions = find_columns(table, _GROUP_LOOKUP, GROUP_REQUIRED, GROUP_COLUMNS)
    if frame.empty and not problems:
        raise fail("err.no_rows", value=path.name)
    groups: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    if all(name in positions for name in GROUP_REQUIRED):
        for row, cells, headers in records(frame, positions):
            group = _group(row, cells, headers, problems)
            if group is None:
                continue
            key = group["group_id"].casefold()
            if key in seen:
                same = seen[key] == group["group_id"]
                problems.add(fail("err.duplicate_group" if same else "inputs.err_group_case",
                                  row=row, attr="group_id", value=group["group_id"],
                                  first=seen[key]))
                continue
            seen[key] = group["group_id"]
            groups.append(group)
    problems.check()
    return groups
