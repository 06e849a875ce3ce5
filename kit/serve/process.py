"""Run a server (JupyterLab, Voilà) in the foreground and stop it cleanly, kernels included.

The server runs as a child in its own session, so a Ctrl+C in the terminal reaches only the
kit process (no "Shutdown this Jupyter server (y/[n])?" prompt). When the kit process gets
SIGTERM, SIGINT (Ctrl+C) or SIGHUP, it asks the server to stop (SIGTERM: the server shuts
its kernels down), waits, and then ends whatever the server started that is still running —
kernels live in sessions of their own, so they are found as the server's descendants
(``psutil``), not by process group. Nothing is left listening and no kernel is left behind.
"""

from __future__ import annotations

import os
import signal
import subprocess

import psutil

GRACE_S = 20             # a server with a few kernels stops in 1-3 s
KILL_WAIT_S = 5
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP")
                     if hasattr(signal, name))


class _Stop(Exception):
    pass


def _raise_stop(signum, frame):  # noqa: ARG001 - signal handler signature
    raise _Stop


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def stop_tree(proc: subprocess.Popen, grace_s: float = GRACE_S) -> None:
    """SIGTERM to the server; after ``grace_s`` (or once it exited) end what it left."""
    seen = {p.pid: p for p in descendants(proc.pid)}
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(grace_s)
        except subprocess.TimeoutExpired:
            seen.update({p.pid: p for p in descendants(proc.pid)})
            proc.kill()
            proc.wait()
    end([p for p in seen.values() if p.is_running()])


def end(procs: list[psutil.Process], wait_s: float = KILL_WAIT_S) -> None:
    """SIGTERM to each, SIGKILL to those still alive after ``wait_s``."""
    for p in procs:
        try:
            p.terminate()
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(procs, timeout=wait_s)
    for p in alive:
        try:
            p.kill()
        except psutil.Error:
            pass


def run_foreground(argv: list[str], *, env: dict | None = None, on_stop=None,
                   grace_s: float = GRACE_S) -> int:
    """Run ``argv`` until it exits (its exit code) or this process is told to stop (0)."""
    proc = subprocess.Popen(argv, env=env, start_new_session=os.name != "nt")
    previous = {s: signal.signal(s, _raise_stop) for s in STOP_SIGNALS}
    try:
        return proc.wait()
    except (_Stop, KeyboardInterrupt):
        for s in STOP_SIGNALS:              # a second Ctrl+C does not interrupt the clean-up
            signal.signal(s, signal.SIG_IGN)
        if on_stop:
            on_stop()
        stop_tree(proc, grace_s)
        return 0
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
