"""One system user per group, and the files of a room as each group may reach them.

When ``kit hub start`` runs as root, every group gets a system user of its own
(``bpr-<session>-<hash>-<group>``: at most 32 ASCII characters, as ``useradd`` wants, whatever
the session is called; no home, no login shell), recorded in ``SESSION/.hub/users.json`` so
``kit hub cleanup SESSION`` removes exactly those. Members' servers and kernels run as their
group's user (``kit.serve.spawner``); the facilitator's as the hub's user (root).

The files, as :func:`apply` leaves them:

- ``groups/<id>/``: owner the group's user, group the group's own group, folders
  ``rwxrws---`` (set-group-id: what the facilitator or a root ``kit`` command writes inside
  belongs to the group's group, and the store writes it group-writable, so a root-owned lock
  or history file never locks the group out), files ``rw-rw----``. Nobody else gets in.
- ``session.yaml`` (with the session's catalogues): readable by every group, writable by none.
- ``groups/``: enter only (``--x``): a group cannot list the others.
- anything else in the session folder (``handouts/`` included, made at the start so that
  handouts rendered during the room land in it): the facilitator's alone; ``.hub/``: the
  hub's alone.

On Kubernetes there are no system users: a group's pods run as the group's uid/gid
(:func:`pod_ids`), and the set-up job gives each group's folder to it (``kit hub volume``).
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import re
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import psutil

from kit import i18n
from kit.exceptions import KitError
from kit.serve import process

RECORD = "users.json"
MAX_NAME = 32                      # useradd's limit
NOLOGIN = next((s for s in ("/usr/sbin/nologin", "/sbin/nologin") if Path(s).exists()),
               "/bin/false")
DIR_MODE = 0o2770
FILE_MODE = 0o660


class UserError(KitError):
    """A group's system user cannot be made, found or removed."""


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _hash(text: str, n: int) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


def user_name(session_dir: str | Path, group: str) -> str:
    """``bpr-demo-3f2a-g01``: ASCII from the session folder's name (a Japanese name gives
    none), a hash of the folder's path (two sessions never share a user), the group id."""
    folder = Path(session_dir).resolve()
    ascii_part = re.sub(r"[^a-z0-9]", "", folder.name.lower())[:8]
    prefix = f"bpr-{ascii_part}{'-' if ascii_part else ''}{_hash(str(folder), 4)}-"
    room = MAX_NAME - len(prefix)
    part = group.lower()
    if len(part) > room:                       # a long group id: its start and a hash
        part = f"{part[:room - 5]}-{_hash(group, 4)}"
    return prefix + part


POD_ID_BASE = 20000               # Kubernetes: group n of the session runs as 20000 + n


def pod_ids(groups: list[str]) -> dict[str, tuple[int, int]]:
    """Group id -> (uid, gid) of its pods on Kubernetes, in session order."""
    return {group: (POD_ID_BASE + i, POD_ID_BASE + i) for i, group in enumerate(groups, 1)}


def record_path(state_dir: str | Path) -> Path:
    return Path(state_dir) / RECORD


