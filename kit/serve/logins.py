"""Every member's own login: a short password per login, kept where only the hub reads it.

``kit hub start`` makes one password per login (8 characters from an alphabet without the
look-alikes 0/o, 1/l/i, easy to type from a slip) and writes them, with the group and the
person each login belongs to, to ``SESSION/.hub/logins.json`` (mode 0600 in a 0700 folder:
the hub's user alone reads it). A password opens its own login and no other. The facilitator
prints them with ``kit hub logins SESSION`` (``--json`` for a mail merge). Passwords are kept
from one start to the next, so slips printed the day before still work; a login new to the
roster gets a new password.

Only with ``--trusted-room`` may a room share one password (the old scheme): anyone who has
it can then log in as any member.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from kit import i18n
from kit.exceptions import InputError

FILE = "logins.json"
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"     # no 0/o, 1/l/i
LENGTH = 8


def new_password(length: int = LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def path(state_dir: str | Path) -> Path:
    return Path(state_dir) / FILE


def make(members: dict[str, str], people: dict[str, str],
         previous: list[dict] | None = None) -> list[dict]:
    """``[{"login", "group", "name", "password"}]`` in roster order; a login that had a
    password keeps it."""
    kept = {row["login"]: row["password"] for row in previous or []
            if row.get("login") and row.get("password")}
    return [{"login": login, "group": group, "name": people.get(login, ""),
             "password": kept.get(login) or new_password()}
            for login, group in members.items()]


def write(state_dir: str | Path, rows: list[dict]) -> Path:
    """Write the room's logins, readable and writable by this process's user only (0600)."""
    return write_file(path(state_dir), rows)


def write_file(file: str | Path, rows: list[dict]) -> Path:
    return write_text_private(Path(file), json.dumps(rows, ensure_ascii=False, indent=1))


def write_text_private(file: Path, text: str) -> Path:
    """Write ``text`` readable and writable by this process's user only (0600)."""
    fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)                     # an older file keeps its mode on O_TRUNC
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    return file


def read(state_dir: str | Path, *, missing_ok: bool = False) -> list[dict]:
    """The logins of a room; a clear message when there are none or they cannot be read."""
    file = path(state_dir)
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if missing_ok:
            return []
        raise InputError(*i18n.both("hub.no_logins", path=file), field="session",
                         value=str(file.parent.parent)) from None
    except PermissionError:
        raise InputError(*i18n.both("hub.logins_private", path=file), field="session",
                         value=str(file.parent.parent)) from None


def slip_lines(rows: list[dict], lang: str) -> list[str]:
    """One line per member for the slips: group, login, person, password."""
    return [i18n.t("hub.slip", lang, group=r["group"], login=r["login"],
                   name=r.get("name") or "—", password=r["password"]) for r in rows]
