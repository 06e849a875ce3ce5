"""The handout's appendix: how each figure is computed, in plain words and as a formula, with
the group's own assumptions filled in, so that the handout stands alone (no other document
is needed to check a figure by hand).

A mixin of :class:`kit.documents.handout.Handout`; needs ``work``, ``assumptions``, ``impact``,
``t``, ``fmt`` and ``yen``. The words are in ``kit/i18n/<lang>/appendix.yaml``; the formulas
are symbols, the same in every language (the legend names the symbols).
"""

from __future__ import annotations

from kit import i18n
from kit.documents.fragments import table as _table

# (row, formula): each row's name and plain words are app.<row>.name / app.<row>.how
FORMULAS = (
    ("hours", "H = V × p × t ÷ 60"),
    ("online", "H′ = u × H′ₒ + (1 − u) × H ;  ΔH = Σ (H − H′)"),
    ("cost_saved", "ΔH × L"),
    ("cash", "ΔH_ot × L × k + ΔH_c × R + ΔN ;  ΔH − ΔH_ot − ΔH_c"),
    ("funding", "S = min(a × e × C0, K) ;  B = min(c × e × (C0 − S), K)"),
    ("general_fund", "G = C0 + T × Ca − S − B + Σ DS"),
    ("net_burden", "G − (X + γ × Σ DS)"),
    ("npv", "NPV = −U + Σ (L × ΔH_y − Ca − D_y) ÷ (1 + r)^y"),
    ("payback", "−U + Σ (L × ΔH_y − Ca − D_y) ≥ 0"),
    ("resident", "ΔH_res × v + Δvisits × V × f"),
)


class AppendixSections:
    def appendix_values(self) -> str:
        """The symbols with this group's values (the assumptions the figures rest on)."""
        a, w, f = self.assumptions, self.work, self.fmt
        values = (("V", f.cases(w.annual_cases)), ("u", f.percent(self.impact.uptake)),
                  ("L", self.t("app.per_hour", value=self.yen(a.labour_cost_yen_per_hour))),
                  ("k", i18n.fmt_number(a.overtime_premium, 2)),
                  ("R", self.t("app.per_hour", value=self.yen(a.contract_rate))),
                  ("T", self.t("app.years", years=a.horizon_years)),
                  ("r", i18n.fmt_percent(a.discount_rate, 1)),
                  ("C0", self.yen(w.costs.initial_cost_yen)),
                  ("Ca", self.t("app.per_year", value=self.yen(w.costs.annual_cost_yen))),
                  ("v", self.t("app.per_hour", value=self.yen(a.resident_value_yen_per_hour))),
                  ("f", self.t("app.per_visit", value=self.yen(a.travel_cost_yen_per_visit))))
        return self.fmt.join(f"{k} = {v}" for k, v in values)

    def appendix_html(self) -> str:
        rows = [[self.t(f"app.{key}.name"), self.t(f"app.{key}.how"),
                 f'<span class="formula">{formula}</span>'] for key, formula in FORMULAS]
        headers = [self.t("app.col.figure"), self.t("app.col.how"), self.t("app.col.formula")]
        return (f'<section class="appendix"><h2>{self.t("app.title")}</h2>'
                f'<p>{self.t("app.intro")}</p>'
                f'<p class="values"><b>{self.t("app.values")}</b> {self.appendix_values()}</p>'
                f'{_table(headers, rows, "appendix")}'
                f'<p class="note">{self.t("app.legend")}</p></section>')
