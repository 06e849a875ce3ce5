"""Charts that follow the edits: kit.charts.impact figures shown as PNG images, redrawn fast.

A full redraw of a 40-step chart (build, constrained layout, draw, PNG) takes a few hundred
milliseconds. When only bar lengths change (a minutes value, a share), :class:`LiveChart`
reuses the drawn figure: it keeps the layout and the drawn background (axes, labels, text),
moves the bars (and their value labels), redraws only those artists on the kept background
and encodes the pixels. Anything else (steps added, renamed, a bar beyond the axis) gets a
full redraw from :mod:`kit.charts.impact`, so the picture is always the one the handout shows.
"""

from __future__ import annotations

import io

import ipywidgets as W
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from kit import i18n
from kit.charts import flow as charts_flow
from kit.charts import impact as charts
from kit.charts import style as charts_style
from kit.domain.model import Action, Actor, Assumptions, GroupWork
from kit.domain.money import impact

_ACTOR_ORDER = (Actor.counter, Actor.back_office, Actor.approver, Actor.resident)


def _minutes_data(work: GroupWork, assumptions: Assumptions):
    steps = work.steps
    sig = tuple((s.name, s.actor, s.is_new, s.action == Action.eliminate, s.uptake_dependent)
                for s in steps)
    asis = np.array([0.0 if s.is_new else s.minutes for s in steps])
    tobe = np.array([s.minutes_tobe for s in steps])
    return sig, [asis, tobe]


def _actor_data(work: GroupWork, assumptions: Assumptions):
    table = impact.hours_by_actor(work, assumptions)
    order = [a.value for a in _ACTOR_ORDER if a.value in table.index]
    return tuple(order), [table.loc[order, "hours"].to_numpy(dtype=float),
                          table.loc[order, "hours_after"].to_numpy(dtype=float)]


# the live charts: kit.charts.impact plus the swimlane flow charts
FIGURES = {**charts.FIGURES, "flow_asis": charts_flow.swimlane,
           "flow_tobe": charts_flow.swimlane_tobe}
# charts that change only with a part of the workspace: redraw when that part changes
KEYS = {"flow_asis": lambda work, _a: charts_flow.signature(work, "asis"),
        "flow_tobe": lambda work, _a: charts_flow.signature(work, "tobe")}

# chart name -> (structure signature, bar values per bar container, value labels?)
FAST = {"minutes_by_step": (_minutes_data, False), "hours_by_actor": (_actor_data, True)}


def _png(canvas: FigureCanvasAgg) -> bytes:
    buf = io.BytesIO()
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    image.convert("RGB").save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


