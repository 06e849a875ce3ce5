"""Decision sections of the handout (docs/formulas.md): ranges, selection, funding, roadmap and
follow-up. A mixin of :class:`kit.documents.handout.Handout`; every method returns an HTML fragment.

Forecasts are shown as ``P50（P10〜P90）`` from :func:`kit.domain.uncertainty.monte_carlo` (seeded:
the same workspace gives the same handout).
"""

from __future__ import annotations

import functools

from kit import i18n
from kit.documents.fragments import esc as _esc
from kit.documents.fragments import figure_html as _img
from kit.documents.fragments import table as _table
from kit.domain import followup, selection, uncertainty

SEED = 20261126
DRAWS = 10_000
SCENARIO_DRAWS = 2_000


class DecisionSections:
    """Needs ``work``, ``session``, ``assumptions``, ``lang``, ``t``, ``yen``, ``hours``."""

    @functools.cached_property
    def forecast(self) -> uncertainty.Forecast:
        return uncertainty.monte_carlo(self.work, self.assumptions, n=DRAWS, seed=SEED)

    def ranged(self, values: tuple[float, float, float], fmt) -> str:
        """``P50（P10〜P90）`` — a forecast is never shown without its range."""
        p10, p50, p90 = values
        if fmt(p10) == fmt(p90):               # no range entered for what drives this figure
            if p50 == float("inf"):
                return fmt(p50)
            return f'{fmt(p50)} <span class="range">{self.t("dec.no_range")}</span>'
        return (f'{fmt(p50)} <span class="range">'
                f'{self.t("dec.range", low=fmt(p10), high=fmt(p90))}</span>')

    def years(self, value: float) -> str:
        """Payback years; ``inf`` (not recovered within the horizon) in words."""
        return self.fmt.years(value)

    def figure_range(self, output: str, fmt, transform=None) -> str:
        values = self.forecast.p(output)
        if transform is not None:
            values = tuple(sorted(transform(v) for v in values))
        return self.ranged(values, fmt)

    # -- uncertainty ---------------------------------------------------------------------
    def uncertainty_html(self) -> str:
        from kit.charts import decision as cd
        f = self.forecast
        per_year = self.t("dec.per_year")
        rows = []
        for key, label, fmt in (("hours_saved", "fig.hours_saved", self.hours),
                                ("cost_saved_yen", "fig.cost_saved", self.yen),
                                ("npv_yen", "fig.npv", self.yen),
                                ("general_fund_yen", "fig.general_fund", self.yen),
                                ("resident_hours_saved", "fig.resident_hours_saved",
                                 self.hours),
                                ("payback_years", "fig.payback", self.years)):
            p10, p50, p90 = f.p(key)
            unit = per_year if key in ("hours_saved", "cost_saved_yen",
                                       "resident_hours_saved") else ""
            rows.append([self.t(label), fmt(p10), f"<b>{fmt(p50)}</b>", fmt(p90) + unit])
        bias = (self.t("dec.bias_on", capex=f"{uncertainty.OPTIMISM_BIAS_CAPEX:.0%}",
                       duration=f"{uncertainty.OPTIMISM_BIAS_DURATION:.0%}")
                if f.optimism_bias else self.t("dec.bias_off"))
        note = self.t("dec.method", n=f"{f.n:,}", seed=f.seed, inputs=f.uncertain_inputs)
        parts = [f'<section class="uncertainty"><h2>{self.t("dec.uncertainty")}</h2>',
                 _table(["", "P10", "P50", "P90"], rows, "figures ranges"),
                 f'<p class="note">{note}</p><p class="note">{bias}</p>']
        if f.uncertain_inputs == 0:
            parts.append(f'<p class="note">{self.t("dec.no_ranges")}</p>')
        else:
            parts.append(_img(cd.tornado(uncertainty.tornado(self.work, self.assumptions),
                                         self.lang)))
            parts.append(_img(cd.forecast_range(f, self.lang)))
        return "".join(parts) + "</section>"

    # -- selection -----------------------------------------------------------------------
    def _options(self):
        return selection.group_options(self.work, self.session.systems)

    def selection_html(self) -> str:
        from kit.charts import decision as cd
        options = self._options()
        head = f'<section class="selection"><h2>{self.t("dec.selection")}</h2>'
        if not options:
            return head + f'<p>{self.t("dec.no_candidates")}</p></section>'
        table = selection.scenario_table(self.work, options, self.assumptions)
        metrics = selection.scenario_metrics(table)
        weights = self.work.weights or selection.DEFAULT_WEIGHTS
        ranked = selection.rank(options, weights, self.work.scores, metrics)
        prob = selection.win_probability(options, weights, self.work.scores, seed=SEED,
                                         metrics=metrics)
        flip = selection.flip_weight_change(options, weights, self.work.scores, metrics)
        w = selection.normalise_weights(weights)
        weight_rows = [[_esc(self._criterion(c)), i18n.fmt_percent(v)] for c, v in w.items()]
        rows = [[str(int(r["rank"])), _esc(r["name"]) + self._chosen(sid),
                 f"{r['score'] * 100:.0f}", i18n.fmt_percent(prob[sid])]
                for sid, r in ranked.iterrows()]
        parts = [head, f'<h3>{self.t("dec.weights")}</h3>',
                 _table([self.t("dec.criterion"), self.t("dec.weight")], weight_rows, "weights"),
                 _table(["#", self.t("dec.system"), self.t("dec.score"),
                         self.t("dec.win_probability")], rows, "ranking"),
                 f'<p>{self._flip_text(flip, options)}</p>',
                 f'<p class="note">{self.t("dec.selection_note")}</p>',
                 _img(cd.ranking(ranked, self.lang)),
                 _img(cd.weight_sensitivity(prob, {o.system_id: o.name for o in options},
                                            self.lang)),
                 self._scenarios(options, table), "</section>"]
        return "".join(parts)

    def _chosen(self, system_id: str) -> str:
        return f' <span class="chosen">{self.t("dec.chosen")}</span>' \
            if system_id == self.work.selected_system else ""

    def _criterion(self, name: str) -> str:
        text = self.t(f"sel.crit.{name}")
        return name if text == f"sel.crit.{name}" else text

    def _flip_text(self, flip: dict | None, options) -> str:
        if flip is None:
            return self.t("dec.flip_none")
        names = {o.system_id: o.name for o in options}
        return self.t("dec.flip", criterion=_esc(self._criterion(flip["criterion"])),
                      before=i18n.fmt_percent(flip["from_weight"]),
                      after=i18n.fmt_percent(flip["to_weight"]),
                      winner=_esc(names[flip["winner"]]),
                      new=_esc(names[flip["new_winner"]]))

    def _scenarios(self, options, table) -> str:
        rows = []
        for option in [None, *options]:
            sid = option.system_id if option else ""
            scen = selection.scenario(self.work, option)
            f = uncertainty.monte_carlo(scen, self.assumptions, n=SCENARIO_DRAWS, seed=SEED)
            r = table.loc[sid]
            name = _esc(option.name) if option else self.t("dec.no_system")
            rows.append([name, str(int(r["steps_changed"])),
                         self.ranged(f.p("hours_saved"), self.hours),
                         self.yen(r["initial_cost_yen"]), self.yen(r["annual_cost_yen"]),
                         self.yen(r["subsidy_yen"]),
                         self.ranged(f.p("general_fund_yen"), self.yen),
                         self.ranged(f.p("npv_yen"), self.yen)])
        headers = [self.t("dec.system"), self.t("dec.steps_changed"),
                   self.t("fig.hours_saved") + self.t("dec.per_year"),
                   self.t("fig.initial_cost"), self.t("fig.annual_cost"),
                   self.t("fig.subsidy"), self.t("fig.general_fund"), self.t("fig.npv")]
        return (f'<h3>{self.t("dec.scenarios")}</h3>'
                + _table(headers, rows, "scenarios")
                + f'<p class="note">{self.t("dec.scenario_note")}</p>')

    # -- funding -------------------------------------------------------------------------
    def funding_html(self) -> str:
        w, m = self.work, self.impact
        c0 = w.costs.initial_cost_yen
        rows = []
        for f in w.funding:
            amount = f.rate * f.eligible_share * c0
            capped = f.cap_yen is not None and amount > f.cap_yen
            value = min(amount, f.cap_yen) if f.cap_yen is not None else amount
            mark = f' <span class="assumption">{self.t("dec.confirm")}</span>' \
                if f.assumption else ""
            rows.append([_esc(f.name) + mark, i18n.fmt_percent(f.rate),
                         i18n.fmt_percent(f.eligible_share),
                         self.yen(f.cap_yen) if f.cap_yen is not None else "—",
                         self.yen(value) + (f' ({self.t("dec.capped")})' if capped else "")])
        headers = [self.t("report.funding"), self.t("field.rate"),
                   self.t("field.eligible_share"), self.t("field.cap_yen"),
                   self.t("fig.subsidy")]
        body = (_table(headers, rows, "funding") if rows
                else f'<p>{self.t("dec.no_funding")}</p>')
        totals = self.t("dec.funding_totals", cost=self.yen(m.total_cost_yen),
                        subsidy=self.yen(m.subsidy_yen), years=m.horizon_years,
                        general=self.figure_range("general_fund_yen", self.yen))
        return (f'<section class="funding"><h2>{self.t("dec.funding")}</h2>{body}'
                f'<p>{totals}</p><p class="note">{self.t("dec.funding_note")}</p></section>')

    # -- phases --------------------------------------------------------------------------
    def roadmap_html(self) -> str:
        from kit.charts import decision as cd
        phases = selection.phase_totals(self.work, self.assumptions, self.impact)
        labour = self.assumptions.labour_cost_yen_per_hour
        rows = [[self.t(f"dec.phase_n.{p}"), str(int(r["steps"])),
                 self.figure_range(f"{p}_hours_saved", self.hours),
                 self.figure_range(f"{p}_hours_saved", self.yen, lambda v: v * labour)]
                for p, r in phases.iterrows()]
        headers = [self.t("dec.phase"), self.t("dec.steps_changed"),
                   self.t("fig.hours_saved") + self.t("dec.per_year"),
                   self.t("fig.cost_saved") + self.t("dec.per_year")]
        return (f'<section class="roadmap"><h2>{self.t("dec.roadmap")}</h2>'
                + _table(headers, rows, "phases")
                + f'<p class="note">{self.t("dec.roadmap_note")}</p>'
                + _img(cd.roadmap(phases, self.lang)) + "</section>")

    # -- follow-up -----------------------------------------------------------------------
    def follow_up_html(self) -> str:
        from kit.charts import decision as cd
        if not followup.has_actuals(self.work):
            return ""
        totals = followup.compare_totals(self.work, self.assumptions)
        fmt = {"annual_cases": lambda v: i18n.fmt_number(v), "uptake": i18n.fmt_percent,
               "hours_saved": self.hours}
        rows = [[self.t(f"fu.row.{k}"), fmt.get(k, self.yen)(r["forecast"]),
                 fmt.get(k, self.yen)(r["actual"]),
                 "—" if r["ratio"] != r["ratio"] else i18n.fmt_percent(r["ratio"])]
                for k, r in totals.iterrows()]
        steps = followup.compare_steps(self.work, self.assumptions)
        measured = steps.dropna(subset=["actual_minutes"])
        step_rows = [[_esc(r["name"]), i18n.fmt_number(r["minutes"], 1),
                      i18n.fmt_number(r["forecast_minutes"], 1),
                      i18n.fmt_number(r["actual_minutes"], 1),
                      self.t("fu.in_range") if r["within_range"] == 1 else self.t("fu.off_range")]
                     for _, r in measured.iterrows()]
        parts = [f'<section class="follow-up"><h2>{self.t("fu.title")}</h2>',
                 f'<p>{self.t("fu.measured_on", date=_esc(self.work.actuals.measured_on))}</p>',
                 _table(["", self.t("dec.forecast"), self.t("dec.actual"), self.t("fu.ratio")],
                        rows, "follow-up")]
        if step_rows:
            parts += [_table([self.t("col.step"), self.t("chart.asis"), self.t("dec.forecast"),
                              self.t("dec.actual"), self.t("fu.check")], step_rows, "steps"),
                      _img(cd.forecast_vs_actual(steps, self.lang))]
        if self.work.actuals.notes:
            parts.append(f"<p>{_esc(self.work.actuals.notes)}</p>")
        return "".join(parts) + f'<p class="note">{self.t("fu.note")}</p></section>'
