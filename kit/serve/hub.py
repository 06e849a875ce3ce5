"""Serve a workshop room with JupyterHub: the roster, `kit hub start` and `kit hub stop`.

Each group of the session gets one login per member (``g01-a``, ``g01-b`` …), each member's
server opens the group's folder (``groups/<id>/`` with its ``notebooks/``), and the
facilitator (``facilitator``, admin) opens the whole session. The hub configuration is
``kit/serve/jupyterhub_config.py``, driven by environment variables; the proxy is
configurable-http-proxy installed by the set-up into ``hub/node_modules`` (nothing is
installed here). State lives in ``SESSION/.hub/`` (mode 0700: roster, database, logs,
``logins.json`` and ``state.json`` with the passwords, 0600).

Who reaches what: every login has its own password (``kit.serve.logins``); run as root, each
group's members run as the group's own system user and reach their group's folder only
(``kit.serve.sysusers``, ``kit.serve.spawner``). Without root nothing separates the groups,
so ``kit hub start`` refuses unless told ``--trusted-room``.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from kit import i18n, resources
from kit.domain.model import LOGIN_LETTERS, login_name
from kit.exceptions import InputError, KitError
from kit.io import store
from kit.render import notebooks
from kit.serve import access, logins, sysusers

CONFIG = resources.module_dir(__file__) / "jupyterhub_config.py"
# configurable-http-proxy (npm): `make setup` installs it into hub/node_modules of a checkout;
# elsewhere set KIT_HUB_PROXY or put it on PATH.
PROXY = Path(os.environ.get("KIT_HUB_PROXY") or shutil.which("configurable-http-proxy")
             or resources.folder("samples").parent / "hub" / "node_modules" / ".bin"
             / "configurable-http-proxy")
ADMIN = "facilitator"
OVERVIEW = "00_overview.ipynb"          # in the session folder: the facilitator's start page
DEFAULT_MEMBERS = 4
STOP_WAIT_S = 60                 # hub shutdown takes 30-40 s with many servers


class HubError(KitError):
    """The hub cannot start or stop (missing proxy, already running, timed out)."""


# --- roster ------------------------------------------------------------------------------
def user_names(group: str, count: int) -> list[str]:
    """``g01`` with 4 members: ``g01-a`` … ``g01-d`` (lower case, as JupyterHub stores them)."""
    if not 1 <= count <= len(LOGIN_LETTERS):
        raise InputError(*i18n.both("err.invalid", field="members", value=count,
                                    detail=f"1-{len(LOGIN_LETTERS)}"), field="members",
                         value=count)
    return [login_name(group, i) for i in range(count)]


def roster(session_dir: str | Path, members: int | None = None) -> dict[str, str]:
    """User name -> group id, for every group of the session, in session order.

    The number of logins per group is the group's member count (``members`` overrides it;
    a group with no members listed gets 4).
    """
    meta = store.load_session(session_dir)
    names: dict[str, str] = {}
    for group in meta.groups:
        count = members or len(store.load_work(session_dir, group).members) or DEFAULT_MEMBERS
        for name in user_names(group, count):
            if name in names or name == ADMIN:
                raise InputError(*i18n.both("err.invalid", field="group_id", value=group,
                                            detail=f"login {name} twice"),
                                 field="group_id", value=group)
            names[name] = group
    return names


def people(session_dir: str | Path, names: dict[str, str]) -> dict[str, str]:
    """Login -> the person it is for: a group's n-th login is its n-th listed member."""
    seen: dict[str, int] = {}
    found = {}
    works = {}
    for login, group in names.items():
        if group not in works:
            works[group] = store.load_work(session_dir, group).members
        i = seen[group] = seen.get(group, -1) + 1
        if i < len(works[group]) and works[group][i]:
            found[login] = works[group][i]
    return found


def roster_json(session_path: str | Path, names: dict[str, str], **extra) -> str:
    """The roster file the hub configuration reads (local: SESSION/.hub; Kubernetes: a
    ConfigMap), ``session_path`` being where the hub's servers see the session; ``extra``:
    ``system_users`` (group -> system user) or ``ids`` (group -> [uid, gid])."""
    return json.dumps({"session": str(session_path), "admin": ADMIN, "members": names,
                       **extra}, ensure_ascii=False, indent=1)


def roster_lines(members: dict[str, str]) -> list[str]:
    by_group: dict[str, list[str]] = {}
    for name, group in members.items():
        by_group.setdefault(group, []).append(name)
    return [f"  {group}: {', '.join(names)}" for group, names in by_group.items()]


# --- state -------------------------------------------------------------------------------
def state_dir(session_dir: str | Path) -> Path:
    return Path(session_dir).resolve() / ".hub"


