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

Speed: the kernel imports the report modules once when it starts and then freezes them out
of the garbage collector (``gc.freeze``: the collections ``%reset`` runs then only walk the
last notebook's objects; the collector is off while a notebook runs, and what survives a
reset is frozen too); one kernel client, made ready once, serves every notebook
(``wait_for_ready`` idles at least 0.2 s each time a client starts). The reset is sent as
soon as a notebook has run, so the kernel clears up while the worker exports the HTML; its
reply is checked before the next notebook starts.

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
KERNEL_SETUP_TIMEOUT_S = 120
_KERNELS: dict[tuple[int, str], tuple[object, object]] = {}     # (pid, name) -> (km, kc)
# imported once per kernel, before the first notebook (an import error shows in the
# notebook's own cell), then frozen out of the collector
PRELOAD = ("import gc\n"
           "try:\n"
           "    import kit.documents.handout, kit.documents.summary\n"
           "except Exception:\n"
           "    pass\n"
           "gc.collect(); gc.freeze(); gc.disable()\n"
           "del gc")


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
    warm = _KERNELS.get(key)
    if warm is not None and run_sync(warm[0].is_alive)():
        return warm
    if warm is not None:
        _drop(key)
    km = _new_manager(kernel_name)
    run_sync(km.start_kernel)(extra_arguments=["--HistoryManager.enabled=False"])
    kc = km.client()
    kc.start_channels()
    kc.allow_stdin = False
    _KERNELS[key] = (km, kc)
    multiprocessing.util.Finalize(None, shutdown, exitpriority=10)
    try:
        run_sync(kc.wait_for_ready)(timeout=KERNEL_SETUP_TIMEOUT_S)
        _run(kc, PRELOAD)
    except BaseException:
        _drop(key)
        raise
    return km, kc


def _run(kc, code: str) -> None:
    """Run ``code`` in the kernel, outside any notebook (its output is discarded)."""
    _check(run_sync(kc.execute_interactive)(code, timeout=KERNEL_SETUP_TIMEOUT_S,
                                            store_history=False, allow_stdin=False,
                                            output_hook=lambda msg: None))


def _check(reply: dict) -> None:
    """An execute reply that is not ``ok`` raises, naming the kernel's error."""
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}")


# clear the user namespace (modules stay imported: that is the point), close the figures
# pyplot holds if a notebook imported it, and freeze what survives out of the collector
RESET = ("get_ipython().run_line_magic('reset', '-f')\n"
         "__import__('sys').modules.get('matplotlib.pyplot') and "
         "__import__('sys').modules['matplotlib.pyplot'].close('all')\n"
         "__import__('gc').freeze()")
_PENDING_RESET: dict[tuple[int, str], str] = {}    # kernel key -> msg_id of its reset


def _start_reset(key, kc) -> None:
    """Send the reset right after a notebook and return: the kernel clears its namespace
    (and collects the notebook's garbage) while this worker exports the notebook."""
    _PENDING_RESET[key] = kc.execute(RESET, silent=True, store_history=False,
                                     allow_stdin=False)


def _finish_reset(key, kc) -> None:
    """Before the next notebook: the reset's reply, which must be ``ok`` (the kernel runs
    requests in order, so nothing of the next notebook can run before the reset)."""
    msg_id = _PENDING_RESET.pop(key, None)
    if msg_id is None:
        _run(kc, RESET)             # e.g. the notebook before failed: reset now, and wait
        return
    while True:
        reply = run_sync(kc.get_shell_msg)(timeout=KERNEL_SETUP_TIMEOUT_S)
        if reply["parent_header"].get("msg_id") == msg_id:
            _check(reply)
            return


def _drop(key) -> None:
    _PENDING_RESET.pop(key, None)
    km, kc = _KERNELS.pop(key)
    try:
        kc.stop_channels()
        run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # noqa: BLE001 - best effort: the kernel may be gone already
        pass


def shutdown() -> None:
    """Stop every warm kernel this process started (not a parent's, after a fork)."""
    for key in [k for k in _KERNELS if k[0] == os.getpid()]:
        _drop(key)


class WarmKernelEngine(NBClientEngine):
    """Like papermill's default engine, but the kernel outlives the notebook."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False,
                                 stdout_file=None, stderr_file=None, start_timeout=60,
                                 execution_timeout=None, **kwargs):
        km, kc = _kernel(kernel_name)
        kwargs = remove_args(["input_path"], **kwargs)      # as papermill's own engine
        safe = remove_args(["timeout", "startup_timeout"], **kwargs)
        final = merge_kwargs(safe, timeout=execution_timeout or kwargs.get("timeout"),
                             startup_timeout=start_timeout, kernel_name=kernel_name,
                             log=logger,
                             log_output=log_output, stdout_file=stdout_file,
                             stderr_file=stderr_file)
        client = PapermillNotebookClient(nb_man, km=km, **final)
        client.kc = kc                  # ready already: no new client, no wait_for_ready
        key = (os.getpid(), kernel_name)
        try:
            _finish_reset(key, kc)
            nb = client.execute()
        except BaseException:
            _drop(key)                  # the next notebook starts afresh
            raise
        _start_reset(key, kc)
        return nb


def register() -> str:
    papermill_engines.register(ENGINE_NAME, WarmKernelEngine)
    return ENGINE_NAME
