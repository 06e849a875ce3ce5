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
from kit.domain.frontyard import measures as frontyard
from kit.domain.frontyard.counter import CounterProfile
from kit.domain.model import GroupWork, to_number
from kit.widgets.fields import Fields

ROWS = ("mean_wait_minutes", "time_in_office_minutes", "share_within_target",
        "peak_mean_wait_minutes", "counters_needed")


def _weights_text(values: list[float]) -> str:
    return ", ".join(f"{v:g}" for v in values)


def _weights(text: str) -> list:
    return [to_number(p) for p in text.replace("、", ",").split(",") if p.strip()]


class ListField:
    """Numbers typed in one text box (「30%, 60%」): ``value`` is the list the model reads, so
    :class:`kit.widgets.fields.Fields` can register it (kind ``"list"``) and follow another
    member's save; the text box itself is ``widget``."""

    def __init__(self, values: list, name: str, show, read, width: str = "32em",
                 placeholder: str = ""):
        self.show, self.read = show, read
        self.widget = W.Text(value=show(values), description=name, placeholder=placeholder,
                             continuous_update=False, style={"description_width": "initial"},
                             layout=W.Layout(width=width))

    @property
    def value(self) -> list:
        return self.read(self.widget.value)

    @value.setter
    def value(self, values) -> None:
        self.widget.value = self.show(list(values or []))

    def observe(self, fn, names="value") -> None:
        self.widget.observe(fn, names=names)

    def add_class(self, name: str) -> None:
        self.widget.add_class(name)

    def remove_class(self, name: str) -> None:
        self.widget.remove_class(name)


class CounterPanel:
    """Counter-profile fields and the queue figures, inside an :class:`Editor`; the fields
    are registered in ``editor.fields`` under ``("counter", …)`` while a profile is on."""

    def __init__(self, editor):
        self.editor, t = editor, editor.t
        profile = editor.work.counter
        base = profile or CounterProfile()
        fields = editor.fields if profile is not None else Fields(editor.lang)
        self.enabled = editor.watch(W.Checkbox(value=profile is not None,
                                               description=t("fy.ui.enabled"), indent=False,
                                               layout=W.Layout(width="auto")))

        def number(name, value, width="16em", placeholder=""):
            box = fields.number(("counter", name), value, t(f"field.{name}"), width=width,
                                hidden=False, placeholder=placeholder)
            return editor.watch(box)

        self.counters = number("counters", base.counters)
        # blank: as many counters as now (the placeholder shows how many)
        self.counters_after = number("counters_after", base.counters_after,
                                     placeholder=str(base.counters))
        self.target_minutes = number("target_minutes", base.target_minutes)
        self.target_share = number("target_share", f"{base.target_share * 100:g}%")
        self.months = ListField(base.month_weights, t("field.month_weights"), _weights_text,
                                _weights, width="40em")
        fields._register(("counter", "month_weights"), self.months, "list",
                         t("field.month_weights"), hidden=False)
        editor.watch(self.months)
        self.figures = W.HTML()
        self.heatmap = W.HTML()
        self._heat_key = None
        self.widget = W.VBox([W.HTML(f"<h3>{esc(t('fy.queue_title'))}</h3>"), self.enabled,
                              W.HBox([self.counters, self.counters_after]),
                              W.HBox([self.target_minutes, self.target_share]),
                              self.months.widget, fields.slot(("counter",)),
                              self.figures, self.heatmap])

    def values(self) -> dict | None:
        """The edited counter profile (validated with the workspace), or None when off."""
        if not self.enabled.value:
            return None
        old = self.editor.saved.counter or CounterProfile()
        return {**old.model_dump(), "counters": self.counters.value,
                "counters_after": self.counters_after.value.strip() or None,
                "target_minutes": self.target_minutes.value,
                "target_share": self.target_share.value,
                "month_weights": self.months.value}

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
