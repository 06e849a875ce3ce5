"""What every section editor shares: the workspace, debounced autosave, messages, figures.

An editor never keeps state of its own: it builds a :class:`kit.domain.model.GroupWork` from its
widgets (validated by the model), shows key figures and charts computed by :mod:`kit.domain.money.impact`
and :mod:`kit.charts.impact`, and saves through :mod:`kit.io.store` after a short pause (debounce).
A bad value shows an inline message in the participant's language and nothing is saved: the
workspace on disk keeps the last valid state. Another member's save in between is detected
by the store (ConflictError): the editor says so and offers to reload; it never overwrites.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import datetime as _dt
import logging
import threading
from collections.abc import Callable
from pathlib import Path

import ipywidgets as W

from kit import i18n
from kit.documents.figures import Figures
from kit.documents.finance import not_delivered_html
from kit.documents.fragments import esc
from kit.domain import checks
from kit.domain.model import GroupWork, Step
from kit.domain.money import impact
from kit.exceptions import ConflictError, InputError, KitError
from kit.io import store
from kit.widgets.fields import CSS, Fields, value_text  # noqa: F401 - value_text for editors
from kit.widgets.live import ChartPanel
from kit.widgets.shared import WATCH_S, SharedEditing, message_html, path_of  # noqa: F401
from kit.workspace import demo

log = logging.getLogger(__name__)
DEBOUNCE_S = 0.8


class Debouncer:
    """Run the last scheduled function once, ``delay_s`` after the last call.

    Inside a running event loop (a Jupyter kernel) the kernel's loop runs it; elsewhere a
    timer thread. ``delay_s=None`` runs it at once. ``flush()`` runs a pending call now
    (tests, the benchmark, before a reload); ``cancel()`` drops it.
    """

    def __init__(self, delay_s: float | None = DEBOUNCE_S):
        self.delay_s = delay_s
        self._pending: Callable[[], None] | None = None
        self._handle = None
        self._lock = threading.RLock()

    @property
    def pending(self) -> bool:
        return self._pending is not None

    def schedule(self, fn: Callable[[], None]) -> None:
        with self._lock:
            self._cancel_handle()
            self._pending = fn
            if not self.delay_s:
                self.flush()
                return
            try:
                loop = asyncio.get_running_loop()
                self._handle = loop.call_later(self.delay_s, self.flush)
            except RuntimeError:
                timer = threading.Timer(self.delay_s, self.flush)
                timer.daemon = True
                timer.start()
                self._handle = timer

    def _cancel_handle(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def flush(self) -> None:
        with self._lock:
            fn, self._pending = self._pending, None
            self._cancel_handle()
            if fn is not None:
                fn()

    def cancel(self) -> None:
        with self._lock:
            self._pending = None
            self._cancel_handle()


resolve = demo.resolve      # empty arguments: the bundled demo session and its first group


KEY_FIGURES = ("hours_asis", "hours_tobe", "hours_saved", "fte_freed", "cost_saved",
               "resident_hours_saved", "lead_time", "waste_share", "general_fund", "npv",
               "payback", "cash_saved", "capacity_hours", "npv_cash", "not_delivered_hours")


def key_figures_html(m: impact.Impact, lang: str, keys: tuple[str, ...]) -> str:
    """The key figures ``keys`` of ``m``, formatted by the handout's formatter."""
    fmt = Figures(lang, m.horizon_years)
    rows = "".join(f'<tr><th>{esc(fmt.name(k))}</th>'
                   f'<td class="kit-fig kit-fig-{k}" style="text-align:right">'
                   f"{fmt.figure(k, m)}</td></tr>" for k in keys)
    return (f'<table class="kit-key-figures"><caption style="text-align:left">'
            f'<b>{esc(i18n.t("report.key_figures", lang))}</b></caption>{rows}</table>')


def checks_html(found: list[checks.Check], lang: str) -> str:
    """Warnings and to-dos under an editor (escaped), or '' when there are none."""
    return "".join(message_html(c.text(lang), "warn") for c in found)




