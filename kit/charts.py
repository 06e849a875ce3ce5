"""Matplotlib figures from model objects (DESIGN §3, §5): no widgets, no I/O.

Every function is ``figure = f(work, assumptions, lang="ja")`` and returns a
:class:`matplotlib.figure.Figure` built with the object-oriented API (never pyplot), so
importing this module and drawing work headless and no figure is kept by pyplot. The numbers
come from :mod:`kit.impact` and match the handout's figures. ``figure_to_png_bytes`` renders a
figure and closes it.

Japanese text: ``import matplotlib_fontja`` registers IPAexGothic (shipped in its wheel) and
makes it the default font; every figure is also built and rendered under an ``rc_context``
naming that font, so a notebook that resets the matplotlib style does not get tofu boxes.
Text a participant typed (step names) is shortened, whitespace-collapsed and has ``$``
escaped so that it is never read as mathtext.
"""

from __future__ import annotations

import io
import sys
import unicodedata
from collections.abc import Callable

import matplotlib
import matplotlib_fontja  # noqa: F401  (registers IPAexGothic and makes it the default)
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from . import i18n, impact
from .model import Action, Actor, Assumptions, GroupWork, Phase

FONT = "IPAexGothic"
_RC = {"font.family": [FONT], "axes.unicode_minus": True, "font.size": 9.0}

WIDTH_IN = 7.5
MAX_HEIGHT_IN = 9.0
LABEL_WIDTH = 36          # display columns of a step label: 18 Japanese or 36 Latin characters
WATERFALL_TOP = 8         # changed steps shown one by one; the rest are "others"

# Okabe-Ito colours: readable by colour-blind participants and in greyscale print
ASIS = "#a0a0a0"
TOBE = "#0072B2"
QUICK = "#E69F00"
REDESIGN = "#0072B2"
TOTAL = "#555555"
OTHER = "#c8c8c8"
SUBSIDY = "#56B4E9"
GENERAL = "#0072B2"
SAVING = "#009E73"

_YEN_SCALE = {"ja": 1e4, "en": 1.0}   # ja shows 万円, en shows yen

FigureFn = Callable[..., Figure]


# --- helpers ------------------------------------------------------------------------------
def _lang(lang: str | None) -> str:
    return lang if lang in i18n.LANGS else i18n.DEFAULT_LANG


def _style():
    return matplotlib.rc_context(_RC)


def _escape(text: str) -> str:
    """Plain text for a matplotlib Text: ``$`` would otherwise start mathtext."""
    return text.replace("$", r"\$")


def _col_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def short_label(text: object, limit: int = LABEL_WIDTH) -> str:
    """A one-line label of at most ``limit`` display columns (a Japanese character counts 2),
    ending in "…" when shortened, safe from mathtext."""
    text = " ".join(str(text).split())
    widths = [_col_width(ch) for ch in text]
    if sum(widths) > limit:
        keep, used = 0, 0
        for w in widths:
            if used + w > limit - 2:
                break
            used += w
            keep += 1
        text = text[:keep].rstrip() + "…"
    return _escape(text)


def _num(x: float) -> str:
    """Comma-grouped, one decimal only for small non-integers."""
    digits = 1 if abs(x) < 10 and abs(x - round(x)) > 1e-9 else 0
    return i18n.fmt_number(x, digits)


def _tick_formatter() -> FuncFormatter:
    def fmt(value: float, _pos: int) -> str:
        if abs(value) < 1e-12:
            return "0"
        if abs(value - round(value)) < 1e-9:
            return f"{value:,.0f}"
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return FuncFormatter(fmt)


def _money(value_yen: float, lang: str) -> str:
    value = value_yen / _YEN_SCALE[lang]
    digits = 1 if abs(value) < 100 and abs(value - round(value)) > 1e-9 else 0
    return i18n.t("chart.money_value", lang, value=i18n.fmt_number(value, digits))


def _new_figure(height: float) -> tuple[Figure, object]:
    fig = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _title(ax, key: str, lang: str) -> None:
    ax.set_title(i18n.t(key, lang), loc="left", fontsize=11.5)  # IPAexGothic has no bold


