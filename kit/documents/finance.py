"""Finance blocks of the handout (docs/formulas.md): cash versus capacity, changes the chosen
systems do not deliver, cost per case by channel, the resident's burden as a social benefit,
switching values, the funding waterfall and out-of-scope candidates.

A mixin of :class:`kit.documents.handout.Handout` (needs ``work``, ``session``, ``assumptions``,
``impact``, ``fmt``, ``t``); the blocks are placed inside the existing sections (key figures,
funding, selection), so the report template is unchanged. :func:`not_delivered_html` is also
what the 02/03/04 editors show live. Every number goes through :mod:`kit.documents.figures`.
"""

from __future__ import annotations

from kit import i18n
from kit.documents.figures import SWITCHING_KINDS, Figures
from kit.documents.fragments import esc
from kit.documents.fragments import table as _table
from kit.domain.money import bundle, finance, impact, selection

# no switching value: the end of the input's sensible range (kit.domain.money.finance.SWITCHING)
# that tells the reader most — the NPV's sign holds even there; others are said in general
_TELLING_END = {("uptake", "negative"): "high", ("uptake", "positive"): "low",
                ("initial_cost_yen", "negative"): "low", ("annual_cost_yen", "negative"): "low"}


def bundle_text(work, lang: str) -> str:
    names = [esc(o.name) for o in work.systems] or ([esc(work.costs.system)]
                                                    if work.costs.system else [])
    if not names:
        return i18n.t("fin.no_bundle", lang)
    return i18n.t("fin.bundle", lang, names=i18n.t("unit.list_sep", lang).join(names))


def not_delivered_html(m: impact.Impact, lang: str) -> str:
    """「選んだシステムでは実現しない見直し」: step, hours at stake, missing capability."""
    if not m.not_delivered:
        return ""
    fmt = Figures(lang)

    def tag(t: str) -> str:
        if t == bundle.NO_SYSTEM:
            return i18n.t("fin.missing.system", lang)
        return esc(bundle.capability_label(t, lang))

    rows = [[esc(d["step"]), fmt.hours(d["hours"]), fmt.join(tag(t) for t in d["missing"])]
            for d in m.not_delivered]
    rows.append([i18n.t("fin.row.total", lang), fmt.hours(m.not_delivered_hours), ""])
    headers = [i18n.t(k, lang) for k in ("fin.col.step", "fin.col.at_stake", "fin.col.missing")]
    return (f'<div class="not-delivered"><h3>{i18n.t("fin.not_delivered", lang)}</h3>'
            f'{_table(headers, rows, "not-delivered")}'
            f'<p class="note">{i18n.t("fin.not_delivered_note", lang)}</p></div>')


