"""One formatter for every key figure the kit shows: handout, summary, editors and overview.

Each quantity has one kind (hours, yen, FTE, days, years, percent, cases) and one precision,
and its unit and period come from the message catalogue (``unit.*``), so "708.0時間／年" reads
the same wherever it appears. Numbers are rounded half up (四捨五入, :mod:`kit.i18n.formats`).

``KEY_FIGURES`` names each figure of :class:`kit.domain.money.impact.Impact` with its kind and
period; :meth:`Figures.value` formats a number of a kind, :meth:`Figures.figure` a named key
figure of an ``Impact``.
"""

from __future__ import annotations

import math

from kit import i18n

HOURS_DIGITS = 1
FTE_DIGITS = 2
DAYS_DIGITS = 1
YEARS_DIGITS = 1
PERCENT_DIGITS = 0
WAIT_DIGITS = 1
TIMES_DIGITS = 1

# key -> (Impact attribute, kind, period); period: "year" (per year), "horizon", or None
KEY_FIGURES: dict[str, tuple[str, str, str | None]] = {
    "hours_asis": ("hours_asis", "hours", "year"),
    "hours_tobe": ("hours_tobe", "hours", "year"),
    "hours_saved": ("hours_saved", "hours", "year"),
    "fte_freed": ("fte_freed", "fte", None),
    "cost_saved": ("cost_saved_yen", "yen", "year"),
    "resident_hours_saved": ("resident_hours_saved", "hours", "year"),
    "waste_share": ("waste_share", "percent", None),
    "initial_cost": ("initial_cost_yen", "yen", None),
    "annual_cost": ("annual_cost_yen", "yen", "year"),
    "subsidy": ("subsidy_yen", "yen", None),
    "general_fund": ("general_fund_yen", "yen", "horizon"),
    "npv": ("npv_yen", "yen", "horizon"),
    "payback": ("payback_years", "years", None),
    "quick_win_hours_saved": ("quick_win_hours_saved", "hours", "year"),
    "redesign_hours_saved": ("redesign_hours_saved", "hours", "year"),
    # cash versus capacity (docs/formulas.md)
    "cash_saved": ("cash_saved_yen", "yen", "year"),
    "capacity_hours": ("capacity_hours", "hours", "year"),
    "non_labour_saved": ("non_labour_saved_yen", "yen", "year"),
    "npv_cash": ("npv_cash_yen", "yen", "horizon"),
    "payback_cash": ("payback_cash_years", "years", None),
    "resident_cost_saved": ("resident_cost_saved_yen", "yen", "year"),
    "not_delivered_hours": ("not_delivered_hours", "hours", "year"),
}
# switching-value inputs (kit.domain.money.finance.SWITCHING) -> kind
SWITCHING_KINDS = {"uptake": "percent", "annual_cases": "cases", "initial_cost_yen": "yen",
                   "annual_cost_yen": "yen", "labour_cost_yen_per_hour": "yen"}


def never_recovered(figures, cash: bool = False) -> bool:
    """The yearly net (saving − running cost; cash: spending cut − running cost) is negative
    in every year, so the cost is never recovered however long the period. ``figures``: an
    Impact (its ``yearly`` rows) or anything with the headline figures (an option)."""
    rows = getattr(figures, "yearly", None) or []
    if rows:
        key = "cash_yen" if cash else "saving_yen"
        return all(r[key] - r["running_cost_yen"] < 0 for r in rows)
    saving = getattr(figures, "cash_saved_yen" if cash else "cost_saved_yen", None)
    annual = getattr(figures, "annual_cost_yen", None)
    return saving is not None and annual is not None and saving - annual < 0


