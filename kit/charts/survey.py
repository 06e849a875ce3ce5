"""Facilitator charts: survey heatmap, task hours, free-text terms, impact-vs-effort matrix.

Same conventions as :mod:`kit.charts.impact`: object-oriented matplotlib (never pyplot), IPAexGothic
from matplotlib_fontja, labels shortened and safe from mathtext. The figures take the
already privacy-safe analysis (:class:`kit.domain.survey.analysis.Analysis`): nothing here sees a hidden
section or a name.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from kit import i18n
from kit.charts.style import (
    ASIS,
    QUICK,
    REDESIGN,
    TOTAL,
    YEN_SCALE,
    empty_figure,
    lang_of,
    short_label,
    style_context,
)
from kit.domain.survey.analysis import Analysis

WIDTH_IN = 7.5


def _new_figure(height: float) -> tuple[Figure, object]:
    fig = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _tick_formatter() -> FuncFormatter:
    return FuncFormatter(lambda v, _pos: f"{v:,.0f}" if abs(v - round(v)) < 1e-9
                         else f"{v:,.2f}".rstrip("0").rstrip("."))


OTHER_JA = "その他"


def section_label(name: str, lang: str) -> str:
    return i18n.t("survey.other", lang) if name == OTHER_JA else name


def pain_heatmap(analysis: Analysis, lang: str = "ja") -> Figure:
    """Sections (rows, most painful first) × pain items (columns), mean 1–5."""
    lang = lang_of(lang)
    m = analysis.pain_matrix
    with style_context():
        height = min(9.0, 1.6 + 0.32 * max(len(m), 1))
        fig, ax = _new_figure(height)
        ax.set_title(i18n.t("survey.heatmap", lang), loc="left", fontsize=11.5)
        if m.empty or m.shape[1] == 0:
            return empty_figure(fig, ax, lang)
        image = ax.imshow(m.to_numpy(dtype=float), cmap="YlOrRd", vmin=1, vmax=5,
                          aspect="auto")
        ax.set_yticks(range(len(m)), [short_label(section_label(s, lang), 20) for s in m.index])
        ax.set_xticks(range(m.shape[1]), [short_label(c, 22) for c in m.columns], rotation=60,
                      ha="right", fontsize=7.5)
        for (r, c), value in np.ndenumerate(m.to_numpy(dtype=float)):
            if value == value:
                ax.text(c, r, f"{value:.1f}", ha="center", va="center", fontsize=6.5,
                        color="white" if value >= 3.8 else "black")
        fig.colorbar(image, ax=ax, shrink=0.6, label=i18n.t("survey.col_pain", lang))
    return fig


def _barh(labels: list[str], values: list[float], title_key: str, lang: str,
          color: str = REDESIGN) -> Figure:
    with style_context():
        fig, ax = _new_figure(min(9.0, 1.2 + 0.3 * max(len(labels), 1)))
        ax.set_title(i18n.t(title_key, lang), loc="left", fontsize=11.5)
        if not labels:
            return empty_figure(fig, ax, lang)
        y = np.arange(len(labels))[::-1]
        ax.barh(y, values, color=color)
        ax.set_yticks(y, [short_label(t, 30) for t in labels])
        ax.xaxis.set_major_formatter(_tick_formatter())
        for yi, v in zip(y, values, strict=True):
            ax.text(v, yi, f" {v:,.0f}", va="center", fontsize=8, color=TOTAL)
    return fig


def task_hours(analysis: Analysis, lang: str = "ja", top: int = 10) -> Figure:
    t = analysis.tasks.head(top)
    return _barh(list(t["task"]), list(t["hours_per_year"]), "survey.chart_tasks", lang)


def top_terms(analysis: Analysis, lang: str = "ja", top: int = 15) -> Figure:
    t = analysis.themes.head(top)
    return _barh(list(t["term"]), list(t["respondents"]), "survey.chart_themes", lang, QUICK)


def impact_effort(points: list[dict], lang: str = "ja") -> Figure:
    """One point per group: x = general-fund burden, y = staff hours saved a year.

    ``points``: dicts with ``label``, ``hours_saved``, ``general_fund_yen``, ``quick_share``
    (share of the hours saved that needs no system: orange when ≥ 50 %).
    """
    lang = lang_of(lang)
    scale = YEN_SCALE[lang]
    with style_context():
        fig, ax = _new_figure(4.8)
        ax.set_title(i18n.t("summary.chart_matrix", lang), loc="left", fontsize=11.5)
        if not points:
            return empty_figure(fig, ax, lang)
        x = np.array([p["general_fund_yen"] for p in points], dtype=float) / scale
        y = np.array([p["hours_saved"] for p in points], dtype=float)
        colors = [QUICK if p.get("quick_share", 0) >= 0.5 else REDESIGN for p in points]
        ax.scatter(x, y, s=70, c=colors, edgecolors=TOTAL, linewidths=0.5, zorder=3)
        for xi, yi, p in zip(x, y, points, strict=True):
            ax.annotate(short_label(p["label"], 24), (xi, yi), textcoords="offset points",
                        xytext=(5, 4), fontsize=7.5)
        ax.axvline(float(np.median(x)), color=ASIS, lw=0.8, ls="--")
        ax.axhline(float(np.median(y)), color=ASIS, lw=0.8, ls="--")
        ax.set_xlabel(i18n.t("summary.chart_effort", lang))
        ax.set_ylabel(i18n.t("summary.chart_impact", lang))
        # what the two colours mean (x = burden, y = hours saved: better is up and left)
        ax.legend(handles=[Line2D([], [], marker="o", ls="", color=c, markeredgecolor=TOTAL,
                                  label=i18n.t(key, lang))
                           for c, key in ((QUICK, "summary.chart_quick"),
                                          (REDESIGN, "summary.chart_redesign"))],
                  loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2, frameon=False,
                  fontsize=8)
        ax.xaxis.set_major_formatter(_tick_formatter())
        ax.yaxis.set_major_formatter(_tick_formatter())
    return fig


__all__ = ["impact_effort", "pain_heatmap", "section_label", "task_hours", "top_terms"]
