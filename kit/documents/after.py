"""After-workshop sections of the handout (docs/after-workshop.md): the charter at the top,
the action plan, and the follow-up over time (realisation rate, schedule after go-live, trend
of forecast against measured, forecast vs actual in total and per step).

A mixin of :class:`kit.documents.handout.Handout`; needs ``work``, ``assumptions``, ``impact``, ``lang``,
``t``, ``fmt``, ``date`` and ``today`` (:class:`kit.documents.base.Document`: ``as_of``, default
today, decides what is overdue and which checkpoints are due). Every piece of user text goes
through :func:`esc`.
"""

from __future__ import annotations

from kit.documents.fragments import esc, figure_html
from kit.documents.fragments import table as _table
from kit.domain.after import actions, followup, progress


class AfterSections:
    # -- charter ---------------------------------------------------------------------------
    def charter_html(self) -> str:
        c = self.work.charter
        if c.empty:
            return ""
        rows = [(self.t("aft.charter.flow"),
                 f'{esc(c.start) or "—"} → {esc(c.end) or "—"}'),
                (self.t("aft.charter.in_scope"), esc(c.in_scope) or "—"),
                (self.t("aft.charter.out_of_scope"), esc(c.out_of_scope) or "—"),
                (self.t("aft.charter.sponsor"), esc(c.sponsor) or "—"),
                (self.t("aft.charter.go_live"), self.date(c.go_live))]
        body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
        parts = [f'<section class="charter"><h2>{self.t("aft.charter")}</h2>',
                 f'<table class="meta charter">{body}</table>']
        if c.measures:
            parts.append(self.measures_table())
        return "".join(parts) + "</section>"

    def measures_table(self) -> str:
        f = self.fmt
        rows = [[esc(m.name), f.measure(m.baseline, esc(m.unit)),
                 f.measure(m.target, esc(m.unit)),
                 f.percent((m.target - m.baseline) / m.baseline)
                 if None not in (m.baseline, m.target) and m.baseline else "—"]
                for m in self.work.charter.measures]
        return _table([self.t("aft.measure"), self.t("aft.baseline"), self.t("aft.target"),
                       self.t("aft.change")], rows, "measures")

    # -- action plan -----------------------------------------------------------------------
    def action_rows(self, with_steps: bool = True) -> list[list[str]]:
        today = self.today()
        rows = []
        for item in sorted(self.work.actions, key=lambda a: (a.due == "", a.due)):
            status = esc(actions.status_label(item.status, self.lang))
            if actions.is_overdue(item, today):
                status += (f' <span class="overdue">'
                           f'{self.t("aft.overdue", days=actions.days_overdue(item, today))}'
                           f"</span>")
            row = [esc(item.title), esc(item.owner) or "—", self.date(item.due), status]
            if with_steps:
                row.append(self.fmt.join(esc(n) for n in actions.step_names(self.work,
                                                                             item.steps)))
            rows.append(row)
        return rows

    def action_headers(self, with_steps: bool = True) -> list[str]:
        keys = ("act.col.action", "act.col.owner", "act.col.due", "act.col.status")
        return [self.t(k) for k in keys] + ([self.t("act.col.steps")] if with_steps else [])

    def actions_html(self) -> str:
        if not self.work.actions:
            return ""
        late = sum(actions.is_overdue(a, self.today()) for a in self.work.actions)
        note = self.t("aft.actions_note", date=self.date(self.today()),
                      count=len(self.work.actions), overdue=late)
        return (f'<section class="actions"><h2>{self.t("aft.actions")}</h2>'
                f'{_table(self.action_headers(), self.action_rows(), "actions")}'
                f'<p class="note">{note}</p></section>')

    # -- follow-up over time ----------------------------------------------------------------
    def realisation_text(self) -> str:
        r = progress.realisation(self.work, self.assumptions, proposed=self.impact)
        if r.rate is None:
            return ""
        coverage = self.fmt.percent(r.coverage) if r.coverage is not None else "—"
        return self.t("aft.realisation", rate=self.fmt.percent(r.rate),
                      real=self.fmt.hours(r.realised_hours),
                      proposed=self.fmt.hours(r.proposed_hours), coverage=coverage,
                      date=self.date(r.measured_on))

    def schedule_html(self) -> str:
        rows = []
        for cp in progress.schedule(self.work, self.today()):
            state = self.t(f"aft.state.{cp.state}")
            if cp.snapshots:
                state += self.t("unit.in_parens", text=self.fmt.join(self.date(d) for d in cp.snapshots))
            rows.append([self.t("aft.after_days", days=cp.days), self.date(cp.date),
                         self.t(f"aft.due.{cp.days}"), state,
                         self.fmt.join(esc(a) for a in cp.actions) or "—"])
        headers = [self.t("aft.checkpoint"), self.t("aft.when"), self.t("aft.what"),
                   self.t("aft.state"), self.t("aft.actions_due")]
        return (f'<h3>{self.t("aft.schedule")}</h3>' + _table(headers, rows, "schedule"))

    def follow_up_html(self) -> str:
        from kit.charts import decision as cd
        from kit.charts import followup as cf
        w = self.work
        if not followup.has_actuals(w) and not w.charter.go_live:
            return ""
        parts = [f'<section class="follow-up"><h2>{self.t("fu.title")}</h2>']
        if followup.has_actuals(w):
            parts.append(f"<p><b>{self.realisation_text()}</b></p>")
        parts.append(self.schedule_html())
        if not followup.has_actuals(w):
            return "".join(parts) + "</section>"
        trend = progress.trend(w, self.assumptions)
        parts.append(figure_html(cf.trend(trend, self.lang)))
        state = followup.state_at(w)
        totals = followup.compare_totals(w, self.assumptions)
        fmt = {"annual_cases": self.fmt.cases, "uptake": self.fmt.percent,
               "hours_saved": self.fmt.hours}
        rows = [[self.t(f"fu.row.{k}"), fmt.get(k, self.fmt.yen)(r["forecast"]),
                 fmt.get(k, self.fmt.yen)(r["actual"]),
                 "—" if r["ratio"] != r["ratio"] else self.fmt.percent(r["ratio"])]
                for k, r in totals.iterrows()]
        parts += [f'<h3>{self.t("aft.totals")}</h3>',
                  f'<p>{self.t("fu.measured_on", date=self.date(state.measured_on))} '
                  f'{self.t("aft.snapshots", count=len(w.snapshots))}</p>',
                  _table(["", self.t("dec.forecast"), self.t("dec.actual"), self.t("fu.ratio")],
                         rows, "follow-up")]
        steps = followup.compare_steps(w, self.assumptions)
        measured = steps.dropna(subset=["actual_minutes"])
        step_rows = [[esc(r["name"]), self.fmt.minutes(r["minutes"]),
                      self.fmt.minutes(r["forecast_minutes"]),
                      self.fmt.minutes(r["actual_minutes"]),
                      self.t("fu.in_range") if r["within_range"] == 1 else self.t("fu.off_range")]
                     for _, r in measured.iterrows()]
        if step_rows:
            parts += [_table([self.t("head.step"), self.t("chart.asis"), self.t("dec.forecast"),
                              self.t("dec.actual"), self.t("fu.check")], step_rows, "steps"),
                      figure_html(cd.forecast_vs_actual(steps, self.lang))]
        if state.notes:
            parts.append(f"<p>{esc(state.notes)}</p>")
        return "".join(parts) + f'<p class="note">{self.t("aft.money_note")} ' \
                                f'{self.t("fu.note")}</p></section>'
