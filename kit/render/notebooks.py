"""The participants' notebooks, prepared for a group: parameterized copies, not executed.

A session gives every group its own copies in ``SESSION/groups/<id>/notebooks/`` (papermill,
prepare-only) with the group's ``session_dir``, ``group_id`` and ``lang`` injected; the hub adds
the facilitator's overview notebook; ``kit app`` prepares one notebook on demand.
"""

from __future__ import annotations

from pathlib import Path

from kit import i18n, resources
from kit.exceptions import InputError
from kit.io import store
from kit.render.params import check_parameters

WORKSHOP_GLOB = "0[1-5]_*.ipynb"


def prepare_notebooks(session_dir: str | Path, groups: list[str], *, lang: str = "ja",
                      workshops_dir: str | Path | None = None) -> list[Path]:
    """Each group's parameterized copies of the workshop notebooks (papermill, prepare-only)
    in ``session_dir/groups/<id>/notebooks/``: the same notebooks, with the group's
    ``session_dir``, ``group_id`` and ``lang`` injected; nothing is executed."""
    session_dir = Path(session_dir).resolve()
    folder_in = Path(workshops_dir or resources.folder("workshops"))
    sources = sorted(folder_in.glob(WORKSHOP_GLOB)) + sorted(folder_in.glob(f"{PAGE}.ipynb"))
    written = []
    for group in groups:
        folder = store.path("group", session_dir, group) / "notebooks"
        params = {"session_dir": str(session_dir), "group_id": group, "lang": lang}
        written += [write_group_notebook(src, folder / src.name, params) for src in sources]
    return written


def write_group_notebook(source: Path, target: Path, params: dict) -> Path:
    """``source`` with ``params`` injected (papermill, prepare-only: nothing is executed);
    the injected cell's code is hidden like every other cell's."""
    import nbformat
    import papermill

    check_parameters(params)
    nb = papermill.execute_notebook(str(source), None, parameters=params, prepare_only=True,
                                    progress_bar=False, log_output=False)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
    target.parent.mkdir(parents=True, exist_ok=True)
    store.atomic_write(target, nbformat.writes(nb).encode("utf-8"))
    return target


PAGE = "group_page"         # the group's whole workshop on one page (kit.widgets.page)
NOTEBOOKS = ("00_bpr_basics", "01_as_is", "02_to_be", "03_system_selection", "04_impact",
             "05_follow_up", PAGE)


def notebook_source(name: str) -> Path:
    """``01_as_is``, ``01_as_is.ipynb`` or a path; only the bundled notebooks by name."""
    path = Path(name)
    if path.suffix == ".ipynb" and path.is_file():
        return path
    stem = path.stem if path.suffix == ".ipynb" else path.name
    if stem not in NOTEBOOKS:
        raise InputError(*i18n.both("err.no_notebook", value=name, choices=", ".join(NOTEBOOKS)),
                         field="notebook", value=name)
    return resources.workshop_notebook(stem)


def prepare_notebook(session_dir: str | Path, group: str, name: str, lang: str = "",
                     out_dir: str | Path | None = None, stage: str = "") -> Path:
    """Write the group's copy of notebook ``name`` with its parameters (not executed);
    ``stage`` is the group page's first stage."""
    session_dir = Path(session_dir).resolve()
    session = store.load_session(session_dir)
    store.load_work(session_dir, group)               # the group exists
    source = notebook_source(name)
    out_dir = Path(out_dir) if out_dir else store.path("group", session_dir, group) / "notebooks"
    params = {"session_dir": str(session_dir), "group_id": group,
              "lang": lang or session.lang}
    if stage:
        params["stage"] = stage
    return write_group_notebook(source, out_dir / source.name, params)


def prepare_room(session_dir: Path, groups: list[str], lang: str, overview_name: str) -> None:
    """Each group's notebooks/ (parameterized copies), only where they are missing."""
    missing = [g for g in groups if not (store.path("group", session_dir, g) / "notebooks"
                                         / f"{PAGE}.ipynb").is_file()]
    if missing:
        prepare_notebooks(session_dir, missing, lang=lang)
    overview = session_dir / overview_name
    if not overview.is_file():
        write_overview_notebook(overview, session_dir, lang)


def write_overview_notebook(target: Path, session_dir: Path, lang: str) -> Path:
    """The facilitator's live overview of every group (one call into kit, code hidden)."""
    import nbformat

    title = i18n.t("hub.overview_title", lang)
    code = (f"session_dir, lang = {str(session_dir)!r}, {lang!r}\n"
            "from kit.widgets.facilitator import OverviewPanel\n"
            "OverviewPanel(session_dir, lang).widget")
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(f"# {title}"),
        nbformat.v4.new_code_cell(code, metadata={"jupyter": {"source_hidden": True},
                                                  "tags": ["hide-input"]})])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nbformat.write(nb, str(target))
    return target