def read_state(session_dir: str | Path) -> dict | None:
    file = state_dir(session_dir) / "state.json"
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:                                         # a zombie child of ours counts as gone
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return True


def free_port(ip: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((ip, 0))
        return s.getsockname()[1]


# the shared password (--trusted-room only): given explicitly, 8+ characters
PASSWORD_RULE = access.SecretRule("--password", 8, 8, lambda: logins.new_password(10))


# --- start -------------------------------------------------------------------------------
def _check_start(session_dir: Path) -> None:
    store.load_session(session_dir)
    state = read_state(session_dir)
    if state and alive(state.get("pid")):
        raise HubError(*i18n.both("hub.running", url=state["url"]))
    if not PROXY.exists():
        raise HubError(*i18n.both("hub.no_proxy", path=PROXY))


def _environment(state: dict, folder: Path) -> dict:
    env = {**os.environ, "KIT_HUB_STATE": str(folder), "KIT_HUB_IP": state["ip"],
           "KIT_HUB_PORT": str(state["port"]), "KIT_HUB_HUB_PORT": str(free_port()),
           "KIT_HUB_PROXY_API_PORT": str(free_port()), "KIT_HUB_PROXY": str(PROXY),
           "KIT_HUB_PASSWORD": state["password"], "KIT_HUB_LOGINS": str(folder / logins.FILE),
           "KIT_HUB_ADMIN_PASSWORD": state["admin_password"],
           "KIT_HUB_API_TOKEN": state["api_token"], "KIT_HUB_IDLE_MIN": str(state["idle_min"]),
           "KIT_HUB_RUNTIME": state["runtime"]}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def _check_trust(ip: str, password: str | None, trusted_room: bool) -> str:
    """The shared password ("" for own passwords); refusals for an unsafe room."""
    if not sysusers.is_root() and not trusted_room:
        raise HubError(*i18n.both("hub.not_root"))
    if password is None:
        return ""
    if not trusted_room:
        raise InputError(*i18n.both("hub.shared_needs_trust"), field="--password", value="***")
    return access.checked_secret(ip, password, PASSWORD_RULE)     # the rule of lab and app


def _isolate(session_dir: Path, folder: Path, groups: list[str]) -> dict[str, str]:
    """As root: one system user per group, the files as each group may reach them."""
    if not sysusers.is_root():
        return {}
    blocked = sysusers.unreachable(session_dir, sys.executable, resources.module_dir(__file__))
    if blocked:
        raise HubError(*i18n.both("hub.unreachable", path=blocked))
    users = sysusers.ensure(session_dir, folder, groups)
    owners = {g: sysusers.ids(n) for g, n in users.items()}
    sysusers.end_processes({uid for uid, _ in owners.values()})   # left over: no hub runs
    sysusers.apply(session_dir, owners, folder)
    if users and (problem := sysusers.cannot_run(next(iter(users.values())))):
        raise HubError(*i18n.both("hub.cannot_run", python=sys.executable, detail=problem))
    return users


def start(session_dir: str | Path, *, ip: str = "127.0.0.1", port: int = 8000,
          password: str | None = None, members: int | None = None, idle_min: int = 120,
          timeout: float = 90, trusted_room: bool = False) -> dict:
    """Start the proxy and the hub in the background; return the state (URL, passwords).

    Every login gets its own password (``logins.json``); ``password`` — one for the whole
    room — only with ``trusted_room``, which also lets a non-root user start a room.
    """
    session_dir = Path(session_dir).resolve()
    shared = _check_trust(ip, password, trusted_room)
    _check_start(session_dir)
    meta = store.load_session(session_dir)
    names = roster(session_dir, members)
    notebooks.prepare_room(session_dir, meta.groups, meta.lang, OVERVIEW)
    folder = state_dir(session_dir)
    folder.mkdir(mode=0o700, exist_ok=True)
    os.chmod(folder, 0o700)
    system = _isolate(session_dir, folder, meta.groups)
    rows = logins.make(names, people(session_dir, names), logins.read(folder, missing_ok=True))
    logins.write(folder, rows)
    (folder / "roster.json").write_text(roster_json(session_dir, names, system_users=system),
                                        encoding="utf-8")
    runtime = tempfile.mkdtemp(prefix="kit-hub-", dir="/tmp")   # homes and kernel sockets
    os.chmod(runtime, 0o711)
    state = {"ip": ip, "port": int(port), "password": shared, "trusted_room": trusted_room,
             "admin_password": secrets.token_urlsafe(32), "api_token": secrets.token_hex(32),
             "idle_min": max(15, int(idle_min)), "runtime": runtime,
             "url": f"http://{access.browser_host(ip)}:{port}",
             "members": names, "system_users": system, "admin": ADMIN,
             "log": str(folder / "hub.log"),
             "started_at": _dt.datetime.now().astimezone().isoformat(timespec="seconds")}
    log = open(folder / "hub.log", "ab")  # noqa: SIM115 - handed to the child process
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=folder,
        env=_environment(state, folder), stdin=subprocess.DEVNULL, stdout=log, stderr=log,
        start_new_session=True)
    log.close()
    state["pid"] = proc.pid
    logins.write_text_private(folder / "state.json", json.dumps(state, ensure_ascii=False, indent=1))
    try:
        _wait_ready(state, proc, timeout)
    except HubError:
        stop(session_dir)
        raise
    state["proxy_pid"] = _read_pid(folder / "proxy.pid")
    logins.write_text_private(folder / "state.json", json.dumps(state, ensure_ascii=False, indent=1))
    return state


