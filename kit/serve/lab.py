"""JupyterLab on one session folder: loopback and a random token unless told otherwise."""

from __future__ import annotations

import sys
from pathlib import Path

from kit import i18n
from kit.exceptions import InputError
from kit.io import store

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def lab_argv(session_dir: str | Path, *, ip: str = "127.0.0.1", port: int = 8888,
             token: str | None = None) -> list[str]:
    """The JupyterLab command for a session folder: loopback and a random token by default.

    An empty token (no login) is always refused; so is a non-loopback address with a short
    token. To serve a whole room, use JupyterHub (see the README).
    """
    import secrets

    store.load_session(session_dir)              # a session folder, or StoreError
    token = secrets.token_urlsafe(32) if token is None else token
    if len(token) < (8 if ip in LOOPBACK else 32):
        raise InputError(*i18n.both("err.invalid", field="--token", value="*" * len(token),
                                    detail="min 8 (127.0.0.1) / 32 characters"),
                         field="token", value="")
    return [sys.executable, "-m", "jupyterlab", "--no-browser", f"--ServerApp.ip={ip}",
            f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={Path(session_dir).resolve()}"]
