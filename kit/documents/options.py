"""Options on one basis in the handout (docs/formulas.md): the verdict in plain words at the top
and the options table (do nothing, quick wins only, each candidate alone, the chosen systems).

A mixin of :class:`kit.documents.handout.Handout` (needs ``work``, ``assumptions``, ``impact``,
``lang``, ``fmt``, ``t``). The figures are :func:`kit.domain.money.options.compare`'s, the chosen row
is the handout's own ``impact`` (the headline); every NPV and payback names its basis
(人件費換算 / 現金). Numbers go through :mod:`kit.documents.figures`.
"""

from __future__ import annotations

import functools

from kit import i18n
from kit.documents.figures import Figures
from kit.documents.fragments import esc
from kit.documents.fragments import table as _table
from kit.domain.money import options as opts

# table rows: (catalogue key opt.row.<key>, key figure of kit.documents.figures.KEY_FIGURES)
ROWS = (("hours_saved", "hours_saved"), ("cash_saved", "cash_saved"),
        ("capacity_hours", "capacity_hours"), ("initial_cost", "initial_cost"),
        ("annual_cost", "annual_cost"), ("subsidy", "subsidy"),
        ("general_fund", "general_fund"), ("net_burden", None), ("npv", "npv"),
        ("npv_cash", "npv_cash"), ("payback", "payback"), ("payback_cash", "payback_cash"))


def _change(kind: str, x: float, text, lang: str) -> str:
    """``opt.change.<kind>.up|down|same`` with ``|x|`` formatted by ``text``; "same" when
    the difference reads as zero."""
    if text(abs(x)) == text(0.0):
        return i18n.t(f"opt.change.{kind}.same", lang)
    return i18n.t(f"opt.change.{kind}.{'up' if x > 0 else 'down'}", lang, value=text(abs(x)))


def verdict_sentences(rows: list[opts.Option], lang: str = i18n.DEFAULT_LANG,
                      horizon_years: int | None = None) -> list[str]:
    """The verdict in plain words (escaped HTML text): what quick wins give alone, what the
    chosen systems add or cost on top (hours, both NPVs), and where the chosen bundle is
    worse than quick wins alone or than a single candidate alone."""
    f = Figures(lang, horizon_years)
    q, c = opts.find(rows, opts.QUICK_WINS), opts.find(rows, opts.CHOSEN)
    out = [i18n.t("opt.verdict.quick_wins", lang, hours=f.hours(q.hours_saved),
                  npv=f.yen(q.npv_yen), npv_cash=f.yen(q.npv_cash_yen))]
    if not c.has_system:
        return out + [i18n.t("opt.verdict.no_system", lang)]
    inc = opts.increment(rows)
    names = f.join(esc(n) for n in c.names) or esc(c.label(lang))
    out.append(i18n.t("opt.verdict.add", lang, names=names,
                      hours=_change("hours", inc["hours_saved"], f.hours, lang),
                      npv=_change("npv", inc["npv_yen"], f.yen, lang),
                      npv_cash=_change("cash", inc["npv_cash_yen"], f.yen, lang)))
    out.append(i18n.t("opt.verdict.total", lang, hours=f.hours(c.hours_saved),
                      npv=f.yen(c.npv_yen), npv_cash=f.yen(c.npv_cash_yen)))
    lower = [f.yen(-inc[k]) != f.yen(0.0) and inc[k] < 0 for k in ("npv_yen", "npv_cash_yen")]
    if any(lower):
        basis = "both" if all(lower) else ("staff" if lower[0] else "cash")
        out.append(i18n.t(f"opt.verdict.worse_qw.{basis}", lang))
        if lower[0] and f.hours(inc["hours_saved"]) != f.hours(0.0) and inc["hours_saved"] > 0:
            out.append(i18n.t("opt.verdict.trade_off", lang, hours=f.hours(inc["hours_saved"])))
    best = opts.best_single(rows)
    if best is not None and f.yen(best.npv_yen - c.npv_yen) != f.yen(0.0) \
            and best.npv_yen > c.npv_yen:
        out.append(i18n.t("opt.verdict.single_better", lang, name=esc(best.names[0]),
                          gap=f.yen(best.npv_yen - c.npv_yen),
                          hours=_change("single", best.hours_saved - c.hours_saved,
                                        f.hours, lang)))
    return out


class OptionsSections:
    """The verdict (right after the header / charter) and the options table."""

    @functools.cached_property
    def option_rows(self) -> list[opts.Option]:
        return opts.compare(self.work, self.assumptions, chosen=self.impact)

    def verdict_html(self) -> str:
        items = "".join(f"<p>{s}</p>" for s in
                        verdict_sentences(self.option_rows, self.lang, self.fmt.horizon_years))
        return (f'<section class="verdict"><h2>{self.t("opt.heading.verdict")}</h2>'
                f'{items}</section>')

    def _option_cell(self, option: opts.Option, row: str, key: str | None) -> str:
        f = self.fmt
        if row.startswith("payback") and not (option.initial_cost_yen or
                                              option.annual_cost_yen):
            return self.t("opt.no_cost")            # nothing to pay back
        if key is None:                              # net burden: over the horizon, yen
            return f.yen(option.net_burden_yen) + f.period("horizon")
        return f.figure(key, option)

    def options_html(self) -> str:
        rows = self.option_rows
        headers = [self.t("opt.col.figure")] + [esc(o.label(self.lang)) for o in rows]
        # net burden: a row of its own only where the model has it (else = general fund)
        shown = [(r, k) for r, k in ROWS if k or hasattr(self.impact, "net_burden_yen")]
        body = [[self.t(f"opt.row.{row}")] + [self._option_cell(o, row, key) for o in rows]
                for row, key in shown]
        inc, f = opts.increment(rows), self.fmt
        signed = {k: ("+" if inc[k] > 0 else "") for k in inc}
        line = self.t("opt.increment", hours=signed["hours_saved"] + f.hours(inc["hours_saved"]),
                      npv=signed["npv_yen"] + f.yen(inc["npv_yen"]),
                      npv_cash=signed["npv_cash_yen"] + f.yen(inc["npv_cash_yen"]))
        return (f'<section class="options"><h2>{self.t("opt.heading.options")}</h2>'
                f'{_table(headers, body, "options")}<p>{line}</p>'
                f'<p class="note">{self.t("opt.note")}</p></section>')
