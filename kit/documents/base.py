"""What every document shares: a language, the key-figure formatter, named sections, ``html()``.

A document is a list of named sections (``SECTIONS``); section ``x`` is the method ``x_html``
returning an escaped HTML fragment. A report notebook's one cell ``doc.show()`` displays every
section, in order, as an output of its own, which nbconvert exports as-is (one cell, not one
per section: each cell costs the kernel a round trip); ``doc.show("x")`` shows one section in
a notebook of your own, and tests and previews call ``doc.html()``. To add a section: write
``x_html`` (in the document or a mixin of its own module) and add ``"x"`` to ``SECTIONS``
(docs/extending.md).
"""

from __future__ import annotations

import datetime as _dt

from kit import i18n
from kit.documents.figures import Figures
from kit.documents.fragments import keep_with_next


class Document:
    """Base of the handout, the session summary and the survey report."""

    SECTIONS: tuple[str, ...] = ()
    as_of: _dt.date | None = None      # what is overdue or due is judged on this day (today)

    def __init__(self, lang: str = i18n.DEFAULT_LANG, horizon_years: int | None = None):
        self.lang = lang if lang in i18n.LANGS else i18n.DEFAULT_LANG
        self.fmt = Figures(self.lang, horizon_years)

    # -- text and numbers -----------------------------------------------------------------
    def t(self, key: str, **values) -> str:
        return i18n.t(key, self.lang, **values)

    def yen(self, x) -> str:
        return self.fmt.yen(x)

    def hours(self, x) -> str:
        return self.fmt.hours(x)

    def label(self, kind: str, value) -> str:
        return i18n.label(kind, value, self.lang)

    def today(self) -> _dt.date:
        return self.as_of or _dt.date.today()

    def date(self, d: _dt.date | str | None) -> str:
        """A date the reader's way; "—" when there is none."""
        return i18n.fmt_date(d, self.lang)

    # -- sections -------------------------------------------------------------------------
    def section_html(self, name: str) -> str:
        if name not in self.SECTIONS:
            raise KeyError(f"{type(self).__name__} has no section {name!r}")
        return keep_with_next(getattr(self, f"{name}_html")())

    def html(self) -> str:
        """Every section, in order (for tests and previews)."""
        return "".join(self.section_html(name) for name in self.SECTIONS)

    def show(self, *names: str) -> None:
        """Display the named sections in a notebook, or every section when none is named; each
        is an output of its own, exported as-is by nbconvert (no code, no widget)."""
        from IPython.display import HTML, display

        for name in names or self.SECTIONS:
            display(HTML(self.section_html(name)))
