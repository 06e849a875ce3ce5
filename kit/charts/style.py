"""The look every chart shares: the Japanese font, sizes, colours, layout in inches, labels.

``import matplotlib_fontja`` registers IPAexGothic (shipped in its wheel) and makes it the
default; every figure is also built and rendered under :func:`style_context` naming that font
(plus Noto Sans CJK JP as a per-glyph fallback when installed, e.g. for 𠮷), so a notebook that
resets the matplotlib style gets no tofu boxes. Text a participant typed (step names) is
shortened, put on one line and has ``$`` escaped so that it is never read as mathtext.

Speed: text is by far the largest cost of a matplotlib figure (shaping each string on every
draw), so the layout is computed once, here, from glyph advances of the font (no
``tight_layout``/constrained-layout passes over every text), and step names are plain texts
rather than tick labels (which matplotlib measures again on every draw). A text whose every
character is in IPAexGothic is drawn with that font alone (:func:`primary_font_only`: the
same pixels, without the cost of a fallback font on every string); the others keep the
fallback. Documents embed figures as SVG with their texts as text (:func:`figure_to_svg`:
no rasterising, the reader's system font draws the glyphs); the widgets' PNGs are encoded
here (:func:`png_bytes`), several times faster than by Pillow.
"""

from __future__ import annotations

import contextlib
import functools
import io
import math
import re
import struct
import sys
import unicodedata
import zlib
from collections.abc import Callable, Sequence

import matplotlib
import matplotlib_fontja  # registers IPAexGothic and makes it the default font
import numpy as np
from matplotlib import font_manager, ft2font
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import offset_copy

from kit import i18n

FONT = "IPAexGothic"
FALLBACK_FONTS = ("Noto Sans CJK JP",)   # used per glyph, only when installed


def font_family() -> list[str]:
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return [FONT] + [name for name in FALLBACK_FONTS if name in installed]


# Glyphs unhinted: FreeType's hinting (matplotlib's default) runs every glyph of every string
# through the hinter, which doubles the cost of each text in the widgets' PNGs; unhinted
# glyphs read the same at their 72-110 dpi (the documents' SVGs are measured unhinted anyway).
RC = {"font.family": font_family(), "axes.unicode_minus": True, "font.size": 9.0,
      "axes.titlesize": 11.5, "text.hinting": "no_hinting",
      # titles at the top of the axes, where the automatic placement puts them when no tick
      # labels are on top (finding that out measures every y tick label on every draw)
      "axes.titley": 1.0}
matplotlib.rcParams.update(RC)        # as matplotlib_fontja sets the font: kit's look by default

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

YEN_SCALE = {"ja": 1e4, "en": 1.0}   # ja shows 万円, en shows yen

FigureFn = Callable[..., Figure]


# --- text ---------------------------------------------------------------------------------
def lang_of(lang: str | None) -> str:
    return lang if lang in i18n.LANGS else i18n.DEFAULT_LANG


def style_context():
    """The kit's look for building or drawing a figure. Nothing to do when the settings are
    in force already (the usual case: set at import); a notebook that changed them gets them
    back for the figure only (``rc_context`` copies every setting: ~1 ms a call)."""
    params = matplotlib.rcParams
    if all(params[key] == value for key, value in RC.items()):
        return contextlib.nullcontext()
    return matplotlib.rc_context(RC)


def escape_mathtext(text: str) -> str:
    """Plain text for a matplotlib Text: ``$`` would otherwise start mathtext."""
    return text.replace("$", r"\$")


def col_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def short_label(text: object, limit: int = LABEL_WIDTH) -> str:
    """A one-line label of at most ``limit`` display columns (a Japanese character counts 2),
    ending in "…" when shortened, safe from mathtext."""
    text = " ".join(str(text).split())
    widths = [col_width(ch) for ch in text]
    if sum(widths) > limit:
        keep, used = 0, 0
        for w in widths:
            if used + w > limit - 2:
                break
            used += w
            keep += 1
        text = text[:keep].rstrip() + "…"
    return escape_mathtext(text)


@functools.lru_cache(maxsize=1)
def measure_font() -> ft2font.FT2Font:
    font = ft2font.FT2Font(matplotlib_fontja.get_font_ttf_path())
    font.set_size(100, 72)
    return font


