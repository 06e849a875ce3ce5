"""Live progress of every group during the session, read from the workspaces on disk.

One row per group: steps captured, To-Be changes made, systems scored, impact computed, last
saved, saves, and the headline figures (hours saved a year, general-fund burden). A group
whose workspace cannot be read shows as such; the others are unaffected. Pure: no widgets.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kit import i18n
from kit.documents.fragments import esc
from kit.documents.fragments import table as _table
from kit.domain import checks
from kit.domain.money import impact
from kit.exceptions import KitError
from kit.io import store

COLUMNS = ["group_id", "theme", "steps", "tobe_changes", "systems_scored", "impact_computed",
           "hours_saved", "general_fund_yen", "last_saved", "revision", "status", "todo"]


def group_progress(session_dir: str | Path, group: str, assumptions) -> dict:
    try:
        work = store.load_work(session_dir, group)
    except KitError:
        return {"group_id": group, "status": "broken"}
    m = impact.compute(work, assumptions)
    scores = getattr(work, "scores", {}) or {}
    computed = work.annual_cases > 0 and m.hours_asis > 0
    return {"group_id": group, "theme": work.theme,
            "steps": sum(1 for s in work.steps if not s.is_new),
            "tobe_changes": sum(1 for s in work.steps if s.changed),
            "systems_scored": sum(1 for v in scores.values() if v),
            "impact_computed": bool(computed),
            "hours_saved": m.hours_saved if computed else None,
            "general_fund_yen": m.general_fund_yen, "last_saved": work.updated_at,
            "revision": work.revision, "status": "ok",
            "todo": [c.kind for c in checks.work_todos(work)]}


def progress(session_dir: str | Path) -> pd.DataFrame:
    """The overview table, freshly read from disk."""
    session = store.load_session(session_dir)
    rows = [group_progress(session_dir, g, session.assumptions) for g in session.groups]
    return pd.DataFrame(rows, columns=COLUMNS)


def progress_html(session_dir: str | Path, lang: str = "ja") -> str:
    """The overview as an escaped HTML table (for the facilitator's widget)."""
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    yes, no = i18n.label("bool", True, lang), i18n.label("bool", False, lang)
    rows = []
    for r in progress(session_dir).itertuples():
        if r.status != "ok":
            rows.append([esc(r.group_id), t("overview.broken")] + ["—"] * 8)
            continue
        rows.append([esc(r.group_id), esc(r.theme), str(r.steps), str(r.tobe_changes),
                     str(r.systems_scored), yes if r.impact_computed else no,
                     i18n.fmt_hours(r.hours_saved, lang, 0) if r.impact_computed else "—",
                     i18n.fmt_yen(r.general_fund_yen, lang), esc(r.last_saved or "—"),
                     esc(" ".join(checks.Check(k).text(lang) for k in r.todo)) or "—"])
    headers = [t("summary.col_group"), t("summary.col_theme"), t("overview.col_steps"),
               t("overview.col_tobe"), t("overview.col_systems"), t("overview.col_impact"),
               t("fig.hours_saved"), t("fig.general_fund"), t("overview.col_saved"),
               t("inputs.warnings_title")]
    return f'<h3>{t("overview.title")}</h3>' + _table(headers, rows, "figures")
