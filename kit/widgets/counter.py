"""The counter queue in the impact editor (workshops/04_impact.ipynb): counters open before
and after, the target, the busy season; the waits before and after as figures and as the
handout's heat table (month × hour).

A part of :class:`kit.widgets.assumptions.ImpactEditor`: its widgets are watched by the editor,
``values()`` goes into the edited workspace (``GroupWork.counter``) and ``update()`` redraws
from the valid edit. The heat table is rebuilt only when the waits change.
"""

from __future__ import annotations

import ipywidgets as W

from kit.charts import queue as charts
from kit.documents.figures import Figures
from kit.documents.fragments import esc
from kit.documents.frontyard import wait_table_html
from kit.domain import frontyard
from kit.domain.counter import CounterProfile
from kit.domain.model import GroupWork, to_number

ROWS = ("mean_wait_minutes", "time_in_office_minutes", "share_within_target",
        "peak_mean_wait_minutes", "counters_needed")


def _weights_text(values: list[float]) -> str:
    return ", ".join(f"{v:g}" for v in values)


def _weights(text: str) -> list:
    return [to_number(p) for p in text.replace("、", ",").split(",") if p.strip()]


class CounterPanel:
    """Counter-profile fields and the queue figures, inside an :class:`Editor`."""

    def __init__(self, editor):
        self.editor, t = editor, editor.t
        profile = editor.work.counter
        base = profile or CounterProfile()
        wide = {"description_width": "initial"}
        self.enabled = editor.watch(W.Checkbox(value=profile is not None,
                                               description=t("fy.ui.enabled"), indent=False))
        self.counters = editor.watch(W.IntText(value=base.counters, style=wide,
                                               description=t("field.counters")))
        self.counters_after = editor.watch(W.IntText(value=base.counters_tobe, style=wide,
                                                     description=t("field.counters_after")))
        self.target_minutes = editor.watch(W.FloatText(value=base.target_minutes, style=wide,
                                                       description=t("field.target_minutes")))
        self.target_share = editor.watch(W.FloatText(value=base.target_share, style=wide,
                                                     description=t("field.target_share")))
        self.months = editor.watch(W.Text(value=_weights_text(base.month_weights), style=wide,
                                          description=t("field.month_weights"),
                                          continuous_update=False,
                                          layout=W.Layout(width="40em")))
        self.figures = W.HTML()
        self.heatmap = W.HTML()
        self._heat_key = None
        self.widget = W.VBox([W.HTML(f"<h3>{esc(t('fy.queue_title'))}</h3>"), self.enabled,
                              W.HBox([self.counters, self.counters_after]),
                              W.HBox([self.target_minutes, self.target_share]), self.months,
                              self.figures, self.heatmap])

    def values(self) -> dict | None:
        """The edited counter profile (validated with the workspace), or None when off."""
        if not self.enabled.value:
            return None
        old = self.editor.saved.counter or CounterProfile()
        return {**old.model_dump(), "counters": self.counters.value,
                "counters_after": self.counters_after.value,
                "target_minutes": self.target_minutes.value,
                "target_share": self.target_share.value,
                "month_weights": _weights(self.months.value)}

    def update(self, work: GroupWork, assumptions) -> None:
        views = frontyard.counter_queue(work, assumptions)
        if views is None:
            self.figures.value = self.heatmap.value = ""
            self._heat_key = None
            return
        lang = self.editor.lang
        f = Figures(lang)
        text = {"mean_wait_minutes": f.wait, "time_in_office_minutes": f.wait,
                "share_within_target": f.percent, "peak_mean_wait_minutes": f.wait,
                "counters_needed": lambda x: str(int(x))}
        month = charts.month_names(lang)[views["asis"].peak_month]
        target = self.editor.t("fy.target", minutes=f"{work.counter.target_minutes:g}",
                               share=f.percent(work.counter.target_share))
        rows = "".join(
            f"<tr><th>{esc(self.editor.t(f'fy.queue.{k}', month=month, target=target))}</th>"
            + "".join(f'<td class="kit-fy kit-fy-{k}-{v}" style="text-align:right">'
                      f"{text[k](getattr(views[v], k))}</td>" for v in ("asis", "tobe"))
            + "</tr>" for k in ROWS)
        head = "".join(f"<th>{esc(self.editor.t(f'fy.col.{v}'))}</th>" for v in ("asis", "tobe"))
        self.figures.value = (f'<table class="kit-counter"><tr><th></th>{head}</tr>{rows}'
                              f"</table>")
        key = tuple(v.wait.round(1).tobytes() for v in views.values())
        if key != self._heat_key:
            self.heatmap.value = wait_table_html(views, lang)     # as the handout shows it
            self._heat_key = key
