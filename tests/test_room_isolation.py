"""In the room each member reaches only their own group (a room started as root, as a city's
IT section would run it on a VM).

Member g01-a, with g01-a's own password, tries what a curious member could: log in as g02-a,
open a terminal, and in a kernel of their own server read g02's work.json, read the hub's
files (cookie secret, database, logins) and write into g02's folder. All refused by the
operating system, not by the page: each group's server runs as the group's own system user.
The same member still edits their group's work — also after a root `kit` command wrote into
the group's folder — and the facilitator still reads every group. Needs root: it fails (never
skips) where it cannot run as root.
"""

from __future__ import annotations

import os
import pwd
import time

import pytest
import rooms  # a room as root in reachable folders (tests/rooms.py)

from kit.io import store
from kit.serve import hub, logins, sysusers
from kit.workspace.demo import build_demo

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def room():
    assert os.geteuid() == 0, "the room's isolation is tested as root (kit hub start as root)"
    with rooms.reachable() as base:
        session = base / "session"
        build_demo(session)
        t0 = time.monotonic()
        state = hub.start(session, port=hub.free_port())
        state["start_s"] = time.monotonic() - t0
        try:
            ready = hub.prestart(state, ["g01-a", hub.ADMIN], timeout=150)
            assert set(ready) == {"g01-a", hub.ADMIN}, ready
            yield session, state, {r["login"]: r["password"]
                                   for r in logins.read(hub.state_dir(session))}
        finally:
            users = list(sysusers.recorded(hub.state_dir(session)).values())
            removed = hub.cleanup(session)
            assert sorted(removed) == sorted(users) and len(users) == 4
            for name in users:
                with pytest.raises(KeyError):
                    pwd.getpwnam(name)


def _member(room):
    session, state, passwords = room
    status, token = rooms.token_for(state, "g01-a", passwords["g01-a"])
    assert status == 201, token
    return session, state, token


def test_a_password_opens_its_own_login_only(room):
    session, state, passwords = room
    assert len(passwords) == 16 and len(set(passwords.values())) == 16
    assert all(len(p) == 8 and p.isalnum() for p in passwords.values())
    assert rooms.token_for(state, "g01-a", passwords["g01-a"])[0] == 201
    own = passwords["g01-a"]
    assert rooms.token_for(state, "g02-a", own)[0] == 403          # another member's login
    assert rooms.token_for(state, hub.ADMIN, own)[0] == 403         # the facilitator's
    assert rooms.token_for(state, "g01-a", passwords["g02-a"])[0] == 403
    assert rooms.token_for(state, "g01-a", own, as_name="g02-a")[0] == 403
    # the file behind the passwords: the hub's (root) alone
    file = logins.path(hub.state_dir(session))
    assert oct(file.stat().st_mode & 0o777) == "0o600" and file.stat().st_uid == 0
    assert oct(hub.state_dir(session).stat().st_mode & 0o777) == "0o700"


def test_a_member_gets_no_terminal_and_no_jupyterlab(room):
    _, state, token = _member(room)
    base = f"{state['url']}/user/g01-a"
    status, _ = rooms.request(f"{base}/api/terminals", "POST", {}, token)
    assert status in (403, 404), status
    status, _ = rooms.request(f"{base}/lab", "GET", None, token)
    assert status == 404, status


