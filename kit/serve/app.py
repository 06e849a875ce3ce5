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

from kit import resources

VOILA_TEMPLATE = "bpr_app"
VOILA_SHARE = resources.module_dir(__file__) / "voila_share"   # .../voila/templates


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