class FinanceSections:
    """Blocks of the handout about money as a finance department reads it."""

    def finance_html(self) -> str:
        return "".join((self.cash_capacity_html(), not_delivered_html(self.impact, self.lang),
                        self.switching_html(), self.resident_html(),
                        self.cost_per_case_html()))

    def cash_capacity_html(self) -> str:
        m, f, a = self.impact, self.fmt, self.assumptions
        rate = {"overtime": a.labour_cost_yen_per_hour * a.overtime_premium,
                "contract": a.contract_rate, "redeploy": 0.0}
        hours = {"overtime": m.overtime_hours, "contract": m.contract_hours,
                 "redeploy": m.capacity_hours}
        rows = [[self.label("realised_as", k), f.hours(hours[k]),
                 f.yen(rate[k]) if k != "redeploy" else "—",
                 f.yen(hours[k] * rate[k]) if k != "redeploy" else "—"]
                for k in ("overtime", "contract", "redeploy")]
        rows.append([self.t("fin.row.non_labour"), "—", "—", f.yen(m.non_labour_saved_yen)])
        rows.append([self.t("fin.row.total"), f.hours(m.hours_saved), "",
                     f"<b>{f.yen(m.cash_saved_yen)}</b>"])
        headers = [self.t("fin.col.realised"), self.t("fin.col.hours"), self.t("fin.col.rate"),
                   self.t("fin.col.yen")]
        note = self.t("fin.cash_note", premium=i18n.fmt_number(a.overtime_premium, 2),
                      rate=f.yen(a.contract_rate))
        return (f'<div class="cash-capacity"><h3>{self.t("fin.cash_vs_capacity")}</h3>'
                f'<p>{bundle_text(self.work, self.lang)}</p>'
                f'{_table(headers, rows, "cash")}<p class="note">{note}</p></div>')

    def _switch_none(self, name: str, label: str) -> str:
        """No switching value in the sensible range: the NPV keeps its sign there, so say
        which sign, at the telling end of the range where there is one (「利用率が100%でも
        …マイナスのまま」, 「初期費用が0円でも…」)."""
        sign = "negative" if self.impact.npv_yen < 0 else "positive"
        (low, high), _step = finance.SWITCHING[name]
        end = _TELLING_END.get((name, sign))
        if end is None:
            return self.t(f"fin.switch.none_{sign}", name=label)
        value = self.fmt.value(SWITCHING_KINDS[name], low if end == "low" else high)
        return self.t(f"fin.switch.stays_{sign}", name=label, value=value)

    def switching_html(self) -> str:
        m, f = self.impact, self.fmt
        lines = []
        for name, value in m.switching_values.items():
            label = self.t(f"fin.input.{name}")
            if value is None:               # the sign holds over the whole sensible range
                lines.append(self._switch_none(name, label))
                continue
            current = getattr(m, name)      # each input is also an attribute of Impact
            # NPV is monotone in each input: the side of the threshold we are on tells which
            # way it turns
            side = "below" if current >= value else "above"
            sign = "negative" if m.npv_yen >= 0 else "positive"
            text = f.value(SWITCHING_KINDS[name], value)
            lines.append(self.t(f"fin.switch.{side}_{sign}", name=label, value=text))
        items = "".join(f"<li>{x}</li>" for x in lines)
        return (f'<div class="switching"><h3>{self.t("fin.switching")}</h3><ul>{items}</ul>'
                f'<p class="note">{self.t("fin.switching_note")}</p></div>')

    def resident_html(self) -> str:
        m, f, a = self.impact, self.fmt, self.assumptions
        visits = (m.visits_per_case_asis - m.visits_per_case_tobe) * m.annual_cases
        text = self.t("fin.resident_text", hours=f.hours(m.resident_hours_saved),
                      value=f.yen(a.resident_value_yen_per_hour),
                      visits=i18n.fmt_number(visits, 0),
                      travel=f.yen(a.travel_cost_yen_per_visit),
                      total=f.yen(m.resident_cost_saved_yen))
        mark = f'<span class="assumption">{self.t("report.assumption_mark")}</span>'
        return (f'<div class="resident-value"><h3>{self.t("fin.resident")}</h3>'
                f'<p>{text} {mark}</p><p class="note">{esc(a.resident_value_source)}</p></div>')

    def cost_per_case_html(self) -> str:
        table = impact.cost_per_case(self.work, self.assumptions)
        rows = [[self.label("channel", ch), self.yen(r["before"]), self.yen(r["after"])]
                for ch, r in table.iterrows()]
        headers = [self.t("fin.col.channel"), self.t("fin.col.before"), self.t("fin.col.after")]
        return (f'<div class="cost-per-case"><h3>{self.t("fin.cost_per_case")}</h3>'
                f'{_table(headers, rows, "cost-per-case")}'
                f'<p class="note">{self.t("fin.cost_per_case_note")}</p></div>'
                + self.cost_by_route_html())

    def cost_by_route_html(self) -> str:
        """Cost per case by how the resident applies (窓口 / 郵送 / オンライン / コンビニ), before
        and after, then with the running cost and the initial cost spread over the period."""
        c = impact.cost_per_case_by_route(self.work, self.assumptions)
        f, w, T = self.fmt, self.work, self.assumptions.horizon_years

        def yen(x):
            return "—" if x is None else f.yen(x)

        rows = [[self.t(f"budget.route.{r}"), f.percent(v["share_before"]),
                 f.percent(v["share_after"]), yen(v["before"]), yen(v["after"])]
                for r, v in c["routes"].items()]
        rows.append([f'<b>{self.t("budget.route.all")}</b>', f.percent(1.0), f.percent(1.0),
                     f"<b>{f.yen(c['before'])}</b>", f"<b>{f.yen(c['after'])}</b>"])
        cases = f.cases(w.annual_cases)
        extra = [
            (self.t("budget.row.running", annual=f.yen(w.costs.annual_cost_yen), cases=cases),
             f"+{f.yen(c['running'])}"),
            (self.t("budget.row.with_running"), f"<b>{f.yen(c['after_with_running'])}</b>"),
            (self.t("budget.row.initial", initial=f.yen(w.costs.initial_cost_yen), years=T,
                    cases=cases), f"+{f.yen(c['initial'])}"),
            (self.t("budget.row.with_system"), f"<b>{f.yen(c['after_with_system'])}</b>")]
        if c["subsidy"]:
            extra += [(self.t("budget.row.subsidy", subsidy=f.yen(self.impact.subsidy_yen),
                              years=T, cases=cases), f"−{f.yen(c['subsidy'])}"),
                      (self.t("budget.row.with_system_net"),
                       f"<b>{f.yen(c['after_with_system_net'])}</b>")]
        rows += [[label, "", "", "", value] for label, value in extra]
        headers = [self.t(f"budget.col.{k}")
                   for k in ("route", "share_before", "share_after", "before", "after")]
        note = self.t("budget.cost_by_route_note", uptake=f.percent(c["uptake"]))
        return (f'<div class="cost-by-route"><h3>{self.t("budget.cost_by_route")}</h3>'
                f'{_table(headers, rows, "cost-by-route")}<p class="note">{note}</p></div>')

    def waterfall_html(self) -> str:
        """Total cost, minus each funding source in order, down to the general fund."""
        m = self.impact
        left = m.total_cost_yen
        rows = [[self.t("fin.total_cost", years=m.horizon_years), "", self.yen(left),
                 self.yen(left)]]
        for part in m.funding:
            left -= part["amount_yen"]
            base = self.t("fin.base.remaining" if part["on_remaining"] else "fin.base.eligible")
            rows.append([esc(part["name"]), base, self.yen(-part["amount_yen"]), self.yen(left)])
        rows.append([f'<b>{self.t("fin.general_fund")}</b>', "", "",
                     f"<b>{self.yen(m.general_fund_yen)}</b>"])
        headers = ["", self.t("fin.base"), self.t("fin.col.amount"), self.t("fin.col.remaining")]
        return (f'<h3>{self.t("fin.waterfall")}</h3>'
                + _table(headers, rows, "waterfall"))

    def out_of_scope_html(self) -> str:
        out = selection.out_of_scope(self.work, self.session.systems)
        if not out:
            return ""
        needs = self.fmt.join(esc(bundle.capability_label(t, self.lang))
                              for t in sorted(bundle.needed(self.work))) or "—"
        items = "".join(f"<li>{esc(o.name)}</li>" for o in out)
        return (f'<h3>{self.t("fin.out_of_scope")}</h3><ul class="out-of-scope">{items}</ul>'
                f'<p class="note">{self.t("fin.out_of_scope_note", needs=needs)}</p>')
