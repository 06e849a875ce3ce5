"""The system selection editor (workshops/03_system_selection.ipynb).

Candidates are chosen from the session catalogue; criterion weights are sliders, shown
normalised live; the 1–5 scores of each candidate default to the catalogue's. The ranking
and its chart come from :mod:`kit.domain.selection` and :mod:`kit.charts.decision`; candidates,
weights, scores and the chosen system are saved in the group's workspace.
"""

from __future__ import annotations

import ipywidgets as W

from kit import i18n
from kit.charts import style as charts_style
from kit.domain import selection
from kit.domain.model import GroupWork
from kit.exceptions import InputError
from kit.widgets.common import Editor, bundle_picker, chosen_bundle, esc, message_html


class SelectionEditor(Editor):
    KEYS = ()
    CHARTS = ()
    NOT_DELIVERED = True

    @property
    def catalogue(self):
        return list(self.session.systems) or list(self.work.candidates)

    def build(self) -> None:
        work, t = self.work, self.t
        chosen = {o.system_id for o in selection.group_options(work, self.catalogue)}
        self.pick = {o.system_id: self.watch(W.Checkbox(value=o.system_id in chosen,
                                                        description=o.name, indent=False))
                     for o in self.catalogue}
        apart = {o.system_id for o in selection.out_of_scope(work, self.catalogue)}
        weights = work.weights or selection.DEFAULT_WEIGHTS
        self.weights = {c: self.watch(W.FloatSlider(
            value=float(weights.get(c, 0.0)), min=0, max=5, step=0.5, readout=False,
            description=t(f"sel.crit.{c}"), continuous_update=False,
            style={"description_width": "14em"}, layout=W.Layout(width="34em")))
            for c in selection.CRITERIA}
        self.shares = {c: W.HTML() for c in selection.CRITERIA}
        self.scores = {}
        rows = []
        for o in self.catalogue:
            if o.system_id not in chosen:
                continue
            own = work.scores.get(o.system_id, {})
            boxes = []
            for c in selection.SCORE_CRITERIA:
                box = self.watch(W.Dropdown(options=[1, 2, 3, 4, 5],
                                            value=int(own.get(c, getattr(o, c))),
                                            layout=W.Layout(width="5em")))
                self.scores[(o.system_id, c)] = box
                boxes.append(box)
            rows.append(W.HBox([W.HTML(esc(o.name), layout=W.Layout(width="22em"))] + boxes))
        head = W.HBox([W.HTML("", layout=W.Layout(width="22em"))] +
                      [W.HTML(f"<b>{esc(t(f'sel.crit.{c}'))}</b>",
                              layout=W.Layout(width="5em")) for c in selection.SCORE_CRITERIA])
        self.selected = bundle_picker(self, work)        # the chosen systems: a bundle
        self.ranking = W.HTML()
        self.chart = W.Image(format="png", layout=W.Layout(max_width="100%"))
        self.body.children = [
            W.HTML(f"<h4>{esc(t('ui.sel.candidates'))}</h4>"),
            *[box for sid, box in self.pick.items() if sid not in apart],
            *([W.HTML(f"<h4>{esc(t('fin.out_of_scope'))}</h4>")] if apart else []),
            *[box for sid, box in self.pick.items() if sid in apart],
            W.HTML(f"<h4>{esc(t('ui.sel.weights'))}</h4>"),
            *[W.HBox([self.weights[c], self.shares[c]]) for c in selection.CRITERIA],
            W.HTML(f"<h4>{esc(t('ui.sel.scores'))}</h4>"), head, *rows,
            self.selected, self.ranking, self.chart]

    def collect(self) -> GroupWork:
        chosen = [o for o in self.catalogue if self.pick[o.system_id].value]
        scores: dict[str, dict[str, float]] = {}
        for (sid, c), box in self.scores.items():
            scores.setdefault(sid, {})[c] = box.value
        data = self.saved.model_dump()
        data.update(candidates=[o.model_dump() for o in chosen],
                    weights={c: s.value for c, s in self.weights.items()},
                    scores={k: v for k, v in scores.items() if k in {o.system_id for o in chosen}})
        data.update(chosen_bundle(self, self.selected.value))
        work = GroupWork.parse(data)
        selection.normalise_weights(work.weights)      # all-zero weights: InputError
        return work

    def changed(self) -> None:
        before = {o.system_id for o in self.work.candidates}
        super().changed()
        if self.draft is not None and {o.system_id for o in self.draft.candidates} != before:
            self._rebuild()                                  # new score rows
            self.show_figures(self.draft)

    def show_figures(self, work: GroupWork):
        super().show_figures(work)                  # the changes the bundle does not deliver
        if not hasattr(self, "ranking"):
            return None
        weights = work.weights or selection.DEFAULT_WEIGHTS
        try:
            shares = selection.normalise_weights(weights)
            table = selection.rank_work(work, self.assumptions, self.catalogue)
        except InputError as exc:
            self.ranking.value = message_html(exc.message(self.lang), "error")
            return None
        for c, html in self.shares.items():
            html.value = i18n.fmt_percent(shares.get(c, 0.0))
        rows = "".join(f"<tr><td>{int(r['rank'])}</td><td>{esc(r['name'])}</td>"
                       f'<td class="kit-sel-score">{r["score"]:.3f}</td></tr>'
                       for _, r in table.iterrows())
        self.ranking.value = (f'<table class="kit-ranking"><tr><th>{esc(self.t("ui.sel.rank"))}'
                              f'</th><th>{esc(self.t("ui.system"))}</th><th>'
                              f'{esc(self.t("ui.sel.score"))}</th></tr>{rows}</table>')
        from kit.charts import decision as charts_decision
        self.chart.value = charts_style.figure_to_png_bytes(
            charts_decision.ranking(table, self.lang), dpi=72)
        return table