class Figures:
    """Formats numbers of one kind, with units, in one language."""

    def __init__(self, lang: str = i18n.DEFAULT_LANG, horizon_years: int | None = None):
        self.lang = lang if lang in i18n.LANGS else i18n.DEFAULT_LANG
        self.horizon_years = horizon_years

    def t(self, key: str, **values) -> str:
        return i18n.t(key, self.lang, **values)

    # -- numbers of a kind ----------------------------------------------------------------
    def hours(self, x: float | None) -> str:
        return i18n.fmt_hours(x, self.lang, HOURS_DIGITS)

    def hours_number(self, x: float | None) -> str:
        """Hours without their unit (a chart label that carries the unit itself)."""
        return i18n.fmt_number(x, HOURS_DIGITS)

    def yen(self, x: float | None) -> str:
        return i18n.fmt_yen(x, self.lang)

    def fte(self, x: float | None) -> str:
        return self.t("unit.fte_value", value=i18n.fmt_number(x, FTE_DIGITS))

    def days(self, x: float | None) -> str:
        return self.t("unit.days_value", value=i18n.fmt_number(x, DAYS_DIGITS))

    def years(self, x: float | None) -> str:
        """Years (payback); None or infinity: not recovered within the horizon, in words."""
        if x is None or (isinstance(x, float) and math.isinf(x)):
            return self.t("fig.not_recovered")
        return self.t("unit.years_value", value=i18n.fmt_number(x, YEARS_DIGITS))

    def fte_split(self, total: str, impact, hours_per_fte: float) -> str:
        """``total`` (the FTE figure, formatted) with its split: the cash hours (overtime +
        contract: spending cut) and the capacity hours (time to redeploy), each ÷ hours per FTE."""
        cash = (impact.overtime_hours + impact.contract_hours) / hours_per_fte
        return self.t("fig.fte_split", total=total, cash=self.fte(cash),
                      capacity=self.fte(impact.capacity_hours / hours_per_fte))

    def percent(self, x: float | None) -> str:
        return i18n.fmt_percent(x, PERCENT_DIGITS)

    def cases(self, x: float | None) -> str:
        return self.t("unit.cases_value", value=i18n.fmt_number(x, 0))

    def minutes(self, x: float | None, digits: int = 1) -> str:
        return i18n.fmt_number(x, digits)

    def measure(self, x: float | None, unit: str = "") -> str:
        """A charter measure in its own unit (already escaped): whole numbers without
        decimals, others to 2 decimals (``1,200件``, ``0.35``)."""
        if x is None:
            return "—"
        digits = 0 if float(x).is_integer() else 2
        return f"{i18n.fmt_number(x, digits)}{unit}"

    def wait(self, x: float | None) -> str:
        """Minutes a resident spends (wait, time in the office); infinite: without limit."""
        if x is not None and isinstance(x, float) and math.isinf(x):
            return self.t("unit.unbounded")
        return self.t("unit.minutes_value", value=i18n.fmt_number(x, WAIT_DIGITS))

    def times(self, x: float | None) -> str:
        """Counts per case (visits, forms written)."""
        return self.t("unit.times_value", value=i18n.fmt_number(x, TIMES_DIGITS))

    def people(self, x: float | None) -> str:
        return self.t("unit.people_value", value=i18n.fmt_number(x, 0))

    def value(self, kind: str, x: float | None) -> str:
        return getattr(self, kind)(x)

    # -- periods and lists ----------------------------------------------------------------
    def period(self, period: str | None) -> str:
        if period == "year":
            return self.t("unit.per_year")
        if period == "horizon" and self.horizon_years:
            return self.t("unit.over_horizon", years=self.horizon_years)
        return ""

    def join(self, items) -> str:
        """Already-escaped items joined the reader's way (「、」 or ", ")."""
        return self.t("unit.list_sep").join(items)

    def days_range(self, before: float, after: float) -> str:
        return self.t("unit.days_range", before=i18n.fmt_number(before, DAYS_DIGITS),
                      after=i18n.fmt_number(after, DAYS_DIGITS))

    # -- key figures of an Impact ---------------------------------------------------------
    def name(self, key: str) -> str:
        """The figure's name: ``fig.<key>`` in the catalogue (``report.<key>`` else)."""
        text = self.t("fig." + key)
        return self.t("report." + key) if text == "fig." + key else text

    def figure(self, key: str, impact, text: str | None = None) -> str:
        """Key figure ``key`` of ``impact`` with its unit and period.

        ``text``: the number already formatted (e.g. with its range) to put the period after.
        """
        if key == "lead_time":
            return self.days_range(impact.lead_time_asis_days, impact.lead_time_tobe_days)
        attr, kind, period = KEY_FIGURES[key]
        if text is None:
            text = self.value(kind, getattr(impact, attr))
        return text + self.period(period)
