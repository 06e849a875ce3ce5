"""One page per group: the whole workshop from 0 基礎 to 5 振り返り, without a facilitator.

``kit app SESSION GROUP`` serves ``workshops/group_page.ipynb`` (one cell: :meth:`GroupPage.open`)
with Voilà. The page shows

* the stages as buttons (「1 現状」…), the one open marked, a button to the next one under it;
* a progress line: what is filled in and what is still missing (年間件数, a step without
  minutes, no system chosen …), computed from the saved workspace (:func:`progress_items`);
* one sentence of what to do now on each stage;
* the key figures in a bar fixed at the bottom of the window on stages 1–4, so they stay in
  view while the member scrolls through the steps.

Each stage is one of the section editors of :mod:`kit.widgets`, made when first opened and
kept (the page's kernel holds them all: a stage switch costs no kernel start). Every editor
saves through the store with the three-way merge and follows the other members' saves.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import ipywidgets as W

from kit import i18n
from kit.documents.figures import Figures
from kit.documents.fragments import esc
from kit.domain.enums import STAFF_ACTORS, Action, Phase
from kit.domain.model import GroupWork
from kit.domain.money import impact
from kit.io import store
from kit.render.params import STAGES
from kit.widgets.common import resolve

log = logging.getLogger(__name__)

BAR_KEYS = ("hours_asis", "hours_saved", "cost_saved", "general_fund", "npv")

PAGE_CSS = """<style>
.kit-page { padding-bottom: 5.5em; max-width: 1320px; }
.kit-page-nav .jupyter-button { width:auto; min-width:7em; margin-right:4px; }
/* Voilà's scrolling panel has contain: strict, which makes it the bar's containing block:
   the bar would scroll away with a long stage. Not for the panel that holds the page. */
.lm-BoxPanel-child:has(.kit-page-bar) { contain: none !important; }
.kit-page-bar { position: fixed; left: 0; right: 0; bottom: 0; z-index: 1000;
  background: #f4f7fb; border-top: 2px solid #2c5aa0; padding: 4px 12px;
  font-size: 14px; line-height: 1.5; }