def _wait_ready(state: dict, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    url = f"{state['url']}/hub/health"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise HubError(*i18n.both("hub.failed", log=state["log"]))
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise HubError(*i18n.both("hub.failed", log=state["log"]))


def _read_pid(file: Path) -> int | None:
    try:
        return int(file.read_text().strip())
    except (OSError, ValueError):
        return None


# --- the hub's REST API (pre-start servers, measurements) -------------------------------
def api(state: dict, method: str, path: str, body: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"{state['url']}/hub/api{path}", data=data, method=method,
                                 headers={"Authorization": f"token {state['api_token']}"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        text = resp.read()
    return json.loads(text) if text else None


def prestart(state: dict, users: list[str] | None = None, timeout: float = 300) -> dict:
    """Start members' servers before the session; return seconds until each was ready."""
    from concurrent.futures import ThreadPoolExecutor

    users = list(state["members"]) if users is None else users
    t0 = time.monotonic()

    def _spawn(name: str) -> None:
        try:                       # the hub answers when the server is up, or 202 after 10 s
            api(state, "POST", f"/users/{name}/server")
        except urllib.error.HTTPError as exc:
            if exc.code != 400:                  # 400: already running
                raise

    with ThreadPoolExecutor(max_workers=min(64, max(1, len(users)))) as pool:
        list(pool.map(_spawn, users))
    ready: dict[str, float] = {}
    while len(ready) < len(users) and time.monotonic() - t0 < timeout:
        for user in api(state, "GET", "/users"):
            server = user.get("servers", {}).get("")
            if user["name"] in users and user["name"] not in ready and server \
                    and server.get("ready"):
                ready[user["name"]] = time.monotonic() - t0
        time.sleep(0.5)
    return ready


# --- stop --------------------------------------------------------------------------------
def _server_pids(folder: Path) -> list[int]:
    """Members' server pids as the hub recorded them (only for a hub that did not stop)."""
    db = folder / "jupyterhub.sqlite"
    if not db.is_file():
        return []
    try:
        with sqlite3.connect(db) as con:
            rows = con.execute("SELECT state FROM spawners").fetchall()
    except sqlite3.Error:
        return []
    pids = []
    for (raw,) in rows:
        try:
            pid = json.loads(raw or "{}").get("pid")
        except (TypeError, ValueError):
            continue
        if pid:
            pids.append(int(pid))
    return pids


def _terminate(pid: int, wait_s: float) -> None:
    if not alive(pid):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + wait_s
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if alive(pid):
        os.kill(pid, signal.SIGKILL)


def stop(session_dir: str | Path, wait_s: float = STOP_WAIT_S) -> bool:
    """Stop the hub (it stops the members' servers and the proxy); then anything left over.

    Returns False when no hub of this session was running.
    """
    folder = state_dir(session_dir)
    state = read_state(session_dir)
    if not state:
        return False
    was_running = alive(state.get("pid"))
    if was_running:
        _terminate(state["pid"], wait_s)
    leftovers = _server_pids(folder)          # empty when the hub stopped its servers itself
    for pid in [_read_pid(folder / "proxy.pid"), state.get("proxy_pid"), *leftovers]:
        if pid:
            _terminate(pid, 10)
    if str(state.get("runtime", "")).startswith("/tmp/kit-hub-"):
        shutil.rmtree(state["runtime"], ignore_errors=True)       # the kernels' socket folder
    (folder / "state.json").unlink(missing_ok=True)
    return was_running


def cleanup(session_dir: str | Path) -> list[str]:
    """Stop the room if it runs, then remove the group users this session made."""
    stop(session_dir)
    if not sysusers.is_root():
        raise HubError(*i18n.both("hub.cleanup_needs_root"))
    return sysusers.cleanup(session_dir, state_dir(session_dir))