def _empty(ax, lang: str) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, i18n.t("chart.no_data", lang), ha="center", va="center",
            transform=ax.transAxes, color=TOTAL)


def _step_label(name: str, actor: str, lang: str, limit: int = LABEL_WIDTH) -> str:
    who = i18n.label("actor", actor, lang)
    return (f"{short_label(name, limit)}（{who}）" if lang == "ja"
            else f"{short_label(name, limit)} ({who})")


# --- figures ------------------------------------------------------------------------------
def minutes_by_step(work: GroupWork, assumptions: Assumptions, lang: str = "ja") -> Figure:
    """As-Is and To-Be minutes per case of every step, first step on top.

    Eliminated steps show 0 To-Be, new steps 0 As-Is (each marked with a word); the To-Be bar
    of a step whose change needs the online channel is hatched: it applies to online cases.
    """
    lang = _lang(lang)
    steps = work.steps
    n = len(steps)
    height = min(MAX_HEIGHT_IN, max(3.0, 1.4 + 0.3 * n))
    with _style():
        fig, ax = _new_figure(height)
        _title(ax, "chart.minutes_by_step", lang)
        if n == 0:
            _empty(ax, lang)
            return fig
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
        size = 9 if n <= 15 else (8 if n <= 25 else 7)
        ax.set_yticks(y, [_step_label(s.name, s.actor.value, lang) for s in steps],
                      fontsize=size)
        ax.set_ylim(n - 0.5, -0.5)          # first step on top
        ax.xaxis.set_major_formatter(_tick_formatter())
        ax.set_xlabel(i18n.t("chart.minutes_per_case", lang))
        ax.grid(axis="x", alpha=0.3)
        ax.set_axisbelow(True)
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
        handles = [Patch(color=ASIS, label=i18n.t("chart.asis", lang)),
                   Patch(color=TOBE, label=i18n.t("chart.tobe", lang))]
        if dep.any():
            handles.append(Patch(facecolor=TOBE, edgecolor="white", hatch="///",
                                 label=i18n.t("chart.tobe_online", lang)))
        fig.legend(handles=handles, loc="outside lower center", ncols=len(handles),
                   frameon=False)
    return fig


def hours_by_actor(work: GroupWork, assumptions: Assumptions, lang: str = "ja") -> Figure:
    """Annual hours As-Is vs To-Be per staff actor and the resident (system/external skipped)."""
    lang = _lang(lang)
    table = impact.hours_by_actor(work, assumptions)
    order = [a.value for a in (Actor.counter, Actor.back_office, Actor.approver, Actor.resident)
             if a.value in table.index]
    with _style():
        fig, ax = _new_figure(4.0)
        _title(ax, "chart.hours_by_actor", lang)
        if not order:
            _empty(ax, lang)
            return fig
        asis = table.loc[order, "hours"].to_numpy(dtype=float)
        tobe = table.loc[order, "hours_after"].to_numpy(dtype=float)
        x = np.arange(len(order))
        w = 0.38
        b1 = ax.bar(x - w / 2, asis, width=w, color=ASIS, label=i18n.t("chart.asis", lang))
        b2 = ax.bar(x + w / 2, tobe, width=w, color=TOBE, label=i18n.t("chart.tobe", lang))
        ax.bar_label(b1, [_num(v) for v in asis], padding=2, fontsize=8)
        ax.bar_label(b2, [_num(v) for v in tobe], padding=2, fontsize=8)
        ax.set_xticks(x, [i18n.label("actor", a, lang) for a in order])
        if Actor.resident.value in order and len(order) > 1:
            ax.axvline(len(order) - 1.5, color=OTHER, linewidth=1, linestyle="--")
        ax.yaxis.set_major_formatter(_tick_formatter())
        ax.set_ylabel(i18n.t("chart.hours_per_year", lang))
        ax.margins(y=0.12)
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", alpha=0.3)
        ax.set_axisbelow(True)
        fig.legend(loc="outside lower center", ncols=2, frameon=False)
    return fig


