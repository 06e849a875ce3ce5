"""The budget's view of the handout (docs/formulas.md, "Funding as budgets book it" and
"Fiscal years"): what a 財政課 files. The net annual change in spending in the period's last
year, the running costs after the period (後年度負担), the general fund on the budget basis,
the allocation tax and the net burden, each bond's terms, and the fiscal years (令和X年度).

A mixin of :class:`kit.documents.handout.Handout` (needs ``work``, ``impact``, ``fmt``, ``t``,
``yen``). It also gives the funding section's waterfall on the budget basis
(:meth:`FiscalSections.waterfall_html`, ahead of ``FinanceSections`` in the handout's bases):
total cost, subsidies, bond proceeds, debt service within the period, 一般財源, then the
allocation tax down to the net burden. Every number goes through :mod:`kit.documents.figures`.
"""

from __future__ import annotations

from kit import i18n
from kit.documents.fragments import esc
from kit.documents.fragments import table as _table
from kit.domain.money import debt, fiscal

# fiscal-year row columns -> (catalogue key of the header, shown only when not all zero)
COLUMNS = (("initial_cost_yen", "fis.col.initial_cost", False),
           ("annual_cost_yen", "fis.col.annual_cost", False),
           ("subsidy_yen", "fis.col.subsidy", True),
           ("bond_yen", "fis.col.bond", True),
           ("debt_service_yen", "fis.col.debt_service", True),
           ("general_fund_yen", "fis.col.general_fund", False),
           ("allocation_tax_yen", "fis.col.allocation_tax", True),
           ("net_burden_yen", "fis.col.net_burden", False),
           ("cash_saved_yen", "fis.col.cash_saved", False),
           ("capacity_hours", "fis.col.capacity_hours", False))


def fiscal_year_label(year: int, lang: str) -> str:
    """「令和9年度（2027年度）」 / "FY2027 (Reiwa 9)"; 令和元年度 for 2019."""
    era, n = debt.era_year(year)
    number = i18n.t("era.first", lang) if n == 1 else str(n)
    return i18n.t("fis.year_label", lang, era=i18n.t(f"era.{era}", lang), n=number, year=year)


def percent(x: float) -> str:
    """A rate with as many decimals as it has (1%, 0.6%, 0.45%), rounded half up."""
    digits = next((d for d in range(4) if abs(round(x * 100, d) - x * 100) < 1e-9), 3)
    return i18n.fmt_percent(x, digits)