def recorded(state_dir: str | Path) -> dict[str, str]:
    """Group id -> system user name, as the last start recorded them."""
    try:
        return json.loads(record_path(state_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def ensure(session_dir: str | Path, state_dir: str | Path, groups: list[str]) -> dict[str, str]:
    """Create each group's user (kept if this session made it before); record them."""
    known = recorded(state_dir)
    users = {}
    for group in groups:
        name = user_name(session_dir, group)
        if _exists(name) and known.get(group) != name:
            raise UserError(*i18n.both("hub.user_taken", user=name, group=group))
        if not _exists(name):
            comment = f"BPR kit room {Path(session_dir).resolve().name} {group}"
            done = subprocess.run(
                ["useradd", "--system", "--user-group", "--no-create-home", "--home-dir",
                 "/nonexistent", "--shell", NOLOGIN, "--comment", comment, name],
                capture_output=True, text=True)
            if done.returncode:
                raise UserError(*i18n.both("hub.useradd_failed", user=name,
                                           detail=done.stderr.strip()))
        users[group] = name
        known[group] = name
        record_path(state_dir).write_text(json.dumps(known, indent=1), encoding="utf-8")
    return users


def ids(name: str) -> tuple[int, int]:
    entry = pwd.getpwnam(name)
    return entry.pw_uid, entry.pw_gid


def _own(path: Path, uid: int, gid: int, mode: int) -> None:
    """Owner and mode of ``path`` itself, never of what a link points to: opened without
    following links (a group could swap a file for a link to anything while root works)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:                               # a link (ELOOP), or gone meanwhile
        if path.is_symlink():
            os.chown(path, uid, gid, follow_symlinks=False)
        return
    try:
        kind = stat.S_IFMT(os.fstat(fd).st_mode)
        if kind in (stat.S_IFREG, stat.S_IFDIR):
            os.fchown(fd, uid, gid)
            os.fchmod(fd, mode)
    finally:
        os.close(fd)


def _own_tree(folder: Path, uid: int, gid: int) -> None:
    """The group's folder to its user and group; folders set-group-id, nothing for others."""
    for root, _dirs, files in os.walk(folder):
        _own(Path(root), uid, gid, DIR_MODE)
        for name in files:
            _own(Path(root, name), uid, gid, FILE_MODE)


def _close_others(path: Path, mode_for_others: int) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    os.chmod(path, (mode & ~0o007) | mode_for_others)


def apply(session_dir: str | Path, owners: dict[str, tuple[int, int]],
          state_dir: str | Path | None = None) -> None:
    """Set the owners and modes of the session's files as the module docstring says;
    ``owners``: group id -> (uid, gid) of its system user (or, on Kubernetes, its pods)."""
    session_dir = Path(session_dir).resolve()
    _close_others(session_dir, 0o001)                       # enter, not list
    # made now so that handouts rendered during the room (every group's figures) land in
    # a folder closed to the groups, not in a new world-readable one
    (session_dir / "handouts").mkdir(exist_ok=True)
    for item in session_dir.iterdir():
        if item.name == "session.yaml":
            os.chown(item, 0, 0)
            os.chmod(item, 0o644)
        elif item.name == "groups":
            os.chown(item, 0, 0)
            os.chmod(item, 0o711)
        elif not item.is_symlink():
            _close_others(item, 0)
    for group, (uid, gid) in owners.items():
        folder = session_dir / "groups" / group
        if folder.is_dir():
            _own_tree(folder, uid, gid)
    if state_dir is not None:
        os.chmod(state_dir, 0o700)


def unreachable(*paths: str | Path) -> Path | None:
    """The first folder above any of ``paths`` that other users cannot enter (e.g. /root)."""
    for path in paths:
        for folder in Path(os.path.realpath(path)).parents:
            if not folder.stat().st_mode & stat.S_IXOTH:
                return folder
    return None


def cannot_run(name: str) -> str:
    """What stops the group's user running the kit's Python ("" when nothing): a venv under
    /root, say, is out of its reach."""
    uid, gid = ids(name)

    def become():
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)

    try:
        done = subprocess.run([sys.executable, "-c", "import kit.widgets.page, jupyterhub"],
                              preexec_fn=become, cwd="/", capture_output=True, text=True,
                              timeout=120)
    except OSError as exc:
        return str(exc)
    return "" if done.returncode == 0 else (done.stderr.strip().splitlines() or ["?"])[-1]


def prepare_home(folder: Path, name: str | None) -> None:
    """A member's home or runtime folder (outside the session), given to the group's user.

    Only the folder itself is touched: what the group put inside stays theirs, and nothing
    inside (a link, say) is ever followed by the hub.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if folder.is_symlink():
        raise UserError(*i18n.both("hub.home_link", path=folder))
    if name:
        os.chown(folder, *ids(name), follow_symlinks=False)
    os.chmod(folder, 0o700)


def end_processes(uids: set[int], wait_s: float = 10) -> int:
    """End every process of these users (a room's leftovers: the hub is not running)."""
    procs = [p for p in psutil.process_iter(["uids"]) if p.info["uids"]
             and p.info["uids"].real in uids]
    process.end(procs, wait_s)
    return len(procs)


def cleanup(session_dir: str | Path, state_dir: str | Path) -> list[str]:
    """End the group users' processes, give their folders back to root, remove the users."""
    session_dir = Path(session_dir).resolve()
    known = recorded(state_dir)
    present = {g: n for g, n in known.items() if _exists(n)}
    end_processes({ids(n)[0] for n in present.values()})
    removed = []
    for group, name in present.items():
        folder = session_dir / "groups" / group
        if folder.is_dir():
            shutil.chown(folder, 0, 0)
            for root, dirs, files in os.walk(folder):
                for item in dirs + files:
                    os.chown(Path(root, item), 0, 0, follow_symlinks=False)
        for _attempt in range(3):                # userdel refuses while a process lingers
            done = subprocess.run(["userdel", name], capture_output=True, text=True)
            if done.returncode == 0 or not _exists(name):
                break
            time.sleep(0.5)
        else:
            raise UserError(*i18n.both("hub.userdel_failed", user=name,
                                       detail=done.stderr.strip()))
        removed.append(name)
    record_path(state_dir).unlink(missing_ok=True)
    return removed
