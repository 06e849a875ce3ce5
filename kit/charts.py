"""Matplotlib figures from model objects (DESIGN §3, §5): no widgets, no I/O.

Every figure function is ``figure = f(work, assumptions, lang="ja")`` and returns a
:class:`matplotlib.figure.Figure` built with the object-oriented API (never pyplot): importing
this module and drawing work headless, and no figure is kept alive by pyplot.
:func:`figure_to_png_bytes` renders a figure and closes it. The numbers come from
:mod:`kit.impact`, so a chart shows what the handout's tables show.

Japanese text: ``import matplotlib_fontja`` registers IPAexGothic (shipped in its wheel) and
makes it the default; every figure is also built and rendered under an ``rc_context`` naming
that font (plus Noto Sans CJK JP as a per-glyph fallback when installed, e.g. for 𠮷), so a
notebook that resets the matplotlib style gets no tofu boxes. Text a participant typed
(step names) is shortened, put on one line and has ``$`` escaped so that it is never read as
mathtext.

Speed: text is by far the largest cost of a matplotlib figure (shaping each string on every
draw), so the layout is computed once, here, from glyph advances of the font (no
``tight_layout``/constrained-layout passes over every text), and step names are plain texts
rather than tick labels (which matplotlib measures again on every draw).
"""

from __future__ import annotations

import functools
import io
import math
import sys
import unicodedata
from collections.abc import Callable, Sequence

import matplotlib
import matplotlib_fontja  # registers IPAexGothic and makes it the default font
import numpy as np
from matplotlib import font_manager, ft2font
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import offset_copy

from . import i18n, impact
from .model import Action, Actor, Assumptions, GroupWork, Phase

FONT = "IPAexGothic"
_FALLBACK_FONTS = ("Noto Sans CJK JP",)   # used per glyph, only when installed


def _font_family() -> list[str]:
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return [FONT] + [name for name in _FALLBACK_FONTS if name in installed]


_RC = {"font.family": _font_family(), "axes.unicode_minus": True, "font.size": 9.0,
       "axes.titlesize": 11.5}

WIDTH_IN = 7.5
MAX_HEIGHT_IN = 9.0
LABEL_WIDTH = 36          # display columns of a step label: 18 Japanese or 36 Latin characters
WATERFALL_TOP = 8         # changed steps shown one by one; the rest are "others"
TITLE_SIZE = 11.5
TEXT_SIZE = 9.0
SMALL_SIZE = 8.0

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


# --- text ---------------------------------------------------------------------------------
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


@functools.lru_cache(maxsize=1)
def _measure_font() -> ft2font.FT2Font:
    font = ft2font.FT2Font(matplotlib_fontja.get_font_ttf_path())
    font.set_size(100, 72)
    return font


_NO_HINTING = getattr(getattr(ft2font, "LoadFlags", None), "NO_HINTING", None)
if _NO_HINTING is None:                       # matplotlib < 3.10
    _NO_HINTING = ft2font.LOAD_NO_HINTING


@functools.lru_cache(maxsize=8192)
def _em(ch: str) -> float:
    """Advance width of a character in em (1.0 for a glyph the font lacks)."""
    font = _measure_font()
    if font.get_char_index(ord(ch)) == 0:
        return 1.0
    return font.load_char(ord(ch), flags=_NO_HINTING).linearHoriAdvance / 65536 / 100


def text_width_in(text: str, size: float = TEXT_SIZE) -> float:
    """Width in inches of the longest line of ``text`` at ``size`` points (a close estimate:
    unhinted advances plus 8 %)."""
    lines = text.replace(r"\$", "$").split("\n")
    return max(sum(_em(ch) for ch in line) for line in lines) * size / 72 * 1.08


def _line_in(size: float = TEXT_SIZE) -> float:
    return size * 1.25 / 72


# --- numbers ------------------------------------------------------------------------------
def _num(x: float) -> str:
    """Comma-grouped, one decimal only for small non-integers."""
    digits = 1 if abs(x) < 10 and abs(x - round(x)) > 1e-9 else 0
    return i18n.fmt_number(x, digits)


def _tick_text(value: float, _pos: int | None = None) -> str:
    if abs(value) < 1e-12:
        return "0"
    if abs(value - round(value)) < 1e-9:
        return f"{value:,.0f}".replace("-", "−")
    return f"{value:,.2f}".rstrip("0").rstrip(".").replace("-", "−")