class LiveChart:
    """One figure of :data:`kit.charts.impact.FIGURES`, kept drawn between updates."""

    def __init__(self, name: str, lang: str, dpi: int = 72):
        self.name, self.lang, self.dpi = name, lang, dpi
        self.image = W.Image(format="png", layout=W.Layout(max_width="100%", height="auto"))
        self.fig = None
        self._key = None
        self._background = None
        self._values = None
        self.full_redraws = 0
        self.fast_redraws = 0

    def update(self, work: GroupWork, assumptions: Assumptions, force: bool = False) -> None:
        key = (KEYS[self.name](work, assumptions) if self.name in KEYS else
               (work.model_dump_json(exclude={"revision", "updated_at"}),
                assumptions.model_dump_json()))
        if key == self._key and not force:
            return
        self._key = key
        if force or not self._fast(work, assumptions):
            self._full(work, assumptions)

    # -- full redraw -----------------------------------------------------------------------
    def _full(self, work: GroupWork, assumptions: Assumptions) -> None:
        if self.fig is not None:
            charts_style.close(self.fig)
        fig = FIGURES[self.name](work, assumptions, self.lang)
        fig.set_dpi(self.dpi)
        canvas = FigureCanvasAgg(fig)
        with charts_style.style_context():
            canvas.draw()                       # constrained layout runs here, once
            fig.set_layout_engine("none")       # keep the positions for fast updates
            self._capture(fig, canvas, work, assumptions)
        self.full_redraws += 1

    def _capture(self, fig, canvas, work, assumptions) -> None:
        """Keep the background without the moving artists, for fast updates."""
        self.fig, self.canvas, self._sig, self._background = fig, canvas, None, None
        self.image.value = _png(canvas)
        if self.name not in FAST or not fig.axes:
            return
        ax = fig.axes[0]
        bars = [c for c in ax.containers if hasattr(c, "patches")]
        texts = list(ax.texts) if FAST[self.name][1] else []
        moving = [p for c in bars for p in c.patches] + texts
        for artist in moving:
            artist.set_visible(False)
        canvas.draw()
        self._background = canvas.copy_from_bbox(fig.bbox)
        for artist in moving:
            artist.set_visible(True)
        canvas.draw()
        self._sig, values = FAST[self.name][0](work, assumptions)
        self._values = [np.asarray(v, dtype=float) for v in values]
        self._ax, self._bars, self._texts = ax, bars, texts

    # -- fast update -----------------------------------------------------------------------
    def _fast(self, work: GroupWork, assumptions: Assumptions) -> bool:
        if self._background is None or self.name not in FAST:
            return False
        data_fn, labelled = FAST[self.name]
        sig, values = data_fn(work, assumptions)
        if sig != self._sig or len(values) != len(self._bars):
            return False
        horizontal = self.name == "minutes_by_step"
        lo, hi = self._ax.get_xlim() if horizontal else self._ax.get_ylim()
        top = max(float(np.max(v)) if len(v) else 0.0 for v in values)
        if top > hi * 0.97 or (top < hi * 0.4 and top > 0) or lo < 0:
            return False                    # off the axis or too small to read: rescale
        if labelled and len(self._texts) != sum(len(v) for v in values):
            return False
        self._move(values, horizontal, labelled)
        self.fast_redraws += 1
        return True

    def _move(self, values, horizontal: bool, labelled: bool) -> None:
        old, self._values = self._values, [np.asarray(v, dtype=float) for v in values]
        with charts_style.style_context():
            if horizontal and old is not None:
                diff = np.zeros(len(values[0]), dtype=bool)
                for before, after in zip(old, self._values, strict=True):
                    diff |= before != after
                rows = np.nonzero(diff)[0]
                if len(rows) <= 4:
                    for i in rows:
                        self._move_row(int(i))
                    self.image.value = _png(self.canvas)
                    return
            self._move_all(horizontal, labelled)
        self.image.value = _png(self.canvas)

    def _move_row(self, i: int) -> None:
        """Redraw one step's bars only: restore the background band, draw the new bars."""
        patches = [c.patches[i] for c in self._bars]
        extents = [p.get_window_extent() for p in patches]
        for patch, vals in zip(patches, self._values, strict=True):
            patch.set_width(vals[i])
        extents += [p.get_window_extent() for p in patches]
        box = self._ax.bbox
        y0 = max(box.y0, min(e.y0 for e in extents) - 1)
        y1 = min(box.y1, max(e.y1 for e in extents) + 1)
        height = self.canvas.get_width_height(physical=True)[1]     # Agg rows run top-down
        band = (int(box.x0), int(height - np.ceil(y1)), int(np.ceil(box.x1)), int(height - y0))
        self.canvas.restore_region(self._background, bbox=band, xy=(0, 0))
        for patch in patches:
            self._ax.draw_artist(patch)

    def _move_all(self, horizontal: bool, labelled: bool) -> None:
        texts = iter(self._texts)
        self.canvas.restore_region(self._background)
        for container, vals in zip(self._bars, self._values, strict=True):
            for patch, v in zip(container.patches, vals, strict=True):
                patch.set_width(v) if horizontal else patch.set_height(v)
                self._ax.draw_artist(patch)
                if labelled:
                    text = next(texts)
                    text.xy = (patch.get_x() + patch.get_width() / 2, v)
                    text.set_text(charts_style.fmt_num(v))
                    self._ax.draw_artist(text)


class ChartPanel:
    """The live charts of one editor, one image each, stacked."""

    def __init__(self, names: tuple[str, ...], lang: str, dpi: int = 72):
        self.lang = lang if lang in i18n.LANGS else i18n.DEFAULT_LANG
        self.charts = {name: LiveChart(name, self.lang, dpi) for name in names}
        self.widget = W.VBox([c.image for c in self.charts.values()])

    def update(self, work: GroupWork, assumptions: Assumptions, force: bool = False) -> None:
        for chart in self.charts.values():
            chart.update(work, assumptions, force=force)

    def __getitem__(self, name: str) -> LiveChart:
        return self.charts[name]
