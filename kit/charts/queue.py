"""Counter-queue charts: the colours of the wait by month × hour (a heat table, before and
after) and the peak month's day by hour (day model, with the ``ciw`` simulation as points)."""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib
import numpy as np
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from kit import i18n
from kit.charts import style
from kit.domain.frontyard.measures import QueueView

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


@dataclass(frozen=True)
class HeatCell:
    text: str          # the wait in whole minutes ("∞" when the queue never clears)
    background: str    # #rrggbb on the YlOrRd scale, saturating at HEAT_CAP_MIN (or the max)
    colour: str        # text colour readable on that background


def heat_cells(views: dict[str, QueueView]) -> tuple[list[int], dict[str, list[list[HeatCell]]]]:
    """Mean wait by month × open hour, As-Is and To-Be on one colour scale: the open hours
    and, per scenario, 12 rows (January first) of cells. Shown as a table (an HTML heat
    table: every number is text, and a table of 200 numbers costs nothing to draw)."""
    hours = [int(h) for h in _open_hours(views)]
    vmax = max(min(max(float(np.nanmax(v.wait[:, hours])) for v in views.values()),
                   HEAT_CAP_MIN), 1.0)
    cmap = matplotlib.colormaps[HEAT_CMAP]
    out = {}
    for key, v in views.items():
        rows = []
        for m in range(12):
            row = []
            for h in hours:
                value = float(v.wait[m, h])
                level = min(value, HEAT_CAP_MIN) / vmax
                row.append(HeatCell("∞" if np.isinf(value) else f"{value:.0f}",
                                    to_hex(cmap(min(level, 1.0))),
                                    "#ffffff" if level > 0.6 else "#222222"))
            rows.append(row)
        out[key] = rows
    return hours, out


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