def _money(value_yen: float, lang: str) -> str:
    value = value_yen / _YEN_SCALE[lang]
    digits = 1 if abs(value) < 100 and abs(value - round(value)) > 1e-9 else 0
    return i18n.t("chart.money_value", lang, value=i18n.fmt_number(value, digits))


# --- frame --------------------------------------------------------------------------------
TOP_IN = 0.42            # title band
RIGHT_IN = 0.3
EDGE_IN = 0.1
TICK_IN = 7.5 / 72       # tick length + pad


def _new_figure(height: float, title: str) -> tuple[Figure, object]:
    fig = Figure(figsize=(WIDTH_IN, height))
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(title, x=EDGE_IN / WIDTH_IN, y=1 - EDGE_IN / height, ha="left", va="top",
                 fontsize=TITLE_SIZE)
    return fig, ax


def _legend(fig: Figure, handles: Sequence, labels: Sequence[str]) -> float:
    """A legend centred at the bottom of the figure; returns the height it takes (inches)."""
    if not handles:
        return 0.0
    entry = [text_width_in(label) + 0.55 for label in labels]   # handle + gaps
    room = WIDTH_IN - 2 * EDGE_IN
    ncols = len(entry)
    while ncols > 1 and sum(sorted(entry, reverse=True)[:ncols]) > room:
        ncols -= 1
    rows = math.ceil(len(entry) / ncols)
    height = rows * 0.24 + 0.08
    fig.legend(handles, labels, loc="lower center", ncols=ncols, frameon=False,
               bbox_to_anchor=(0.5, EDGE_IN / 2 / fig.get_figheight()),
               columnspacing=1.2, handlelength=1.6, borderaxespad=0.0)
    return height


def _place(fig: Figure, ax, *, left: float, bottom: float, top: float = TOP_IN,
           right: float = RIGHT_IN) -> None:
    w, h = fig.get_size_inches()
    fig.subplots_adjust(left=left / w, right=1 - right / w, bottom=bottom / h,
                        top=1 - top / h)


def _value_ticks_width(ax, axis: str = "y") -> float:
    """Width of the widest numeric tick label the axis will show (after autoscaling)."""
    lo, hi = ax.get_ylim() if axis == "y" else ax.get_xlim()
    which = ax.yaxis if axis == "y" else ax.xaxis
    values = [v for v in which.get_major_locator().tick_values(lo, hi)
              if min(lo, hi) - 1e-9 <= v <= max(lo, hi) + 1e-9]
    return max((text_width_in(_tick_text(v)) for v in values), default=0.1)


def _value_axis(ax, axis: str = "y") -> None:
    which = ax.yaxis if axis == "y" else ax.xaxis
    which.set_major_formatter(FuncFormatter(_tick_text))
    ax.grid(axis=axis, alpha=0.3)
    ax.set_axisbelow(True)


def _empty(fig: Figure, ax, lang: str) -> Figure:
    ax.set_axis_off()
    ax.text(0.5, 0.5, i18n.t("chart.no_data", lang), ha="center", va="center",
            transform=ax.transAxes, color=TOTAL)
    return fig


def _step_label(name: str, actor: str, lang: str, limit: int = LABEL_WIDTH) -> str:
    who = i18n.label("actor", actor, lang)
    return (f"{short_label(name, limit)}（{who}）" if lang == "ja"
            else f"{short_label(name, limit)} ({who})")


def _row_labels(fig: Figure, ax, labels: Sequence[str], size: float) -> float:
    """Category names left of the axes, one per row y = 0, 1, …; returns their width."""
    ax.set_yticks([])
    where = offset_copy(ax.get_yaxis_transform(), fig=fig, x=-4, y=0, units="points")
    for i, label in enumerate(labels):
        ax.text(0, i, label, transform=where, ha="right", va="center", fontsize=size,
                gid="row-label")
    return max((text_width_in(label, size) for label in labels), default=0.0) + 4 / 72


def _row_size(n: int) -> float:
    return TEXT_SIZE if n <= 15 else (SMALL_SIZE if n <= 25 else 7.0)