.kit-bar-items { display: flex; flex-wrap: wrap; column-gap: 1.4em; }
.kit-bar-item { white-space: nowrap; }
.kit-bar-name { color: #333; font-size: 13px; }
.kit-page-progress ul { margin: 2px 0; padding-left: 1.2em; }
.kit-page-progress li { display: inline-block; margin-right: 1.2em; }
.kit-page-progress .todo { color: #8a5a00; }
.kit-page-progress .done { color: #1b6e20; }
.kit-page-guide { font-size: 15px; background: #fffbe6; border-left: 4px solid #e0a800;
  padding: 4px 10px; margin: 4px 0; }
.kit-page .widget-html-content, .kit-page .widget-label { white-space: normal; }
.kit-page .jupyter-button { width: auto; }
</style>"""


def progress_items(work: GroupWork) -> list[tuple[bool, str, dict]]:
    """(done, message key, values) for the progress line, in the order of the stages."""
    staff = [s for s in work.steps if not s.is_new and s.actor in STAFF_ACTORS]
    no_minutes = [i + 1 for i, s in enumerate(work.steps)
                  if not s.is_new and s.actor in STAFF_ACTORS and s.minutes <= 0]
    changed = [s for s in work.steps if s.changed]
    needs_system = [s for s in changed if s.phase == Phase.redesign or s.needs_tags
                    or s.action == Action.automate]
    items = [
        (work.annual_cases > 0, "page.p.cases", {}),
        (bool(staff), "page.p.steps", {"n": len(work.steps)}),
    ]
    if staff:
        items.append((not no_minutes, "page.p.minutes",
                      {"steps": no_minutes[:6]}))
    items.append((bool(changed), "page.p.changes", {"n": len(changed)}))
    if needs_system or work.systems:
        items.append((bool(work.systems), "page.p.system", {}))
    if work.systems:
        items.append((work.costs.initial_cost_yen > 0 or work.costs.annual_cost_yen > 0,
                      "page.p.costs", {}))
    items.append((bool(work.charter.sponsor or work.charter.in_scope or work.actions),
                  "page.p.plan", {}))
    return items


def progress_html(work: GroupWork, lang: str) -> str:
    parts = []
    sep = "、" if lang == "ja" else ", "
    for done, key, values in progress_items(work):
        values = {k: sep.join(map(str, v)) if isinstance(v, list) else v
                  for k, v in values.items()}
        text = i18n.t(key + (".done" if done else ".todo"), lang, **values)
        mark = "✓" if done else "・"
        parts.append(f'<li class="{"done" if done else "todo"}">{mark} {esc(text)}</li>')
    return (f'<div class="kit-page-progress" role="status"><b>{esc(i18n.t("page.progress", lang))}'
            f"</b><ul>{''.join(parts)}</ul></div>")


def bar_html(m: impact.Impact, lang: str) -> str:
    fmt = Figures(lang, m.horizon_years)
    cells = "".join(f'<span class="kit-bar-item"><span class="kit-bar-name">{esc(fmt.name(k))}'
                    f'</span> <b class="kit-bar-{k}">{fmt.figure(k, m)}</b></span>'
                    for k in BAR_KEYS)
    return (f'<div class="kit-bar-items" role="region" '
            f'aria-label="{esc(i18n.t("page.bar", lang))}">{cells}</div>')


def _import_stage(name: str) -> None:
    import importlib

    module = {"00_bpr_basics": "basics", "01_as_is": "as_is", "02_to_be": "to_be",
              "03_system_selection": "selection", "04_impact": "assumptions",
              "05_review": "review"}[name]
    importlib.import_module(f"kit.widgets.{module}")


class GroupPage:
    """The group's workshop page: stages, progress, what to do now, key figures in view."""

    def __init__(self, session_dir: str | Path = "", group_id: str = "", lang: str = "ja",
                 stage: str = "01_as_is", prebuild: bool = True):
        self.session_dir, self.group_id = resolve(session_dir, group_id)
        self.lang = lang if lang in i18n.LANGS else i18n.DEFAULT_LANG
        self.session = store.load_session(self.session_dir)
        work = store.load_work(self.session_dir, self.group_id)
        self.stage = stage if stage in STAGES else "01_as_is"
        self.stages: dict[str, object] = {}
        self.nav = {}
        for i, name in enumerate(STAGES):
            b = W.Button(description=f"{i} {self.t(f'page.stage.{name}')}",
                         tooltip=self.t(f"page.stage_tip.{name}"),
                         layout=W.Layout(width="auto"))
            b.on_click(lambda _b, n=name: self.go(n, focus=True))
            self.nav[name] = b
        nav = W.HBox(list(self.nav.values()), layout=W.Layout(flex_flow="row wrap"))
        nav.add_class("kit-page-nav")
        title = W.HTML(f"<h2 style='margin:4px 0'>{esc(work.theme)} "
                       f"<small style='color:#555'>{esc(self.t('page.group', group=self.group_id))}"
                       f"</small></h2>")
        self.progress = W.HTML()
        self.guide = W.HTML()
        self.area = W.VBox()
        self.next_button = W.Button(button_style="primary", layout=W.Layout(width="auto"))
        self.next_button.on_click(lambda _b: self.go_next())
        self.prev_button = W.Button(layout=W.Layout(width="auto"))
        self.prev_button.on_click(lambda _b: self.go_prev())
        self.bar = W.HTML()
        self.bar.add_class("kit-page-bar")
        self.root = W.VBox([W.HTML(PAGE_CSS), title, nav, self.progress, self.guide, self.area,
                            W.HBox([self.prev_button, self.next_button]), self.bar])
        self.root.add_class("kit-page")
        self.show_progress(work)
        self.go(self.stage)
        if prebuild:
            self.prebuild_later()

    @classmethod
    def open(cls, session_dir: str | Path = "", group_id: str = "", lang: str = "ja",
             stage: str = "", **kw) -> GroupPage:
        return cls(session_dir, group_id, lang, stage or "01_as_is", **kw)

    def t(self, key: str, **values) -> str:
        return i18n.t(key, self.lang, **values)

    def _ipython_display_(self):
        from IPython.display import display
        display(self.root)

    # -- stages ----------------------------------------------------------------------------
    def editor(self, name: str):
        """The stage's editor, made when first asked for and kept."""
        if name not in self.stages:
            made = self.stages[name] = self._make(name)
            for part in getattr(made, "editors", (made,)):
                part.hidden = name != self.stage     # only the stage shown follows others live
        return self.stages[name]

    def _make(self, name: str):
        args = (self.session_dir, self.group_id, self.lang)
        if name == "00_bpr_basics":
            from kit.widgets.basics import BasicsExercise
            return BasicsExercise(self.lang)
        if name == "05_review":
            from kit.widgets.review import ReviewStage
            return ReviewStage(self)
        if name == "01_as_is":
            from kit.widgets.as_is import AsIsEditor as cls
        elif name == "02_to_be":
            from kit.widgets.to_be import ToBeEditor as cls
        elif name == "03_system_selection":
            from kit.widgets.selection import SelectionEditor as cls
        else:
            from kit.widgets.assumptions import ImpactEditor as cls
        editor = cls(*args)
        editor.listeners.append(self.on_figures)
        return editor

    def go(self, name: str, focus: bool = False) -> None:
        """Open stage ``name``: its editor (made once), the guide and the buttons; ``focus``
        moves the keyboard focus to the stage's button at the top, which also brings the
        top of the page into view (after 「次へ」 at the bottom of a long stage)."""
        if name not in STAGES:
            return
        self.stage = name
        editor = self.editor(name)
        poll = getattr(editor, "poll_workspace", None)
        if poll is not None:
            try:
                poll()                      # what the others saved meanwhile, at once
            except Exception:  # noqa: BLE001
                log.exception("poll on stage switch failed")
        self.area.children = [editor.root]
        for other, made in self.stages.items():    # only the stage shown follows others live
            for part in getattr(made, "editors", (made,)):
                part.hidden = other != name
        for n, b in self.nav.items():
            b.button_style = "info" if n == name else ""
            b.icon = "check" if n == name else ""
        self.guide.value = (f'<div class="kit-page-guide" role="note"><b>'
                            f'{esc(self.t("page.now"))}</b> '
                            f'{esc(self.t(f"page.guide.{name}"))}</div>')
        i = STAGES.index(name)
        self.next_button.layout.display = "" if i + 1 < len(STAGES) else "none"
        self.prev_button.layout.display = "" if i > 0 else "none"
        if i + 1 < len(STAGES):
            nxt = STAGES[i + 1]
            self.next_button.description = self.t("page.next", stage=f"{i + 1} " +
                                                  self.t(f"page.stage.{nxt}"))
        if i > 0:
            prv = STAGES[i - 1]
            self.prev_button.description = self.t("page.prev", stage=f"{i - 1} " +
                                                  self.t(f"page.stage.{prv}"))
        work = getattr(editor, "work", None)
        show_bar = name in STAGES[1:5]
        self.bar.layout.display = "" if show_bar else "none"
        if isinstance(work, GroupWork):
            self.on_figures(work, None)
        if focus:
            self.nav[name].focus()

    def go_next(self) -> None:
        i = STAGES.index(self.stage)
        if i + 1 < len(STAGES):
            self.go(STAGES[i + 1], focus=True)

    def go_prev(self) -> None:
        i = STAGES.index(self.stage)
        if i > 0:
            self.go(STAGES[i - 1], focus=True)

    def prebuild_later(self, delay_s: float = 1.0) -> bool:
        """Make the other stages in the kernel's spare time once a browser shows the page,
        next stage first, then warm the handout: a stage switch then only swaps what is
        shown. Not before: with Voilà's pre-heated kernels the page runs before anyone asks
        for it, and widgets made then would all be sent to the browser with the page."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        i = STAGES.index(self.stage)
        todo = [n for n in STAGES[i + 1:] + STAGES[:i]] + ["handout"]

        def connected() -> bool:            # the browser's widget manager has talked to us
            return getattr(W.Widget, "_control_comm", None) is not None

        def step() -> None:
            if not todo:
                self.root.add_class("kit-page-ready")    # every stage made (tests wait on it)
                return
            name = todo.pop(0)
            try:
                if name == "handout":
                    import kit.documents.handout  # noqa: F401
                    from kit.render.inline import warm
                    warm()                  # the handout button then takes under a second
                else:
                    self.editor(name)
            except Exception:  # noqa: BLE001 - the stage is made again when opened
                log.exception("prebuild of %s failed", name)
            loop.call_later(0.1, step)

        def wait(tries: int = 0) -> None:
            if connected():
                loop.call_later(delay_s, step)
            elif tries < 36_000:            # look for an hour, then give up quietly
                loop.call_later(0.1, wait, tries + 1)

        for name in todo[:-1]:              # the modules at least, now
            _import_stage(name)
        wait()
        return True

    # -- what every stage shares -----------------------------------------------------------
    def on_figures(self, work: GroupWork, m: impact.Impact | None) -> None:
        """An editor showed new figures: the bar and the progress line follow."""
        if m is None:
            m = impact.compute(work, self.session.assumptions)
        self.bar.value = bar_html(m, self.lang)
        self.show_progress(work)

    def show_progress(self, work: GroupWork) -> None:
        self.progress.value = progress_html(work, self.lang)
