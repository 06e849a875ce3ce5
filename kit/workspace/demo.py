"""The bundled demo session (data_samples/demo): build it and render it."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from kit import resources
from kit.domain.after.followup import with_actuals
from kit.domain.after.plan import ActionItem, Charter
from kit.io import store
from kit.workspace.session import new_session


def build_demo(session_dir: str | Path, source: Path | None = None, lang: str | None = None):
    """Create a fresh session at ``session_dir`` from the demo data files; the groups named in
    ``after.yaml`` also get a charter, an action plan and follow-up measurements."""
    source = Path(source) if source else resources.demo_source()
    session = new_session(session_dir, source / "groups.csv", lang=lang,
                          settings_file=source / "session.yaml",
                          systems_file=source / "systems.csv",
                          funding_file=source / "funding.csv", steps_dir=source / "steps",
                          counters_file=source / "counters.yaml")
    if (source / "after.yaml").is_file():
        add_after_cycle(session_dir, store.read_yaml(source / "after.yaml") or {})
    return session


def _iso(value) -> str:
    """A date from YAML (a ``date`` object or text) as ISO text."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value or "")


def add_after_cycle(session_dir: str | Path, data: dict) -> None:
    """Charter, actions (steps named by their names) and dated follow-ups per group, built with
    the domain model and saved like any edit. The forecast (steps, costs, uptake) is untouched."""
    for group, spec in data.items():
        work = store.load_work(session_dir, group)
        ids = {s.name: s.id for s in work.steps}
        charter = dict(spec.get("charter") or {})
        charter["go_live"] = _iso(charter.get("go_live"))
        items = [ActionItem(**{**a, "due": _iso(a.get("due")),
                               "steps": [ids[n] for n in a.get("steps") or []]})
                 for a in spec.get("actions") or []]
        work = work.model_copy(update={"charter": Charter(**charter), "actions": items})
        for snap in spec.get("followups") or []:
            work = with_actuals(work, {**snap, "measured_on": _iso(snap["measured_on"]),
                                       "minutes": {ids[n]: v for n, v in
                                                   (snap.get("minutes") or {}).items()}})
        store.save_work(session_dir, work)


def _user_tag() -> str:
    """One cache folder per user: the uid on Unix, the login name on Windows (no getuid)."""
    getuid = getattr(os, "getuid", None)
    if getuid:
        return str(getuid())
    import getpass

    return "".join(ch for ch in getpass.getuser() if ch.isalnum()) or "user"


def ensure_demo_session() -> Path:
    """A demo session in a cache folder (``$KIT_DEMO_DIR`` or the temp folder), built once."""
    base = Path(os.environ.get("KIT_DEMO_DIR") or
                Path(tempfile.gettempdir()) / f"bpr-kit-demo-{_user_tag()}")
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


def resolve(session_dir: str | Path = "", group_id: str | None = "") -> tuple[Path, str]:
    """Where a notebook or document opened with empty arguments looks: the bundled demo.

    An empty ``session_dir`` means the demo session (built once, see
    :func:`ensure_demo_session`); an empty ``group_id`` its first group. ``group_id=None``
    asks for the session only (the returned group is then ``""``).
    """
    session_dir = Path(session_dir) if session_dir else ensure_demo_session()
    if group_id is None:
        return session_dir, ""
    if not group_id:
        group_id = store.load_session(session_dir).groups[0]
    return session_dir, store.check_group_id(group_id)