# --- figures ------------------------------------------------------------------------------
def minutes_by_step(work: GroupWork, assumptions: Assumptions, lang: str = "ja") -> Figure:
    """As-Is and To-Be minutes per case of every step, first step on top.

    Eliminated steps show 0 To-Be and new steps 0 As-Is (each marked with a word); the To-Be
    bar of a step whose change needs the online channel is hatched: it applies to online
    cases only.
    """
    lang = _lang(lang)
    steps = work.steps
    n = len(steps)
    height = min(MAX_HEIGHT_IN, max(3.0, 1.4 + 0.3 * n))
    with _style():
        fig, ax = _new_figure(height, i18n.t("chart.minutes_by_step", lang))
        if n == 0:
            return _empty(fig, ax, lang)
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
        size = _row_size(n)
        label_w = _row_labels(fig, ax, [_step_label(s.name, s.actor.value, lang)
                                        for s in steps], size)
        ax.set_ylim(n - 0.5, -0.5)          # first step on top
        _value_axis(ax, "x")
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
        legend_h = _legend(fig, handles, labels)
        _place(fig, ax, left=EDGE_IN + label_w,
               bottom=legend_h + 2 * _line_in() + TICK_IN + 0.1)
    return fig


def hours_by_actor(work: GroupWork, assumptions: Assumptions, lang: str = "ja") -> Figure:
    """Annual hours As-Is vs To-Be per staff actor and the resident (system/external steps
    are nobody's time and are skipped); the resident's hours are right of a dashed line."""
    lang = _lang(lang)
    table = impact.hours_by_actor(work, assumptions)
    order = [a.value for a in (Actor.counter, Actor.back_office, Actor.approver, Actor.resident)
             if a.value in table.index]
    with _style():
        fig, ax = _new_figure(4.0, i18n.t("chart.hours_by_actor", lang))
        if not order:
            return _empty(fig, ax, lang)
        asis = table.loc[order, "hours"].to_numpy(dtype=float)
        tobe = table.loc[order, "hours_after"].to_numpy(dtype=float)
        x = np.arange(len(order))
        w = 0.38
        b1 = ax.bar(x - w / 2, asis, width=w, color=ASIS, label=i18n.t("chart.asis", lang))
        b2 = ax.bar(x + w / 2, tobe, width=w, color=TOBE, label=i18n.t("chart.tobe", lang))
        ax.bar_label(b1, [_num(v) for v in asis], padding=2, fontsize=SMALL_SIZE)
        ax.bar_label(b2, [_num(v) for v in tobe], padding=2, fontsize=SMALL_SIZE)
        ax.set_xticks(x, [i18n.label("actor", a, lang) for a in order])
        if Actor.resident.value in order and len(order) > 1:
            ax.axvline(len(order) - 1.5, color=OTHER, linewidth=1, linestyle="--")
        _value_axis(ax, "y")
        ax.set_ylabel(i18n.t("chart.hours_per_year", lang))
        ax.margins(y=0.12)
        ax.set_ylim(bottom=0)
        legend_h = _legend(fig, [b1, b2], [b1.get_label(), b2.get_label()])
        _place(fig, ax, left=EDGE_IN + _line_in() + _value_ticks_width(ax) + TICK_IN + 0.05,
               bottom=legend_h + _line_in() + TICK_IN + 0.1)
    return fig


def savings_waterfall(work: GroupWork, assumptions: Assumptions, lang: str = "ja") -> Figure:
    """As-Is staff hours, minus the saving of each changed staff step (largest first, the
    top ``WATERFALL_TOP`` then "others"), down to To-Be staff hours; coloured by phase.
    A step that adds hours (e.g. a new one) goes up, hatched."""
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
    deltas: list[float] = []
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
    colours.append(TOTAL)

    d = np.asarray(deltas, dtype=float)
    level_after = h0 - np.cumsum(d)                     # running total after each step
    level_before = np.concatenate([[h0], level_after[:-1]])
    left = np.concatenate([[0.0], np.minimum(level_before, level_after), [0.0]])
    width = np.concatenate([[h0], np.abs(d), [h1]])
    texts = ([_num(h0)]
             + [("−" if v >= 0 else "+") + _num(abs(v)) for v in d]
             + [_num(h1)])

    rows = len(labels)
    height = min(MAX_HEIGHT_IN, max(3.2, 1.5 + 0.32 * rows))
    with _style():
        fig, ax = _new_figure(height, i18n.t("chart.waterfall", lang))
        y = np.arange(rows)
        bars = ax.barh(y, width, left=left, height=0.6, color=colours)
        for bar, delta in zip(bars.patches[1:-1], d, strict=True):
            if delta < 0:
                bar.set_hatch("xx")
                bar.set_edgecolor("white")
        ax.bar_label(bars, texts, padding=3, fontsize=SMALL_SIZE)
        label_w = _row_labels(fig, ax, labels, _row_size(rows))
        ax.set_ylim(rows - 0.5, -0.5)
        _value_axis(ax, "x")
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
        legend_h = _legend(fig, handles, names)
        _place(fig, ax, left=EDGE_IN + label_w,
               bottom=legend_h + 2 * _line_in() + TICK_IN + 0.1)
    return fig


