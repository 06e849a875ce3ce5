"""Stage 5 振り返り of the group page: scope and targets, the action plan, the handout.

The charter and the action plan are the editors of :mod:`kit.widgets.charter`; the handout
button makes the group's handout in the page's own kernel (:mod:`kit.render.inline`: the
document ``kit render`` makes, without a new process) and offers it as a download.
"""

from __future__ import annotations

import base64
import logging
import time

import ipywidgets as W

from kit.documents.fragments import esc
from kit.widgets.charter import ActionsEditor, CharterEditor
from kit.widgets.common import message_html

log = logging.getLogger(__name__)


class ReviewStage:
    def __init__(self, page):
        self.page = page
        args = (page.session_dir, page.group_id, page.lang)
        self.charter = CharterEditor(*args)
        self.actions = ActionsEditor(*args)
        t = page.t
        self.render_button = W.Button(description=t("ui.render"), icon="file",
                                      button_style="success", layout=W.Layout(width="auto"))
        self.render_button.on_click(lambda _b: self.render_now())
        self.render_out = W.HTML()
        self.render_seconds: float | None = None
        self.root = W.VBox([
            W.HTML(f"<h3>{esc(t('page.review.handout'))}</h3>"
                   f"<p>{esc(t('page.review.handout_hint'))}</p>"),
            W.HBox([self.render_button]), self.render_out, self.charter.root,
            self.actions.root])

    @property
    def editors(self):
        return (self.charter, self.actions)

    @property
    def work(self):
        return self.actions.work

    def poll_workspace(self) -> bool:
        a = self.charter.poll_workspace()
        b = self.actions.poll_workspace()
        return a or b

    def handout_path(self):
        return self.page.session_dir / "handouts" / f"{self.page.group_id}.html"

    def render_now(self) -> None:
        """Save what is pending, then make the handout here and link it."""
        from kit.documents.handout import Handout
        from kit.render.inline import render_group_inline

        start = time.perf_counter()
        for editor in list(self.page.stages.values()):
            flush = getattr(editor, "flush", None)
            if flush is not None:
                flush()
        self.charter.flush()
        self.actions.flush()
        self.render_button.disabled = True
        try:
            handout = Handout.open(str(self.page.session_dir), self.page.group_id,
                                   self.page.lang)
            parts = [handout.section_html(name) for name in handout.SECTIONS]
            file = render_group_inline(self.page.session_dir, self.page.group_id,
                                       self.handout_path().parent, self.page.lang, parts)
            data = base64.b64encode(file.read_bytes()).decode("ascii")
            self.render_out.value = (
                f'<p class="kit-handout" role="status">{esc(self.page.t("ui.rendered"))} '
                f'<a class="kit-download" download="{esc(file.name)}" '
                f'href="data:text/html;base64,{data}" style="color:#0645ad;'
                f'text-decoration:underline;font-weight:bold">'
                f"{esc(self.page.t('ui.download', name=file.name))}</a></p>")
        except Exception as exc:  # noqa: BLE001 - a participant never sees a traceback
            log.exception("handout failed")
            detail = exc.message(self.page.lang) if hasattr(exc, "message") else \
                type(exc).__name__
            self.render_out.value = message_html(self.page.t("ui.render_failed", detail=detail),
                                                 "error")
        finally:
            self.render_button.disabled = False
            self.render_seconds = time.perf_counter() - start
