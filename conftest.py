"""Shared fixtures for tests/ and the notebooks (nbval): no writes to the home folder."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_HOME = Path(tempfile.mkdtemp(prefix="kit-test-home-"))
for var, sub in (("JUPYTER_CONFIG_DIR", "jupyter"), ("IPYTHONDIR", "ipython"),
                 ("MPLCONFIGDIR", "mpl"), ("JUPYTER_RUNTIME_DIR", "rt")):
    os.environ.setdefault(var, str(_HOME / sub))
os.environ.setdefault("KIT_DEMO_DIR", str(_HOME / "demo"))


@pytest.fixture(scope="session")
def demo_session(tmp_path_factory) -> Path:
    """The bundled demo session, built once per test run (read-only for tests)."""
    from kit.workspace.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "session"
    build_demo(path)
    return path


@pytest.fixture
def demo_copy(demo_session, tmp_path) -> Path:
    """A writable copy of the demo session."""
    dest = tmp_path / "session"
    shutil.copytree(demo_session, dest)
    return dest


CHROMIUM = "/usr/bin/chromium"          # Debian's chromium; Playwright's own download fails here
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    """A headless Debian chromium for a module's browser tests (a fresh context per page).

    Module scope on purpose: Playwright's sync API keeps an asyncio loop current in this
    thread while it runs, and code under test that schedules on "the running loop" (the
    widgets' debouncer) would wait on it forever in later modules."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()
