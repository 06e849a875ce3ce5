"""Decision charts (docs/formulas.md): ranking, weight sensitivity, tornado, P10–P90 ranges,
roadmap of phases and forecast vs actual.

Each function takes the plain results of :mod:`kit.domain.money.selection`, :mod:`kit.domain.money.uncertainty` or
:mod:`kit.domain.after.followup` and returns a :class:`matplotlib.figure.Figure` (object-oriented API, no
pyplot), drawn under :mod:`kit.charts.impact`' Japanese font context. Participant text is shortened
and escaped with :func:`kit.charts.impact.short_label`. Margins are computed from glyph
advances (:func:`_place`, as in :mod:`kit.charts.style`), not by constrained layout, which
would lay out every text once more before drawing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from kit import i18n
from kit.charts.style import (
    ASIS,
    EDGE_IN,
    QUICK,
    REDESIGN,
    SAVING,
    TICK_IN,
    TITLE_SIZE,
    TOBE,
    YEN_SCALE,
    few_ticks,
    legend,
    line_in,
    place,
    short_label,
    style_context,
    text_width_in,
    value_ticks_width,
)

BAD = "#D55E00"


def _figure(rows: int, title_key: str, lang: str, **values) -> tuple[Figure, object]:
    height = min(8.5, 1.4 + 0.32 * max(rows, 2))
    fig = Figure(figsize=(7.5, height))
    ax = fig.add_subplot()
    few_ticks(ax)
    ax.set_title(i18n.t(title_key, lang, **values), loc="left", fontsize=TITLE_SIZE)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


PAD_IN = 3 / 72          # the padding constrained layout keeps around the texts


def _place(fig: Figure, ax, labels: list[str] | None = None, ylabel: bool = False,
           legend_h: float = 0.0) -> None:
    """Margins around the axes from the widths of the texts beside them: row ``labels``
    (else the numeric y ticks) and a y label on the left, x ticks, the x label and a legend
    of height ``legend_h`` below, the axes title above, half the widest x tick to the
    right."""
    ticks = (max((text_width_in(label) for label in labels), default=0.0) if labels
             else value_ticks_width(ax, "y") if ax.axison else 0.0)
    x_ticks = value_ticks_width(ax, "x") if ax.axison else 0.0
    place(fig, ax, left=PAD_IN + (line_in() if ylabel else 0.0) + ticks + TICK_IN,
          bottom=PAD_IN + 2 * line_in() + TICK_IN + legend_h,
          top=PAD_IN + line_in(TITLE_SIZE) + 6 / 72,
          right=max(PAD_IN + x_ticks / 2, EDGE_IN))


def _grouped(ax, axis: str = "x") -> None:
    fmt = FuncFormatter(lambda v, _p: f"{v:,.0f}")
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(fmt)


def _yen_scale(lang: str) -> float:
    return YEN_SCALE[lang]


def ranking(table: pd.DataFrame, lang: str = "ja") -> Figure:
    """Weighted score (0–100) of each candidate, best at the top; bars split by criterion."""
    with style_context():
        fig, ax = _figure(len(table), "dec.chart.ranking", lang)
        criteria = [c for c in table.columns if c not in ("name", "score", "rank")]
        labels = [short_label(n, 30) for n in table["name"]]
        y = np.arange(len(table))
        total = table["score"].to_numpy() * 100
        ax.barh(y, total, color=TOBE, height=0.6)
        for yi, value in zip(y, total, strict=True):
            ax.text(value + 1, yi, f"{value:.0f}", va="center", fontsize=8)
        ax.set_yticks(y, labels)
        ax.set_ylim(len(table) - 0.5, -0.5)
        ax.set_xlim(0, 110)
        ax.set_xlabel(i18n.t("dec.chart.score_axis", lang, count=len(criteria)))
        _place(fig, ax, labels)
    return fig


def weight_sensitivity(probability: pd.Series, names: dict[str, str],
                       lang: str = "ja") -> Figure:
    """Share of perturbed weightings in which each candidate ranks first."""
    p = probability.sort_values(ascending=False)
    with style_context():
        fig, ax = _figure(len(p), "dec.chart.win_probability", lang)
        y = np.arange(len(p))
        ax.barh(y, p.to_numpy() * 100, color=SAVING, height=0.6)
        for yi, value in zip(y, p.to_numpy() * 100, strict=True):
            ax.text(value + 1, yi, f"{value:.0f}%", va="center", fontsize=8)
        labels = [short_label(names.get(k, k), 30) for k in p.index]
        ax.set_yticks(y, labels)
        ax.set_ylim(len(p) - 0.5, -0.5)
        ax.set_xlim(0, 110)
        ax.set_xlabel(i18n.t("dec.chart.percent_first", lang))
        _place(fig, ax, labels)
    return fig


def tornado(rows: list[dict], lang: str = "ja", output_key: str = "fig.npv") -> Figure:
    """Output at each input's low (light) and high (dark) around the likely result."""
    with style_context():
        fig, ax = _figure(len(rows), "dec.chart.tornado", lang, output=i18n.t(output_key, lang))
        if not rows:
            ax.text(0.5, 0.5, i18n.t("dec.no_ranges", lang), ha="center", va="center",
                    transform=ax.transAxes)
            ax.set_axis_off()
            _place(fig, ax, [])
            return fig
        scale = _yen_scale(lang)
        base = rows[0]["base"] / scale
        y = np.arange(len(rows))
        low = np.array([r["output_at_low"] for r in rows]) / scale - base
        high = np.array([r["output_at_high"] for r in rows]) / scale - base
        lo = ax.barh(y, low, left=base, color=ASIS, height=0.6)
        hi = ax.barh(y, high, left=base, color=TOBE, height=0.6)
        ax.axvline(base, color="black", linewidth=0.8)
        labels = [short_label(_input_label(r, lang), 32) for r in rows]
        ax.set_yticks(y, labels)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        _grouped(ax)
        ax.set_xlabel(i18n.t("dec.chart.money_axis", lang))
        # below the axes, as in every chart: inside, it would cover a bar
        legend_h = legend(fig, [lo, hi], [i18n.t("dec.at_low", lang),
                                          i18n.t("dec.at_high", lang)])
        _place(fig, ax, labels, legend_h=legend_h)
    return fig


