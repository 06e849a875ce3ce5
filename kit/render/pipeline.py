"""Render handouts: parameterize → execute (papermill) → export (nbconvert), in parallel.

Each group is rendered in a worker process; one group's failure is reported with its reason
and does not stop the others (the failed notebook is kept under ``_failed/`` for the
facilitator). The HTML is self-contained: no code, no prompts, images embedded, no external
URL of any kind (see ``nbconvert_templates/bpr_handout``).
"""

from __future__ import annotations

import concurrent.futures as cf
import functools
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from kit import i18n, resources
from kit.exceptions import KitError, RenderError
from kit.io import store
from kit.render.params import check_parameters

GROUP_TEMPLATE = resources.report_template("group_report")
SUMMARY_TEMPLATE = resources.report_template("session_summary")
SURVEY_TEMPLATE = resources.report_template("survey_report")
SUMMARY_ID = "_summary"                 # not a valid group id: never collides with a group
SUMMARY_FILE = "session_summary.html"
NBCONVERT_TEMPLATES = resources.module_dir(__file__) / "nbconvert_templates"
HTML_TEMPLATE = "bpr_handout"
KERNEL_TIMEOUT_S = 180
RETRY_MARKERS = ("Address already in use", "Kernel didn't respond", "Kernel died",
                 "DeadKernelError", "Invalid Signature")


@dataclass(frozen=True)
class RenderResult:
    group: str
    path: str | None
    error: str | None = None
    error_en: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _papermill():
    """papermill, imported without ``rfc3987_syntax``.

    jsonschema (imported by nbformat) imports that package, when installed, only for its
    optional "iri" format check, which nbformat never runs; the import builds a grammar
    parser and costs about 1.3 s in every process. Blocking it changes nothing else here.
    """
    sys.modules.setdefault("rfc3987_syntax", None)
    import papermill

    return papermill


def execute(template: Path, parameters: dict, output: Path | None = None):
    """Run ``template`` with papermill and return the executed notebook node.

    ``output``: where papermill writes the executed notebook (kept when a cell fails).
    """
    papermill = _papermill()

    from kit.render.engine import register

    engine = register()          # one warm kernel per process, over local sockets
    return papermill.execute_notebook(
        str(template), str(output) if output else None, parameters=parameters,
        engine_name=engine, kernel_name="python3",
        progress_bar=False, log_output=False, request_save_on_cell_execute=False,
        execution_timeout=KERNEL_TIMEOUT_S,
    )


