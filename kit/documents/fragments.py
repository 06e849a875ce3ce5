"""HTML fragments shared by the handout, the session summary and the survey report.

Every piece of user text goes through :func:`esc` (``html.escape``); figures are embedded
as PNG data URIs, so a rendered file needs nothing from outside.
"""

from __future__ import annotations

import base64
import html


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
    """A matplotlib figure as an embedded PNG ``<figure>`` (closed after rendering)."""
    from kit.charts.style import figure_to_png_bytes

    title = esc(figure_title(fig))
    data = base64.b64encode(figure_to_png_bytes(fig)).decode("ascii")
    return (f'<figure class="{cls}"><img alt="{title}" '
            f'src="data:image/png;base64,{data}"/></figure>')
