"""After-workshop sections of the session summary: every group's realisation rate and the
city's, and the overdue actions of every group (docs/after-workshop.md).

A mixin of :class:`kit.documents.summary.Summary`; needs ``groups``, ``assumptions``, ``t``,
``fmt``, ``date`` and ``today`` (:class:`kit.documents.base.Document`: ``as_of``, default today,
decides what is overdue).
"""

from __future__ import annotations

from kit.documents.fragments import esc
from kit.documents.fragments import table as _table
from kit.domain.after import actions, progress


class SummaryAfterSections:
    def realisations(self) -> list[progress.Realisation]:
        return [progress.realisation(g.work, self.assumptions, proposed=g.impact)
                for g in self.groups]

    def realisation_html(self) -> str:
        rows = self.realisations()
        if all(r.rate is None for r in rows):
            return ""
        city = progress.city_realisation(rows)
        themes = {g.work.group_id: g.work.theme for g in self.groups}
        f = self.fmt
        table = [[esc(r.group), esc(themes[r.group]), f.hours(r.proposed_hours),
                  f.hours(r.realised_hours) if r.rate is not None else "—",
                  f.percent(r.rate) if r.rate is not None else self.t("aft.not_measured"),
                  self.date(r.measured_on)]
                 for r in rows]
        table.append([f"<b>{self.t('aft.city')}</b>", "", f.hours(city.proposed_hours),
                      f.hours(city.realised_hours), f"<b>{f.percent(city.rate)}</b>", ""])
        headers = [self.t("summary.col_group"), self.t("summary.col_theme"),
                   self.t("aft.proposed"), self.t("aft.realised"), self.t("aft.rate"),
                   self.t("aft.measured_on")]
        return (f'<section class="realisation"><h2>{self.t("aft.realisation_title")}</h2>'
                f'{_table(headers, table, "figures realisation")}'
                f'<p class="note">{self.t("aft.realisation_note")}</p></section>')

    def overdue_html(self) -> str:
        works = [g.work for g in self.groups]
        if not any(w.actions for w in works):
            return ""
        today = self.today()
        rows = actions.overdue(works, today)
        head = (f'<section class="overdue"><h2>{self.t("aft.overdue_title")}</h2>'
                f'<p>{self.t("aft.overdue_count", date=self.date(today), count=len(rows))}</p>')
        if not rows:
            return head + "</section>"
        table = [[esc(r["group"]), esc(r["action"]), esc(r["owner"]) or "—",
                  self.date(r["due"]),
                  esc(actions.status_label(r["status"], self.lang)),
                  self.t("aft.overdue", days=r["days_overdue"])] for r in rows]
        headers = [self.t("summary.col_group"), self.t("act.col.action"),
                   self.t("act.col.owner"), self.t("act.col.due"), self.t("act.col.status"),
                   self.t("aft.late")]
        return head + _table(headers, table, "actions overdue") + "</section>"