class Editor(SharedEditing, abc.ABC):
    """Base of the section editors: workspace, status line, reload, debounced save, figures.

    Subclasses implement ``build()`` (lay out their widgets from ``self.work``) and
    ``collect()`` (return the edited :class:`GroupWork`; model validation raises InputError);
    and set ``KEYS`` (key figures shown) and ``CHARTS`` (names in ``kit.charts.impact.FIGURES``).
    """

    KEYS: tuple[str, ...] = ("hours_asis", "hours_tobe", "hours_saved")
    CHARTS: tuple[str, ...] = ()
    NOT_DELIVERED = False       # list the changes the chosen systems do not deliver, live

    def __init__(self, session_dir: str | Path = "", group_id: str = "", lang: str = "ja",
                 debounce_s: float | None = DEBOUNCE_S, chart_dpi: int = 72):
        self.session_dir, self.group_id = resolve(session_dir, group_id)
        self.lang = lang if lang in i18n.LANGS else i18n.DEFAULT_LANG
        self.session = store.load_session(self.session_dir)
        self.saved: GroupWork = store.load_work(self.session_dir, self.group_id)
        self.draft: GroupWork | None = None       # valid, shown, not yet saved
        self.conflict = False
        self.debouncer = Debouncer(debounce_s)
        self.typed_before: dict = {}      # path -> the value a member typed over (shared.py)
        self.refreshed: dict = {}         # path -> (value before another's save, when)
        self._quiet = 0
        self.status = W.HTML(layout=W.Layout(min_height="1.5em"))
        self.error = W.HTML()
        self.figures = W.HTML()
        self.charts = ChartPanel(self.CHARTS, self.lang, dpi=chart_dpi)
        self.reload_button = W.Button(description=self.t("ui.reload"), icon="refresh",
                                      tooltip=self.t("ui.reload_tip"))
        self.reload_button.on_click(lambda _b: self.reload())
        self.body = W.VBox()
        self.clash_box = W.VBox()           # a real clash: both values, the member chooses
        self.listeners: list[Callable[[GroupWork, impact.Impact], None]] = []
        self.root = W.VBox([W.HTML(CSS), self.body, self.error, self.clash_box,
                            W.HBox([self.reload_button, self.status]),
                            self.figures, self.charts.widget])
        self.root.add_class("kit-editor")
        self.status.add_class("kit-status")
        self._rebuild()
        self.show_figures(self.saved)
        self.charts.update(self.saved, self.assumptions)
        self._disk_key = None
        self.start_watching()

    # -- helpers ---------------------------------------------------------------------------
    @classmethod
    def open(cls, session_dir: str | Path = "", group_id: str = "", lang: str = "ja", **kw):
        return cls(session_dir, group_id, lang, **kw)

    def t(self, key: str, **values) -> str:
        return i18n.t(key, self.lang, **values)

    @property
    def work(self) -> GroupWork:
        """What the participant sees: the pending valid edit, else the saved state."""
        return self.draft or self.saved

    @property
    def assumptions(self):
        return self.session.assumptions

    def _ipython_display_(self):
        from IPython.display import display
        display(self.root)

    def watch(self, widget: W.Widget, name: str = "value") -> W.Widget:
        widget.observe(self._on_change, names=name)
        return widget

    def _on_change(self, change=None) -> None:
        if not self._quiet:
            self.note_edit_after_refresh(change)
            self.changed()

    def _rebuild(self) -> None:
        self._quiet += 1
        try:
            self.fields = Fields(self.lang)
            self.build()
            self._structure = self.structure(self.work)
        finally:
            self._quiet -= 1

    @contextlib.contextmanager
    def quiet(self):
        """Widget changes made by the editor itself (not the member's edits)."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    # -- parsing with the field's path, so an error is shown beside its field ---------------
    def parse_step(self, data: dict, index: int) -> Step:
        """``Step.parse`` naming the step (「手順3」); an error carries the field's path."""
        try:
            return Step.parse(data, where=self.t("ui.step_n", n=index + 1))
        except InputError as exc:
            exc.path = ("steps", data.get("id"), *exc.field.split("."))
            raise

    def parse_work(self, data: dict) -> GroupWork:
        """``GroupWork.parse``; an error carries the field's path (steps named by id)."""
        try:
            return GroupWork.parse(data)
        except InputError as exc:
            if not getattr(exc, "path", None):
                exc.path = path_of(exc.field, data)
            raise

    # -- subclass hooks --------------------------------------------------------------------
    @abc.abstractmethod
    def build(self) -> None:
        """Lay out the section's widgets from ``self.work``."""

    @abc.abstractmethod
    def collect(self) -> GroupWork:
        """The edited workspace from the widgets (model validation raises InputError)."""

    # -- the edit cycle --------------------------------------------------------------------
    def valid_edit(self) -> GroupWork | None:
        """The current edit if it is valid; else the message is shown inline and None."""
        self.fields.clear()
        try:
            return self.collect()
        except InputError as exc:
            self.show_error(exc.message(self.lang), getattr(exc, "path", None) or
                            path_of(exc.field, {}))
            return None

    def changed(self) -> None:
        """A widget changed: validate, show figures and charts at once, save after a pause."""
        work = self.valid_edit()
        if work is not None:
            self.apply(work)

    def apply(self, work: GroupWork, rebuild: bool = False) -> None:
        """Show ``work`` (already valid) and schedule its save."""
        self.draft = work
        self.error.value = ""
        self.fields.clear()
        if rebuild:
            self._rebuild()
        self.show_figures(work)
        self.charts.update(work, self.assumptions)
        self.status.value = message_html(self.t("ui.pending"), "info")
        self.debouncer.schedule(self._save)

    def show_figures(self, work: GroupWork) -> impact.Impact:
        m = impact.compute(work, self.assumptions)
        self.figures.value = key_figures_html(m, self.lang, self.KEYS) + (
            not_delivered_html(m, self.lang) if self.NOT_DELIVERED else "")
        for listener in getattr(self, "listeners", ()):
            listener(work, m)
        return m

    def show_error(self, text: str, path: tuple | None = None) -> None:
        """The message beside its field (marked) when there is one, else under the editor;
        it replaces an older 「保存しました」 in the status line."""
        text = text + " " + self.t("ui.not_saved")
        shown = bool(path) and self.fields.mark(tuple(path), text)
        self.error.value = "" if shown else message_html(text, "error", alert=True)
        self.status.value = message_html(self.t("ui.error_above") if shown else "", "error")

    def _save(self) -> None:
        work = self.draft
        if work is None:
            return
        if self.typed_before and not self.typed_over(work):
            return
        try:
            saved = store.save_work(self.session_dir, work, expected_revision=self.saved.revision,
                                    merge=True, base=self.merge_base())
        except ConflictError as exc:
            self.conflict = True
            clashes = list(getattr(exc, "clashes", None) or [])
            if clashes:                     # the choice is offered above the status line
                self.offer_choice(work, clashes)
                self.status.value = message_html(self.t("ui.clash_intro"), "warn")
            else:
                self.status.value = message_html(exc.message(self.lang) + " " +
                                                 self.t("ui.conflict_hint"), "warn")
            self.reload_button.button_style = "warning"
            return
        except KitError as exc:
            self.status.value = message_html(exc.message(self.lang), "error")
            return
        except Exception as exc:  # noqa: BLE001 - participants never see a traceback
            log.exception("save failed")
            self.status.value = message_html(self.t("ui.save_failed", detail=type(exc).__name__),
                                             "error")
            return
        merged = saved.model_dump(exclude={"revision", "updated_at"}) != \
            work.model_dump(exclude={"revision", "updated_at"})
        self.saved = saved
        self.typed_before.clear()
        if self.draft is work:
            self.draft = None
        if merged:                          # another member's edits came in with ours
            self.show_in_place(saved)
        when = _dt.datetime.now().strftime("%H:%M:%S")
        self.error.value = ""
        self.status.value = message_html(self.t("ui.saved", revision=self.saved.revision,
                                                time=when), "ok")

    def flush(self) -> None:
        """Save a pending edit now (tests, the benchmark, before rendering)."""
        self.debouncer.flush()

    def reload(self) -> None:
        """Drop unsaved edits and show exactly what is on disk (e.g. another member's save)."""
        self.debouncer.cancel()
        self.session = store.load_session(self.session_dir)
        self.saved = store.load_work(self.session_dir, self.group_id)
        self.draft = None
        self.conflict = False
        self.clash_box.children = []
        self.typed_before.clear()
        self.reload_button.button_style = ""
        self.error.value = ""
        self._rebuild()
        self.show_figures(self.saved)
        self.charts.update(self.saved, self.assumptions, force=True)
        self.status.value = message_html(self.t("ui.reloaded", revision=self.saved.revision),
                                         "ok")
