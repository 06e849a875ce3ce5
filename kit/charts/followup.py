"""The follow-up trend (docs/after-workshop.md): forecast against measured over the months
after go-live, from :func:`kit.domain.after.progress.trend`. Object-oriented matplotlib, the kit's
Japanese font context (:mod:`kit.charts.style`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from kit import i18n
from kit.charts.style import QUICK, TOBE, style_context


def trend(table: pd.DataFrame, lang: str = "ja") -> Figure:
    """Two panels: staff hours saved a year and online uptake, forecast (line) against
    measured (points), at each follow-up (days after go-live, or the measured date)."""
    with style_context():
        fig = Figure(figsize=(7.5, 3.2), layout="constrained")
        fig.suptitle(i18n.t("aft.chart.trend", lang), x=0.01, ha="left", fontsize=11.5)
        axes = fig.subplots(1, 2)
        if table["days"].notna().all():
            x = table["days"].to_numpy(dtype=float)
            xlabel = i18n.t("aft.chart.days", lang)
        else:
            x = np.arange(1, len(table) + 1, dtype=float)
            xlabel = i18n.t("aft.chart.nth", lang)
        panels = ((axes[0], "hours", "aft.chart.hours", FuncFormatter(lambda v, _p: f"{v:,.0f}")),
                  (axes[1], "uptake", "aft.chart.uptake", PercentFormatter(1.0, decimals=0)))
        for ax, key, title, fmt in panels:
            ax.plot(x, table[f"forecast_{key}"], color=TOBE, marker="_", markersize=14,
                    drawstyle="steps-mid", label=i18n.t("dec.forecast", lang))
            ax.plot(x, table[f"actual_{key}"], color=QUICK, marker="o", linestyle="--",
                    label=i18n.t("dec.actual", lang))
            ax.set_title(i18n.t(title, lang), loc="left", fontsize=10)
            ax.set_xlabel(xlabel)
            ax.yaxis.set_major_formatter(fmt)
            ax.set_ylim(bottom=0)
            ax.spines[["top", "right"]].set_visible(False)
            if len(x):
                ax.set_xticks(x, [f"{v:,.0f}" for v in x])
        axes[0].legend(loc="lower right", fontsize=8, frameon=False)
    return fig
