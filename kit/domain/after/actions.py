"""The action plan: who does what by when (docs/after-workshop.md, "Overdue").

An action is **overdue** on day ``as_of`` when it is still open (未着手 or 進行中), has a due
date, and that date is before ``as_of`` (due today is not overdue yet). Done (完了) and
dropped (中止) actions are never overdue; an action without a due date is never overdue (the
listing shows it as "no date" so that someone gives it one).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

from kit import i18n
from kit.domain.after.plan import OPEN, ActionItem, Status
from kit.domain.dates import as_date
from kit.domain.model import GroupWork, Step
from kit.domain.values import header_key, split_list
from kit.exceptions import InputError

STATUSES = tuple(Status)


def is_overdue(item: ActionItem, as_of: _dt.date) -> bool:
    due = as_date(item.due)
    return item.status in OPEN and due is not None and due < as_of


def days_overdue(item: ActionItem, as_of: _dt.date) -> int:
    return (as_of - as_date(item.due)).days if is_overdue(item, as_of) else 0


def status_label(status: Status | str, lang: str) -> str:
    return i18n.t(f"act.status.{Status(status).value}", lang)


def status_choices(lang: str) -> list[tuple[str, str]]:
    return [(status_label(s, lang), s.value) for s in STATUSES]


def parse_status(text: str) -> Status | str:
    """未着手 / 進行中 / 完了 / 中止, their English labels or the values; else the text."""
    key = header_key(text)
    for s in STATUSES:
        if key in {header_key(s.value), *(header_key(status_label(s, lang))
                                          for lang in i18n.LANGS)}:
            return s
    return text


def step_names(work: GroupWork, ids: Iterable[str]) -> list[str]:
    names = {s.id: s.name for s in work.steps}
    return [names[i] for i in ids if i in names]


def step_ids(steps: list[Step], text: str, *, field: str = "steps",
             row: int | None = None) -> list[str]:
    """Step ids from ``"受付; 入力"`` (names, or numbers 1..n as the handout counts them)."""
    by_name = {header_key(s.name): s.id for s in steps}
    ids: list[str] = []
    for part in split_list(text):
        sid = by_name.get(header_key(part))
        if sid is None and part.isdigit() and 1 <= int(part) <= len(steps):
            sid = steps[int(part) - 1].id
        if sid is None:
            raise InputError(*i18n.both("act.err.unknown_step", value=part),
                             field=field, value=part, row=row)
        if sid not in ids:
            ids.append(sid)
    return ids


def listing(works: Iterable[GroupWork], as_of: _dt.date) -> list[dict]:
    """Every group's actions as plain rows (``kit actions --json``), overdue flagged; ordered
    by group, then due date (no date last)."""
    rows = []
    for work in works:
        for item in sorted(work.actions, key=lambda a: (a.due == "", a.due)):
            rows.append({"group": work.group_id, "theme": work.theme, "action": item.title,
                         "owner": item.owner, "due": item.due or None,
                         "status": item.status.value, "steps": step_names(work, item.steps),
                         "overdue": is_overdue(item, as_of),
                         "days_overdue": days_overdue(item, as_of), "id": item.id})
    return rows


def overdue(works: Iterable[GroupWork], as_of: _dt.date) -> list[dict]:
    """The overdue rows of :func:`listing`, longest overdue first."""
    rows = [r for r in listing(works, as_of) if r["overdue"]]
    return sorted(rows, key=lambda r: (-r["days_overdue"], r["group"]))
