"""Counter-queue charts: the wait by month × hour (heatmap, before and after) and the peak
month's day by hour (day model, with the ``ciw`` simulation as points)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from kit import i18n
from kit.charts import style
from kit.domain.frontyard import QueueView

HEAT_CMAP = "YlOrRd"
HEAT_CAP_MIN = 60.0          # colours saturate at an hour's wait


def month_names(lang: str) -> list[str]:
    return i18n.t("fy.chart.months", lang).split(",")


def hour_name(hour: int, lang: str) -> str:
    return i18n.t("fy.chart.hour", lang, h=hour)


def _open_hours(views: dict[str, QueueView]) -> np.ndarray:
    busy = sum(v.arrivals.sum(axis=0) for v in views.values())
    hours = np.nonzero(busy > 0)[0]
    return hours if hours.size else np.arange(8, 17)


def wait_heatmap(views: dict[str, QueueView], lang: str) -> Figure:
    """Mean wait (minutes) by month and hour, As-Is and To-Be side by side."""
    lang = style.lang_of(lang)
    hours = _open_hours(views)
    months = month_names(lang)
    with style.style_context():
        fig = Figure(figsize=(style.WIDTH_IN, 4.6))
        fig.suptitle(i18n.t("fy.chart.heatmap_title", lang), x=style.EDGE_IN / style.WIDTH_IN,
                     y=0.985, ha="left", va="top", fontsize=style.TITLE_SIZE)
        vmax = max(min(max(float(np.nanmax(v.wait[:, hours])) for v in views.values()),
                       HEAT_CAP_MIN), 1.0)
        for i, (key, v) in enumerate(views.items()):
            ax = fig.add_axes((0.08 + i * 0.47, 0.08, 0.43, 0.78))
            data = np.minimum(v.wait[:, hours], HEAT_CAP_MIN)
            ax.imshow(data, cmap=HEAT_CMAP, vmin=0, vmax=vmax, aspect="auto")
            for m in range(12):
                for j, h in enumerate(hours):
                    value = v.wait[m, h]
                    text = "∞" if np.isinf(value) else f"{value:.0f}"
                    colour = "white" if min(value, HEAT_CAP_MIN) > vmax * 0.6 else "#222"
                    ax.text(j, m, text, ha="center", va="center", fontsize=6.5, color=colour)
            ax.set_xticks(range(len(hours)), [str(h) for h in hours], fontsize=7)
            ax.set_yticks(range(12), months if i == 0 else [""] * 12, fontsize=7.5)
            ax.set_title(i18n.t(f"fy.chart.{key}", lang, counters=v.counters,
                                service=i18n.fmt_number(v.service_minutes, 1)), fontsize=9)
            ax.set_xlabel(i18n.t("fy.chart.hour_axis", lang), fontsize=7.5)
            ax.tick_params(length=0)
    return fig


def peak_day(views: dict[str, QueueView], simulated: dict[str, list[float]] | None,
             lang: str) -> Figure:
    """The peak month's opening day: mean wait by hour of arrival, before and after."""
    lang = style.lang_of(lang)
    hours = _open_hours(views)
    peak = views["asis"].peak_month
    title = i18n.t("fy.chart.peak_day_title", lang, month=month_names(lang)[peak])
    fig, ax = style.new_figure(3.4, title)
    with style.style_context():
        handles, labels = [], []
        for key, colour in (("asis", style.ASIS), ("tobe", style.TOBE)):
            v = views[key]
            (line,) = ax.plot(hours, v.wait[peak, hours], color=colour, marker="o",
                              markersize=3.5, linewidth=2)
            handles.append(line)
            labels.append(i18n.t(f"fy.chart.{key}_short", lang))
            if simulated and simulated.get(key):
                ax.plot(hours, simulated[key], linestyle="none", marker="D", markersize=5,
                        markerfacecolor="none", markeredgecolor=colour)
        if simulated:
            handles.append(Line2D([], [], linestyle="none", marker="D", markerfacecolor="none",
                                  markeredgecolor=style.TOTAL))
            labels.append(i18n.t("fy.chart.simulated", lang))
        ax.set_xticks(hours, [hour_name(h, lang) for h in hours], fontsize=7.5)
        ax.set_ylabel(i18n.t("fy.chart.wait_axis", lang))
        ax.set_ylim(bottom=0)
        style.value_axis(ax)
        bottom = style.legend(fig, handles, labels) + 0.45
        style.place(fig, ax, left=0.7, bottom=bottom)
    return fig
