"""How the document tests read a page: its visible text, as a reader sees it."""

from __future__ import annotations

from html.parser import HTMLParser


class _Text(HTMLParser):
    """The visible text: character data outside <style>/<script>, no attributes."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible(html: str) -> str:
    """The text a reader sees in ``html``, one piece of character data a line."""
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)
