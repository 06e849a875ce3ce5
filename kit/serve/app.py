"""A group's notebooks as files and as served views: `kit app` (Voilà).

:func:`kit.render.notebooks.prepare_notebook` copies a workshop notebook into the group's
folder with its parameters filled in (papermill, prepare-only: nothing is executed), so a
member opens the group's own copy. ``voila_command`` builds the server command, bound to
127.0.0.1 unless told otherwise (the rule of :mod:`kit.serve.access`); Voilà never shows
code (``strip_sources``) nor tracebacks. ``serve`` runs it until Ctrl+C or SIGTERM and then
stops it with its kernels.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from kit import resources
from kit.serve import process

VOILA_TEMPLATE = "bpr_app"
# kernels kept ready per page: the members of one group who open the page one after another
# each find one (a kernel with the page costs ~150 MB; see the README's room table)
POOL_SIZE = 2
VOILA_SHARE = resources.module_dir(__file__) / "voila_share"   # .../voila/templates


def voila_env(env: dict | None = None) -> dict:
    """The environment for Voilà: our offline template (no CDN stylesheet) on JUPYTER_PATH."""
    import os

    env = dict(os.environ if env is None else env)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(VOILA_SHARE), env.get("JUPYTER_PATH"))
                                          if p)
    return env


def voila_command(notebook: Path, port: int = 8866, token: str = "",
                  ip: str = "127.0.0.1", pool: int = POOL_SIZE) -> list[str]:
    """The Voilà server command (``python -m voila``: works where no script is on PATH).

    ``pool`` pre-heated kernels have run the page before anyone asks for it (Voilà's
    ``preheat_kernel``): opening the page then only sends what is already drawn; after each
    visit Voilà starts the next kernel in the background (a second later). A visitor who
    finds the pool empty waits for that kernel. 0 turns pre-heating off.
    """
    command = [sys.executable, "-m", "voila", str(notebook), "--no-browser",
               f"--Voila.ip={ip}", f"--template={VOILA_TEMPLATE}",
               f"--Voila.port={port}", f"--Voila.token={token}", "--strip_sources=True",
               "--show_tracebacks=False", f"--Voila.root_dir={notebook.parent}",
               # a page run while the machine is busy (kernels starting for a room) may take
               # more than nbclient's 4 s to report idle: a shorter wait left a blank page
               "--VoilaExecutor.iopub_timeout=60"]
    if pool:
        command += ["--preheat_kernel=True", f"--pool_size={pool}",
                    "--VoilaKernelManager.fill_delay=1"]
    return command


def wait_ready(pid: int, port: int, pool: int, timeout: float = 180) -> float:
    """Wait until the server answers on ``port`` and ``pool`` pre-heated kernels have run the
    page (their CPU gone quiet); return the seconds waited. For tests and benchmarks."""
    import socket
    import time

    import psutil

    start = time.monotonic()
    deadline = start + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing answers on port {port}") from None
            time.sleep(0.3)
    parent = psutil.Process(pid)
    while time.monotonic() < deadline:
        kernels = [p for p in parent.children(recursive=True)
                   if "ipykernel" in " ".join(p.cmdline())]
        if len(kernels) >= pool:
            for k in kernels:
                k.cpu_percent(interval=None)
            time.sleep(1.0)
            if sum(k.cpu_percent(interval=None) for k in kernels) < 5:
                return time.monotonic() - start
        else:
            time.sleep(0.5)
    raise TimeoutError("the pre-heated kernels did not get ready")


@contextlib.contextmanager
def running(session_dir, group: str, pool: int = POOL_SIZE, timeout: float = 180):
    """``kit app SESSION GROUP`` in a child process on a free loopback port, ready (its
    pre-heated kernels have run the page): yields ``.url`` (the page) and ``.wait()`` (until
    the pool has refilled), stops it after. For tests and benchmarks."""
    import secrets
    import socket
    import subprocess
    import types

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(16)
    proc = subprocess.Popen([sys.executable, "-m", "kit", "app", str(session_dir), group,
                             "--port", str(port), "--token", token, "--pool", str(pool)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(proc.pid, port, pool, timeout)
        yield types.SimpleNamespace(url=f"http://127.0.0.1:{port}/?token={token}",
                                    wait=lambda: wait_ready(proc.pid, port, pool, timeout))
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


def serve(command: list[str], on_stop=None) -> int:
    """Run the server in the foreground until Ctrl+C or SIGTERM, then stop it and its kernels."""
    return process.run_foreground(command, env=voila_env(), on_stop=on_stop)