NO_HINTING = getattr(getattr(ft2font, "LoadFlags", None), "NO_HINTING", None)
if NO_HINTING is None:                       # matplotlib < 3.10
    NO_HINTING = ft2font.LOAD_NO_HINTING


@functools.lru_cache(maxsize=8192)
def em_width(ch: str) -> float:
    """Advance width of a character in em (1.0 for a glyph the font lacks)."""
    font = measure_font()
    if font.get_char_index(ord(ch)) == 0:
        return 1.0
    return font.load_char(ord(ch), flags=NO_HINTING).linearHoriAdvance / 65536 / 100


@functools.lru_cache(maxsize=8192)
def has_glyph(ch: str) -> bool:
    """Whether IPAexGothic has the character (else the fallback font draws it)."""
    return measure_font().get_char_index(ord(ch)) != 0


def covered(text: str) -> bool:
    """Whether IPAexGothic alone draws every character of ``text``."""
    return all(has_glyph(ch) for ch in text if ch != "\n")


def _texts(artist):
    """Every Text under ``artist``; an axis gives its label and offset text only (walking its
    ticks would create them: tick labels are set through the tick parameters instead)."""
    if isinstance(artist, Axis):
        yield artist.label
        yield artist.offsetText
        return
    if isinstance(artist, Text):
        yield artist
    for child in artist.get_children():
        yield from _texts(child)


def primary_font_only(fig: Figure) -> None:
    """Draw every text that IPAexGothic covers with it alone, not the fallback list.

    FreeType with a fallback font costs about half again per string, even when the fallback
    is never used; a text with a character IPAexGothic lacks (e.g. 𠮷) keeps the list, and
    so do all tick labels of an axis where one of them has such a character.
    """
    family = list(RC["font.family"])
    if len(family) == 1:
        return
    for text in _texts(fig):
        if text.get_family() == family and covered(text.get_text()):
            text.set_family(FONT)
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            locs = axis.get_majorticklocs()
            if not (ax.axison and axis.get_visible() and len(locs)):
                continue                       # no tick labels drawn: create no tick
            if all(covered(label) for label in axis.get_major_formatter().format_ticks(locs)):
                axis.set_tick_params(which="major", labelfontfamily=FONT)


def text_width_in(text: str, size: float = TEXT_SIZE) -> float:
    """Width in inches of the longest line of ``text`` at ``size`` points (a close estimate:
    unhinted advances plus 8 %)."""
    lines = text.replace(r"\$", "$").split("\n")
    return max(sum(em_width(ch) for ch in line) for line in lines) * size / 72 * 1.08


def line_in(size: float = TEXT_SIZE) -> float:
    return size * 1.25 / 72


# --- numbers ------------------------------------------------------------------------------
def fmt_num(x: float) -> str:
    """Comma-grouped, one decimal only for small non-integers."""
    digits = 1 if abs(x) < 10 and abs(x - round(x)) > 1e-9 else 0
    return i18n.fmt_number(x, digits)


def tick_text(value: float, _pos: int | None = None) -> str:
    if abs(value) < 1e-12:
        return "0"
    if abs(value - round(value)) < 1e-9:
        return f"{value:,.0f}".replace("-", "−")
    return f"{value:,.2f}".rstrip("0").rstrip(".").replace("-", "−")


def money(value_yen: float, lang: str) -> str:
    value = value_yen / YEN_SCALE[lang]
    digits = 1 if abs(value) < 100 and abs(value - round(value)) > 1e-9 else 0
    return i18n.t("chart.money_value", lang, value=i18n.fmt_number(value, digits))


# --- frame --------------------------------------------------------------------------------
TOP_IN = 0.42            # title band
RIGHT_IN = 0.3
EDGE_IN = 0.1
TICK_IN = 7.5 / 72       # tick length + pad


def few_ticks(ax) -> None:
    """At most ~6 round values on each numeric axis (a category axis sets its own ticks
    later): enough gridlines to read a bar against, and each tick is several artists to
    lay out and draw (matplotlib's automatic choice gives up to 10 on a 7.5-inch axis)."""
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))


def new_figure(height: float, title: str) -> tuple[Figure, object]:
    fig = Figure(figsize=(WIDTH_IN, height))
    ax = fig.add_subplot()
    few_ticks(ax)
    ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(title, x=EDGE_IN / WIDTH_IN, y=1 - EDGE_IN / height, ha="left", va="top",
                 fontsize=TITLE_SIZE)
    return fig, ax


