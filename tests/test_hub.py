"""A workshop room on JupyterHub (`kit hub start`), driven from two real browsers.

Two members of group g01 log in, each with their own password, in two browser contexts; each lands
on the group page (Voilà) in its own kernel and edits a different step: both edits are
on disk and each member's page picks up the other's save. Then both edit the same step at the
same moment: one save wins, the other member sees both values and chooses (never silently
lost). A wrong password, a name outside the roster and another member's password are refused.
The room runs as root, as a city's IT section runs it (tests/rooms.py; isolation between
groups: tests/test_room_isolation.py).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import rooms  # a room as root in reachable folders (tests/rooms.py)

from kit import i18n
from kit.domain.model import STAFF_ACTORS
from kit.io import store
from kit.render import notebooks
from kit.serve import hub, logins, sysusers
from kit.widgets.as_is import AsIsEditor
from kit.workspace.demo import build_demo

PASSWORD = "kumamon-2026"


# --- roster and collaboration logic, no browser ---------------------------------------
@pytest.fixture(scope="module")
def session(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hub")
    build_demo(root / "session")
    return root / "session"


def test_roster_has_one_login_per_member(session):
    names = hub.roster(session)
    counts = {g: len(store.load_work(session, g).members) for g in store.load_session(
        session).groups}
    assert counts == {"g01": 4, "g02": 5, "g03": 3, "g04": 4}     # the demo's groups.csv
    assert [n for n, g in names.items() if g == "g01"] == ["g01-a", "g01-b", "g01-c", "g01-d"]
    assert len(names) == 16 and hub.ADMIN not in names
    assert len(hub.roster(session, members=2)) == 8
    with pytest.raises(hub.InputError):
        hub.user_names("g01", 0)


def test_start_refuses_shared_or_short_password_and_missing_session(session, tmp_path):
    with pytest.raises(hub.InputError, match="--trusted-room"):
        hub.start(session, password=PASSWORD)           # one password for all: only if trusted
    with pytest.raises(hub.InputError):
        hub.start(session, password="short", trusted_room=True)
    with pytest.raises(store.StoreError):
        hub.start(tmp_path, trusted_room=True)


def test_without_root_a_room_needs_trusted_room(session, tmp_path, monkeypatch):
    monkeypatch.setattr(sysusers, "is_root", lambda: False)
    with pytest.raises(hub.HubError) as refused:
        hub.start(session)
    assert "root" in str(refused.value) and "--trusted-room" in str(refused.value)
    assert not (session / ".hub" / "state.json").exists()
    with pytest.raises(store.StoreError):                # trusted: goes on (here: no session)
        hub.start(tmp_path, trusted_room=True)


def test_system_user_names_fit_useradd(tmp_path):
    a = sysusers.user_name(tmp_path / "2026年度_市民課BPR", "g01")
    b = sysusers.user_name(tmp_path / "other" / "2026年度_市民課BPR", "g01")
    long = sysusers.user_name(tmp_path / "demo", "Group_with_a-very-long-identifier-0123456789")
    assert a != b and a.startswith("bpr-2026bpr-") and a.endswith("-g01")
    assert all(len(n) <= 32 and n.isascii() and n == n.lower() for n in (a, b, long))
    assert long != sysusers.user_name(tmp_path / "demo", "Group_with_a-very-long-identifier-X")


def test_cli_hub_stop_when_not_running_and_bad_password(session, capsys):
    from kit.cli import main
    from kit.cli.common import cli_lang as _lang

    assert main(["hub", "stop", str(session)]) == 0
    assert capsys.readouterr().out.strip() == i18n.t("hub.not_running", _lang(),
                                                      session=str(session))
    assert main(["hub", "start", str(session), "--password", "abc"]) == 2
    assert "--password" in capsys.readouterr().err
    assert not (session / ".hub" / "state.json").exists()


def test_facilitator_overview_notebook_runs(session, tmp_path):
    import nbformat

    nb = nbformat.read(notebooks.write_overview_notebook(tmp_path / "o.ipynb", session, "en"), 4)
    namespace: dict = {}
    exec(nb.cells[1].source.rsplit("\n", 1)[0], namespace)            # noqa: S102
    panel = namespace["OverviewPanel"](namespace["session_dir"], "en")
    assert all(g in panel.table.value for g in ("g01", "g02", "g03", "g04"))


def test_editor_picks_up_another_members_save(session):
    a = AsIsEditor(session, "g03", "ja", debounce_s=None)
    b = AsIsEditor(session, "g03", "ja", debounce_s=60)
    assert not b.poll_workspace()                       # nothing new on disk
    m0 = float(a.rows[0].minutes.value)
    a.rows[0].minutes.value = f"{m0 + 5:g}"
    assert b.poll_workspace()                           # followed in place: shows a's save
    assert float(b.rows[0].minutes.value) == m0 + 5
    assert b.saved.revision == a.saved.revision
    m1 = float(b.rows[1].minutes.value)
    b.rows[1].minutes.value = f"{m1 + 1:g}"             # b's edit waits (debounce)
    a.rows[0].minutes.value = f"{m0 + 6:g}"             # a saves again meanwhile
    assert b.poll_workspace()                           # a's save shown, b's edit kept
    assert float(b.rows[0].minutes.value) == m0 + 6 and float(b.rows[1].minutes.value) == m1 + 1
    b.flush()                                           # b's save merges with a's
    saved = store.load_work(session, "g03")
    assert not b.conflict and saved.revision == a.saved.revision + 1
    assert (saved.steps[0].minutes, saved.steps[1].minutes) == (m0 + 6, m1 + 1)


def test_an_edit_typed_before_anothers_value_arrived_is_a_clash(session):
    """b types into a field while a's save of that field is on its way: b's kernel shows a's
    value first, then receives b's typing. That is two members changing one field: b is
    asked to choose (both values shown), a's value is not silently overwritten."""
    a = AsIsEditor(session, "g02", "ja", debounce_s=None)
    b = AsIsEditor(session, "g02", "ja", debounce_s=60)
    m0 = float(a.rows[0].minutes.value)
    a.rows[0].minutes.value = f"{m0 + 4:g}"              # a saves
    assert b.poll_workspace()                            # b's screen is set to a's value ...
    b.rows[0].minutes.value = f"{m0 + 9:g}"              # ... then b's typing arrives
    b.flush()
    saved = store.load_work(session, "g02")
    assert saved.steps[0].minutes == m0 + 4 and b.conflict          # nothing overwritten
    text = " ".join(w.value for w in b.clash_box.children if hasattr(w, "value")) + " ".join(
        c.value for row in b.clash_box.children if hasattr(row, "children")
        for c in row.children if hasattr(c, "value") and isinstance(c.value, str))
    assert f"{m0 + 9:g}" in text and f"{m0 + 4:g}" in text          # both values shown
    mine = next(c for row in b.clash_box.children if hasattr(row, "children")
                for c in row.children if getattr(c, "description", "") == "自分の値を残す")
    mine.click()
    b.flush()
    assert store.load_work(session, "g02").steps[0].minutes == m0 + 9     # b kept its own


