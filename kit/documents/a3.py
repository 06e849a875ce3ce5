"""The A3 landscape sheet of a group (``kit render DIR --a3``) for the executive meeting (庁議).

Front (one A3 page, four columns): the verdict and the charter; the key figures with their
P10–P90 ranges and the flow in one line (before → after); the options table and the funding
(the budget view and the fiscal years); the roadmap, the action plan and the risks. Back (a
second A3 page): the flow charts before and after, side by side, each wide enough that its
smallest label (6.5 pt in the chart) prints at 7 pt or more — two flows never fit on the
front with the rest at that size. Every block is the handout's own HTML
(:class:`kit.documents.handout.Handout`, :mod:`kit.documents.options`, :mod:`kit.documents.fiscal`).

:meth:`A3Sheet.print` prints both pages (front fitted to one page, never enlarged) and returns
the scale of the front; :meth:`A3Sheet.page_html` is the front alone (for
:meth:`kit.render.pdf.Printer.print_one_page`). The smallest text is 7.5 pt (SMALLEST_PT):
printed at scale s it is 7.5 × s pt.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from kit.documents.fragments import esc
from kit.documents.fragments import table as _table
from kit.documents.handout import Handout
from kit.domain.enums import Action

SMALLEST_PT = 7.5          # the smallest text on the sheet (notes, badges) before scaling
FRONT_MM = (404.0, 281.0)  # printable front: A3 landscape less 8 mm margins
MAX_ZOOM = 1.3             # the front is enlarged up to this to fill the page
MM_PX = 96 / 25.4          # CSS pixels per millimetre
CSS = """
@page { size: A3 landscape; margin: 8mm; }
@page back { size: A3 landscape; margin: 3mm 3mm 3mm 3mm; }
html { font-family: "Yu Gothic UI", "Yu Gothic", YuGothic, Meiryo, "Hiragino Kaku Gothic ProN",
       "Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", sans-serif; color: #1a1a1a;
       font-size: 8pt; line-height: 1.3; -webkit-print-color-adjust: exact;
       print-color-adjust: exact; }
body { margin: 0; }
.front { width: 404mm; }
.back { page: back; break-before: page; width: 414mm; }
header.a3 { display: flex; align-items: baseline; gap: 6mm; border-bottom: 2.5px solid #1f4e79;
            padding-bottom: 1.2mm; margin-bottom: 2mm; }