LEGEND_GID = "legend"      # the gid of a legend's texts (what tests and readers look for)
LEGEND_ROW_IN = 0.24       # a legend row


def legend(fig: Figure, handles: Sequence, labels: Sequence[str]) -> float:
    """A legend centred at the bottom of the figure; returns the height it takes (inches).

    Swatches (bars, patches) are laid out here from the labels' glyph advances, rows filled
    left to right: matplotlib's legend lays out every text once more on each draw, a tenth
    of a chart's drawing time. Other handles (lines, markers) get matplotlib's legend."""
    if not handles:
        return 0.0
    em = TEXT_SIZE / 72
    swatch, pad, gap = 1.6 * em, 0.8 * em, 1.2 * em
    entry = [swatch + pad + text_width_in(label) for label in labels]
    room = fig.get_figwidth() - 2 * EDGE_IN
    ncols = len(entry)
    while ncols > 1 and sum(sorted(entry, reverse=True)[:ncols]) + gap * (ncols - 1) > room:
        ncols -= 1
    rows = math.ceil(len(entry) / ncols)
    height = rows * LEGEND_ROW_IN + 0.08
    patches = [getattr(h, "patches", [h])[0] for h in handles]
    if not all(isinstance(p, Patch) for p in patches):
        fig.legend(handles, labels, loc="lower center", ncols=ncols, frameon=False,
                   bbox_to_anchor=(0.5, EDGE_IN / 2 / fig.get_figheight()),
                   columnspacing=1.2, handlelength=1.6, borderaxespad=0.0)
        return height
    widths = [max(entry[i::ncols]) for i in range(ncols)]
    left = (fig.get_figwidth() - sum(widths) - gap * (ncols - 1)) / 2
    starts = [left + sum(widths[:i]) + gap * i for i in range(ncols)]
    for i, (patch, label) in enumerate(zip(patches, labels, strict=True)):
        x = starts[i % ncols]
        y = EDGE_IN / 2 + 0.04 + (rows - 1 - i // ncols + 0.5) * LEGEND_ROW_IN
        fig.add_artist(Rectangle((x, y - 0.35 * em), swatch, 0.7 * em,
                                 transform=fig.dpi_scale_trans,
                                 facecolor=patch.get_facecolor(),
                                 edgecolor=patch.get_edgecolor(), hatch=patch.get_hatch(),
                                 linewidth=patch.get_linewidth()))
        fig.text(x + swatch + pad, y, label, transform=fig.dpi_scale_trans, va="center",
                 ha="left", fontsize=TEXT_SIZE, gid=LEGEND_GID)
    return height


def legend_texts(fig: Figure) -> list[str]:
    """The labels of the figure's legend, in order."""
    if fig.legends:
        return [t.get_text() for t in fig.legends[0].get_texts()]
    return [t.get_text() for t in fig.texts if t.get_gid() == LEGEND_GID]


def place(fig: Figure, ax, *, left: float, bottom: float, top: float = TOP_IN,
           right: float = RIGHT_IN) -> None:
    w, h = fig.get_size_inches()
    fig.subplots_adjust(left=left / w, right=1 - right / w, bottom=bottom / h,
                        top=1 - top / h)


def value_ticks_width(ax, axis: str = "y") -> float:
    """Width of the widest numeric tick label the axis will show (after autoscaling)."""
    lo, hi = ax.get_ylim() if axis == "y" else ax.get_xlim()
    which = ax.yaxis if axis == "y" else ax.xaxis
    values = [v for v in which.get_major_locator().tick_values(lo, hi)
              if min(lo, hi) - 1e-9 <= v <= max(lo, hi) + 1e-9]
    return max((text_width_in(tick_text(v)) for v in values), default=0.1)


def value_axis(ax, axis: str = "y") -> None:
    which = ax.yaxis if axis == "y" else ax.xaxis
    which.set_major_formatter(FuncFormatter(tick_text))
    ax.grid(axis=axis, alpha=0.3)
    ax.set_axisbelow(True)


def empty_figure(fig: Figure, ax, lang: str) -> Figure:
    ax.set_axis_off()
    ax.text(0.5, 0.5, i18n.t("chart.no_data", lang), ha="center", va="center",
            transform=ax.transAxes, color=TOTAL)
    return fig


def step_label(name: str, actor: str, lang: str, limit: int = LABEL_WIDTH) -> str:
    who = i18n.label("actor", actor, lang)
    return i18n.t("unit.name_actor", lang, name=short_label(name, limit), actor=who)


def row_labels(fig: Figure, ax, labels: Sequence[str], size: float) -> float:
    """Category names left of the axes, one per row y = 0, 1, …; returns their width."""
    ax.set_yticks([])
    where = offset_copy(ax.get_yaxis_transform(), fig=fig, x=-4, y=0, units="points")
    for i, label in enumerate(labels):
        ax.text(0, i, label, transform=where, ha="right", va="center", fontsize=size,
                gid="row-label")
    return max((text_width_in(label, size) for label in labels), default=0.0) + 4 / 72


def row_size(n: int) -> float:
    return TEXT_SIZE if n <= 15 else (SMALL_SIZE if n <= 25 else 7.0)


# --- figures ------------------------------------------------------------------------------

def close(fig: Figure) -> None:
    """Release a figure; pyplot (if it was ever imported) forgets it too."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)


PNG_ZLIB_LEVEL = 3      # lossless; as small as matplotlib's PNG (Pillow, level 6), 4× faster


def png_bytes(rgba: np.ndarray, dpi: float) -> bytes:
    """An 8-bit RGBA image (height × width × 4) as a PNG file: filter type 0 on every row and
    one zlib stream. Pillow (what ``savefig`` uses) tries every PNG filter on every row, which
    costs more than drawing a chart; for flat chart colours it gains nothing in size."""
    height, width, _ = rgba.shape
    rows = np.empty((height, width * 4 + 1), dtype=np.uint8)
    rows[:, 0] = 0                                   # filter type 0 ("None")
    rows[:, 1:] = rgba.reshape(height, width * 4)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    per_metre = int(dpi / 0.0254 + 0.5)              # pHYs, as matplotlib writes it
    return b"".join([b"\x89PNG\r\n\x1a\n",
                     chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)),
                     chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
                     chunk(b"IDAT", zlib.compress(rows.tobytes(), PNG_ZLIB_LEVEL)),
                     chunk(b"IEND", b"")])


# the handout's font list: what city-hall PCs have first (Windows, macOS), then Linux
SVG_FONTS = ("'Yu Gothic UI', 'Yu Gothic', YuGothic, Meiryo, 'Hiragino Kaku Gothic ProN', "
             "'Hiragino Sans', 'Noto Sans CJK JP', 'Noto Sans JP', IPAexGothic, sans-serif")
_SVG_FONT_RE = re.compile(r"font-family: [^;\"]*")
SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


@contextlib.contextmanager
def _drawing(fig: Figure, **rc):
    """Draw ``fig`` in the kit's look (plus ``rc``) on white, then close it, come what may."""
    try:
        with style_context(), matplotlib.rc_context(rc):
            primary_font_only(fig)
            fig.patch.set_facecolor("white")
            yield
    finally:
        close(fig)


def figure_to_svg(fig: Figure) -> bytes:
    """The figure as an SVG file with its texts as text (white background; closed afterwards).

    A vector chart prints sharp at any size and is a quarter of the PNG's bytes; the texts
    are laid out with IPAexGothic's metrics and drawn in the reader's Japanese system font
    (:data:`SVG_FONTS`). Ids are salted with a constant: the same chart gives the same file."""
    out = io.StringIO()
    with _drawing(fig, **{"svg.fonttype": "none", "svg.hashsalt": "kit"}):
        FigureCanvasSVG(fig).print_svg(out, metadata=SVG_METADATA)
    return _SVG_FONT_RE.sub(f"font-family: {SVG_FONTS}", out.getvalue()).encode("utf-8")


def figure_to_png_bytes(fig: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG bytes (white background); the figure is closed afterwards.

    Drawn as ``savefig(format="png", dpi=dpi, facecolor="white")`` draws it (the same
    pixels), encoded by :func:`png_bytes`."""
    with _drawing(fig):
        canvas = FigureCanvasAgg(fig)
        fig.dpi = dpi
        canvas.draw()
        rgba = np.asarray(canvas.buffer_rgba())
    return png_bytes(rgba, dpi)
