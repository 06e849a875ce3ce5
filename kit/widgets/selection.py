"""The system selection editor (workshops/03_system_selection.ipynb).

Candidates are chosen from the session catalogue with check boxes, or added by hand (name,
costs, what the system enables: a :class:`SystemOption` with a generated id, saved in
``work.candidates``). Criterion weights are sliders, shown normalised live; the 1–5 scores
of each candidate (labelled dropdowns) default to the catalogue's. The chosen systems (a
bundle) are check boxes too.

Live, as the group edits: the key figures of the chosen bundle, the ranking, how often each
candidate comes first when the weights are perturbed, and the smallest weight change that
changes the winner, computed and worded exactly as the handout's selection section
(:class:`kit.documents.decision.DecisionSections`, the same :mod:`kit.domain.money.selection`
functions with the same seed). Every field is registered in ``self.fields`` by its path in
the workspace (``("scores", <system id>, "integration")``, ``("weights", "hours_saved")``).
"""

from __future__ import annotations

import re
import unicodedata
import uuid

import ipywidgets as W

from kit import i18n
from kit.charts import style as charts_style
from kit.documents import decision
from kit.documents.base import Document
from kit.documents.fragments import table as html_table
from kit.domain.model import GroupWork, SystemOption
from kit.domain.money import selection
from kit.domain.money.bundle import capability_choices
from kit.exceptions import InputError
from kit.widgets.common import Editor, esc, message_html
from kit.widgets.fields import Fields, TagChecks

SCORE_OPTIONS = [(str(i), i) for i in range(1, 6)]


# -- the systems a group can choose from (shared with the impact editor) ---------------------
def system_catalogue(session, work: GroupWork, extra=()) -> list[SystemOption]:
    """The session catalogue, then the group's own systems (added by hand) not in it."""
    out = list(session.systems)
    seen = {o.system_id for o in out}
    for o in (*work.candidates, *work.systems, *extra):
        if o.system_id not in seen:
            out.append(o)
            seen.add(o.system_id)
    return out


def bundle_checks(editor: Editor, catalogue: list[SystemOption], work: GroupWork) -> TagChecks:
    """The chosen systems (a bundle) as check boxes, watched by ``editor``."""
    ids = {o.system_id for o in catalogue}
    checks = TagChecks([(o.name, o.system_id) for o in catalogue],
                       [o.system_id for o in work.systems if o.system_id in ids],
                       editor.t("fin.ui.bundle"))
    editor.watch(checks)
    return checks


def chosen_systems(editor: Editor, catalogue: list[SystemOption], ids) -> dict:
    """``systems`` (and, when the bundle changed, its summed ``costs``) for ``collect``."""
    by_id = {o.system_id: o for o in catalogue}
    systems = [by_id[i] for i in ids if i in by_id]
    shown = editor.work
    if {o.system_id for o in systems} == {o.system_id for o in shown.systems}:   # unchanged
        return {"systems": [o.model_dump() for o in shown.systems]}
    costs = selection.scenario(shown, systems).costs
    return {"systems": [o.model_dump() for o in systems], "costs": costs.model_dump()}


def new_system_id(name: str, taken) -> str:
    """A slug for a system added by hand: its ASCII letters, else ``own-<short uuid>``."""
    text = unicodedata.normalize("NFKC", name).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:30]
    if not slug or not slug[0].isalnum():
        slug = f"own-{uuid.uuid4().hex[:6]}"
    while slug in taken:
        slug = f"{slug[:30]}-{uuid.uuid4().hex[:4]}"
    return slug


# -- the handout's selection numbers ----------------------------------------------------------
class _Handout(decision.DecisionSections, Document):
    """The handout's selection section for a workspace not yet on disk (its formatters)."""

    def __init__(self, work: GroupWork, session, lang: str):
        Document.__init__(self, lang, session.assumptions.horizon_years)
        self.work, self.session, self.assumptions = work, session, session.assumptions


def selection_view(work: GroupWork, session, lang: str) -> dict | None:
    """What the handout shows about the ranking (``selection_html``): the ranked table, its
    rows (rank, name, score out of 100, share of wins), the flip sentence. None: no
    candidates."""
    view = _Handout(work, session, lang)
    options = view._options()
    if not options:
        return None
    table = selection.scenario_table(work, options, session.assumptions)
    metrics = selection.scenario_metrics(table)
    weights = work.weights or selection.DEFAULT_WEIGHTS
    ranked = selection.rank(options, weights, work.scores, metrics)
    prob = selection.win_probability(options, weights, work.scores, seed=decision.SEED,
                                     metrics=metrics)
    flip = selection.flip_weight_change(options, weights, work.scores, metrics)
    rows = [[str(int(r["rank"])), esc(r["name"]) + view._chosen(sid),
             f"{r['score'] * 100:.0f}", i18n.fmt_percent(prob[sid])]
            for sid, r in ranked.iterrows()]
    headers = ["#", view.t("dec.system"), view.t("dec.score"), view.t("dec.win_probability")]
    return {"ranked": ranked, "rows": rows, "headers": headers, "win": prob,
            "flip": view._flip_text(flip, options)}


