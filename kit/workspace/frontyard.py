"""The front yard in a group's workspace: importing an event log, setting counter profiles
(the arithmetic: :mod:`kit.domain.frontyard.eventlog`, :mod:`kit.domain.frontyard.measures`)."""

from __future__ import annotations

from pathlib import Path

from kit import i18n
from kit.domain.frontyard import eventlog
from kit.domain.frontyard.counter import CounterProfile
from kit.domain.model import GroupWork
from kit.exceptions import InputError
from kit.io import store
from kit.io.eventlog import read_event_log

KINDS = ("asis", "actuals")


def import_log(session_dir: str | Path, group_id: str, file: str | Path,
               columns: dict[str, str], kind: str = "asis"
               ) -> tuple[GroupWork, eventlog.LogSummary, list[str]]:
    """Read, analyse and apply a log to the group; everything is checked before the save.

    Returns the saved workspace, the log's figures and the activities no step matched.
    """
    if kind not in KINDS:
        raise InputError(*i18n.both("err.choice", field="--as", value=kind,
                                    choices="/".join(KINDS)), field="as", value=kind)
    work = store.load_work(session_dir, group_id)
    frame, found = read_event_log(file, columns)
    summary = eventlog.analyse(frame, found)
    _, unmatched = eventlog.match_steps(work, summary.activities)
    updated = eventlog.apply(work, summary, Path(file).name, kind)
    return store.save_work(session_dir, updated), summary, unmatched


def read_profiles(file: str | Path) -> dict[str, CounterProfile]:
    """``{group id: CounterProfile}`` from a YAML mapping (data_samples/demo/counters.yaml)."""
    data = store.read_yaml(file)
    return {str(gid): _profile(str(gid), profile or {}) for gid, profile in data.items()}


def _profile(group_id: str, data) -> CounterProfile:
    work_like = GroupWork.parse({"group_id": group_id, "theme": group_id, "counter": data},
                                where=group_id)
    return work_like.counter


def set_profiles(session_dir: str | Path, profiles: dict[str, CounterProfile]) -> list[str]:
    """Save each group's counter profile; unknown groups are refused before any save.

    Fields the new profile does not set (e.g. a log's arrivals) keep their saved values."""
    session = store.load_session(session_dir)
    unknown = [g for g in profiles if g not in session.groups]
    if unknown:
        raise InputError(*i18n.both("err.no_group", value=unknown[0]), field="group_id",
                         value=unknown[0])
    for gid, profile in profiles.items():
        work = store.load_work(session_dir, gid)
        old = work.counter.model_dump() if work.counter else {}
        merged = {**old, **profile.model_dump(exclude_unset=True)}
        store.save_work(session_dir, GroupWork.parse({**work.model_dump(), "counter": merged},
                                                     where=gid))
    return list(profiles)