def _input_label(row: dict, lang: str) -> str:
    if row["input"].startswith("step:"):
        return i18n.t("dec.input.step", lang, name=row["label"])
    return i18n.t(f"unc.input.{row['input']}", lang)


def forecast_range(forecast, lang: str = "ja") -> Figure:
    """Distribution of NPV over the draws, with P10, P50 and P90 marked."""
    scale = _yen_scale(lang)
    values = forecast.samples["npv_yen"] / scale
    with style_context():
        fig, ax = _figure(8, "dec.chart.range", lang, n=f"{forecast.n:,}")
        ax.hist(values, bins=50, color=ASIS, histtype="stepfilled")   # one polygon, not 50 bars
        top = ax.get_ylim()[1]
        for i, (q, v) in enumerate(zip(("P10", "P50", "P90"), forecast.p("npv_yen"),
                                       strict=True)):
            ax.axvline(v / scale, color=TOBE if q == "P50" else BAD, linewidth=1.2)
            # one height each: close percentiles would print their names over each other
            ax.text(v / scale, top * (0.97 - 0.09 * i), f" {q}", fontsize=8, va="top")
        ax.axvline(0, color="black", linewidth=0.6, linestyle=":")
        _grouped(ax)
        ax.set_xlabel(i18n.t("dec.chart.money_axis", lang))
        ax.set_ylabel(i18n.t("dec.chart.draws", lang))
        _place(fig, ax, ylabel=True)
    return fig


def roadmap(phases: pd.DataFrame, lang: str = "ja", number=None) -> Figure:
    """Phase 1 quick wins, then phase 2 redesign: hours saved per year, cumulative.

    ``number`` formats the hours in the labels (the handout passes its key-figure formatter,
    so the chart and the table beside it show the same figure)."""
    number = number or (lambda v: i18n.fmt_number(v, 1))
    with style_context():
        fig, ax = _figure(3, "dec.chart.roadmap", lang)
        y = np.arange(len(phases))
        start = np.concatenate([[0.0], np.cumsum(phases["hours_saved"].to_numpy())[:-1]])
        colours = [QUICK if p == "quick_win" else REDESIGN for p in phases.index]
        ax.barh(y, phases["hours_saved"], left=start, color=colours, height=0.55)
        for yi, (_phase, row) in zip(y, phases.iterrows(), strict=True):
            ax.text(start[yi] + row["hours_saved"], yi,
                    "  " + i18n.t("dec.roadmap_label", lang, count=int(row["steps"]),
                                  hours=number(row["hours_saved"])),
                    va="center", fontsize=8)
        labels = [i18n.t(f"dec.phase_n.{p}", lang) for p in phases.index]
        ax.set_yticks(y, labels)
        ax.set_ylim(len(phases) - 0.5, -0.5)
        ax.margins(x=0.35)
        _grouped(ax)
        ax.set_xlabel(i18n.t("chart.staff_hours_per_year", lang))
        _place(fig, ax, labels)
    return fig


def forecast_vs_actual(table: pd.DataFrame, lang: str = "ja") -> Figure:
    """Per step: As-Is, forecast To-Be and measured minutes per case."""
    rows = table.dropna(subset=["actual_minutes"])
    with style_context():
        fig, ax = _figure(len(rows) * 1.6, "dec.chart.actual", lang)
        y = np.arange(len(rows))
        h = 0.26
        bars = [ax.barh(y - h, rows["minutes"], height=h, color=ASIS),
                ax.barh(y, rows["forecast_minutes"], height=h, color=TOBE),
                ax.barh(y + h, rows["actual_minutes"], height=h, color=QUICK)]
        labels = [short_label(n, 32) for n in rows["name"]]
        ax.set_yticks(y, labels)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xlabel(i18n.t("chart.minutes_per_case", lang))
        legend_h = legend(fig, bars, [i18n.t("chart.asis", lang), i18n.t("dec.forecast", lang),
                                      i18n.t("dec.actual", lang)])
        _place(fig, ax, labels, legend_h=legend_h)
    return fig
