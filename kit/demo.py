"""The bundled demo session (data_samples/demo): build it and render it."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .session import new_session

DEMO_SOURCE = Path(__file__).resolve().parent.parent / "data_samples" / "demo"


def build_demo(session_dir: str | Path, source: Path = DEMO_SOURCE, lang: str | None = None):
    """Create a fresh session at ``session_dir`` from the demo data files."""
    return new_session(session_dir, source / "groups.csv", lang=lang,
                       settings_file=source / "session.yaml",
                       systems_file=source / "systems.csv",
                       funding_file=source / "funding.csv", steps_dir=source / "steps")


def ensure_demo_session() -> Path:
    """A demo session in a cache folder (``$KIT_DEMO_DIR`` or the temp folder), built once."""
    base = Path(os.environ.get("KIT_DEMO_DIR") or
                Path(tempfile.gettempdir()) / f"bpr-kit-demo-{os.getuid()}")
    session = base / "session"
    if not (session / "session.yaml").is_file():
        shutil.rmtree(session, ignore_errors=True)
        base.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=base))
        build_demo(tmp / "session")
        try:
            os.replace(tmp / "session", session)
        except OSError:  # another process won the race
            pass
        shutil.rmtree(tmp, ignore_errors=True)
    return session
