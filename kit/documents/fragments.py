"""HTML fragments shared by the handout, the session summary and the survey report.

Every piece of user text goes through :func:`esc` (``html.escape``); figures are embedded
as SVG data URIs (vector: sharp in print; texts drawn in the reader's Japanese system font),
so a rendered file needs nothing from outside.
"""

from __future__ import annotations

import base64
import html
import math
import re


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def table(headers: list[str], rows: list[list[str]], cls: str = "") -> str:
    """A table of already-escaped cells (callers escape user text with :func:`esc`)."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def figure_title(fig) -> str:
    """The figure's title (kit.charts.impact puts it on the figure; some charts on the axes)."""
    if fig._suptitle is not None and fig._suptitle.get_text():
        return fig._suptitle.get_text()
    if fig.axes:
        return fig.axes[0].get_title("left") or fig.axes[0].get_title()
    return ""


def figure_html(fig, cls: str = "chart") -> str:
    """A matplotlib figure as an embedded SVG ``<figure>`` (closed after rendering)."""
    from kit.charts.style import figure_to_svg

    title = esc(figure_title(fig))
    data = base64.b64encode(figure_to_svg(fig)).decode("ascii")
    return (f'<figure class="{cls}"><img alt="{title}" '
            f'src="data:image/svg+xml;base64,{data}"/></figure>')


_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_VOID = {"img", "br", "hr", "meta", "input", "col", "wbr", "source", "link"}
_LEAD = {"p", "h3", "h4"}          # may come between a heading and its first block
SMALL_TABLE_ROWS = 10              # a table this short moves with its heading


def _element_end(text: str, start: int) -> tuple[str, int]:
    """The tag name of the element opening at ``start`` and the index after its close."""
    depth, name = 0, ""
    for m in _TAG_RE.finditer(text, start):
        closing, tag, selfclosing = m.group(1), m.group(2).lower(), m.group(3)
        if not name:
            name = tag
        if tag in _VOID or selfclosing:
            if depth == 0:
                return name, m.end()
            continue
        depth += -1 if closing else 1
        if depth == 0:
            return name, m.end()
    return name, len(text)


def keep_with_next(fragment: str) -> str:
    """Print: a heading (h2/h3) never ends a page alone. The heading, the short paragraphs
    right after it and the first figure or short table are wrapped in ``<div class="keep">``
    (``break-inside: avoid`` in the print CSS); before a long table the CSS keeps room for a
    few rows instead (a long table may break between rows)."""
    out, pos = [], 0
    for m in re.finditer(r"<h[23]\b", fragment):
        if m.start() < pos:
            continue
        _, end = _element_end(fragment, m.start())
        run_end, leads = end, 0
        while True:
            nxt = re.compile(r"\s*<").match(fragment, run_end)
            if not nxt:
                break
            name, after = _element_end(fragment, nxt.end() - 1)
            if name in _LEAD and leads < 3:
                run_end, leads = after, leads + 1
                continue
            block = fragment[nxt.end() - 1:after]
            if name == "figure" or (name == "table" and
                                    block.count("<tr") <= SMALL_TABLE_ROWS):
                out += [fragment[pos:m.start()], '<div class="keep">',
                        fragment[m.start():after], "</div>"]
                pos = after
            break
    return "".join(out) + fragment[pos:]


# -- inputs printed as entered (docs/formulas.md, "Precision of inputs") ---------------------
INPUT_DIGITS_MIN, INPUT_DIGITS_MAX = 1, 4


def input_digits(*values: float | None, least: int = INPUT_DIGITS_MIN,
                 most: int = INPUT_DIGITS_MAX) -> int:
    """The decimals the inputs were entered with (``0.05`` → 2, ``12`` → 0), at least
    ``least`` and at most ``most``: a table printing them lets a reader recompute each row."""
    digits = least
    for x in values:
        if x is None or not math.isfinite(float(x)):
            continue
        text = f"{abs(float(x)):.{most}f}".rstrip("0")
        digits = max(digits, len(text.partition(".")[2]))
    return min(digits, most)


def input_number(x: float | None, *row: float | None) -> str:
    """``x`` with the decimals of the inputs of its row (``x`` and ``row``): 0.05 → "0.05"."""
    from kit import i18n

    return i18n.fmt_number(x, input_digits(x, *row))
