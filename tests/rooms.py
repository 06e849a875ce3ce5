"""A room as a city's IT section runs it: as root, in folders other users can pass through.

Members' servers run as their group's system user, so the session, the kit and its Python
must be reachable by other users. pytest's own temporary folders are closed (0700), and on a
machine whose Python lives under /root so is the interpreter: :func:`reachable` makes a
0755 folder for the session and lets other users pass through (o+x, never read) the folders
above the kit and its Python that are closed, restoring their modes afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import sys
import tempfile
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import kit

TOKENS = "/hub/api/users/{name}/tokens"


@contextlib.contextmanager
def reachable():
    base = Path(tempfile.mkdtemp(prefix="kit-room-test-", dir="/tmp"))
    os.chmod(base, 0o755)
    opened = {}
    for path in (os.path.realpath(sys.executable), Path(kit.__file__).resolve()):
        for folder in Path(path).parents:
            mode = folder.stat().st_mode
            if not mode & stat.S_IXOTH and folder not in opened:
                opened[folder] = stat.S_IMODE(mode)
                os.chmod(folder, stat.S_IMODE(mode) | stat.S_IXOTH)
    try:
        yield base
    finally:
        for folder, mode in opened.items():
            os.chmod(folder, mode)
        shutil.rmtree(base, ignore_errors=True)


def request(url: str, method: str = "GET", body: dict | None = None,
            token: str | None = None) -> tuple[int, dict | str]:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Authorization": f"token {token}"} if token else {}
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            text = resp.read().decode()
            status = resp.status
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")
    try:
        return status, json.loads(text) if text else {}
    except ValueError:
        return status, text


def token_for(state: dict, login: str, password: str, as_name: str | None = None):
    """Ask the hub for a token of ``as_name`` (default ``login``) with a password, as a
    member would through the hub's API; (status, token or the refusal)."""
    name = as_name or login
    status, body = request(state["url"] + TOKENS.format(name=name), "POST",
                           {"auth": {"username": login, "password": password}})
    return status, body["token"] if status == 201 else body


def run_code(url: str, user: str, token: str, code: str, timeout: float = 60) -> dict:
    """Start a kernel on ``user``'s server and run ``code`` there: {"ok", "stdout", "error"}."""
    import websocket

    status, kernel = request(f"{url}/user/{user}/api/kernels", "POST", {}, token)
    assert status == 201, (status, kernel)
    ws_url = url.replace("http", "ws", 1) + f"/user/{user}/api/kernels/{kernel['id']}/channels"
    ws = websocket.create_connection(ws_url, header=[f"Authorization: token {token}"],
                                     timeout=timeout)
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({
        "header": {"msg_id": msg_id, "username": user, "session": uuid.uuid4().hex,
                   "msg_type": "execute_request", "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": False,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
    out, error = [], ""
    try:
        while True:
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "error":
                error = f"{msg['content']['ename']}: {msg['content']['evalue']}"
            elif kind == "execute_reply":
                break
    finally:
        ws.close()
        request(f"{url}/user/{user}/api/kernels/{kernel['id']}", "DELETE", None, token)
    return {"ok": not error, "stdout": "".join(out), "error": error}