# --- the real hub in a real browser ----------------------------------------------------
def _room_env(root: Path) -> dict:
    saved = {k: os.environ.get(k) for k in ("HOME", "KIT_WATCH_S")}
    os.environ["HOME"] = str(root / "home")
    os.environ["KIT_WATCH_S"] = "1.5"
    return saved


@pytest.fixture(scope="module")
def room():
    with rooms.reachable() as root:
        build_demo(root / "session")
        saved = _room_env(root)
        t0 = time.monotonic()
        state = hub.start(root / "session", port=hub.free_port())
        try:
            state["start_s"] = time.monotonic() - t0
            state["ready"] = hub.prestart(state, ["g01-a", "g01-b"], timeout=150)
            state["passwords"] = {r["login"]: r["password"]
                                  for r in logins.read(hub.state_dir(root / "session"))}
            yield root / "session", state
        finally:
            pids = [state["pid"], state.get("proxy_pid")] + [
                u["servers"][""]["state"]["pid"] for u in hub.api(state, "GET", "/users")
                if u.get("servers", {}).get("")]
            assert hub.stop(root / "session")
            hub.cleanup(root / "session")
            for k, v in saved.items():
                os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
            assert not [p for p in pids if p and hub.alive(p)]      # everything it started


def _login(browser, url: str, user: str, password: str):
    page = browser.new_context().new_page()
    page.goto(f"{url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", password)
    page.click("#login_submit")
    page.wait_for_load_state()
    return page


def _open_notebook(page, url: str, user: str) -> None:
    """A member lands on the group page (Voilà): no JupyterLab, nothing to run."""
    page.goto(f"{url}/user/{user}/", timeout=120_000)
    page.get_by_label("年間件数", exact=True).wait_for(timeout=120_000)
    assert "/voila/render/notebooks/group_page.ipynb" in page.url
    assert page.locator(".jp-NotebookPanel").count() == 0          # no JupyterLab, no code


def _minutes_box(page, row: int):
    return page.get_by_label(f"手順{row + 1} 所要時間(分)", exact=True)


def _type(page, row: int, value: float) -> None:
    box = _minutes_box(page, row)
    box.fill(f"{value:g}")
    box.press("Tab")