class SelectionEditor(Editor):
    KEYS = ("hours_saved", "initial_cost", "annual_cost", "general_fund", "npv",
            "not_delivered_hours")
    CHARTS = ()
    NOT_DELIVERED = True

    @property
    def catalogue(self) -> list[SystemOption]:
        """The session catalogue and the group's systems added by hand."""
        return system_catalogue(self.session, self.work, self.__dict__.get("own", {}).values())

    def build(self) -> None:
        work, t, f = self.work, self.t, self.fields
        own = self.__dict__.setdefault("own", {})       # added by hand: kept when unticked
        session_ids = {o.system_id for o in self.session.systems}
        own.update({o.system_id: o for o in (*work.candidates, *work.systems)
                    if o.system_id not in session_ids})
        catalogue = self.catalogue
        chosen = selection.group_options(work, catalogue)
        chosen_ids = {o.system_id for o in chosen}
        apart = {o.system_id for o in selection.out_of_scope(work, catalogue)}
        mark = t("sel.ui.own_mark")
        self.pick = {o.system_id: self.watch(W.Checkbox(
            value=o.system_id in chosen_ids, indent=False, layout=W.Layout(width="auto"),
            description=o.name + (mark if o.system_id in own else "")))
            for o in catalogue}
        # weights: sliders with their criterion as the (visible) accessible name
        weights = work.weights or selection.DEFAULT_WEIGHTS
        self.weights, self.shares = {}, {}
        for c in selection.CRITERIA:
            slider = W.FloatSlider(value=float(weights.get(c, 0.0)), min=0, max=5, step=0.5,
                                   readout=False, continuous_update=False,
                                   layout=W.Layout(width="34em"))
            f._register(("weights", c), slider, "slider", t(f"sel.crit.{c}"), hidden=False)
            slider.style.description_width = "14em"
            self.weights[c] = self.watch(slider)
            self.shares[c] = W.HTML()
        # scores: one row per candidate, dropdowns named 「<system> <criterion>」
        self.scores = {}
        rows = []
        for o in chosen:
            own_scores = work.scores.get(o.system_id, {})
            boxes = []
            for c in selection.SCORE_CRITERIA:
                value = float(own_scores.get(c, getattr(o, c)))
                value = int(value) if value.is_integer() else value
                options = SCORE_OPTIONS + ([(f"{value:g}", value)]
                                           if value not in range(1, 6) else [])
                box = f.choice(("scores", o.system_id, c), "", value,
                               f"{o.name} {t(f'sel.crit.{c}')}", width="8em", options=options)
                self.scores[(o.system_id, c)] = self.watch(box)
                boxes.append(box)
            rows.append(W.HBox([W.HTML(esc(o.name), layout=W.Layout(width="22em"))] + boxes))
        head = W.HBox([W.HTML("", layout=W.Layout(width="22em"))] +
                      [W.HTML(f"<b>{esc(t(f'sel.crit.{c}'))}</b>",
                              layout=W.Layout(width="8em")) for c in selection.SCORE_CRITERIA])
        self.selected = bundle_checks(self, catalogue, work)   # the chosen systems: a bundle
        self.ranking = W.HTML()
        self.flip = W.HTML()
        self.chart = W.Image(format="png", layout=W.Layout(max_width="100%"))
        self.body.children = [
            W.HTML(f"<h4>{esc(t('ui.sel.candidates'))}</h4>"),
            *[box for sid, box in self.pick.items() if sid not in apart],
            *([W.HTML(f"<h4>{esc(t('fin.out_of_scope'))}</h4>")] if apart else []),
            *[box for sid, box in self.pick.items() if sid in apart],
            self.add_form(),
            W.HTML(f"<h4>{esc(t('ui.sel.weights'))}</h4>"),
            *[W.HBox([self.weights[c], self.shares[c]]) for c in selection.CRITERIA],
            f.slot(("weights",)),
            W.HTML(f"<h4>{esc(t('ui.sel.scores'))}</h4>"), head, *rows, f.slot(("scores",)),
            W.HTML(f"<h4>{esc(t('fin.ui.bundle'))}</h4>"
                   f'<p style="color:#666">{esc(t("sel.ui.bundle_hint"))}</p>'),
            self.selected.widget, f.slot(("systems",)),
            W.HTML(f"<h4>{esc(t('sel.ui.ranking'))}</h4>"), self.ranking, self.flip,
            self.chart]

    def add_form(self) -> W.Widget:
        """「候補を手入力で追加」: name, costs, capabilities; its own fields and message line."""
        t = self.t
        self.new_fields = nf = Fields(self.lang)
        self.new_name = nf.text(("name",), "", t("sel.ui.own_name"), width="34em",
                                hidden=False)
        self.new_initial = nf.number(("initial_cost_yen",), "", t("field.initial_cost_yen"),
                                     width="22em", hidden=False, placeholder="0")
        self.new_annual = nf.number(("annual_cost_yen",), "", t("field.annual_cost_yen"),
                                    width="22em", hidden=False, placeholder="0")
        self.new_enables = nf.tags(("enables",), "", t("sel.ui.enables"),
                                   capability_choices(self.lang, self.session))
        self.add_button = W.Button(description=t("sel.ui.add"), icon="plus",
                                   layout=W.Layout(width="auto"))
        self.add_button.on_click(lambda _b: self.add_candidate())
        return W.VBox([W.HTML(f"<h4>{esc(t('sel.ui.add_title'))}</h4>"
                              f'<p style="color:#666">{esc(t("sel.ui.add_note"))}</p>'),
                       self.new_name, W.HBox([self.new_initial, self.new_annual],
                                             layout=W.Layout(flex_flow="row wrap")),
                       W.HTML(esc(t("sel.ui.enables"))), self.new_enables.widget,
                       W.HBox([self.add_button]), nf.slot(())])     # the form's message line

    def add_candidate(self) -> SystemOption | None:
        """The hand-typed system as a candidate (a generated id); it can then be scored and
        chosen. A bad value is shown under the form and nothing is added."""
        nf, t = self.new_fields, self.t
        nf.clear()
        taken = {o.system_id for o in self.catalogue}
        data = {"system_id": new_system_id(self.new_name.value, taken),
                "name": self.new_name.value,
                "initial_cost_yen": self.new_initial.value.strip() or 0,
                "annual_cost_yen": self.new_annual.value.strip() or 0,
                "enables": ";".join(self.new_enables.value), "source": t("sel.ui.own_source")}
        try:
            option = SystemOption.parse(data)
        except InputError as exc:
            nf.mark(tuple(exc.field.split(".")), exc.message(self.lang) + " " +
                    t("ui.not_saved"))
            return None
        base = self.valid_edit()
        if base is None:
            return None
        self.own[option.system_id] = option
        candidates = [o.model_dump() for o in base.candidates] + [option.model_dump()]
        self.apply(self.parse_work({**base.model_dump(), "candidates": candidates}),
                   rebuild=True)
        return option

    def collect(self) -> GroupWork:
        catalogue = self.catalogue
        chosen = [o for o in catalogue if self.pick[o.system_id].value]
        chosen_ids = {o.system_id for o in chosen}
        scores: dict[str, dict[str, float]] = {}
        for (sid, c), box in self.scores.items():
            if sid in chosen_ids:
                scores.setdefault(sid, {})[c] = box.value
        data = self.saved.model_dump()
        data.update(candidates=[o.model_dump() for o in chosen],
                    weights={c: s.value for c, s in self.weights.items()}, scores=scores)
        data.update(chosen_systems(self, catalogue, self.selected.value))
        work = self.parse_work(data)
        selection.normalise_weights(work.weights)      # all-zero weights: InputError
        return work

    def structure(self, work: GroupWork):
        own = self.__dict__.get("own", {})
        catalogue = system_catalogue(self.session, work, own.values())
        return (super().structure(work), tuple(o.system_id for o in catalogue),
                tuple(o.system_id for o in selection.group_options(work, catalogue)),
                tuple(o.system_id for o in work.systems))

    def changed(self) -> None:
        super().changed()               # (saved at once without a debounce: use self.work)
        if self.structure(self.work) != self._structure:
            self._rebuild()                                  # new score rows, check boxes
            self.show_figures(self.work)

    def show_figures(self, work: GroupWork):
        super().show_figures(work)          # key figures, the changes the bundle does not deliver
        if not hasattr(self, "ranking"):
            return None
        weights = work.weights or selection.DEFAULT_WEIGHTS
        try:
            shares = selection.normalise_weights(weights)
            view = selection_view(work, self.session, self.lang)
        except InputError as exc:
            self.ranking.value = message_html(exc.message(self.lang), "error")
            self.flip.value = ""
            return None
        for c, html in self.shares.items():
            html.value = i18n.fmt_percent(shares.get(c, 0.0))
        if view is None:
            self.ranking.value = f"<p>{esc(self.t('dec.no_candidates'))}</p>"
            self.flip.value = ""
            self.chart.value = b""
            return None
        self.ranking.value = html_table(view["headers"], view["rows"], "kit-ranking ranking")
        self.flip.value = (f'<p class="kit-flip">{view["flip"]}</p>'
                           f'<p style="color:#666">{esc(self.t("sel.ui.win_note"))}</p>')
        from kit.charts import decision as charts_decision
        self.chart.value = charts_style.figure_to_png_bytes(
            charts_decision.ranking(view["ranked"], self.lang), dpi=72)
        return view
