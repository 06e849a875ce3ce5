"""A group's notebooks as files and as served views: `kit app` (Voilà).

``prepare_notebook`` copies a workshop notebook into the group's folder with its parameters
filled in (papermill, prepare-only: nothing is executed), so a member opens the group's own
copy. ``voila_command`` builds the server command, always bound to
127.0.0.1; Voilà never shows code (``strip_sources``) nor tracebacks.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .. import store

WORKSHOPS = Path(__file__).resolve().parent.parent.parent / "workshops"
NOTEBOOKS = ("00_bpr_basics", "01_as_is", "02_to_be", "03_system_selection", "04_impact",
             "05_follow_up")


def notebook_source(name: str) -> Path:
    """``01_as_is``, ``01_as_is.ipynb`` or a path; only the bundled notebooks by name."""
    path = Path(name)
    if path.suffix == ".ipynb" and path.is_file():
        return path
    stem = path.stem if path.suffix == ".ipynb" else path.name
    if stem not in NOTEBOOKS:
        from ..exceptions import InputError
        raise InputError(f"ノートブック「{name}」はありません（{', '.join(NOTEBOOKS)}）。",
                         f"No notebook '{name}' (choose from {', '.join(NOTEBOOKS)}).",
                         field="notebook", value=name)
    return WORKSHOPS / f"{stem}.ipynb"


def prepare_notebook(session_dir: str | Path, group: str, name: str, lang: str = "",
                     out_dir: str | Path | None = None) -> Path:
    """Write the group's copy of notebook ``name`` with its parameters (not executed)."""
    from ..session import write_group_notebook

    session_dir = Path(session_dir).resolve()
    session = store.load_session(session_dir)
    store.load_work(session_dir, group)               # the group exists
    source = notebook_source(name)
    out_dir = Path(out_dir) if out_dir else store.path("group", session_dir, group) / "notebooks"
    params = {"session_dir": str(session_dir), "group_id": group,
              "lang": lang or session.lang}
    return write_group_notebook(source, out_dir / source.name, params)


VOILA_TEMPLATE = "bpr_app"
VOILA_SHARE = Path(__file__).resolve().parent.parent / "voila_share"   # .../voila/templates


def voila_env(env: dict | None = None) -> dict:
    """The environment for Voilà: our offline template (no CDN stylesheet) on JUPYTER_PATH."""
    import os

    env = dict(os.environ if env is None else env)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(VOILA_SHARE), env.get("JUPYTER_PATH"))
                                          if p)
    return env


def voila_command(notebook: Path, port: int = 8866, token: str = "") -> list[str]:
    voila = shutil.which("voila", path=str(Path(sys.executable).parent)) or "voila"
    return [voila, str(notebook), "--no-browser", "--Voila.ip=127.0.0.1",
            f"--template={VOILA_TEMPLATE}",
            f"--Voila.port={port}", f"--Voila.token={token}", "--strip_sources=True",
            "--show_tracebacks=False", f"--Voila.root_dir={notebook.parent}"]


def serve(command: list[str]) -> int:
    """Run a server in the foreground until Ctrl+C."""
    try:
        return subprocess.call(command, env=voila_env())
    except KeyboardInterrupt:
        return 0
