"""One workspace per group on disk: atomic saves, history, a lock and a version check.

Layout (paths as format strings, in one place)::

    {session}/session.yaml
    {session}/groups/{group}/work.json
    {session}/groups/{group}/history/work.{revision:06d}.json   (the last 20 versions)
    {session}/groups/{group}/history/pinned/work.{revision:06d}.json   (pinned: never pruned)

A save writes a temporary file in the same folder, fsyncs it and renames it over the old
file, so a crash leaves either the old or the new state. Under a file lock, the revision on
disk is compared with the revision the caller loaded: another member's save in between
raises :class:`ConflictError` instead of being silently overwritten — or, when asked, the
edits are merged three-way (:mod:`kit.io.merge`) against the version the caller loaded.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import stat
import tempfile
from pathlib import Path

import yaml
from filelock import FileLock

from kit import i18n
from kit.domain.model import SCHEMA_VERSION, SLUG_RE, GroupWork, Session
from kit.exceptions import ConflictError, InputError, StoreError
from kit.io.merge import MergeClash
from kit.io.merge import merge as merge_work  # the three-way merge's former name here

PATHS = {
    "session": "{session}/session.yaml",
    "groups": "{session}/groups",
    "group": "{session}/groups/{group}",
    "work": "{session}/groups/{group}/work.json",
    "lock": "{session}/groups/{group}/.work.lock",
    "history": "{session}/groups/{group}/history",
    "version": "{session}/groups/{group}/history/work.{revision:06d}.json",
    "pinned_dir": "{session}/groups/{group}/history/pinned",
    "pinned": "{session}/groups/{group}/history/pinned/work.{revision:06d}.json",
    "pin_reason": "{session}/groups/{group}/history/pinned/work.{revision:06d}.reason.txt",
}
HISTORY_KEEP = 20
_UMASK = os.umask(0)
os.umask(_UMASK)
SHARED_DIR_MODE = 0o2770       # a group's folder in a room: the group's, set-group-id
SHARED_FILE_MODE = 0o660
LOCK_TIMEOUT_S = 10


def check_group_id(group: str) -> str:
    """A group id becomes a folder name: only safe slugs pass."""
    if not isinstance(group, str) or not SLUG_RE.match(group):
        raise InputError(*i18n.both("err.slug", value=repr(group)), field="group_id",
                         value=group)
    return group


def path(kind: str, session: str | Path, group: str | None = None, **extra) -> Path:
    if group is not None:
        check_group_id(group)
    return Path(PATHS[kind].format(session=Path(session), group=group, **extra))


def _shared(folder: Path) -> bool:
    """A group's folder in a room (set-group-id, see kit.serve.sysusers): whoever writes in
    it — the group's user, the facilitator, a root `kit` command — writes for the group."""
    try:
        return bool(folder.stat().st_mode & stat.S_ISGID)
    except OSError:
        return False


def make_dirs(folder: Path) -> None:
    """``mkdir -p``; a folder made inside a shared folder is shared too (group rwx)."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        new.mkdir(exist_ok=True)
        if _shared(new.parent):
            os.chmod(new, SHARED_DIR_MODE)


def lock(file: Path) -> FileLock:
    """The group's lock; in a shared folder group-writable, whoever makes it."""
    make_dirs(file.parent)
    return FileLock(str(file), timeout=LOCK_TIMEOUT_S,
                    **({"mode": SHARED_FILE_MODE} if _shared(file.parent) else {}))