def test_a_members_code_reaches_only_their_group(room):
    session, state, token = _member(room)
    groups = session / "groups"
    hub_dir = hub.state_dir(session)

    def run(code: str) -> dict:
        return rooms.run_code(state["url"], "g01-a", token, code)

    handout = session / "handouts" / "g02.html"       # as `kit render` (root) writes it
    handout.write_text("<p>g02</p>", encoding="utf-8")
    who = run("import os, pwd; print(pwd.getpwuid(os.getuid()).pw_name)")
    assert who["stdout"].strip() == sysusers.recorded(hub_dir)["g01"], who
    refused = {
        "another group's handout": f"open({str(handout)!r}).read()",
        "another group's work": f"open({str(groups / 'g02' / 'work.json')!r}).read()",
        "the hub's cookie secret": f"open({str(hub_dir / 'cookie_secret')!r}).read()",
        "the hub's database": f"open({str(hub_dir / 'jupyterhub.sqlite')!r}, 'rb').read()",
        "the passwords": f"open({str(hub_dir / 'logins.json')!r}).read()",
        "writing into another group": f"open({str(groups / 'g02' / 'x.txt')!r}, 'w')",
        "listing the other groups": f"import os; os.listdir({str(groups)!r})",
        "changing the session": f"open({str(session / 'session.yaml')!r}, 'a')",
    }
    for what, code in refused.items():
        result = run(code)
        assert not result["ok"] and "PermissionError" in result["error"], (what, result)
    assert not (groups / "g02" / "x.txt").exists()
    readable = run(f"print(len(open({str(session / 'session.yaml')!r}).read()) > 0)")
    assert readable["stdout"].strip() == "True", readable


SAVE = """
from kit.io import store
work = store.load_work({session!r}, "g01")
work = work.model_copy(update={{"theme": {theme!r}}})
print(store.save_work({session!r}, work).revision)
"""


def test_the_member_still_edits_their_group_also_after_a_root_write(room):
    session, state, token = _member(room)
    before = store.load_work(session, "g01").revision
    first = rooms.run_code(state["url"], "g01-a", token,
                           SAVE.format(session=str(session), theme="転入届の見直し（g01-a）"))
    assert first["ok"], first
    assert int(first["stdout"]) == before + 1
    # a root kit command writes into the group's folder (as `kit session set` does) ...
    work = store.load_work(session, "g01")
    store.save_work(session, work.model_copy(update={"theme": "ファシリテーターが変更"}))
    newest = max((session / "groups" / "g01" / "history").glob("work.*.json"))
    assert newest.stat().st_gid == os.stat(session / "groups" / "g01").st_gid
    # ... and the group is not locked out of its own saves
    again = rooms.run_code(state["url"], "g01-a", token,
                           SAVE.format(session=str(session), theme="転入届の見直し（再）"))
    assert again["ok"], again
    assert store.load_work(session, "g01").theme == "転入届の見直し（再）"
    assert store.load_work(session, "g01").revision == before + 3


def test_the_facilitator_reads_every_group(room):
    session, state, _ = room
    status, token = rooms.token_for(state, hub.ADMIN, state["admin_password"])
    assert status == 201, token
    code = ("import json\n" + "".join(
        f"print(json.load(open({str(session / 'groups' / g / 'work.json')!r}))['group_id'])\n"
        for g in ("g01", "g02", "g03", "g04")))
    result = rooms.run_code(state["url"], hub.ADMIN, token, code)
    assert result["ok"] and result["stdout"].split() == ["g01", "g02", "g03", "g04"], result


def test_giving_a_folder_to_its_group_never_follows_a_link(tmp_path):
    """A member may leave a link in their folder pointing anywhere (here a root-only file);
    at the next start root gives the folder's files to the group — the link's target stays
    root's, untouched."""
    assert os.geteuid() == 0, "chown needs root"
    session = tmp_path / "session"
    build_demo(session)
    target = tmp_path / "root-only.txt"
    target.write_text("secret", encoding="utf-8")
    os.chmod(target, 0o600)
    folder = session / "groups" / "g01"
    (folder / "innocent.txt").symlink_to(target)
    (folder / "sub").symlink_to(tmp_path, target_is_directory=True)
    sysusers.apply(session, {"g01": (54321, 54321)})
    st = target.stat()
    assert (st.st_uid, st.st_gid, oct(st.st_mode & 0o777)) == (0, 0, "0o600")
    assert os.stat(tmp_path).st_uid == 0
    assert (folder / "work.json").stat().st_uid == 54321
    assert oct((folder / "work.json").stat().st_mode & 0o777) == "0o660"
    assert oct(folder.stat().st_mode & 0o7777) == "0o2770"
    assert os.lstat(folder / "innocent.txt").st_uid == 54321       # the link itself only
