"""Servers behave: the bind/token rule, root, SIGTERM stops the server and its kernels,
TCP kernels where ipc is missing (Windows), a CP932 console.

The SIGTERM tests start `kit lab` / `kit app` as a user would (``python -m kit …`` on a free
loopback port), start a kernel through the server, send SIGTERM to the kit process, then
check that nothing listens on the port and that the kernel process is gone.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import papermill  # noqa: F401 - before kit.render.engine, which papermill loads as a plugin
import psutil
import pytest

from kit import i18n
from kit.cli import main
from kit.render import engine, pipeline
from kit.serve import access, app, hub, lab
from kit.workspace.demo import build_demo

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "s" * 40


@pytest.fixture(scope="module")
def session(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("servers") / "session"
    build_demo(folder)
    return folder


# --- one bind/token rule for lab, app and hub ---------------------------------------------
@pytest.mark.parametrize("ip", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_gets_a_generated_token(ip):
    assert access.is_loopback(ip)
    first, second = access.checked_secret(ip, None), access.checked_secret(ip, None)
    assert len(first) >= 32 and first != second


@pytest.mark.parametrize("argv", [
    ["lab", "{s}", "--dry-run", "--ip", "0.0.0.0"],                       # no token given
    ["lab", "{s}", "--dry-run", "--ip", "192.168.1.20", "--token", "x" * 31],
    ["app", "{s}", "g01", "01_as_is", "--ip", "0.0.0.0"],
    ["app", "{s}", "g01", "01_as_is", "--token", ""],
    ["hub", "start", "{s}", "--ip", "0.0.0.0", "--password", "x" * 12],   # shared: untrusted
    ["hub", "start", "{s}", "--trusted-room", "--password", "short"],
])
def test_open_address_needs_an_explicit_secret(session, capsys, argv):
    argv = [a.replace("{s}", str(session)) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    option = "--password" if argv[0] == "hub" else "--token"
    assert err.startswith("error: ") and option in err and err.count("\n") == 1
    assert not (session / ".hub" / "state.json").exists()


def test_open_address_with_an_explicit_token_is_served(session, capsys):
    assert main(["lab", str(session), "--dry-run", "--ip", "0.0.0.0", "--token", TOKEN]) == 0
    url, command = capsys.readouterr().out.splitlines()[-2:]
    assert url == f"http://127.0.0.1:8888/lab?token={TOKEN}"
    assert "--ServerApp.ip=0.0.0.0" in command
    assert app.voila_command(session, 8866, TOKEN, ip="0.0.0.0")[5] == "--Voila.ip=0.0.0.0"


def test_root_is_allowed_where_the_user_is_root(session, monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 0, raising=False)
    assert "--ServerApp.allow_root=True" in lab.lab_argv(session)
    monkeypatch.setattr(os, "geteuid", lambda: 1000, raising=False)
    assert "--ServerApp.allow_root=True" not in lab.lab_argv(session)
    monkeypatch.delattr(os, "geteuid", raising=False)                    # Windows
    assert not lab.running_as_root()


# --- SIGTERM: no listener, no kernel left -------------------------------------------------
def _free_port() -> int:
    return hub.free_port()


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _get(url: str, timeout: float = 120, method: str = "GET", body: bytes | None = None):
    req = urllib.request.Request(url, data=body, method=method)
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.read()


def _wait_http(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read().decode(errors="replace")
        try:
            _get(url, timeout=5)
            return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"no answer from {url}")


def _kernels(pid: int) -> list[psutil.Process]:
    found = []
    for p in psutil.Process(pid).children(recursive=True):
        try:
            if "ipykernel" in " ".join(p.cmdline()):
                found.append(p)
        except psutil.Error:
            pass
    return found


def _gone(p: psutil.Process) -> bool:
    try:
        return not p.is_running() or p.status() == psutil.STATUS_ZOMBIE
    except psutil.Error:
        return True


def _kit(*argv: str, cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KIT_LANG": "en"}
    return subprocess.Popen([sys.executable, "-m", "kit", *argv], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _sigterm_and_check(proc: subprocess.Popen, port: int, kernels: list) -> str:
    assert kernels and all(not _gone(k) for k in kernels)
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=60)
    text = out.decode(errors="replace")
    assert proc.returncode == 0, text
    assert i18n.t("deploy.server_stopping", "en") in text
    assert not _listening(port)
    for k in kernels:
        deadline = time.monotonic() + 10
        while not _gone(k) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _gone(k), f"kernel {k.pid} still running"
    return text


@pytest.mark.slow
def test_sigterm_to_kit_lab_stops_server_and_kernels(session, tmp_path):
    port = _free_port()
    proc = _kit("lab", str(session), "--port", str(port), "--token", TOKEN, cwd=tmp_path)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_http(f"{base}/api/status?token={TOKEN}", proc)
        kernel = json.loads(_get(f"{base}/api/kernels?token={TOKEN}", method="POST",
                                 body=b"{}"))
        assert kernel["id"]
        deadline = time.monotonic() + 30
        while not _kernels(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.3)
        _sigterm_and_check(proc, port, _kernels(proc.pid))
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.slow
def test_sigterm_to_kit_app_stops_voila_and_kernels(session, tmp_path):
    port = _free_port()
    proc = _kit("app", str(session), "g01", "01_as_is", "--port", str(port), "--token", TOKEN,
                cwd=tmp_path)
    try:
        url = f"http://127.0.0.1:{port}/?token={TOKEN}"
        deadline = time.monotonic() + 90
        page = b""
        while time.monotonic() < deadline and not page:
            try:
                page = _get(url, timeout=120)         # renders the notebook in a kernel
            except OSError:
                assert proc.poll() is None
                time.sleep(0.5)
        assert page
        _sigterm_and_check(proc, port, _kernels(proc.pid))
    finally:
        if proc.poll() is None:
            proc.kill()


# --- Windows: TCP kernels where ipc is missing --------------------------------------------
def test_transport_is_ipc_where_the_os_has_unix_sockets(monkeypatch):
    monkeypatch.delenv(engine.TRANSPORT_ENV, raising=False)
    import zmq

    assert engine.transport() == ("ipc" if os.name != "nt" and zmq.has("ipc") else "tcp")
    monkeypatch.setenv(engine.TRANSPORT_ENV, "tcp")
    assert engine.transport() == "tcp"


@pytest.mark.slow
def test_handout_renders_over_tcp_kernels(session, tmp_path, monkeypatch):
    monkeypatch.setenv(engine.TRANSPORT_ENV, "tcp")
    engine.shutdown()                       # no warm ipc kernel from an earlier test
    try:
        out = pipeline.render_group(session, "g02", tmp_path)
        ((km, _kc),) = [k for (pid, _), k in engine._KERNELS.items() if pid == os.getpid()]
        info = json.loads(Path(km.connection_file).read_text())
        assert km.transport == "tcp" and info["transport"] == "tcp"
        assert info["ip"] == "127.0.0.1" and info["shell_port"] > 0
    finally:
        engine.shutdown()
    assert out.is_file() and "g02" in out.name and out.stat().st_size > 10_000


# --- a CP932 console -----------------------------------------------------------------------
def test_cp932_console_does_not_crash(tmp_path):
    groups = tmp_path / "groups.csv"
    groups.write_text("group_id,theme,annual_cases,members\ng01,転入届🙂,1200,a;b\n",
                      encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "cp932"}
    done = subprocess.run([sys.executable, "-m", "kit", "session", "new", "s🙂", "--groups",
                           str(groups)], cwd=tmp_path, env=env, capture_output=True)
    assert done.returncode == 0, done.stderr.decode("cp932", errors="replace")
    assert "session: " in done.stdout.decode("cp932") and (tmp_path / "s🙂").is_dir()
    # the emoji the console cannot show is printed as "?" (kit.cli.common.safe_console)
    assert f"{tmp_path / 's?'} (1 groups: g01)" in done.stdout.decode("cp932")