_IMG_WITHOUT_ALT = re.compile(r"<img(?![^>]*\balt=)", re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _exporter():
    """One HTML exporter per process: its Jinja templates are compiled once, not per file."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class HandoutExporter(HTMLExporter):
        """nbconvert's HTML exporter without its last pass: parsing the finished page with
        BeautifulSoup to give an ``alt`` to images that lack one and a ``tabindex`` to
        JupyterLab cells. That pass was 80 % of exporting a handout; the handout template
        has no JupyterLab cells, every chart kit draws has its alt text, and an image
        without one still gets one in :func:`export_html` (a regular expression, in the
        reader's language)."""

        def from_notebook_node(self, nb, resources=None, **kw):
            info = nb.metadata.get("language_info", {})
            lexer = info.get("pygments_lexer", info.get("name"))
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    exporter = HandoutExporter(template_name=HTML_TEMPLATE,
                               extra_template_basedirs=[str(NBCONVERT_TEMPLATES)])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.embed_images = True
    return exporter


def export_html(nb, *, lang: str, title: str) -> str:
    """Export an executed notebook to one self-contained HTML string (no code, no prompts)."""
    resources = {"handout_lang": lang, "handout_title": title}
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    alt = f'alt="{i18n.t("report.no_alt", lang)}"'
    return _IMG_WITHOUT_ALT.sub(lambda m: f"{m.group(0)} {alt}", body)


def _strip_widget_state(nb) -> None:
    nb.metadata.pop("widgets", None)


def render_notebook(template: Path, parameters: dict, out_file: Path, *, lang: str,
                    title: str, group: str) -> Path:
    """Execute and export one notebook; on failure keep the notebook and raise RenderError."""
    papermill = _papermill()

    check_parameters({**parameters, "lang": lang})
    failed = out_file.parent / "_failed" / f"{out_file.stem}.ipynb"
    failed.parent.mkdir(parents=True, exist_ok=True)
    try:
        nb = execute(template, parameters, failed)
    except papermill.PapermillExecutionError as exc:
        detail = f"{exc.ename}: {exc.evalue} ({failed})"
        raise RenderError(*i18n.both("err.render_failed", group=group, detail=detail),
                          group=group, cell=exc.cell_index, detail=detail) from None
    failed.unlink(missing_ok=True)
    _strip_widget_state(nb)
    html_text = export_html(nb, lang=lang, title=title)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    store.atomic_write(out_file, html_text.encode("utf-8"))
    return out_file


def render_group(session_dir: str | Path, group: str, out_dir: str | Path,
                 lang: str | None = None) -> Path:
    """Render ``group``'s handout to ``out_dir/<group>.html``."""
    session_dir = Path(session_dir).resolve()
    store.check_group_id(group)
    session = store.load_session(session_dir)
    work = store.load_work(session_dir, group)
    lang = lang or session.lang
    params = {"session_dir": str(session_dir), "group_id": group, "lang": lang}
    out_file = Path(out_dir).resolve() / f"{group}.html"
    return render_notebook(GROUP_TEMPLATE, params, out_file, lang=lang,
                           title=f"{work.theme} — {session.name}", group=group)


def render_summary(session_dir: str | Path, out_dir: str | Path,
                   lang: str | None = None) -> Path:
    """Render the summary across groups to ``out_dir/session_summary.html``; a group whose
    workspace cannot be read is named in it and left out of the totals."""
    session_dir = Path(session_dir).resolve()
    session = store.load_session(session_dir)
    lang = lang or session.lang
    params = {"session_dir": str(session_dir), "lang": lang}
    out_file = Path(out_dir).resolve() / SUMMARY_FILE
    return render_notebook(SUMMARY_TEMPLATE, params, out_file, lang=lang,
                           title=f"{i18n.t('summary.title', lang)} — {session.name}",
                           group=SUMMARY_ID)


def render_survey(survey_file: str | Path, out_dir: str | Path, lang: str = "ja") -> Path:
    """Render the pre-workshop survey report to ``out_dir/survey_report.html``."""
    params = {"survey_file": str(Path(survey_file).resolve()), "lang": lang}
    out_file = Path(out_dir).resolve() / "survey_report.html"
    try:
        return render_notebook(SURVEY_TEMPLATE, params, out_file, lang=lang,
                               title=i18n.t("survey.title", lang), group="survey")
    finally:
        _remove_if_empty(out_file.parent / "_failed")


def _render_one(session_dir: str, group: str, out_dir: str, lang: str | None) -> RenderResult:
    """Worker: render with one retry on kernel start-up collisions; never raises."""
    for attempt in (1, 2):
        try:
            path = (render_summary(session_dir, out_dir, lang) if group == SUMMARY_ID
                    else render_group(session_dir, group, out_dir, lang))
            return RenderResult(group, str(path))
        except KitError as exc:
            return RenderResult(group, None, exc.message("ja"), exc.message("en"))
        except Exception as exc:  # noqa: BLE001 - a batch isolates each group's failure
            text = f"{type(exc).__name__}: {exc}"
            if attempt == 1 and any(m in text for m in RETRY_MARKERS):
                continue
            ja, en = i18n.both("err.render_failed", group=group, detail=text)
            return RenderResult(group, None, ja, en)
    raise AssertionError("unreachable")


def render_session(session_dir: str | Path, out_dir: str | Path, *, jobs: int | None = None,
                   lang: str | None = None, groups: list[str] | None = None,
                   progress: bool = True, summary: bool = True) -> list[RenderResult]:
    """Render every group's handout in parallel; return one result per group.

    With ``summary``, the session summary is rendered in the same pool and its result
    (group ``SUMMARY_ID``) comes last; it survives a failed group.
    """
    session = store.load_session(session_dir)
    groups = list(groups or session.groups)
    for g in groups:
        store.check_group_id(g)
    if summary:
        groups.append(SUMMARY_ID)
    jobs = max(1, min(jobs or min(2, os.cpu_count() or 1), len(groups) or 1))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, RenderResult] = {}
    bar = _progress(len(groups), progress)
    if jobs == 1:
        for g in groups:
            results[g] = _render_one(str(session_dir), g, str(out_dir), lang)
            bar.update(1)
    else:
        _preload()
        order = sorted(groups, key=lambda g: _expected_cost(session_dir, g), reverse=True)
        with cf.ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(_render_one, str(session_dir), g, str(out_dir), lang): g
                       for g in order}
            for fut in cf.as_completed(futures):
                g = futures[fut]
                try:
                    results[g] = fut.result()
                except Exception as exc:  # noqa: BLE001 - e.g. a worker killed
                    ja, en = i18n.both("err.render_failed", group=g, detail=repr(exc))
                    results[g] = RenderResult(g, None, ja, en)
                bar.update(1)
    bar.close()
    _remove_if_empty(out_dir / "_failed")
    return [results[g] for g in groups]


def _expected_cost(session_dir: str | Path, group: str) -> int:
    """Longest first, so that no worker is left with a long handout while the other has
    nothing to do: the summary (every group's figures), then handouts with a counter queue
    (its simulation), then the rest; a group that cannot be read comes first and fails fast."""
    if group == SUMMARY_ID:
        return 3
    try:
        return 2 if store.load_work(session_dir, group).counter is not None else 1
    except Exception:  # noqa: BLE001 - rendering reports the problem, this only orders
        return 4


def _remove_if_empty(folder: Path) -> None:
    """No empty ``_failed/`` is left behind (called when no other worker may still write)."""
    try:
        folder.rmdir()
    except OSError:             # not empty, or already gone
        pass


def _preload() -> None:
    """Import papermill, nbconvert and the engine and compile the HTML template here, once:
    workers forked from this process inherit them instead of each doing it again."""
    _papermill()                # first: papermill loads kit's engine as an entry point
    from kit.render.engine import register

    register()
    _exporter().template        # noqa: B018 - compiles the Jinja templates


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, disable=not enabled, unit="group", leave=False)