def _wait(predicate, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def _shows(page, row: int, value: float, timeout: float = 30) -> None:
    _wait(lambda: float(_minutes_box(page, row).input_value()) == value, timeout)


@pytest.mark.browser
@pytest.mark.slow
def test_wrong_password_and_unknown_user_are_refused(room, browser):
    session, state = room
    own = state["passwords"]["g01-a"]
    for user, password in (("g01-a", "wrong-password"), ("zz99-a", own), ("g02-a", own),
                           (hub.ADMIN, own)):      # the admin needs the admin password
        page = _login(browser, state["url"], user, password)
        assert "/hub/login" in page.url
        assert page.locator(".login_error").is_visible()
        page.context.close()
    page = _login(browser, state["url"], hub.ADMIN, state["admin_password"])
    assert "/hub/login" not in page.url
    assert (session / hub.OVERVIEW).is_file()
    page.context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_two_members_edit_one_group(room, browser):
    session, state = room
    url = state["url"]
    assert set(state["ready"]) == {"g01-a", "g01-b"}
    pages = {}
    for user in ("g01-a", "g01-b"):
        pages[user] = _login(browser, url, user, state["passwords"][user])
        assert "/hub/login" not in pages[user].url
        _open_notebook(pages[user], url, user)
    a, b = pages["g01-a"], pages["g01-b"]
    work = store.load_work(session, "g01")
    staff = [i for i, s in enumerate(work.steps) if s.actor in STAFF_ACTORS]
    i, j, k = staff[:3]
    # a edits step i, b edits step j: both on disk, both pages show both
    new_i, new_j = work.steps[i].minutes + 7, work.steps[j].minutes + 3
    _type(a, i, new_i)
    _wait(lambda: store.load_work(session, "g01").steps[i].minutes == new_i)
    _shows(b, i, new_i)                               # b's page reloaded by itself
    _type(b, j, new_j)
    _wait(lambda: store.load_work(session, "g01").steps[j].minutes == new_j)
    _shows(a, j, new_j)
    both = store.load_work(session, "g01")
    assert (both.steps[i].minutes, both.steps[j].minutes) == (new_i, new_j)
    assert both.revision == work.revision + 2
    # the same step at the same moment: one save wins, the other is asked to choose
    va, vb = work.steps[k].minutes + 11, work.steps[k].minutes + 22
    _type(a, k, va)
    _type(b, k, vb)
    _wait(lambda: store.load_work(session, "g01").revision == both.revision + 1)
    time.sleep(3)
    final = store.load_work(session, "g01")
    assert final.revision == both.revision + 1         # exactly one save, no overwrite
    winner, loser, lost = (a, b, vb) if final.steps[k].minutes == va else (b, a, va)
    assert final.steps[k].minutes in (va, vb)
    mine = loser.get_by_role("button", name=i18n.t("ui.clash_mine", "ja"))
    mine.wait_for(timeout=15_000)
    assert float(_minutes_box(loser, k).input_value()) == lost    # still on screen
    mine.click()
    _wait(lambda: store.load_work(session, "g01").steps[k].minutes == lost)
    final = store.load_work(session, "g01")
    assert (final.steps[i].minutes, final.steps[j].minutes) == (new_i, new_j)
    for page in (winner, loser):
        page.context.close()


def test_login_slips_one_card_per_member_escaped(tmp_path, capsys):
    """The facilitator prints and cuts the slips: each card names the person, the login and
    that login's own password; a name typed with markup stays text; the file is 0600."""
    import re
    from html import unescape

    from kit.cli import main

    folder = tmp_path / "session"
    build_demo(folder)
    work = store.load_work(folder, "g01")
    store.save_work(folder, work.model_copy(update={
        "members": ["<script>alert(1)</script>山田", *work.members[1:]]}))
    names = hub.roster(folder)
    state = hub.state_dir(folder)
    state.mkdir()
    logins.write(state, logins.make(names, hub.people(folder, names)))
    rows = logins.read(state)
    out = tmp_path / "slips.html"
    assert main(["hub", "logins", str(folder), "--slips", str(out)]) == 0
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    page = out.read_text(encoding="utf-8")
    cards = re.findall(r'<section class="slip">(.*?)</section>', page)
    assert len(cards) == 16 == len(rows)
    g02c = next(c for c in cards if ">g02-c<" in c)
    row = next(r for r in rows if r["login"] == "g02-c")
    assert f">{row['password']}<" in g02c and row["name"] and row["name"] in unescape(g02c)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;山田" in cards[0]
    assert "src=" not in page and "http" not in page          # offline; no room running
    assert "16" in capsys.readouterr().out


def test_logins_and_cleanup_say_plainly_what_is_missing(tmp_path, capsys, monkeypatch):
    from kit.cli import main

    folder = tmp_path / "session"
    build_demo(folder)
    assert main(["hub", "logins", str(folder)]) == 2               # never started
    err = capsys.readouterr().err
    assert "kit hub start" in err and str(hub.state_dir(folder) / "logins.json") in err
    assert main(["hub", "cleanup", str(folder)]) == 0               # as root: nothing made
    assert capsys.readouterr().out.strip() == i18n.t(
        "hub.nothing_to_clean", "ja", session=str(folder))
    monkeypatch.setattr(sysusers, "is_root", lambda: False)
    assert main(["hub", "cleanup", str(folder)]) != 0
    assert "root" in capsys.readouterr().err