class FiscalSections:
    """Blocks of the handout a budget reviewer reads."""

    def fy(self, year: int) -> str:
        return fiscal_year_label(year, self.lang)

    def fiscal_html(self) -> str:
        m = self.impact
        parts = [f'<section class="fiscal"><h2>{self.t("fis.title")}</h2>',
                 f"<p>{self.net_annual_text()}</p>", f"<p>{self.later_years_text()}</p>",
                 self.budget_figures_html(), self.bonds_html(),
                 f'<h3>{self.t("fis.by_year")}</h3>', self.fiscal_years_table(),
                 f'<p class="note">{self.t("fis.by_year_note", start=self.fy(m.start_fiscal_year))}'
                 f'</p>', self.kind_notes_html(), "</section>"]
        return "".join(parts)

    def net_annual_text(self) -> str:
        """The period's last year: cash saved − running cost, said as a change in spending."""
        m = self.impact
        last = m.fiscal_years[-1] if m.fiscal_years else {"fiscal_year": m.start_fiscal_year}
        net = m.net_annual_cash_yen
        key = "fis.net.saves" if net > 0 else "fis.net.raises" if net < 0 else "fis.net.even"
        text = self.t(key, year=self.fy(last["fiscal_year"]),
                      cash=self.yen(last.get("cash_saved_yen", 0.0)),
                      running=self.yen(m.annual_cost_yen), amount=self.yen(abs(net)))
        if m.bond_yen > 0:
            text += self.t("fis.net.debt_apart")
        return text

    def later_years_text(self) -> str:
        """後年度負担: the running cost goes on after the period; debt service still due."""
        m = self.impact
        text = (self.t("fis.later.running", years=m.horizon_years,
                       running=self.yen(m.annual_cost_yen)) if m.annual_cost_yen > 0
                else self.t("fis.later.no_running", years=m.horizon_years))
        if m.debt_after_horizon_yen > 0:
            text += self.t("fis.later.debt", debt=self.yen(m.debt_after_horizon_yen))
        return text

    def budget_figures_html(self) -> str:
        m, period = self.impact, self.fmt.period("horizon")
        rows = [("fis.fig.general_fund", m.general_fund_yen, period),
                ("fis.fig.allocation_tax", m.allocation_tax_yen, period),
                ("fis.fig.net_burden", m.net_burden_yen, period),
                ("fis.fig.debt_after", m.debt_after_horizon_yen, "")]
        body = "".join(f'<tr><th>{self.t(k)}</th><td class="num">{self.yen(v)}{p}</td></tr>'
                       for k, v, p in rows)
        return (f'<table class="figures budget">{body}</table>'
                f'<p class="note">{self.t("fis.figures_note")}</p>')

    def bonds_html(self) -> str:
        """Each bond's terms as the budget states them (借入額, 利率, 据置, 償還, 算入率)."""
        items = []
        for f, part in zip(self.work.funding, self.impact.funding, strict=True):
            if fiscal.kind_of(f) != fiscal.BOND:
                continue
            amount = part["amount_yen"]
            pay = float(debt.level_payment(amount, f.interest_rate, f.repayment_years))
            items.append(self.t(
                "fis.bond_terms", name=esc(f.name), amount=self.yen(amount),
                coverage=percent(f.coverage), rate=percent(f.interest_rate),
                grace=f.grace_years, interest=self.yen(amount * f.interest_rate),
                years=f.repayment_years, payment=self.yen(pay),
                allocation=percent(f.allocation_tax_rate)))
        if not items:
            return ""
        lis = "".join(f"<li>{x}</li>" for x in items)
        return (f'<h3>{self.t("fis.bonds")}</h3><ul class="bonds">{lis}</ul>'
                f'<p class="note">{self.t("fis.bonds_note")}</p>')

    def fiscal_years_table(self) -> str:
        rows_in = self.impact.fiscal_years
        shown = [(key, head) for key, head, optional in COLUMNS
                 if not optional or any(abs(r[key]) >= 0.5 for r in rows_in)]

        def cell(key: str, value: float) -> str:
            return self.hours(value) if key == "capacity_hours" else self.yen(value)

        rows = [[self.fy(r["fiscal_year"])] + [cell(k, r[k]) for k, _ in shown]
                for r in rows_in]
        rows.append([f'<b>{self.t("fis.total")}</b>'] +
                    [f"<b>{cell(k, sum(r[k] for r in rows_in))}</b>" for k, _ in shown])
        headers = [self.t("fis.col.fiscal_year")] + [self.t(head) for _, head in shown]
        return _table(headers, rows, "fiscal-years")

    def kind_notes_html(self) -> str:
        """A note for each source whose kind was not given (counted as a subsidy)."""
        names = [esc(part["name"]) for part in self.impact.funding if not part["kind_given"]]
        if not names:
            return ""
        return f'<p class="note">{self.t("fis.kind_not_given", names=self.fmt.join(names))}</p>'

    # -- the funding section's waterfall, on the budget basis -------------------------------
    def waterfall_html(self) -> str:
        """Total cost → subsidies → bond proceeds → debt service within the period → 一般財源
        → allocation tax → net burden (each row's running balance)."""
        m = self.impact
        left = m.total_cost_yen
        rows = [[self.t("fin.total_cost", years=m.horizon_years), "", self.yen(left),
                 self.yen(left)]]

        def add(name: str, base: str, amount: float) -> None:
            nonlocal left
            left += amount
            rows.append([name, base, self.yen(amount), self.yen(left)])

        by_kind = {k: [(f, p) for f, p in zip(self.work.funding, m.funding, strict=True)
                       if p["kind"] == k.value]
                   for k in (fiscal.SUBSIDY, fiscal.BOND, fiscal.ALLOCATION)}
        for f, p in by_kind[fiscal.SUBSIDY]:
            add(esc(f.name), self.t("fin.base.remaining" if f.on_remaining
                                    else "fin.base.eligible"), -p["amount_yen"])
        for f, p in by_kind[fiscal.BOND]:
            add(esc(f.name), self.t("fis.base.bond", coverage=percent(f.coverage)),
                -p["amount_yen"])
        debt_in = sum(r["debt_service_yen"] for r in m.fiscal_years)
        if by_kind[fiscal.BOND]:
            add(self.t("fis.row.debt_service", years=m.horizon_years), "", debt_in)
        rows.append([f'<b>{self.t("fin.general_fund")}</b>', "", "",
                     f"<b>{self.yen(m.general_fund_yen)}</b>"])
        for f, p in by_kind[fiscal.ALLOCATION]:
            add(esc(f.name), self.t("fis.base.allocation"), -p["amount_yen"])
        on_debt = m.allocation_tax_yen - sum(p["amount_yen"] for _, p in
                                             by_kind[fiscal.ALLOCATION])
        if abs(on_debt) >= 0.5:
            add(self.t("fis.row.debt_allocation"), "", -on_debt)
        if by_kind[fiscal.ALLOCATION] or abs(on_debt) >= 0.5:
            rows.append([f'<b>{self.t("fis.fig.net_burden")}</b>', "", "",
                         f"<b>{self.yen(m.net_burden_yen)}</b>"])
        headers = ["", self.t("fin.base"), self.t("fin.col.amount"), self.t("fin.col.remaining")]
        return f'<h3>{self.t("fin.waterfall")}</h3>' + _table(headers, rows, "waterfall")
