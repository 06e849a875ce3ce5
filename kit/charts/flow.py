"""The workflow as a swimlane flow chart: one lane per actor, one box per step, top to bottom.

``swimlane(work, assumptions, lang, view="asis"|"tobe")`` returns a matplotlib Figure like
the functions of :mod:`kit.charts.impact`. Boxes carry step names only (minutes are in the tables
and the minutes chart), so the chart changes only with :func:`signature`. Boxes are coloured by value class (value-adding /
necessary / waste); waiting days are written beside a box; in the To-Be view an eliminated
step is a hatched grey box and a step added by the redesign has a dashed border. Lanes are
columns so that a 40-step workflow stays readable on A4 (the figure grows downwards).
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

from kit import i18n
from kit.charts import style as charts_style
from kit.domain.flow_layout import flow_layout
from kit.domain.model import Action, Assumptions, GroupWork, ValueClass

VALUE_COLOURS = {ValueClass.value_adding: "#009E73", ValueClass.necessary: "#56B4E9",
                 ValueClass.waste: "#E69F00"}
ROW_IN = 0.42
HEAD_IN = 0.55
FOOT_IN = 0.45
FONT = 7.5


def _columns(lane_in: float) -> int:
    """Display columns (a Japanese character is 2) that fit in a box of a lane."""
    return max(6, int(lane_in * 0.92 / (FONT / 72 / 2)))


def signature(work: GroupWork, view: str = "asis") -> tuple:
    """What the chart shows: it needs redrawing only when this changes (not on minutes)."""
    return tuple((s.name, s.actor, s.value, s.is_new, s.wait_days_tobe if view == "tobe"
                  else s.wait_days, s.action == Action.eliminate) for s in work.steps)


def swimlane(work: GroupWork, assumptions: Assumptions, lang: str = "ja",
             view: str = "asis") -> Figure:
    lang = lang if lang in i18n.LANGS else i18n.DEFAULT_LANG
    layout = flow_layout(work, view)                 # lanes and order, as in the BPMN export
    steps, lanes = layout.steps, layout.lanes
    key = "chart.flow_tobe" if view == "tobe" else "chart.flow_asis"
    height = HEAD_IN + max(len(steps), 1) * ROW_IN + FOOT_IN
    with charts_style.style_context():
        fig = Figure(figsize=(charts_style.WIDTH_IN, height))
        fig.suptitle(i18n.t(key, lang), x=charts_style.EDGE_IN / charts_style.WIDTH_IN,
                     y=1 - charts_style.EDGE_IN / height, ha="left", va="top",
                     fontsize=charts_style.TITLE_SIZE)
        ax = fig.add_axes((0.02, FOOT_IN / height, 0.96, 1 - (HEAD_IN + FOOT_IN) / height))
        ax.set_axis_off()
        if not steps:
            return charts_style.empty_figure(fig, ax, lang)
        n, m = len(steps), len(lanes)
        ax.set_xlim(-0.5, m - 0.5)
        ax.set_ylim(n - 0.5, -0.9)
        lane_in = charts_style.WIDTH_IN * 0.96 / m
        for j, actor in enumerate(lanes):
            ax.axvspan(j - 0.5, j + 0.5, color="#f2f5f8" if j % 2 == 0 else "#ffffff", zorder=0)
            ax.text(j, -0.75, i18n.label("actor", actor, lang), ha="center", va="center",
                    fontsize=charts_style.TEXT_SIZE, fontweight="normal")
        column = layout.lane_of
        for i, step in enumerate(steps):
            _draw_step(ax, step, column[i], i, lane_in, lang, view)
        for i, k in layout.edges:   # what annotate("", ...) draws, without a text to lay out
            ax.add_artist(FancyArrowPatch(
                (column[i], i + 0.3), (column[k], k - 0.3),
                arrowstyle="->", color="#555555", lw=0.8, shrinkA=0, shrinkB=0,
                mutation_scale=charts_style.TEXT_SIZE, zorder=3, transform=ax.transData))
        charts_style.legend(fig, [Patch(facecolor=c, edgecolor="#333333", linewidth=0.7)
                                  for c in VALUE_COLOURS.values()],
                            [i18n.label("value", v, lang) for v in VALUE_COLOURS])
    return fig


def _draw_step(ax, step, x: float, y: float, lane_in: float, lang: str, view: str) -> None:
    gone = view == "tobe" and step.action == Action.eliminate
    face = "#d9d9d9" if gone else VALUE_COLOURS[step.value]
    box = FancyBboxPatch((x - 0.46, y - 0.3), 0.92, 0.6, boxstyle="round,pad=0,rounding_size=0.08",
                         facecolor=face, edgecolor="#333333", lw=0.7, alpha=0.9,
                         hatch="//" if gone else None,
                         linestyle="--" if (view == "tobe" and step.is_new) else "-")
    ax.add_artist(box)            # limits are set: no data-limit update per box
    columns = _columns(lane_in)
    text = charts_style.short_label(step.name, columns)
    bbox = None
    if gone:
        word = i18n.label("action", Action.eliminate, lang)
        text = f"{word}: {charts_style.short_label(step.name, columns - 2 * len(word) - 4)}"
        bbox = {"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.0}
    ax.text(x, y, charts_style.escape_mathtext(text), ha="center", va="center", fontsize=FONT,
            color="#111111", clip_on=True, bbox=bbox)
    wait = step.wait_days_tobe if view == "tobe" else step.wait_days
    if wait > 0:
        label = i18n.t("unit.wait_short", lang, value=charts_style.fmt_num(wait))
        ax.text(x + 0.47, y - 0.32, label, ha="right", va="bottom", fontsize=6.5,
                color="#B22222")


def swimlane_tobe(work: GroupWork, assumptions: Assumptions, lang: str = "ja") -> Figure:
    return swimlane(work, assumptions, lang, view="tobe")