def savings_waterfall(work: GroupWork, assumptions: Assumptions, lang: str = "ja") -> Figure:
    """As-Is staff hours, minus the saving of each changed staff step (largest first, the
    top ``WATERFALL_TOP`` then "others"), down to To-Be staff hours; coloured by phase."""
    lang = _lang(lang)
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
    deltas = [np.nan]
    colours = [TOTAL]
    for name, actor, phase, saved in zip(moved["name"], moved["actor"], moved["phase"],
                                         moved["hours_saved"], strict=True):
        labels.append(_step_label(name, actor, lang, limit=30))
        deltas.append(float(saved))
        colours.append(QUICK if phase == Phase.quick_win.value else REDESIGN)
    if len(rest):
        labels.append(_escape(i18n.t("chart.others", lang, count=len(rest))))
        deltas.append(float(rest["hours_saved"].sum()))
        colours.append(OTHER)
    labels.append(i18n.t("chart.tobe", lang))
    deltas.append(np.nan)
    colours.append(TOTAL)

    d = np.nan_to_num(np.asarray(deltas[1:-1], dtype=float))
    level_after = h0 - np.cumsum(d)                     # running total after each step
    level_before = np.concatenate([[h0], level_after[:-1]]) if len(d) else np.array([])
    left = np.concatenate([[0.0], np.minimum(level_before, level_after), [0.0]])
    width = np.concatenate([[h0], np.abs(d), [h1]])
    texts = ([_num(h0)]
             + [("−" if v >= 0 else "+") + _num(abs(v)) for v in d]
             + [_num(h1)])

    rows = len(labels)
    with _style():
        fig, ax = _new_figure(min(MAX_HEIGHT_IN, max(3.2, 1.5 + 0.32 * rows)))
        _title(ax, "chart.waterfall", lang)
        y = np.arange(rows)
        bars = ax.barh(y, width, left=left, height=0.6, color=colours)
        for bar, delta in zip(bars.patches[1:-1], d, strict=True):
            if delta < 0:
                bar.set_hatch("xx")
                bar.set_edgecolor("white")
        ax.bar_label(bars, texts, padding=3, fontsize=8)
        ax.set_yticks(y, labels, fontsize=9 if rows <= 12 else 8)
        ax.set_ylim(rows - 0.5, -0.5)
        ax.xaxis.set_major_formatter(_tick_formatter())
        ax.set_xlabel(i18n.t("chart.staff_hours_per_year", lang))
        ax.margins(x=0.12)
        ax.set_xlim(left=min(0.0, float(left.min())))
        ax.grid(axis="x", alpha=0.3)
        ax.set_axisbelow(True)
        handles = [Patch(color=QUICK, label=i18n.label("phase", Phase.quick_win, lang)),
                   Patch(color=REDESIGN, label=i18n.label("phase", Phase.redesign, lang))]
        if len(rest):
            handles.append(Patch(color=OTHER, label=i18n.t("chart.others", lang,
                                                           count=len(rest))))
        if (d < 0).any():
            handles.append(Patch(facecolor=TOTAL, edgecolor="white", hatch="xx",
                                 label=i18n.t("chart.increase", lang)))
        fig.legend(handles=handles, loc="outside lower center", ncols=len(handles),
                   frameon=False)
    return fig


