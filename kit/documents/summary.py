"""The session summary across groups as HTML fragments (``templates/session_summary.ipynb``).

Read from the workspaces on disk, like :class:`kit.documents.handout.Handout` for one group. A group
whose workspace cannot be read is named and left out of the totals; the others still count.
Hours saved carry their P10–P90 range when :mod:`kit.domain.money.uncertainty` is available and the group
gave three-point estimates (per-draw sums give the city's range). Quick wins come first.
Every piece of user text goes through :func:`kit.documents.fragments.esc`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from kit import i18n
from kit.documents.after_summary import SummaryAfterSections
from kit.documents.base import Document
from kit.documents.fragments import esc
from kit.documents.fragments import table as _table
from kit.documents.frontyard import FrontyardSummary
from kit.domain.model import Phase
from kit.domain.money import impact
from kit.exceptions import KitError
from kit.io import store
from kit.workspace.demo import resolve


@dataclass
class GroupResult:
    work: object
    impact: impact.Impact
    samples: np.ndarray | None = None      # the group's Monte Carlo draws of hours saved
    p10_p90: tuple[float, float] | None = None     # hours saved: exactly the handout's P10–P90
    npv_p10_p90: tuple[float, float] | None = None  # NPV: the handout's P10–P90


def _forecast(work, assumptions):
    """The group's one set of draws (:func:`kit.domain.money.uncertainty.forecast`, the handout's)."""
    try:
        from kit.domain.money import uncertainty
        forecast = uncertainty.forecast(work, assumptions)
    except (ImportError, AttributeError, KitError):
        return None
    return forecast if getattr(forecast, "uncertain_inputs", 0) else None


def _result(work, m, assumptions, i: int) -> GroupResult:
    f = _forecast(work, assumptions)
    if f is None:
        return GroupResult(work, m)
    p10, _, p90 = f.p("hours_saved")
    n10, _, n90 = f.p("npv_yen")
    # the city's range sums the groups' draws; a fixed shuffle per group keeps each group's
    # distribution (and its P10–P90) and makes the groups independent (same seed otherwise)
    draws = np.random.default_rng(1000 + i).permutation(f.samples["hours_saved"])
    return GroupResult(work, m, draws, (p10, p90), (n10, n90))


class Summary(SummaryAfterSections, FrontyardSummary, Document):
    SECTIONS = ("header", "totals", "quick_wins", "groups", "frontyard", "matrix", "realisation",
                "overdue", "footer")

    def __init__(self, session_dir: str | Path, lang: str = "ja"):
        self.session_dir = Path(session_dir)
        self.session = store.load_session(self.session_dir)
        super().__init__(lang, self.session.assumptions.horizon_years)
        self.assumptions = self.session.assumptions
        self.groups: list[GroupResult] = []
        self.unavailable: list[str] = []
        for i, gid in enumerate(self.session.groups):
            try:
                work = store.load_work(self.session_dir, gid)
                m = impact.compute(work, self.assumptions)
            except KitError:
                self.unavailable.append(gid)
                continue
            self.groups.append(_result(work, m, self.assumptions, i))

    @classmethod
    def open(cls, session_dir: str | Path = "", lang: str = "ja") -> Summary:
        session_dir, _ = resolve(session_dir, None)
        return cls(session_dir, lang)

    # -- figures ---------------------------------------------------------------------------
    def totals(self) -> SimpleNamespace:
        """The city's totals: the sum of each group's figure (attributes named as Impact's)."""
        keys = ("hours_saved", "quick_win_hours_saved", "redesign_hours_saved", "fte_freed",
                "cost_saved_yen", "initial_cost_yen", "annual_cost_yen", "subsidy_yen",
                "general_fund_yen", "npv_yen", "resident_hours_saved", "cash_saved_yen",
                "capacity_hours", "not_delivered_hours", "npv_cash_yen", "overtime_hours",
                "contract_hours")
        return SimpleNamespace(**{k: float(sum(getattr(g.impact, k) for g in self.groups))
                                  for k in keys})

    def hours_range(self, group: GroupResult | None = None) -> tuple[float, float] | None:
        """P10, P90 of hours saved for one group, or for the city (sum of draws)."""
        if group is not None:
            return group.p10_p90
        else:
            if not self.groups or any(g.samples is None for g in self.groups):
                return None
            s = np.sum([g.samples for g in self.groups], axis=0)
        if s is None:
            return None
        return float(np.percentile(s, 10)), float(np.percentile(s, 90))

    def _range_text(self, r) -> str:
        return "—" if r is None else self.t("unit.span", low=self.hours(r[0]), high=self.hours(r[1]))

    # -- sections --------------------------------------------------------------------------
    def header_html(self) -> str:
        s = self.session
        rows = [(self.t("report.session"), esc(s.name)),
                (self.t("report.date"), esc(i18n.fmt_date(s.date, self.lang))),
                (self.t("summary.count_groups"), str(len(self.groups)))]
        body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
        missing = ""
        if self.unavailable:
            names = self.fmt.join(esc(g) for g in self.unavailable)
            missing = f'<p class="note warning">{self.t("summary.unavailable", groups=names)}</p>'
        return (f'<header class="handout-header"><h1>{self.t("summary.title")}</h1>'
                f'<table class="meta">{body}</table>{missing}</header>')

    def totals_html(self) -> str:
        tot, f = self.totals(), self.fmt
        rng = self.hours_range()
        keys = ("hours_saved", "quick_win_hours_saved", "redesign_hours_saved", "fte_freed",
                "cost_saved", "cash_saved", "capacity_hours", "not_delivered_hours",
                "initial_cost", "annual_cost", "subsidy", "general_fund", "npv", "npv_cash")
        fte = self.session.assumptions.hours_per_fte
        rows = [(f.name(k), f.fte_split(f.figure(k, tot), tot, fte) if k == "fte_freed"
                 else f.figure(k, tot)) for k in keys]
        rows.insert(1, (self.t("summary.col_range"), self._range_text(rng)))
        body = "".join(f'<tr><th>{k}</th><td class="num">{v}</td></tr>' for k, v in rows)
        note = self.t("summary.range_note") if rng else self.t("summary.no_range")
        return (f'<section class="key-figures"><h2>{self.t("summary.totals")}</h2>'
                f'<table class="figures">{body}</table><p class="note">{note} '
                f'{self.t("report.figures_note")}</p></section>')

    def quick_wins_html(self) -> str:
        rows = []
        for g in self.groups:
            df = impact.step_table(g.work, g.impact.uptake).set_index("id")
            for s in g.work.steps:
                if s.changed and s.phase == Phase.quick_win and df.at[s.id, "staff"]:
                    rows.append((float(df.at[s.id, "hours_saved"]), g.work.group_id,
                                 g.work.theme, s))
        rows.sort(key=lambda r: (-r[0], r[1]))
        table = [[esc(gid), esc(theme), esc(s.name), i18n.label("action", s.action, self.lang),
                  self.hours(h)] for h, gid, theme, s in rows]
        headers = [self.t("summary.col_group"), self.t("summary.col_theme"),
                   self.t("summary.col_step"), self.t("head.action"), self.t("head.hours_saved")]
        body = _table(headers, table, "changes") if table else \
            f'<p>{self.t("report.no_changes")}</p>'
        return f'<section class="changes"><h2>{self.t("summary.quick_wins")}</h2>{body}</section>'

    def _npv_text(self, g: GroupResult) -> str:
        """NPV with the handout's P10–P90 beside it (the same draws, the same formatter)."""
        text = self.yen(g.impact.npv_yen)
        r = g.npv_p10_p90
        if r is None or self.yen(r[0]) == self.yen(r[1]):
            return text
        return (f'{text} <span class="range">'
                f'{self.t("dec.range", low=self.yen(r[0]), high=self.yen(r[1]))}</span>')

    def groups_html(self) -> str:
        """Per group, in two tables so that each fits an A4 page: the hours, then the money."""
        order = sorted(self.groups, key=lambda g: (-g.impact.quick_win_hours_saved,
                                                   -g.impact.hours_saved, g.work.group_id))
        who = [self.t("summary.col_group"), self.t("summary.col_theme")]
        hours = [[esc(g.work.group_id), esc(g.work.theme), self.hours(g.impact.hours_saved),
                  self._range_text(self.hours_range(g)),
                  self.hours(g.impact.quick_win_hours_saved),
                  self.hours(g.impact.redesign_hours_saved),
                  self.hours(g.impact.capacity_hours),
                  self.hours(g.impact.not_delivered_hours)] for g in order]
        money = [[esc(g.work.group_id), esc(g.work.theme), self.yen(g.impact.cost_saved_yen),
                  self.yen(g.impact.cash_saved_yen), self.yen(g.impact.subsidy_yen),
                  self.yen(g.impact.general_fund_yen), self._npv_text(g)]
                 for g in order]
        hours_head = who + [self.t("fig.hours_saved"), self.t("summary.col_range"),
                            self.t("report.quick_wins"), self.t("report.redesign"),
                            self.t("fig.capacity_hours"), self.t("fig.not_delivered_hours")]
        money_head = who + [self.t("fig.cost_saved"), self.t("fig.cash_saved"),
                            self.t("fig.subsidy"), self.t("fig.general_fund"), self.t("fig.npv")]
        return (f'<section class="groups"><h2>{self.t("summary.groups")}</h2>'
                f'{_table(hours_head, hours, "figures")}{_table(money_head, money, "figures")}'
                f'</section>')

    def matrix_points(self) -> list[dict]:
        return [{"label": f"{g.work.group_id} {g.work.theme}",
                 "hours_saved": g.impact.hours_saved,
                 "general_fund_yen": g.impact.general_fund_yen,
                 "quick_share": (g.impact.quick_win_hours_saved / g.impact.hours_saved
                                 if g.impact.hours_saved > 0 else 0.0)} for g in self.groups]

    def matrix_html(self) -> str:
        from kit.charts.survey import impact_effort
        from kit.documents.fragments import figure_html
        fig = impact_effort(self.matrix_points(), self.lang)
        return (f'<section class="charts"><h2>{self.t("summary.matrix")}</h2>'
                f'{figure_html(fig)}</section>')

    def footer_html(self) -> str:
        return f'<footer class="handout-footer"><p>{self.t("summary.footer")}</p></footer>'
