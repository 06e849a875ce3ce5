"""The sections of a group's handout as HTML fragments, built from the workspace on disk.

Every piece of user text goes through :func:`kit.documents.fragments.esc` (``html.escape``); numbers are formatted
by :mod:`kit.i18n`. The report notebook calls one method per section; the methods display
the HTML so that nbconvert exports it as-is (no code, no widgets).
"""

from __future__ import annotations

import functools
from pathlib import Path

from kit import i18n
from kit.documents.after import AfterSections
from kit.documents.appendix import AppendixSections
from kit.documents.base import Document
from kit.documents.decision import DecisionSections
from kit.documents.figures import never_recovered
from kit.documents.finance import FinanceSections
from kit.documents.fiscal import FiscalSections
from kit.documents.fragments import esc, figure_html, input_number
from kit.documents.fragments import table as _table
from kit.documents.frontyard import FrontyardSections
from kit.documents.levers import LeverSections
from kit.documents.options import OptionsSections
from kit.documents.risks import RiskSections
from kit.domain.model import Phase
from kit.domain.money import impact
from kit.io import store
from kit.workspace.demo import resolve


def _num(x: float, digits: int = 0) -> str:
    return i18n.fmt_number(x, digits)


class Handout(AfterSections, FiscalSections, FinanceSections, FrontyardSections, DecisionSections,
              OptionsSections, RiskSections, AppendixSections, LeverSections, Document):
    """One group's handout, read from ``session_dir`` (the single source of truth)."""

    range_note_once = True      # 「幅を入力した値がある数値にだけ」 once, under the key figures

    SECTIONS = ("header", "charter", "verdict", "key_figures", "options", "uncertainty", "risks",
                "changes", "levers", "roadmap",
                "actions", "charts", "frontyard", "counter", "life_events", "selection",
                "funding", "fiscal", "as_is", "assumptions", "follow_up", "appendix", "footer")

    def __init__(self, session_dir: str | Path, group_id: str, lang: str = "ja"):
        self.session_dir = Path(session_dir)
        self.session = store.load_session(self.session_dir)
        Document.__init__(self, lang, self.session.assumptions.horizon_years)
        self.work = store.load_work(self.session_dir, group_id)
        self.assumptions = self.session.assumptions
        self.impact = impact.compute(self.work, self.assumptions)

    @classmethod
    def open(cls, session_dir: str | Path = "", group_id: str = "", lang: str = "ja"):
        """The handout of ``group_id``; empty arguments open the bundled demo session."""
        return cls(*resolve(session_dir, group_id), lang)

    @functools.cached_property
    def step_table(self):
        """The step table at the group's uptake (the As-Is and changes sections share it)."""
        return impact.step_table(self.work, self.impact.uptake)

    # -- sections (HTML strings; ``show_*`` display them) -----------------------------------
    def header_html(self) -> str:
        w, s = self.work, self.session
        members = self.fmt.join(esc(m) for m in w.members)
        rows = [
            [self.t("report.theme"), esc(w.theme)],
            [self.t("report.group"), esc(w.group_id)],
            [self.t("report.members"), members or "—"],
            [self.t("report.session"), esc(s.name)],
            [self.t("report.date"), esc(i18n.fmt_date(s.date, self.lang))],
            [self.t("report.annual_cases"), self.fmt.cases(w.annual_cases)],
            [self.t("report.uptake"), self.fmt.percent(self.impact.uptake)],
        ]
        body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
        return (f'<header class="handout-header"><h1>{self.t("report.title")}</h1>'
                f'<p class="theme">{esc(w.theme)}</p>'
                f'<table class="meta">{body}</table></header>')

    def key_figures_html(self) -> str:
        return (f'<section class="key-figures"><h2>{self.t("report.key_figures")}</h2>'
                f'{self.key_figures_table()}'
                f'<p class="note">{self.t("report.figures_note")}</p>'
                f'{self.finance_html()}</section>')

    def key_figures_table(self) -> str:
        """The headline figures, each with its P10–P90 range (the A3 sheet shows this alone)."""
        m, f = self.impact, self.fmt
        fte = self.assumptions.hours_per_fte
        ranged = {      # key figure -> its text with the P10-P90 range (Monte Carlo)
            "hours_tobe": self.figure_range("hours_saved", f.hours, lambda v: m.hours_asis - v),
            "hours_saved": self.figure_range("hours_saved", f.hours),
            "fte_freed": f.fte_split(self.figure_range("hours_saved", f.fte,
                                                        lambda v: v / fte), m, fte),
            "cost_saved": self.figure_range("cost_saved_yen", f.yen),
            "resident_hours_saved": self.figure_range("resident_hours_saved", f.hours),
            "general_fund": self.figure_range("general_fund_yen", f.yen),
            "npv": self.figure_range("npv_yen", f.yen),
            "payback": self.figure_range("payback_years", self.years),
            "payback_cash": self.years(m.payback_cash_years),      # none without costs
        }
        keys = ("hours_asis", "hours_tobe", "hours_saved", "fte_freed", "cost_saved",
                "cash_saved", "capacity_hours", "resident_hours_saved", "lead_time",
                "initial_cost", "annual_cost", "subsidy", "general_fund", "npv", "npv_cash",
                "payback", "payback_cash", "resident_cost_saved")
        body = "".join(f'<tr><th>{f.name(k)}</th>'
                       f'<td class="num">{f.figure(k, m, ranged.get(k))}</td></tr>'
                       for k in keys)
        # not recovered because the yearly net is negative: never, not "a longer period would do"
        never = [f.name(k) for k, cash, x in (("payback", False, m.payback_years),
                                               ("payback_cash", True, m.payback_cash_years))
                 if x is None and never_recovered(m, cash)]
        never_note = (f'<p class="note never-recovered">'
                      f'{self.t("fig.never_recovered", figures=f.join(never))}</p>'
                      if never else "")
        return (f'<table class="figures">{body}</table>{never_note}'
                f'<p class="note no-range">{self.t("dec.no_range_note")}</p>')

    def as_is_html(self) -> str:
        df = self.step_table
        L = self.lang
        headers = ["#", self.t("head.step"), self.t("head.actor"), self.t("head.channel"),
                   self.t("head.minutes"), self.t("head.share"), self.t("head.wait_days"),
                   self.t("head.value"), self.t("head.hours"), self.t("head.pain")]
        rows = []
        for i, (step, row) in enumerate(zip(self.work.steps, df.itertuples(), strict=True), start=1):
            if step.is_new:
                continue
            rows.append([str(i), esc(step.name), i18n.label("actor", step.actor, L),
                         i18n.label("channel", step.channel, L), input_number(step.minutes),
                         i18n.fmt_percent(step.share), _num(step.wait_days, 1),
                         i18n.label("value", step.value, L), _num(row.hours, 1),
                         esc(step.pain)])
        summary = (f'<p>{self.t("report.steps_count")}: {len(rows)} / '
                   f'{self.t("report.waste_share")}: {i18n.fmt_percent(self.impact.waste_share)}'
                   f'</p>')
        if not rows:
            summary = f'<p class="todo">{self.t("inputs.no_steps_handout")}</p>'
        return (f'<section class="as-is"><h2>{self.t("report.asis")}</h2>{summary}'
                f'{self._flow_img("asis")}{_table(headers, rows, "steps")}</section>')

    def _flow_img(self, view: str) -> str:
        """The swimlane flow chart (As-Is or To-Be) as an embedded image."""
        from kit.charts.flow import swimlane

        return figure_html(swimlane(self.work, self.assumptions, self.lang, view=view),
                           "chart flow")

    def changes_html(self) -> str:
        df = self.step_table.set_index("id")
        L = self.lang
        headers = [self.t("head.step"), self.t("head.action"), self.t("head.minutes"),
                   self.t("head.minutes_after"), self.t("head.uptake_dependent"),
                   self.t("head.hours_saved")]
        parts = [f'<section class="changes"><h2>{self.t("report.changes_by_phase")}</h2>']
        for phase, key in ((Phase.quick_win, "report.quick_wins"),
                           (Phase.redesign, "report.redesign")):
            steps = [s for s in self.work.steps if s.changed and s.phase == phase]
            total = self.figure_range(f"{phase.value}_hours_saved", self.hours)
            parts.append(f"<h3>{self.t(key)}: {total}{self.fmt.period('year')}</h3>")
            if not steps:
                parts.append(f'<p>{self.t("report.no_changes")}</p>')
                continue
            rows = [[esc(s.name) + (" ★" if s.is_new else ""),
                     i18n.label("action", s.action, L),
                     "—" if s.is_new else input_number(s.minutes, s.minutes_tobe),
                     input_number(s.minutes_tobe, None if s.is_new else s.minutes),
                     i18n.label("bool", s.uptake_dependent, L),
                     _num(df.at[s.id, "hours_saved"], 1) if df.at[s.id, "staff"] else "—"]
                    for s in steps]
            parts.append(_table(headers, rows, "changes"))
        parts.append(f'<p class="note">{self.t("report.changes_note")}</p>')
        parts.append(self._flow_img("tobe") + "</section>")
        return "".join(parts)

    def charts_html(self) -> str:
        from kit.charts import impact as charts
        figures = charts.all_figures(self.work, self.assumptions, self.lang, self.impact)
        parts = [f'<section class="charts"><h2>{self.t("report.charts")}</h2>']
        parts += [figure_html(fig) for fig in figures.values()]
        parts.append("</section>")
        return "".join(parts)

    def assumptions_html(self) -> str:
        a, w, m = self.assumptions, self.work, self.impact
        mark = f' <span class="assumption">{self.t("report.assumption_mark")}</span>'
        rows = [
            [self.t("field.labour_cost_yen_per_hour"), self.yen(a.labour_cost_yen_per_hour),
             esc(a.labour_cost_source or self.t("report.default_labour_cost_source"))],
            [self.t("field.hours_per_fte"), i18n.fmt_hours(a.hours_per_fte, self.lang, 0), ""],
            [self.t("field.horizon_years"), f"{a.horizon_years}", ""],
            [self.t("field.discount_rate"), i18n.fmt_percent(a.discount_rate, 1),
             esc(a.discount_rate_source or self.t("report.default_discount_rate_source"))],
            [self.t("field.uptake_by_year"),
             " → ".join(i18n.fmt_percent(y["uptake"]) for y in m.yearly), ""],
            [self.t("fig.initial_cost") + (self.t("unit.in_parens", text=esc(w.costs.system)) if w.costs.system
                                           else ""),
             self.yen(w.costs.initial_cost_yen), esc(w.costs.source)],
            [self.t("fig.annual_cost"), self.yen(w.costs.annual_cost_yen), esc(w.costs.source)],
        ]
        for f in w.funding:
            cap = self.yen(f.cap_yen) if f.cap_yen is not None else "—"
            text = (f"{i18n.fmt_percent(f.rate)} / {self.t('field.cap_yen')} {cap} / "
                    f"{self.t('field.eligible_share')} {i18n.fmt_percent(f.eligible_share)}")
            rows.append([self.t("report.funding") + ": " + esc(f.name) +
                         (mark if f.assumption else ""), text, esc(f.source)])
        headers = [self.t("report.item"), self.t("report.value"), self.t("report.source")]
        return (f'<section class="assumptions"><h2>{self.t("report.assumptions")}</h2>'
                f'{_table(headers, rows, "assumptions")}'
                f'<p class="note">{self.t("report.assumption_note")}</p></section>')

    def footer_html(self) -> str:
        return f'<footer class="handout-footer"><p>{self.t("report.footer")}</p></footer>'