header.a3 h1 { font-size: 15pt; margin: 0; }
header.a3 .theme { font-size: 12.5pt; font-weight: bold; }
header.a3 .meta { margin-left: auto; font-size: 8pt; color: #333; }
.grid { display: grid; grid-template-columns: 1fr 1.75fr 1.2fr; gap: 4mm;
        align-items: start; }
.pair { display: flex; justify-content: space-between; }
h2 { font-size: 10pt; color: #1f4e79; margin: 2mm 0 1.2mm; border-left: 4px solid #1f4e79;
     padding-left: 2mm; break-after: avoid; }
.grid > div > section:first-child h2 { margin-top: 0; }
h3 { font-size: 8.5pt; margin: 1.5mm 0 0.8mm; }
p { margin: 0 0 1.2mm; }
table { border-collapse: collapse; width: 100%; margin: 0 0 1.5mm; font-size: 7.5pt;
        line-height: 1.25; }
th, td { border: 1px solid #b8c4d0; padding: 0.4mm 1mm; vertical-align: top; text-align: left; }
thead th { background: #e8eef5; }
table.meta th, table.figures th { width: 40%; background: #f4f7fa; font-weight: normal; }
table.options td, table.fiscal-years td { text-align: right; white-space: nowrap; }
table.options td:first-child, table.fiscal-years td:first-child { text-align: left;
        white-space: normal; min-width: 24mm; }
table.options td:first-child { white-space: nowrap; }
td.num { text-align: right; font-weight: bold; }
table.risks td:last-child, table.risks th:last-child { white-space: nowrap; }
section.verdict { background: #eef4fb; border: 1.5px solid #1f4e79; padding: 1.5mm 2mm 0.5mm;
                  font-size: 8.5pt; }
section.verdict h2 { margin-top: 0; }
p.note, p.optimism-bias, p.flow-line { font-size: 7.5pt; color: #333; }
p.flow-line { background: #f4f7fa; padding: 1mm 1.5mm; }
.range { font-size: 7.5pt; font-weight: normal; color: #444; }
figure { margin: 0; }
.back figure img { width: 206mm; height: auto; max-height: 276mm; object-fit: contain; }
.back h3 { font-size: 10pt; }
section.roadmap figure, section.key-figures p.note, section.roadmap p.note,
section.options p.note { display: none; }
span.overdue { color: #fff; background: #b00020; padding: 0 1mm; border-radius: 1mm;
               font-size: 7.5pt; white-space: nowrap; }
span.assumption { font-size: 7.5pt; background: #fff3cd; border: 1px solid #e0c060; }
"""


class A3Sheet(Handout):
    """One group on an A3 landscape sheet: the front, and the flow charts on the back."""

    def header(self, back: bool = False) -> str:
        w = self.work
        sponsor = w.charter.sponsor
        meta = " / ".join(x for x in (esc(self.session.name), esc(w.group_id),
                                      self.fmt.join(esc(m) for m in w.members),
                                      esc(sponsor) if sponsor else "") if x)
        title = self.t("a3.back_title") if back else self.t("a3.title")
        return (f'<header class="a3"><h1>{title}</h1>'
                f'<span class="theme">{esc(w.theme)}</span><span class="meta">{meta}</span>'
                f"</header>")

    def flow_line(self) -> str:
        """The flow in one line on the front (the charts are on the back)."""
        steps, m = self.work.steps, self.impact
        before = sum(not s.is_new for s in steps)
        after = sum(s.action != Action.eliminate for s in steps)
        line = self.t("a3.flow_line", before=before, after=after,
                      hours_before=self.hours(m.hours_asis), hours_after=self.hours(m.hours_tobe))
        return f'<p class="flow-line">{line}</p>'

    def flows(self) -> str:
        return (f'<section class="flows"><h2>{self.t("a3.flow")}</h2><div class="pair">'
                f'<div><h3>{self.t("a3.before")}</h3>{self._flow_img("asis")}</div>'
                f'<div><h3>{self.t("a3.after")}</h3>{self._flow_img("tobe")}</div></div>'
                f"</section>")

    def plan(self) -> str:
        if not self.work.actions:
            body = f'<p class="note">{self.t("a3.no_actions")}</p>'
        else:
            body = _table(self.action_headers(False), self.action_rows(False), "actions")
        return f'<section class="actions"><h2>{self.t("aft.actions")}</h2>{body}</section>'

    def funding(self) -> str:
        """The budget view (財政課): the net change in spending, the burden over the
        period and each fiscal year."""
        return (f'<section class="fiscal"><h2>{self.t("fis.title")}</h2>'
                f"<p>{self.net_annual_text()}</p>{self.budget_figures_html()}"
                f'{self.fiscal_years_table()}</section>')

    def risks(self) -> str:
        return (f'<section class="risks"><h2>{self.t("risk.heading")}</h2>'
                f"{self.risks_table()}{self.optimism_bias_html()}</section>")

    def front_html(self) -> str:
        charter = self.charter_html() or (f'<section class="charter"><h2>{self.t("aft.charter")}'
                                          f'</h2><p class="note">{self.t("a3.no_charter")}</p>'
                                          f"</section>")
        figures = (f'<section class="key-figures"><h2>{self.t("report.key_figures")}</h2>'
                   f"{self.key_figures_table()}</section>")
        flow = (f'<section class="flow-summary"><h2>{self.t("a3.flow")}</h2>'
                f"{self.flow_line()}</section>")
        columns = (self.verdict_html() + figures,
                   self.options_html() + self.funding() + self.roadmap_html(),
                   charter + flow + self.plan() + self.risks())
        cells = "".join(f"<div>{c}</div>" for c in columns)
        return f'<div class="front">{self.header()}<div class="grid">{cells}</div></div>'

    def back_html(self) -> str:
        """The flow charts, before and after (empty without steps: one page then)."""
        if not self.work.steps:
            return ""
        return f'<div class="back">{self.header(back=True)}{self.flows()}</div>'

    def _document(self, body: str) -> str:
        return (f'<!DOCTYPE html><html lang="{self.lang}"><head><meta charset="utf-8">'
                f'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
                f'img-src data:; style-src \'unsafe-inline\'">'
                f"<title>{esc(self.work.theme)}</title><style>{CSS}</style></head><body>"
                f"{body}</body></html>")

    def page_html(self) -> str:
        """The front alone, one page (``Printer.print_one_page``)."""
        return self._document(self.front_html())

    def sheet_html(self) -> str:
        """Front and back: two A3 pages (one without steps)."""
        return self._document(self.front_html() + self.back_html())

    def print(self, printer, out: str | Path):
        """Both pages to ``out`` with ``printer`` (a :class:`kit.render.pdf.Printer`, passed in:
        documents do not import the render layer): the front
        is scaled down (never enlarged) when taller than one page; returns
        :class:`kit.render.pdf.Printed` with that scale."""
        with tempfile.TemporaryDirectory() as tmp:
            html = Path(tmp) / "a3.html"
            html.write_text(self.sheet_html(), encoding="utf-8")
            page = printer.browser.new_page(viewport={"width": int(414 * MM_PX),
                                                      "height": int(FRONT_MM[1] * MM_PX)})
            try:
                page.goto(html.as_uri(), wait_until="load")
                page.emulate_media(media="print")
                scale = self._fit(page, FRONT_MM[1] * MM_PX - 2)
                data = page.pdf(prefer_css_page_size=True, print_background=True)
            finally:
                page.close()
        return printer._write(data, Path(out), scale)   # noqa: SLF001 - the printer's writer

    @staticmethod
    def _fit(page, height_px: float) -> float:
        """The zoom of the front that fills one page: the largest in [lowest, MAX_ZOOM] whose
        height fits (found by bisection; the front keeps its 404 mm width)."""
        js = ("z => { const f = document.querySelector('.front'); f.style.zoom = z; "
              "f.style.width = (404 / z) + 'mm'; return f.getBoundingClientRect().height * z; }")
        if page.evaluate(js, 1.0) > height_px:
            lo, hi = 0.1, 1.0                  # shrink (text under SMALLEST_PT: said by scale)
        else:
            lo, hi = 1.0, MAX_ZOOM
            if page.evaluate(js, hi) <= height_px:
                return hi
        for _ in range(10):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if page.evaluate(js, mid) <= height_px else (lo, mid)
        page.evaluate(js, lo)
        return lo