def atomic_write(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` so that a crash leaves the old or the new file whole."""
    make_dirs(target.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        if hasattr(os, "fchmod"):          # not on Windows before Python 3.13 (no modes there)
            # mkstemp makes 0600: keep files readable (and the group's, in a shared folder)
            os.fchmod(fd, SHARED_FILE_MODE if _shared(target.parent) else 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


# --- session ------------------------------------------------------------------------------
class _TextDates(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: a date stays text and the model checks it
    (``2026-13-45`` then gives a message naming the field instead of a bare ValueError)."""


_TextDates.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def read_yaml(file: str | Path) -> dict:
    """A YAML mapping from ``file``; anything else raises StoreError naming file and line."""
    file = Path(file)
    try:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=_TextDates) or {}
    except (yaml.YAMLError, UnicodeDecodeError, OSError, ValueError) as exc:
        mark = getattr(exc, "problem_mark", None)
        detail = type(exc).__name__ + (f" line {mark.line + 1}" if mark else "")
        raise StoreError(*i18n.both("err.broken_file", value=str(file),
                                    detail=detail)) from None
    if not isinstance(data, dict):
        raise StoreError(*i18n.both("err.broken_file", value=str(file), detail="not a mapping"))
    return data


def load_session(session: str | Path) -> Session:
    file = path("session", session)
    if not file.is_file():
        raise StoreError(*i18n.both("err.no_session", value=str(session)))
    return Session.parse(read_yaml(file))


def save_session(session_dir: str | Path, session: Session) -> Path:
    file = path("session", session_dir)
    text = yaml.safe_dump(session.model_dump(mode="json"), allow_unicode=True,
                          sort_keys=False)
    atomic_write(file, text.encode("utf-8"))
    return file


def create_session(session_dir: str | Path, session: Session,
                   works: list[GroupWork]) -> Path:
    """Write a new session folder with one workspace per group."""
    session_dir = Path(session_dir)
    ids = [w.group_id for w in works]
    session = session.model_copy(update={"groups": ids})
    Session.parse(session.model_dump(mode="json"))  # duplicate ids etc.
    for work in works:
        if path("work", session_dir, work.group_id).exists():
            raise StoreError(*i18n.both("err.invalid", field="group_id", value=work.group_id,
                                        detail="exists"))
    for work in works:
        save_work(session_dir, work, expected_revision=0)
    save_session(session_dir, session)
    return session_dir


# --- group workspaces ---------------------------------------------------------------------
def _read_json(file: Path) -> dict:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(*i18n.both("err.broken_file", value=str(file),
                                    detail=type(exc).__name__)) from None
    if not isinstance(data, dict):
        raise StoreError(*i18n.both("err.broken_file", value=str(file), detail="not an object"))
    if data.get("schema_version", SCHEMA_VERSION) > SCHEMA_VERSION:
        raise StoreError(*i18n.both("err.schema", value=data.get("schema_version")))
    return data


def load_work(session: str | Path, group: str) -> GroupWork:
    file = path("work", session, group)
    if not file.is_file():
        raise StoreError(*i18n.both("err.no_group", value=group))
    return GroupWork.parse(_read_json(file))


def disk_revision(session: str | Path, group: str) -> int:
    file = path("work", session, group)
    return int(_read_json(file).get("revision", 0)) if file.is_file() else 0


def _encode(work: GroupWork) -> bytes:
    return json.dumps(work.model_dump(mode="json"), ensure_ascii=False,
                      indent=1).encode("utf-8")


def _conflict(group: str, on_disk: int, expected: int, clashes=()) -> ConflictError:
    return ConflictError(*i18n.both("err.conflict", group=group, disk=on_disk,
                                    expected=expected),
                         group=group, disk_revision=on_disk, expected_revision=expected,
                         clashes=clashes)


def _document(work: GroupWork | dict) -> dict:
    """A workspace as the JSON document the merge compares (every field, defaults filled)."""
    if isinstance(work, GroupWork):
        return work.model_dump(mode="json")
    return GroupWork.parse(work).model_dump(mode="json")


def _kept_version(session, group: str, revision: int) -> Path | None:
    """The file of kept version ``revision``: in history, else pinned, else None."""
    for kind in ("version", "pinned"):
        file = path(kind, session, group, revision=revision)
        if file.is_file():
            return file
    return None


def _merged(session, work: GroupWork, expected: int, on_disk: int,
            base: GroupWork | dict | None = None) -> GroupWork:
    """``work`` (edited from ``base``, or from version ``expected`` kept in history) merged
    with the newer save on disk, or ConflictError (with every clash)."""
    if base is None:
        base_file = _kept_version(session, work.group_id, expected) if expected >= 1 else None
        if base_file is None:
            raise _conflict(work.group_id, on_disk, expected)
        base = _read_json(base_file)
    theirs = _document(_read_json(path("work", session, work.group_id)))
    try:
        data = merge_work(_document(base), work.model_dump(mode="json"), theirs)
    except MergeClash as clash:
        raise _conflict(work.group_id, on_disk, expected, clash.clashes) from None
    try:
        return GroupWork.parse(data)
    except InputError:      # each side valid, together not (e.g. a cost outside its range)
        raise _conflict(work.group_id, on_disk, expected) from None


def _clean_temp_files(session, group: str) -> None:
    """Remove temp files a killed save left behind (called under the group's lock)."""
    for folder in (path("group", session, group), path("history", session, group),
                   path("pinned_dir", session, group)):
        for tmp in folder.glob(".work.*.tmp"):
            tmp.unlink(missing_ok=True)


def save_work(session: str | Path, work: GroupWork,
              expected_revision: int | None = None, *, merge: bool = False,
              base: GroupWork | dict | None = None) -> GroupWork:
    """Validate and save ``work`` atomically; return it with its new revision.

    ``expected_revision`` is the revision the caller loaded (default: ``work.revision``).
    If the file on disk has moved on since, nothing is written and ConflictError is raised
    (asking to reload) — unless ``merge`` is set and the edits do not overlap: then the
    three-way merge (:func:`kit.io.merge.merge`) of ``work`` and the file on disk is saved
    and returned. Its base is ``base`` (the document the caller loaded and edited from, so
    any number of saves in between still merge) or, without it, the loaded version looked up
    in ``history/`` (the last 20, or a pinned one; not found: ConflictError). ``base`` only
    matters with ``merge``. On a clash ConflictError's ``clashes`` lists every one.
    """
    work = GroupWork.parse(work.model_dump(warnings=False))  # re-validate all (NaN stays NaN)
    expected = work.revision if expected_revision is None else expected_revision
    with lock(path("lock", session, work.group_id)):
        _clean_temp_files(session, work.group_id)
        on_disk = disk_revision(session, work.group_id)
        if on_disk != expected:
            if not merge:
                raise _conflict(work.group_id, on_disk, expected)
            work = _merged(session, work, expected, on_disk, base)
        now = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
        saved = work.model_copy(update={"revision": on_disk + 1, "updated_at": now})
        data = _encode(saved)
        atomic_write(path("version", session, work.group_id, revision=saved.revision), data)
        atomic_write(path("work", session, work.group_id), data)
        _prune_history(session, work.group_id)
    return saved


def _prune_history(session: str | Path, group: str) -> None:
    versions = sorted(path("history", session, group).glob("work.*.json"))
    for old in versions[:-HISTORY_KEEP]:
        old.unlink(missing_ok=True)


def pin(session: str | Path, group: str, revision: int, reason: str) -> Path:
    """Keep version ``revision`` for good (e.g. the version before an import): copy it to
    ``history/pinned/`` (never pruned) with ``reason`` beside it; return the pinned file.

    The version is taken from ``history/`` (or ``work.json`` when it is that revision); a
    version already pinned gets the new reason. Not kept anywhere: StoreError.
    """
    revision = int(revision)
    if not path("group", session, group).is_dir():
        raise StoreError(*i18n.both("err.no_group", value=group))
    with lock(path("lock", session, group)):
        source = _kept_version(session, group, revision)
        current = path("work", session, group)
        if source is None and current.is_file() and disk_revision(session, group) == revision:
            source = current
        if source is None:
            raise StoreError(*i18n.both("err.no_version", group=group, value=revision))
        data = source.read_bytes()
        _read_json(source)                          # a broken file is not pinned as good
        target = path("pinned", session, group, revision=revision)
        if source != target:
            atomic_write(target, data)
        atomic_write(path("pin_reason", session, group, revision=revision),
                     str(reason).encode("utf-8"))
    return target


def history(session: str | Path, group: str) -> list[dict]:
    """The kept versions, oldest first: revision, saved time, number of steps, file, and
    ``pinned`` (with its ``reason``) — the last 20 saves plus every pinned version, one row
    per revision (``file``: the history copy, else the pinned one).

    A version newer than ``work.json`` (a save killed between its two renames) never became
    the group's state and is not listed; the next save overwrites it.
    """
    try:
        current = disk_revision(session, group)
    except StoreError:          # work.json unreadable: every kept version may help
        current = None

    def rows_in(folder: Path) -> list[dict]:
        rows = []
        for file in sorted(folder.glob("work.*.json")):
            try:
                data = _read_json(file)
            except StoreError:
                continue
            if current is not None and int(data.get("revision", 0)) > current:
                continue
            rows.append({"revision": int(data.get("revision", 0)),
                         "updated_at": data.get("updated_at", ""),
                         "steps": len(data.get("steps", [])), "file": str(file),
                         "pinned": False, "reason": ""})
        return rows

    kept = rows_in(path("history", session, group))[-HISTORY_KEEP:]  # a killed save: 21
    rows = {r["revision"]: r for r in kept}
    for row in rows_in(path("pinned_dir", session, group)):
        reason = path("pin_reason", session, group, revision=row["revision"])
        row = rows.get(row["revision"], row)
        row["pinned"] = True
        row["reason"] = reason.read_text(encoding="utf-8") if reason.is_file() else ""
        rows[row["revision"]] = row
    return [rows[r] for r in sorted(rows)]


def restore(session: str | Path, group: str, revision: int) -> GroupWork:
    """Save the kept version ``revision`` (from history, else pinned) as the newest state."""
    file = _kept_version(session, group, int(revision))
    if file is None:
        raise StoreError(*i18n.both("err.no_version", group=group, value=revision))
    old = GroupWork.parse(_read_json(file))
    current = disk_revision(session, group)
    return save_work(session, old.model_copy(update={"revision": current}))


def load_all(session: str | Path) -> tuple[Session, list[GroupWork]]:
    meta = load_session(session)
    return meta, [load_work(session, g) for g in meta.groups]
