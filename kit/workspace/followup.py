"""Recording measured actuals in a group's workspace (the arithmetic: kit.domain.after.followup)."""

from __future__ import annotations

from pathlib import Path

from kit.domain.after.followup import with_actuals
from kit.domain.model import GroupWork
from kit.io import store


def record_actuals(session_dir: str | Path, group_id: str, **actuals) -> GroupWork:
    """Load the group, merge ``actuals`` (e.g. ``minutes={step_id: 4.5}, uptake=0.42``),
    save atomically and return the saved workspace."""
    work = store.load_work(session_dir, group_id)
    return store.save_work(session_dir, with_actuals(work, actuals))
