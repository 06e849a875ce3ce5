"""What every section editor shares: the workspace, debounced autosave, messages, figures.

An editor never keeps state of its own: it builds a :class:`kit.domain.model.GroupWork` from its
widgets (validated by the model), shows key figures and charts computed by :mod:`kit.domain.impact`
and :mod:`kit.charts.impact`, and saves through :mod:`kit.io.store` after a short pause (debounce).
A bad value shows an inline message in the participant's language and nothing is saved: the
workspace on disk keeps the last valid state. Another member's save in between is detected
by the store (ConflictError): the editor says so and offers to reload; it never overwrites.
"""

from __future__ import annotations

import abc
import asyncio
import datetime as _dt
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

import ipywidgets as W

from kit import i18n
from kit.documents.figures import Figures
from kit.documents.finance import not_delivered_html
from kit.documents.fragments import esc
from kit.domain import checks, impact
from kit.domain.model import GroupWork
from kit.exceptions import ConflictError, InputError, KitError
from kit.io import store
from kit.widgets.live import ChartPanel
from kit.workspace import demo

log = logging.getLogger(__name__)
DEBOUNCE_S = 0.8
# Seconds between looks at work.json for another member's save (JupyterHub room); 0 = off.
try:
    WATCH_S = max(0.0, float(os.environ.get("KIT_WATCH_S") or 3))
except ValueError:
    WATCH_S = 3.0


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


def message_html(text: str, kind: str) -> str:
    colour = {"error": "#b00020", "warn": "#8a5a00", "ok": "#1b6e20"}.get(kind, "#333")
    return (f'<div class="kit-msg kit-msg-{kind}" style="color:{colour};white-space:normal">'
            f"{esc(text)}</div>")


def checks_html(found: list[checks.Check], lang: str) -> str:
    """Warnings and to-dos under an editor (escaped), or '' when there are none."""
    return "".join(message_html(c.text(lang), "warn") for c in found)


def value_text(value) -> str:
    """A stored value in a text box: blank for None (not measured), floats without ".0"."""
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


class Editor(abc.ABC):
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
        self._quiet = 0
        self.status = W.HTML(layout=W.Layout(min_height="1.5em"))
        self.error = W.HTML()
        self.figures = W.HTML()
        self.charts = ChartPanel(self.CHARTS, self.lang, dpi=chart_dpi)
        self.reload_button = W.Button(description=self.t("ui.reload"), icon="refresh",
                                      tooltip=self.t("ui.reload_tip"))
        self.reload_button.on_click(lambda _b: self.reload())
        self.body = W.VBox()
        self.root = W.VBox([self.body, self.error, W.HBox([self.reload_button, self.status]),
                            self.figures, self.charts.widget])
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

    def _on_change(self, _change=None) -> None:
        if not self._quiet:
            self.changed()

    def _rebuild(self) -> None:
        self._quiet += 1
        try:
            self.build()
        finally:
            self._quiet -= 1

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
        try:
            return self.collect()
        except InputError as exc:
            self.show_error(exc.message(self.lang))
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
        return m

    def show_error(self, text: str) -> None:
        self.error.value = message_html(text + " " + self.t("ui.not_saved"), "error")

    def _save(self) -> None:
        work = self.draft
        if work is None:
            return
        try:
            self.saved = store.save_work(self.session_dir, work,
                                         expected_revision=self.saved.revision)
        except ConflictError as exc:
            self.conflict = True
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
        if self.draft is work:
            self.draft = None
        when = _dt.datetime.now().strftime("%H:%M:%S")
        self.status.value = message_html(self.t("ui.saved", revision=self.saved.revision,
                                                time=when), "ok")

    # -- other members' saves (several browsers on one group, e.g. a JupyterHub room) -------
    def start_watching(self, interval_s: float | None = None) -> bool:
        """Look at work.json every few seconds in the kernel's event loop (no loop: no-op;
        call :meth:`poll_workspace` yourself)."""
        interval = WATCH_S if interval_s is None else interval_s
        if not interval:
            return False
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False

        def tick() -> None:
            try:
                self.poll_workspace()
            except Exception:  # noqa: BLE001 - a failed look must not stop the watching
                log.exception("workspace poll failed")
            loop.call_later(interval, tick)

        loop.call_later(interval, tick)
        return True

    def poll_workspace(self) -> bool:
        """Show another member's save: reload when no edit of ours is pending; otherwise keep
        the edit on screen and say that it will not overwrite theirs. True when reloaded."""
        try:
            stat = store.path("work", self.session_dir, self.group_id).stat()
        except OSError:
            return False
        key = (stat.st_mtime_ns, stat.st_size)
        if key == self._disk_key:
            return False
        self._disk_key = key
        revision = store.disk_revision(self.session_dir, self.group_id)
        if revision <= self.saved.revision or self.conflict:   # a conflict is already shown
            return False
        if self.draft is not None or self.debouncer.pending:
            self.status.value = message_html(self.t("hub.others_saved_pending",
                                                    revision=revision), "warn")
            self.reload_button.button_style = "warning"
            return False
        self.reload()
        self.status.value = message_html(self.t("hub.others_saved",
                                                revision=self.saved.revision), "ok")
        return True

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
        self.reload_button.button_style = ""
        self.error.value = ""
        self._rebuild()
        self.show_figures(self.saved)
        self.charts.update(self.saved, self.assumptions, force=True)
        self.status.value = message_html(self.t("ui.reloaded", revision=self.saved.revision),
                                         "ok")


def bundle_picker(editor: Editor, work: GroupWork) -> W.Widget:
    """The chosen systems (a bundle): several of the session catalogue."""
    options = [(o.name, o.system_id) for o in editor.session.systems]
    ids = {o for _, o in options}
    picker = editor.watch(W.SelectMultiple(
        options=options, value=tuple(o.system_id for o in work.systems if o.system_id in ids),
        description=editor.t("fin.ui.bundle"), rows=min(8, max(2, len(options))),
        style={"description_width": "initial"}, layout=W.Layout(width="40em")))
    picker.tooltip = editor.t("fin.ui.bundle_hint")
    return picker


def chosen_bundle(editor: Editor, ids) -> dict:
    """``systems`` (and, when the bundle changed, its summed ``costs``) for ``collect``."""
    from kit.domain.selection import scenario

    catalogue = {o.system_id: o for o in editor.session.systems}
    systems = [catalogue[i] for i in ids if i in catalogue]
    shown = editor.work
    if [o.system_id for o in systems] == [o.system_id for o in shown.systems]:
        return {"systems": [o.model_dump() for o in shown.systems]}
    costs = scenario(shown, systems).costs
    return {"systems": [o.model_dump() for o in systems], "costs": costs.model_dump()}


def number_box(value: float, description: str = "", width: str = "7em") -> W.FloatText:
    return W.FloatText(value=value, description=description, layout=W.Layout(width=width),
                       continuous_update=False)


def dropdown(kind: str, value: object, lang: str, width: str = "8em") -> W.Dropdown:
    return W.Dropdown(options=i18n.choices(kind, lang), value=getattr(value, "value", value),
                      layout=W.Layout(width=width))
