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
NOTEBOOKS = ("00_bpr_basics", "01_as_is", "02_to_be", "03_system_selection", "04_impact")


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
    import nbformat
    import papermill

    session_dir = Path(session_dir).resolve()
    session = store.load_session(session_dir)
    store.load_work(session_dir, group)               # the group exists
    source = notebook_source(name)
    out_dir = Path(out_dir) if out_dir else store.path("group", session_dir, group) / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / source.name
    params = {"session_dir": str(session_dir), "group_id": group,
              "lang": lang or session.lang}
    nb = papermill.execute_notebook(str(source), None, parameters=params, prepare_only=True,
                                    progress_bar=False, log_output=False)
    for cell in nb.cells:                     # papermill's injected cell: hide its code too
        if cell.cell_type == "code":
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
    nbformat.write(nb, str(target))
    return target


def voila_command(notebook: Path, port: int = 8866, token: str = "") -> list[str]:
    voila = shutil.which("voila", path=str(Path(sys.executable).parent)) or "voila"
    return [voila, str(notebook), "--no-browser", "--Voila.ip=127.0.0.1",
            f"--Voila.port={port}", f"--Voila.token={token}", "--strip_sources=True",
            "--show_tracebacks=False", f"--Voila.root_dir={notebook.parent}"]


def serve(command: list[str]) -> int:
    """Run a server in the foreground until Ctrl+C."""
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 0
