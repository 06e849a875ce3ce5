"""Decision sections of the handout (docs/formulas.md): ranges, selection, funding and roadmap
(the follow-up is in kit.documents.after). A mixin of :class:`kit.documents.handout.Handout`; every method returns an HTML fragment.

Each figure is the deterministic headline of :func:`kit.domain.money.impact.compute` with its
``（P10〜P90）`` range from :func:`kit.domain.money.uncertainty.monte_carlo` beside it (seeded: the same
workspace gives the same handout); the simulation's median appears only in the uncertainty table.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

from kit import i18n
from kit.documents.fragments import esc as _esc
from kit.documents.fragments import figure_html as _img
from kit.documents.fragments import table as _table
from kit.domain.money import selection, uncertainty

SEED = uncertainty.SEED
DRAWS = uncertainty.DRAWS
SCENARIO_DRAWS = 2_000


class DecisionSections:
    """Needs ``work``, ``session``, ``assumptions``, ``lang``, ``t``, ``fmt``, ``yen`` and
    ``hours``."""

    # a figure without a range: the handout says so once (``dec.no_range_note``) under the
    # key-figure table instead of 「（幅の入力なし）」 beside every figure
    range_note_once = False

    @functools.cached_property
    def forecast(self) -> uncertainty.Forecast:
        return uncertainty.forecast(self.work, self.assumptions)      # the group's one set of draws

    def ranged(self, values: tuple[float, float, float], fmt, headline: float) -> str:
        """``value（P10〜P90）``: the deterministic, hand-computable ``headline`` (what
        ``kit impact --json`` gives) with the simulated P10–P90 range beside it. The
        simulation's median is shown only in the uncertainty table."""
        p10, _p50, p90 = values
        if fmt(p10) == fmt(p90):               # no range entered for what drives this figure
            if headline == float("inf") or not any(ch.isdigit() for ch in fmt(headline)):
                return fmt(headline)           # a figure in words has no range
            if self.range_note_once:           # said once, under the key-figure table
                return fmt(headline)
            return f'{fmt(headline)} <span class="range">{self.t("dec.no_range")}</span>'
        return (f'{fmt(headline)} <span class="range">'
                f'{self.t("dec.range", low=fmt(p10), high=fmt(p90))}</span>')

    def years(self, value: float) -> str:
        """Payback years; ``inf`` (not recovered within the horizon) in words; none without
        costs (nothing to pay back)."""
        c, r = self.work.costs, self.work.ranges
        if not (c.initial_cost_yen or c.annual_cost_yen or r.initial_cost_high
                or r.annual_cost_high):
            return self.t("inputs.no_payback")
        return self.fmt.years(value)

    def figure_range(self, output: str, fmt, transform=None, result=None,
                     forecast=None) -> str:
        """Headline ``output`` of ``result`` (default: the group's) with its P10–P90 range."""
        result = result or self.impact
        forecast = forecast or self.forecast
        headline = getattr(result, output)
        headline = float("inf") if headline is None else headline
        values = forecast.p(output)
        if transform is not None:
            values = tuple(sorted(transform(v) for v in values))
            headline = transform(headline)
        return self.ranged(values, fmt, headline)

    # -- uncertainty ---------------------------------------------------------------------
    def uncertainty_html(self) -> str:
        from kit.charts import decision as cd
        f = self.forecast
        per_year = self.fmt.period("year")
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
            rows.append([self.t(label), fmt(p10), fmt(p50), fmt(p90) + unit])
        bias = (self.t("dec.bias_on", capex=f"{uncertainty.OPTIMISM_BIAS_CAPEX:.0%}",
                       duration=f"{uncertainty.OPTIMISM_BIAS_DURATION:.0%}")
                if f.optimism_bias else self.t("dec.bias_off"))
        note = self.t("dec.method", n=f"{f.n:,}", seed=f.seed, inputs=f.uncertain_inputs)
        parts = [f'<section class="uncertainty"><h2>{self.t("dec.uncertainty")}</h2>',
                 _table(["", "P10", self.t("fin.p50_label"), "P90"], rows, "figures ranges"),
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
                 self._scenarios(options, table), self.out_of_scope_html(), "</section>"]
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
        extra = [self.work.systems] if selection.BUNDLE in table.index else []
        ids = [o.system_id for o in self.work.systems]
        for option in [None, *options, *extra]:
            chosen = option is self.work.systems
            sid = selection.BUNDLE if chosen else option.system_id if option else ""
            r = table.loc[sid]
            if chosen or (option is not None and ids == [sid]):      # the headline: the group's own costs, the group's draws
                m, f = self.impact, self.forecast
                r = {**r.to_dict(), **{k: getattr(m, k) for k in (
                    "initial_cost_yen", "annual_cost_yen", "subsidy_yen")}}
            else:
                scen = selection.scenario(self.work, option)
                f = uncertainty.monte_carlo(scen, self.assumptions, n=SCENARIO_DRAWS, seed=SEED)
                m = SimpleNamespace(**r.to_dict())      # the scenario's headline figures
            name = (self.t("fin.bundle_row", names=_esc(r["name"])) if chosen
                    else _esc(option.name) if option else self.t("dec.no_system"))
            rows.append([name, str(int(r["steps_changed"])),
                         self.figure_range("hours_saved", self.hours, result=m, forecast=f),
                         self.yen(r["initial_cost_yen"]), self.yen(r["annual_cost_yen"]),
                         self.yen(r["subsidy_yen"]),
                         self.figure_range("general_fund_yen", self.yen, result=m, forecast=f),
                         self.figure_range("npv_yen", self.yen, result=m, forecast=f)])
        headers = [self.t("dec.system"), self.t("dec.steps_changed"),
                   self.t("fig.hours_saved") + self.fmt.period("year"),
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
        for f, part in zip(w.funding, m.funding, strict=True):     # kit.domain.money.finance
            value = part["amount_yen"]
            capped = f.cap_yen is not None and c0 > 0 and abs(value - f.cap_yen) < 0.5
            mark = f' <span class="assumption">{self.t("dec.confirm")}</span>' \
                if f.assumption else ""
            rows.append([_esc(f.name) + mark, i18n.fmt_percent(f.rate),
                         i18n.fmt_percent(f.eligible_share),
                         self.t("fin.base.remaining" if f.on_remaining else "fin.base.eligible"),
                         self.yen(f.cap_yen) if f.cap_yen is not None else "—",
                         self.yen(value) + (f' ({self.t("dec.capped")})' if capped else "")])
        headers = [self.t("report.funding"), self.t("field.rate"),
                   self.t("field.eligible_share"), self.t("fin.base"), self.t("field.cap_yen"),
                   self.t("fig.subsidy")]
        body = (_table(headers, rows, "funding") if rows
                else f'<p>{self.t("dec.no_funding")}</p>')
        totals = self.t("dec.funding_totals", cost=self.yen(m.total_cost_yen),
                        subsidy=self.yen(m.subsidy_yen), years=m.horizon_years,
                        general=self.figure_range("general_fund_yen", self.yen))
        return (f'<section class="funding"><h2>{self.t("dec.funding")}</h2>{body}'
                f'<p>{totals}</p>{self.waterfall_html()}<p class="note">{self.t("dec.funding_note")}</p></section>')

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
                   self.t("fig.hours_saved") + self.fmt.period("year"),
                   self.t("fig.cost_saved") + self.fmt.period("year")]
        return (f'<section class="roadmap"><h2>{self.t("dec.roadmap")}</h2>'
                + _table(headers, rows, "phases")
                + f'<p class="note">{self.t("dec.roadmap_note")}</p>'
                + _img(cd.roadmap(phases, self.lang, self.fmt.hours_number)) + "</section>")
