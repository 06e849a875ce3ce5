"""Matplotlib figures from model objects (docs/formulas.md): no widgets, no I/O.

Every figure function is ``figure = f(work, assumptions, lang="ja")`` and returns a
:class:`matplotlib.figure.Figure` built with the object-oriented API (never pyplot): importing
this module and drawing work headless, and no figure is kept alive by pyplot.
:func:`kit.charts.style.figure_to_svg` (documents) or :func:`figure_to_png_bytes` (widgets)
renders a figure and closes it. The numbers come from
:mod:`kit.domain.money.impact`, so a chart shows what the handout's tables show.

The shared look (font, colours, layout helpers) is :mod:`kit.charts.style`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from kit import i18n
from kit.charts.style import (
    ASIS,
    EDGE_IN,
    GENERAL,
    MAX_HEIGHT_IN,
    OTHER,
    QUICK,
    REDESIGN,
    SAVING,
    SMALL_SIZE,
    SUBSIDY,
    TEXT_SIZE,
    TICK_IN,
    TOBE,
    TOTAL,
    WATERFALL_TOP,
    YEN_SCALE,
    FigureFn,
    empty_figure,
    escape_mathtext,
    fmt_num,
    lang_of,
    legend,
    line_in,
    money,
    new_figure,
    place,
    row_labels,
    row_size,
    step_label,
    style_context,
    value_axis,
    value_ticks_width,
)
from kit.domain.model import Action, Actor, Assumptions, GroupWork, Phase
from kit.domain.money import impact


def minutes_by_step(work: GroupWork, assumptions: Assumptions, lang: str = "ja") -> Figure:
    """As-Is and To-Be minutes per case of every step, first step on top.

    Eliminated steps show 0 To-Be and new steps 0 As-Is (each marked with a word); the To-Be
    bar of a step whose change needs the online channel is hatched: it applies to online
    cases only.
    """
    lang = lang_of(lang)
    steps = work.steps
    n = len(steps)
    height = min(MAX_HEIGHT_IN, max(3.0, 1.4 + 0.3 * n))
    with style_context():
        fig, ax = new_figure(height, i18n.t("chart.minutes_by_step", lang))
        if n == 0:
            return empty_figure(fig, ax, lang)
        asis = np.array([0.0 if s.is_new else s.minutes for s in steps])
        tobe = np.array([s.minutes_tobe for s in steps])
        dep = np.array([s.uptake_dependent for s in steps])
        y = np.arange(n)
        h = 0.4
        ax.barh(y - h / 2, asis, height=h, color=ASIS, label=i18n.t("chart.asis", lang))
        bars = ax.barh(y + h / 2, tobe, height=h, color=TOBE, label=i18n.t("chart.tobe", lang))
        for bar, online in zip(bars.patches, dep, strict=True):
            if online:
                bar.set_hatch("///")
                bar.set_edgecolor("white")
        size = row_size(n)
        label_w = row_labels(fig, ax, [step_label(s.name, s.actor.value, lang)
                                        for s in steps], size)
        ax.set_ylim(n - 0.5, -0.5)          # first step on top
        value_axis(ax, "x")
        ax.set_xlabel(i18n.t("chart.minutes_per_case", lang))
        # words for the bars that are zero because the step is gone or new
        gone = i18n.label("action", Action.eliminate, lang)
        new = i18n.t("chart.new_step", lang)
        for i, s in enumerate(steps):
            if s.action == Action.eliminate:
                ax.annotate(gone, (0, i + h / 2), xytext=(3, 0), textcoords="offset points",
                            va="center", fontsize=size - 1, color=TOBE)
            if s.is_new:
                ax.annotate(new, (0, i - h / 2), xytext=(3, 0), textcoords="offset points",
                            va="center", fontsize=size - 1, color=TOTAL)
        handles = [Patch(color=ASIS), Patch(color=TOBE)]
        labels = [i18n.t("chart.asis", lang), i18n.t("chart.tobe", lang)]
        if dep.any():
            handles.append(Patch(facecolor=TOBE, edgecolor="white", hatch="///"))
            labels.append(i18n.t("chart.tobe_online", lang))
        legend_h = legend(fig, handles, labels)
        place(fig, ax, left=EDGE_IN + label_w,
               bottom=legend_h + 2 * line_in() + TICK_IN + 0.1)
    return fig


def hours_by_actor(work: GroupWork, assumptions: Assumptions, lang: str = "ja") -> Figure:
    """Annual hours As-Is vs To-Be per staff actor and the resident (system/external steps
    are nobody's time and are skipped); the resident's hours are right of a dashed line."""
    lang = lang_of(lang)
    table = impact.hours_by_actor(work, assumptions)
    order = [a.value for a in (Actor.counter, Actor.back_office, Actor.approver, Actor.resident)
             if a.value in table.index]
    with style_context():
        fig, ax = new_figure(4.0, i18n.t("chart.hours_by_actor", lang))
        if not order:
            return empty_figure(fig, ax, lang)
        asis = table.loc[order, "hours"].to_numpy(dtype=float)
        tobe = table.loc[order, "hours_after"].to_numpy(dtype=float)
        x = np.arange(len(order))
        w = 0.38
        b1 = ax.bar(x - w / 2, asis, width=w, color=ASIS, label=i18n.t("chart.asis", lang))
        b2 = ax.bar(x + w / 2, tobe, width=w, color=TOBE, label=i18n.t("chart.tobe", lang))
        ax.bar_label(b1, [fmt_num(v) for v in asis], padding=2, fontsize=SMALL_SIZE)
        ax.bar_label(b2, [fmt_num(v) for v in tobe], padding=2, fontsize=SMALL_SIZE)
        ax.set_xticks(x, [i18n.label("actor", a, lang) for a in order])
        if Actor.resident.value in order and len(order) > 1:
            ax.axvline(len(order) - 1.5, color=OTHER, linewidth=1, linestyle="--")
        value_axis(ax, "y")
        ax.set_ylabel(i18n.t("chart.hours_per_year", lang))
        ax.margins(y=0.12)
        ax.set_ylim(bottom=0)
        legend_h = legend(fig, [b1, b2], [b1.get_label(), b2.get_label()])
        place(fig, ax, left=EDGE_IN + line_in() + value_ticks_width(ax) + TICK_IN + 0.05,
               bottom=legend_h + line_in() + TICK_IN + 0.1)
    return fig


def savings_waterfall(work: GroupWork, assumptions: Assumptions, lang: str = "ja") -> Figure:
    """As-Is staff hours, minus the saving of each changed staff step (largest first, the
    top ``WATERFALL_TOP`` then "others"), down to To-Be staff hours; coloured by phase.
    A step that adds hours (e.g. a new one) goes up, hatched."""
    lang = lang_of(lang)
    df = impact.step_table(work, impact.group_uptake(work, assumptions))
    staff = df[df["staff"]]
    h0 = float(staff["hours"].sum())
    h1 = float(staff["hours_after"].sum())
    moved = staff[staff["changed"] & (staff["hours_saved"].abs() > 1e-9)]
    if len(moved) > WATERFALL_TOP + 1:
        top = moved["hours_saved"].abs().nlargest(WATERFALL_TOP, keep="first").index
        rest = moved.drop(index=top)
        moved = moved.loc[top]
    else:
        rest = moved.iloc[:0]
    moved = moved.sort_values("hours_saved", ascending=False, kind="stable")

    labels = [i18n.t("chart.asis", lang)]
    deltas: list[float] = []
    colours = [TOTAL]
    for name, actor, phase, saved in zip(moved["name"], moved["actor"], moved["phase"],
                                         moved["hours_saved"], strict=True):
        labels.append(step_label(name, actor, lang, limit=30))
        deltas.append(float(saved))
        colours.append(QUICK if phase == Phase.quick_win.value else REDESIGN)
    if len(rest):
        labels.append(escape_mathtext(i18n.t("chart.others", lang, count=len(rest))))
        deltas.append(float(rest["hours_saved"].sum()))
        colours.append(OTHER)
    labels.append(i18n.t("chart.tobe", lang))
    colours.append(TOTAL)

    d = np.asarray(deltas, dtype=float)
    level_after = h0 - np.cumsum(d)                     # running total after each step
    level_before = np.concatenate([[h0], level_after[:-1]])
    left = np.concatenate([[0.0], np.minimum(level_before, level_after), [0.0]])
    width = np.concatenate([[h0], np.abs(d), [h1]])
    texts = ([fmt_num(h0)]
             + [("−" if v >= 0 else "+") + fmt_num(abs(v)) for v in d]
             + [fmt_num(h1)])

    rows = len(labels)
    height = min(MAX_HEIGHT_IN, max(3.2, 1.5 + 0.32 * rows))
    with style_context():
        fig, ax = new_figure(height, i18n.t("chart.waterfall", lang))
        y = np.arange(rows)
        bars = ax.barh(y, width, left=left, height=0.6, color=colours)
        for bar, delta in zip(bars.patches[1:-1], d, strict=True):
            if delta < 0:
                bar.set_hatch("xx")
                bar.set_edgecolor("white")
        ax.bar_label(bars, texts, padding=3, fontsize=SMALL_SIZE)
        label_w = row_labels(fig, ax, labels, row_size(rows))
        ax.set_ylim(rows - 0.5, -0.5)
        value_axis(ax, "x")
        ax.set_xlabel(i18n.t("chart.staff_hours_per_year", lang))
        ax.margins(x=0.12)
        ax.set_xlim(left=min(0.0, float(left.min())))
        handles = [Patch(color=QUICK), Patch(color=REDESIGN)]
        names = [i18n.label("phase", Phase.quick_win, lang),
                 i18n.label("phase", Phase.redesign, lang)]
        if len(rest):
            handles.append(Patch(color=OTHER))
            names.append(i18n.t("chart.others", lang, count=len(rest)))
        if (d < 0).any():
            handles.append(Patch(facecolor=TOTAL, edgecolor="white", hatch="xx"))
            names.append(i18n.t("chart.increase", lang))
        legend_h = legend(fig, handles, names)
        place(fig, ax, left=EDGE_IN + label_w,
               bottom=legend_h + 2 * line_in() + TICK_IN + 0.1)
    return fig


def cost_funding(work: GroupWork, assumptions: Assumptions, lang: str = "ja",
                 im: impact.Impact | None = None) -> Figure:
    """Year by year over the horizon: the cumulative cost split into subsidy and general-fund
    burden (stacked) next to the cumulative staff-cost saving. The last year's figures are the
    handout's totals (``impact.compute``, or ``im`` when the caller has it) and are repeated
    in the legend. 万円 in Japanese, yen in English."""
    lang = lang_of(lang)
    im = im or impact.compute(work, assumptions)
    scale = YEN_SCALE[lang]
    T = im.horizon_years
    years = np.arange(1, T + 1)
    cost = im.initial_cost_yen + years * im.annual_cost_yen
    subsidy = np.full(T, im.subsidy_yen)
    general = cost - subsidy
    saving = np.cumsum([row["saving_yen"] for row in im.yearly])
    with style_context():
        fig, ax = new_figure(4.2, i18n.t("chart.cost_funding", lang))
        w = 0.38
        b = ax.bar(years - w / 2, subsidy / scale, width=w, color=SUBSIDY,
                   label=i18n.t("chart.subsidy", lang))
        g = ax.bar(years - w / 2, general / scale, width=w, bottom=subsidy / scale,
                   color=GENERAL, label=i18n.t("chart.general_fund", lang))
        v = ax.bar(years + w / 2, saving / scale, width=w, color=SAVING,
                   label=i18n.t("chart.cumulative_saving", lang))
        bottom_extra = 0.0
        if T <= 10:
            ax.set_xticks(years, [i18n.t("chart.year_n", lang, n=int(y)) for y in years])
        else:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_xlabel(i18n.t("chart.year_axis", lang))
            bottom_extra = line_in()
        ax.set_xlim(0.4, T + 0.6)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
        value_axis(ax, "y")
        ax.set_ylabel(i18n.t("chart.money_axis", lang))
        ax.axhline(0, color=TOTAL, linewidth=0.8)
        ax.margins(y=0.08)
        if min(float(general.min()), float(saving.min(initial=0.0))) >= 0:
            ax.set_ylim(bottom=0)
        # the horizon totals go into the legend: bar labels collide on narrow bars
        totals = (subsidy[-1], general[-1], saving[-1] if T else 0.0)
        labels = [i18n.t("chart.legend_value", lang, name=bars.get_label(),
                         value=money(value, lang))
                  for bars, value in zip((b, g, v), totals, strict=True)]
        legend_h = legend(fig, [b, g, v], labels)
        place(fig, ax, left=EDGE_IN + line_in() + value_ticks_width(ax) + TICK_IN + 0.05,
               bottom=legend_h + line_in() + bottom_extra + TICK_IN + 0.1)
    return fig


def lead_vs_processing(work: GroupWork, assumptions: Assumptions, lang: str = "ja",
                       im: impact.Impact | None = None) -> Figure:
    """Lead time (days from application to completion) As-Is vs To-Be, with the staff
    processing minutes per case under each bar: a case waits far longer than it is worked.
    Both To-Be figures are at the group's online uptake, as in ``impact.compute`` (``im``
    when the caller has it)."""
    lang = lang_of(lang)
    im = im or impact.compute(work, assumptions)
    u = im.uptake
    df = impact.step_table(work, u)
    staff = df["staff"].to_numpy()
    exists = ~df["is_new"].to_numpy()
    dep = df["uptake_dependent"].to_numpy()
    asis_i = (df["share"] * df["minutes"]).to_numpy() * exists
    full_i = (df["share_after"] * df["minutes_after"]).to_numpy()
    tobe_i = np.where(dep, u * full_i + (1 - u) * asis_i, full_i)
    work_min = (float(asis_i[staff].sum()), float(tobe_i[staff].sum()))
    days = np.array([im.lead_time_asis_days, im.lead_time_tobe_days])
    with style_context():
        fig, ax = new_figure(3.6, i18n.t("chart.lead_time", lang))
        x = np.arange(2)
        bars = ax.bar(x, days, width=0.5, color=[ASIS, TOBE])
        ax.bar_label(bars, [i18n.t("chart.days_value", lang, value=fmt_num(v)) for v in days],
                     padding=2, fontsize=TEXT_SIZE)
        ticks = [f"{i18n.t(key, lang)}\n{i18n.t('chart.processing', lang, minutes=fmt_num(m))}"
                 for key, m in zip(("chart.asis", "chart.tobe"), work_min, strict=True)]
        ax.set_xticks(x, ticks)
        ax.set_xlim(-0.75, 1.75)
        value_axis(ax, "y")
        ax.set_ylabel(i18n.t("chart.days", lang))
        ax.margins(y=0.15)
        ax.set_ylim(bottom=0)
        place(fig, ax, left=EDGE_IN + line_in() + value_ticks_width(ax) + TICK_IN + 0.05,
               bottom=2 * line_in() + TICK_IN + EDGE_IN)
    return fig


FIGURES: dict[str, FigureFn] = {
    "minutes_by_step": minutes_by_step,
    "hours_by_actor": hours_by_actor,
    "savings_waterfall": savings_waterfall,
    "cost_funding": cost_funding,
    "lead_vs_processing": lead_vs_processing,
}


USE_IMPACT = ("cost_funding", "lead_vs_processing")     # take ``im=impact.compute(...)``


def all_figures(work: GroupWork, assumptions: Assumptions, lang: str = "ja",
                im: impact.Impact | None = None) -> dict[str, Figure]:
    """Every figure of a handout, in the order of :data:`FIGURES`; ``impact.compute`` runs
    once for all of them (or not at all when the caller passes its result as ``im``)."""
    im = im or impact.compute(work, assumptions)
    return {name: (fn(work, assumptions, lang, im=im) if name in USE_IMPACT
                   else fn(work, assumptions, lang)) for name, fn in FIGURES.items()}
