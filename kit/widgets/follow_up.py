"""The follow-up editor (workshops/05_follow_up.ipynb): measured actuals after go-live.

One text box per measure and per step (blank = not measured, so a zero is never confused
with "no data"); every edit is validated by :func:`kit.domain.after.followup.with_actuals`, shown at once
as forecast-vs-actual tables, and saved through the store by :class:`.common.Editor`.
"""

from __future__ import annotations

import datetime as _dt

import ipywidgets as W

from kit import i18n
from kit.domain.after import followup
from kit.domain.model import Actuals, GroupWork, to_number
from kit.exceptions import InputError
from kit.widgets.common import Editor, esc, value_text

_MEASURES = (("annual_cases", "fu.w.cases"), ("uptake", "fu.w.uptake"),
             ("initial_cost_yen", "fu.w.initial"), ("annual_cost_yen", "fu.w.annual"))


def _parse(text: str, field: str, lang: str):
    text = (text or "").strip()
    if not text:
        return None
    value = to_number(text)
    if not isinstance(value, float):
        raise InputError(*i18n.both("err.number", field=field, value=text), field=field,
                         value=text)
    return value


class FollowUpEditor(Editor):
    KEYS = ()
    CHARTS = ()

    selected: str | None = None        # measured_on of the snapshot shown; "" = a new one
    _syncing = False

    def _options(self, work: GroupWork) -> list[tuple[str, str]]:
        dates = [(i18n.fmt_date(s.measured_on, self.lang) if s.measured_on else "—",
                  s.measured_on) for s in work.snapshots]
        return [*dates, (self.t("aft.new_snapshot"), "")]

    def _sync_picker(self, work: GroupWork) -> None:
        """The list of measurements after an edit (a new date, a new snapshot)."""
        self._syncing = True
        try:
            self.picker.options = self._options(work)
            self.picker.value = self.selected
        finally:
            self._syncing = False

    def snapshot(self) -> Actuals:
        if self.selected is None:
            self.selected = self.work.actuals.measured_on
        return next((a for a in self.work.snapshots if a.measured_on == self.selected),
                    Actuals())

    def pick(self, change) -> None:
        """Another snapshot chosen (or a new one): show it, nothing is saved."""
        if self._syncing:
            return
        self.flush()
        self.selected = change["new"]
        self._rebuild()

    def build(self) -> None:
        a, L = self.snapshot(), self.lang
        wide = W.Layout(width="28em")
        style = {"description_width": "16em"}
        self.picker = W.Dropdown(options=self._options(self.work),
                                 value=self.selected, description=self.t("aft.snapshot"),
                                 layout=wide, style=style)
        self.picker.observe(self.pick, names="value")
        self.date = self.watch(W.Text(value=a.measured_on, description=self.t("fu.w.date"),
                                      placeholder="2027-04-01", layout=wide, style=style))
        self.measures = {k: self.watch(W.Text(value=value_text(getattr(a, k)),
                                              description=self.t(key),
                                              placeholder=self.t("fu.w.blank"),
                                              layout=wide, style=style))
                         for k, key in _MEASURES}
        self.minutes = {}
        rows = []
        for i, s in enumerate(self.saved.steps, start=1):
            if not s.changed:
                continue
            box = self.watch(W.Text(value=value_text(a.minutes.get(s.id)),
                                    placeholder=f"{s.minutes_tobe:g}",
                                    layout=W.Layout(width="7em")))
            self.minutes[s.id] = box
            rows.append(W.HBox([W.HTML(f"{i}. {esc(s.name)} "
                                       f"<small>({s.minutes:g} → {s.minutes_tobe:g} "
                                       f"{i18n.t('unit.minutes', L)})</small>",
                                       layout=W.Layout(width="30em")), box]))
        self.notes = self.watch(W.Textarea(value=a.notes, description=self.t("fu.w.notes"),
                                           layout=W.Layout(width="40em")))
        self.body.children = [
            W.HTML(f"<h3>{esc(self.t('fu.w.title'))}</h3>"), self.picker, self.date,
            *self.measures.values(),
            W.HTML(f"<b>{esc(self.t('fu.w.step_minutes'))}</b> "
                   f"<small>{esc(self.t('fu.w.blank'))}</small>"),
            *rows, self.notes]

    def collect(self) -> GroupWork:
        data = {k: _parse(box.value, self.t(key), self.lang)
                for (k, key), box in zip(_MEASURES, self.measures.values(), strict=True)}
        data["minutes"] = {sid: v for sid, box in self.minutes.items()
                           if (v := _parse(box.value, self.t("fu.w.step_minutes"), self.lang))
                           is not None}
        data["measured_on"] = self.date.value.strip()
        data["notes"] = self.notes.value
        date = (followup.followup_date(data["measured_on"]) or self.selected
                or _dt.date.today().isoformat())
        work = followup.with_actuals(self.saved, {**data, "measured_on": date},
                                     replace=self.selected or "")
        self.selected = date
        self._sync_picker(work)
        return work

    def show_figures(self, work: GroupWork):
        if not followup.has_actuals(work):
            self.figures.value = ""
            return None
        totals = followup.compare_totals(work, self.assumptions)
        rows = "".join(
            f"<tr><th>{esc(self.t('fu.row.' + k))}</th>"
            f"<td style='text-align:right'>{r['forecast']:,.2f}</td>"
            f"<td style='text-align:right'>{r['actual']:,.2f}</td></tr>"
            for k, r in totals.iterrows())
        self.figures.value = (f"<table class='kit-follow-up'><tr><th></th>"
                              f"<th>{esc(self.t('dec.forecast'))}</th>"
                              f"<th>{esc(self.t('dec.actual'))}</th></tr>{rows}</table>")
        return totals
