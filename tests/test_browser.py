"""Real-browser wiring tests: JupyterLab and the Voilà view (`kit app`) in Debian chromium.

A participant opens the group's 01_as_is notebook, runs it, types new minutes into one step
and presses Enter: the hours shown change and the group's work.json on disk changes.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from kit import i18n
from kit.domain.model import STAFF_ACTORS
from kit.domain.money import impact
from kit.io import store
from kit.render import notebooks
from kit.serve import app
from kit.workspace.demo import build_demo

pytestmark = [pytest.mark.browser, pytest.mark.slow]
NEWS_OFF = {"fetchNews": "false", "checkForUpdates": False}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(url)


def _wait_port(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(port)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("browser")
    build_demo(root / "session")
    return root


@pytest.fixture(scope="module")
def env(root) -> dict:
    home = root / "home"
    settings = home / "lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps(NEWS_OFF))
    env = {**os.environ, "HOME": str(home)}
    for var, sub in (("JUPYTER_CONFIG_DIR", "cfg"), ("JUPYTER_DATA_DIR", "data"),
                     ("JUPYTER_RUNTIME_DIR", "rt"), ("IPYTHONDIR", "ipy"),
                     ("MPLCONFIGDIR", "mpl")):
        env[var] = str(home / sub)
    return env


def _staff_row(session: Path, group: str) -> int:
    work = store.load_work(session, group)
    return next(i for i, s in enumerate(work.steps) if s.actor in STAFF_ACTORS)


def _edit_and_check(page, session: Path, group: str) -> None:
    """Change one staff step's minutes through the page; the hours shown and the disk change."""
    i = _staff_row(session, group)
    before = store.load_work(session, group)
    hours = page.locator(".kit-fig-hours_asis")
    hours.wait_for(timeout=60_000)
    shown = hours.inner_text()
    new_minutes = before.steps[i].minutes + 7
    box = page.get_by_label(f"手順{i + 1} 所要時間(分)", exact=True)
    try:
        box.wait_for(state="attached", timeout=90_000)  # the row's widgets, after the figures
    except Exception:
        page.screenshot(path=str(Path(tempfile.gettempdir()) / "kit-browser-test-failed.png"))
        raise
    box.fill(f"{new_minutes:g}")
    box.press("Enter")
    expected = before.model_copy(update={"steps": [
        s.model_copy(update={"minutes": new_minutes}) if k == i else s
        for k, s in enumerate(before.steps)]})
    figures = impact.compute(expected, store.load_session(session).assumptions)
    text = i18n.fmt_hours(figures.hours_asis, "ja")
    page.wait_for_function("([sel, t]) => document.querySelector(sel).innerText.includes(t)",
                           arg=[".kit-fig-hours_asis", text], timeout=20_000)
    assert hours.inner_text() != shown
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        saved = store.load_work(session, group)
        if saved.steps[i].minutes == new_minutes:
            break
        time.sleep(0.2)
    assert saved.steps[i].minutes == new_minutes
    assert saved.revision == before.revision + 1


def test_jupyterlab_as_is_edit_saves(root, env, browser):
    session = root / "session"
    notebooks.prepare_notebook(session, "g01", "01_as_is", out_dir=root)
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
           f"--port={port}", f"--ServerApp.token={token}", "--allow-root",
           f"--ServerApp.root_dir={root}", f"--LabApp.workspaces_dir={root / 'ws'}",
           f"--LabApp.user_settings_dir={Path(env['HOME']) / 'lab-settings'}"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_http(f"{base}/api/status?token={token}", proc)
        page = browser.new_page()
        page.goto(f"{base}/lab/workspaces/t{port}/tree/01_as_is.ipynb?reset&token={token}")
        page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=60_000)
        page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=60_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
        _edit_and_check(page, session, "g01")
        assert page.locator(".jp-InputArea-editor:visible").count() == 0   # code hidden
        page.close()
    finally:
        _stop(proc)


def test_voila_as_is_edit_saves(root, env, browser):
    session = root / "session"
    nb = notebooks.prepare_notebook(session, "g02", "01_as_is", out_dir=root / "voila")
    port, token = _free_port(), secrets.token_hex(16)
    proc = subprocess.Popen(app.voila_command(nb, port, token), env=app.voila_env(env),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_port(port, proc)
        page = browser.new_page()
        requested = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto(f"{base}/?token={token}", timeout=90_000)
        _edit_and_check(page, session, "g02")
        assert "AsIsEditor" not in page.content()                          # no code shown
        outside = [u for u in requested if not u.startswith((base, "data:", "blob:"))]
        assert outside == []                      # offline: no CDN stylesheet, font or script
        page.close()
    finally:
        _stop(proc)
