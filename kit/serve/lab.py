"""JupyterLab on one session folder: loopback and a random token unless told otherwise."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from kit.io import store
from kit.serve import access


def running_as_root() -> bool:
    """True for the root user on Unix (Windows has no ``geteuid``: never root there)."""
    geteuid = getattr(os, "geteuid", None)
    return bool(geteuid) and geteuid() == 0


def lab_argv(session_dir: str | Path, *, ip: str = "127.0.0.1", port: int = 8888,
             token: str | None = None) -> list[str]:
    """The JupyterLab command for a session folder (the bind/token rule: ``kit.serve.access``).

    As root (many VMs and containers) JupyterLab is told ``--allow-root``: the kit's user
    *is* root there, refusing would only stop the workshop. To serve a whole room, use
    JupyterHub (see the README).
    """
    store.load_session(session_dir)              # a session folder, or StoreError
    token = access.checked_secret(ip, token)
    argv = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--ServerApp.ip={ip}",
            f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={Path(session_dir).resolve()}",
            "--ServerApp.port_retries=0"]
    if running_as_root():
        argv.append("--ServerApp.allow_root=True")
    return argv


def lab_url(ip: str, port: int, token: str) -> str:
    return f"http://{access.browser_host(ip)}:{port}/lab?token={token}"