def cost_funding(work: GroupWork, assumptions: Assumptions, lang: str = "ja") -> Figure:
    """Year by year over the horizon: the cumulative cost split into subsidy and general-fund
    burden (stacked) next to the cumulative staff-cost saving. The last year's figures are the
    handout's totals (``impact.compute``) and are repeated in the legend. 万円 in Japanese,
    yen in English."""
    lang = _lang(lang)
    im = impact.compute(work, assumptions)
    scale = _YEN_SCALE[lang]
    T = im.horizon_years
    years = np.arange(1, T + 1)
    cost = im.initial_cost_yen + years * im.annual_cost_yen
    subsidy = np.full(T, im.subsidy_yen)
    general = cost - subsidy
    saving = np.cumsum([row["saving_yen"] for row in im.yearly])
    with _style():
        fig, ax = _new_figure(4.2, i18n.t("chart.cost_funding", lang))
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
            bottom_extra = _line_in()
        ax.set_xlim(0.4, T + 0.6)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
        _value_axis(ax, "y")
        ax.set_ylabel(i18n.t("chart.money_axis", lang))
        ax.axhline(0, color=TOTAL, linewidth=0.8)
        ax.margins(y=0.08)
        if min(float(general.min()), float(saving.min(initial=0.0))) >= 0:
            ax.set_ylim(bottom=0)
        # the horizon totals go into the legend: bar labels collide on narrow bars
        totals = (subsidy[-1], general[-1], saving[-1] if T else 0.0)
        labels = [i18n.t("chart.legend_value", lang, name=bars.get_label(),
                         value=_money(value, lang))
                  for bars, value in zip((b, g, v), totals, strict=True)]
        legend_h = _legend(fig, [b, g, v], labels)
        _place(fig, ax, left=EDGE_IN + _line_in() + _value_ticks_width(ax) + TICK_IN + 0.05,
               bottom=legend_h + _line_in() + bottom_extra + TICK_IN + 0.1)
    return fig


def lead_vs_processing(work: GroupWork, assumptions: Assumptions, lang: str = "ja") -> Figure:
    """Lead time (days from application to completion) As-Is vs To-Be, with the staff
    processing minutes per case under each bar: a case waits far longer than it is worked.
    Both To-Be figures are at the group's online uptake, as in ``impact.compute``."""
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
        fig, ax = _new_figure(3.6, i18n.t("chart.lead_time", lang))
        x = np.arange(2)
        bars = ax.bar(x, days, width=0.5, color=[ASIS, TOBE])
        ax.bar_label(bars, [i18n.t("chart.days_value", lang, value=_num(v)) for v in days],
                     padding=2, fontsize=TEXT_SIZE)
        ticks = [f"{i18n.t(key, lang)}\n{i18n.t('chart.processing', lang, minutes=_num(m))}"
                 for key, m in zip(("chart.asis", "chart.tobe"), work_min, strict=True)]
        ax.set_xticks(x, ticks)
        ax.set_xlim(-0.75, 1.75)
        _value_axis(ax, "y")
        ax.set_ylabel(i18n.t("chart.days", lang))
        ax.margins(y=0.15)
        ax.set_ylim(bottom=0)
        _place(fig, ax, left=EDGE_IN + _line_in() + _value_ticks_width(ax) + TICK_IN + 0.05,
               bottom=2 * _line_in() + TICK_IN + EDGE_IN)
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
    """Release a figure; pyplot (if it was ever imported) forgets it too."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)


def figure_to_png_bytes(fig: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG bytes (white background); the figure is closed afterwards."""
    buf = io.BytesIO()
    try:
        with _style():
            fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    finally:
        close(fig)
    return buf.getvalue()
