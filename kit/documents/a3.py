"""The one-page A3 landscape summary of a group (``kit render DIR --a3``) for the executive
meeting (庁議): charter, key figures with their P10–P90 ranges, the flow before and after,
the roadmap and the action plan on one sheet (docs/after-workshop.md, "Print").

Built from the handout's sections (:class:`kit.documents.handout.Handout`), laid out in three
columns; :func:`kit.render.pdf.Printer.print_one_page` prints it scaled to exactly one page.
The base font is 9 pt and the smallest text 7.5 pt (SMALLEST_PT): printed at scale s, the smallest
text is 7.5 × s pt.
"""

from __future__ import annotations

from kit.documents.fragments import esc
from kit.documents.fragments import table as _table
from kit.documents.handout import Handout

SMALLEST_PT = 7.5          # the smallest text on the sheet (notes, badges) before scaling
CSS = """
@page { size: A3 landscape; margin: 8mm; }
html { font-family: "Yu Gothic UI", "Yu Gothic", YuGothic, Meiryo, "Hiragino Kaku Gothic ProN",
       "Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", sans-serif; color: #1a1a1a;
       font-size: 9pt; line-height: 1.35; }
body { margin: 0; }
header.a3 { display: flex; align-items: baseline; gap: 6mm; border-bottom: 2.5px solid #1f4e79;
            padding-bottom: 1.5mm; margin-bottom: 3mm; }
header.a3 h1 { font-size: 16pt; margin: 0; }
header.a3 .theme { font-size: 13pt; font-weight: bold; }
header.a3 .meta { margin-left: auto; font-size: 8.5pt; color: #333; }
.grid { display: grid; grid-template-columns: 1fr 1.9fr 1fr; gap: 5mm; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 3mm; }
h2 { font-size: 11pt; color: #1f4e79; margin: 2.5mm 0 1.5mm; border-left: 4px solid #1f4e79;
     padding-left: 2mm; }
h3 { font-size: 9.5pt; margin: 2mm 0 1mm; }
table { border-collapse: collapse; width: 100%; margin: 0 0 2mm; font-size: 8.5pt; }
th, td { border: 1px solid #b8c4d0; padding: 0.6mm 1.2mm; vertical-align: top; text-align: left; }
thead th { background: #e8eef5; }
table.meta th, table.figures th { width: 38%; background: #f4f7fa; font-weight: normal; }
td.num { text-align: right; font-weight: bold; }
p.note { font-size: 7.5pt; color: #444; margin: 0 0 1.5mm; }
.range { font-size: 7.5pt; font-weight: normal; color: #444; }
figure { margin: 0 0 2mm; }
figure img { width: 100%; height: auto; object-fit: contain; }
.pair figure img { max-height: 245mm; }
section.roadmap figure, section.key-figures p.note, section.roadmap p.note { display: none; }
span.overdue { color: #fff; background: #b00020; padding: 0 1mm; border-radius: 1mm;
               font-size: 7.5pt; white-space: nowrap; }
span.assumption { font-size: 7.5pt; background: #fff3cd; border: 1px solid #e0c060; }
"""


class A3Sheet(Handout):
    """One group on one A3 landscape page."""

    def header(self) -> str:
        w = self.work
        sponsor = w.charter.sponsor
        meta = " / ".join(x for x in (esc(self.session.name), esc(w.group_id),
                                      self.fmt.join(esc(m) for m in w.members),
                                      esc(sponsor) if sponsor else "") if x)
        return (f'<header class="a3"><h1>{self.t("a3.title")}</h1>'
                f'<span class="theme">{esc(w.theme)}</span><span class="meta">{meta}</span>'
                f"</header>")

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

    def page_html(self) -> str:
        charter = self.charter_html() or (f'<section class="charter"><h2>{self.t("aft.charter")}'
                                          f'</h2><p class="note">{self.t("a3.no_charter")}</p>'
                                          f"</section>")
        figures = (f'<section class="key-figures"><h2>{self.t("report.key_figures")}</h2>'
                   f"{self.key_figures_table()}</section>")
        left = charter + figures
        right = self.roadmap_html() + self.plan()
        return (f'<!DOCTYPE html><html lang="{self.lang}"><head><meta charset="utf-8">'
                f'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
                f'img-src data:; style-src \'unsafe-inline\'">'
                f"<title>{esc(self.work.theme)}</title><style>{CSS}</style></head><body>"
                f'{self.header()}<div class="grid"><div>{left}</div><div>{self.flows()}</div>'
                f"<div>{right}</div></div></body></html>")