def cost_funding(work: GroupWork, assumptions: Assumptions, lang: str = "ja") -> Figure:
    """Year by year over the horizon: cumulative cost split into subsidy and general-fund
    burden (stacked) next to the cumulative staff-cost saving; the last year is the total of
    the handout (``impact.compute``). 万円 in Japanese, yen in English."""
    lang = _lang(lang)
    im = impact.compute(work, assumptions)
    scale = _YEN_SCALE[lang]
    T = im.horizon_years
    years = np.arange(1, T + 1)
    cost = im.initial_cost_yen + years * im.annual_cost_yen
    subsidy = np.full(T, im.subsidy_yen)
    general = cost - subsidy
    saving = np.cumsum([row["saving_yen"] for row in im.yearly]) if im.yearly else np.zeros(T)
    with _style():
        fig, ax = _new_figure(4.2)
        _title(ax, "chart.cost_funding", lang)
        w = 0.38
        b = ax.bar(years - w / 2, subsidy / scale, width=w, color=SUBSIDY,
                   label=i18n.t("chart.subsidy", lang))
        g = ax.bar(years - w / 2, general / scale, width=w, bottom=subsidy / scale,
                   color=GENERAL, label=i18n.t("chart.general_fund", lang))
        v = ax.bar(years + w / 2, saving / scale, width=w, color=SAVING,
                   label=i18n.t("chart.cumulative_saving", lang))
        ax.set_xticks(years, [i18n.t("chart.year_n", lang, n=int(y)) for y in years],
                      rotation=0 if T <= 10 else 90, fontsize=9 if T <= 10 else 7)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
        ax.yaxis.set_major_formatter(_tick_formatter())
        ax.set_ylabel(i18n.t("chart.money_axis", lang))
        ax.axhline(0, color=TOTAL, linewidth=0.8)
        ax.margins(y=0.12)
        if min(float(general.min()), float(saving.min())) >= 0:
            ax.set_ylim(bottom=0)
        ax.grid(axis="y", alpha=0.3)
        ax.set_axisbelow(True)
        # the horizon totals go into the legend: bar labels collide on narrow bars
        totals = (subsidy[-1], general[-1], saving[-1])
        labels = [i18n.t("chart.legend_value", lang, name=bars.get_label(),
                         value=_money(value, lang))
                  for bars, value in zip((b, g, v), totals, strict=True)]
        fig.legend((b, g, v), labels, loc="outside lower center",
                   ncols=3 if lang == "ja" else 2, frameon=False)
    return fig


def lead_vs_processing(work: GroupWork, assumptions: Assumptions, lang: str = "ja") -> Figure:
    """Lead time (days from application to completion) As-Is vs To-Be, with the staff
    processing minutes per case under each bar: a case waits far longer than it is worked."""
    lang = _lang(lang)
    im = impact.compute(work, assumptions)
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
    with _style():
        fig, ax = _new_figure(3.6)
        _title(ax, "chart.lead_time", lang)
        x = np.arange(2)
        bars = ax.bar(x, days, width=0.5, color=[ASIS, TOBE])
        ax.bar_label(bars, [i18n.t("chart.days_value", lang, value=_num(v)) for v in days],
                     padding=2, fontsize=9)
        ticks = [f"{i18n.t(key, lang)}\n{i18n.t('chart.processing', lang, minutes=_num(m))}"
                 for key, m in zip(("chart.asis", "chart.tobe"), work_min, strict=True)]
        ax.set_xticks(x, ticks)
        ax.set_xlim(-0.75, 1.75)
        ax.yaxis.set_major_formatter(_tick_formatter())
        ax.set_ylabel(i18n.t("chart.days", lang))
        ax.margins(y=0.15)
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", alpha=0.3)
        ax.set_axisbelow(True)
    return fig


FIGURES: dict[str, FigureFn] = {
    "minutes_by_step": minutes_by_step,
    "hours_by_actor": hours_by_actor,
    "savings_waterfall": savings_waterfall,
    "cost_funding": cost_funding,
    "lead_vs_processing": lead_vs_processing,
}


def all_figures(work: GroupWork, assumptions: Assumptions,
                lang: str = "ja") -> dict[str, Figure]:
    """Every figure of a handout, in the order of :data:`FIGURES`."""
    return {name: fn(work, assumptions, lang) for name, fn in FIGURES.items()}


def close(fig: Figure) -> None:
    """Release a figure; pyplot (if ever imported) forgets it too."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)


def figure_to_png_bytes(fig: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG bytes; the figure is closed afterwards."""
    buf = io.BytesIO()
    try:
        with _style():
            fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    finally:
        close(fig)
    return buf.getvalue()
