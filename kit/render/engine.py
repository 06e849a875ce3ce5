"""A papermill engine that keeps one warm kernel per worker process.

Rendering a handout is mostly kernel start-up and first imports (pandas, matplotlib, the
Japanese font). When a worker renders several groups, this engine starts the kernel once,
and before each notebook clears the user namespace (``%reset -f``) so that no state leaks
from one group to the next. A failed notebook restarts the kernel. The worker shuts the
kernel down when it exits (a multiprocessing finaliser; ipykernel also exits by itself when
its parent dies).

Transport: ZeroMQ's ``ipc`` (Unix sockets, no ports to collide between workers) where the
operating system has it, else ``tcp`` on 127.0.0.1 (Windows). ``KIT_KERNEL_TRANSPORT=tcp``
(or ``ipc``) forces one.

Registered with papermill as ``kit_warm``; parameterisation, cell bookkeeping and errors
are papermill's own (``PapermillNotebookClient``).
"""

from __future__ import annotations

import multiprocessing.util
import os
import uuid
from pathlib import Path

from jupyter_core.paths import jupyter_runtime_dir
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger
from papermill.utils import merge_kwargs, remove_args

ENGINE_NAME = "kit_warm"
TRANSPORT_ENV = "KIT_KERNEL_TRANSPORT"
_KERNELS: dict[str, object] = {}


def transport() -> str:
    """``ipc`` where ZeroMQ has Unix sockets (not Windows), else ``tcp``; the env var wins."""
    forced = os.environ.get(TRANSPORT_ENV, "").strip().lower()
    if forced in ("ipc", "tcp"):
        return forced
    import zmq

    return "ipc" if os.name != "nt" and zmq.has("ipc") else "tcp"


def _new_manager(kernel_name: str):
    from jupyter_client.manager import AsyncKernelManager

    if transport() == "tcp":         # random free ports on loopback (jupyter_client picks)
        return AsyncKernelManager(kernel_name=kernel_name, transport="tcp", ip="127.0.0.1")
    # local sockets, one path per worker process: no TCP ports to collide between workers
    runtime = Path(jupyter_runtime_dir())
    runtime.mkdir(parents=True, exist_ok=True)
    return AsyncKernelManager(kernel_name=kernel_name, transport="ipc",
                              ip=str(runtime / f"kit-{os.getpid()}-{uuid.uuid4().hex[:6]}"))


def _kernel(kernel_name: str):
    key = (os.getpid(), kernel_name)     # a forked worker never uses its parent's kernel
    km = _KERNELS.get(key)
    if km is not None and run_sync(km.is_alive)():
        return km
    km = _new_manager(kernel_name)
    run_sync(km.start_kernel)(extra_arguments=["--HistoryManager.enabled=False"])
    _KERNELS[key] = km
    multiprocessing.util.Finalize(None, shutdown, exitpriority=10)
    return km


def _reset(km) -> None:
    """Clear the user namespace (modules stay imported: that is the point)."""
    kc = km.client()
    kc.start_channels()
    try:
        run_sync(kc.wait_for_ready)(timeout=60)
        run_sync(kc.execute_interactive)("get_ipython().run_line_magic('reset', '-f')\n"
                                         "import matplotlib.pyplot as _p; _p.close('all')",
                                         timeout=60, store_history=False)
    finally:
        kc.stop_channels()


def shutdown() -> None:
    """Stop every warm kernel this process started (not a parent's, after a fork)."""
    for key in [k for k in _KERNELS if k[0] == os.getpid()]:
        km = _KERNELS.pop(key)
        try:
            run_sync(km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - best effort at exit
            pass


class WarmKernelEngine(NBClientEngine):
    """Like papermill's default engine, but the kernel outlives the notebook."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False,
                                 stdout_file=None, stderr_file=None, start_timeout=60,
                                 execution_timeout=None, **kwargs):
        km = _kernel(kernel_name)
        _reset(km)
        kwargs = remove_args(["input_path"], **kwargs)      # as papermill's own engine
        safe = remove_args(["timeout", "startup_timeout"], **kwargs)
        final = merge_kwargs(safe, timeout=execution_timeout or kwargs.get("timeout"),
                             startup_timeout=start_timeout, kernel_name=kernel_name,
                             log=logger,
                             log_output=log_output, stdout_file=stdout_file,
                             stderr_file=stderr_file)
        client = PapermillNotebookClient(nb_man, km=km, **final)
        try:
            return client.execute()
        except BaseException:
            _KERNELS.pop((os.getpid(), kernel_name), None)
            try:
                run_sync(km.shutdown_kernel)(now=True)
            except Exception:  # noqa: BLE001
                pass
            raise
        finally:
            if client.kc is not None:
                client.kc.stop_channels()


def register() -> str:
    papermill_engines.register(ENGINE_NAME, WarmKernelEngine)
    return ENGINE_NAME
