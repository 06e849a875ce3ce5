"""A group's handout made in the process that asks for it (the group page's kernel).

``kit render`` runs the report notebook (``templates/group_report.ipynb``) in a warm kernel and
exports it. The group page already has kit imported and the workspace at hand, so it builds
the same notebook in memory — the template's cells, with the outputs its one ``show()`` cell
displays — and exports it with the same exporter: the same document, in well under a second
instead of a new process and kernel.
"""

from __future__ import annotations

import copy
from pathlib import Path

from kit.io import store
from kit.render import pipeline


def _outputs(html_parts: list[str]) -> list:
    import nbformat

    return [nbformat.v4.new_output("display_data", data={
        "text/html": part, "text/plain": "<IPython.core.display.HTML object>"})
        for part in html_parts]


def group_notebook(session_dir: str | Path, group: str, lang: str, parts: list[str]):
    """The report notebook as papermill would leave it after running: ``parts`` are the
    handout's sections (:class:`kit.documents.handout.Handout`), the outputs of its show()."""
    import nbformat

    nb = copy.deepcopy(_template())
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    params = {"session_dir": str(session_dir), "group_id": group, "lang": lang}
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell(
        "# Parameters\n" + "".join(f"{k} = {v!r}\n" for k, v in params.items()),
        metadata={"tags": ["injected-parameters"]}))
    show = next(c for c in reversed(nb.cells) if c.cell_type == "code")
    show.outputs = _outputs(parts)
    nbformat.validate(nb)
    return nb


_TEMPLATE = None


def _template():
    global _TEMPLATE
    if _TEMPLATE is None:
        import nbformat
        _TEMPLATE = nbformat.read(str(pipeline.GROUP_TEMPLATE), as_version=4)
    return _TEMPLATE


def warm() -> None:
    """Read the template and compile the exporter's templates ahead of the button."""
    _template()
    pipeline._exporter()


def render_group_inline(session_dir: str | Path, group: str, out_dir: str | Path,
                        lang: str | None, parts: list[str]) -> Path:
    """Write ``out_dir/<group>.html``, the handout ``kit render`` makes, from this process;
    ``parts``: the handout's sections as HTML (the caller has the document classes)."""
    session_dir = Path(session_dir).resolve()
    store.check_group_id(group)
    session = store.load_session(session_dir)
    work = store.load_work(session_dir, group)
    lang = lang or session.lang
    nb = group_notebook(session_dir, group, lang, parts)
    text = pipeline.export_html(nb, lang=lang, title=f"{work.theme} — {session.name}")
    out_file = Path(out_dir).resolve() / f"{group}.html"
    out_file.parent.mkdir(parents=True, exist_ok=True)
    store.atomic_write(out_file, text.encode("utf-8"))
    return out_file
