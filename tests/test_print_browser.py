"""Printing with headless Chromium: the A4 handout (no heading alone at the foot of a page)
and the one-page A3 summary. One browser for the module; checked with poppler's pdfinfo,
pdftotext and pdftoppm."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kit.documents.a3 import SMALLEST_PT, A3Sheet
from kit.documents.handout import Handout
from kit.domain.model import GroupWork
from kit.io import store
from kit.render import pipeline
from kit.render.pdf import Printer
from kit.workspace.followup import record_actuals

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not shutil.which("pdfinfo"), reason="poppler-utils")]
A4 = (595.28, 841.89)
A3_LANDSCAPE = (1190.55, 841.89)


@pytest.fixture(scope="module")
def printer():
    with Printer() as p:
        yield p


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    from kit.workspace.demo import build_demo

    s = tmp_path_factory.mktemp("print") / "session"
    build_demo(s)
    w = store.load_work(s, "g01")
    extra = GroupWork.parse({
        "group_id": "g01", "theme": "x",
        "charter": {"start": "出生届・転入届の受理", "end": "認定通知書の発送",
                    "in_scope": "認定請求（新規・転入）", "out_of_scope": "制度改正",
                    "sponsor": "こども家庭課長", "go_live": "2026/10/1",
                    "measures": [{"name": "職員の作業時間", "unit": "時間", "baseline": 1250,
                                  "target": 700}]},
        "actions": [{"title": f"対応{i}", "owner": "佐藤", "due": "2026/11/1",
                     "status": "doing"} for i in range(1, 9)]})
    store.save_work(s, w.model_copy(update={"charter": extra.charter,
                                            "actions": extra.actions}))
    record_actuals(s, "g01", measured_on="2026-11-02", uptake=0.18)
    return s


def _info(pdf: Path) -> tuple[int, tuple[float, float]]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                         check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", out).group(1))
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", out).groups())
    return pages, (w, h)


def _ink_rows(pdf: Path, page: int, dpi: int = 36) -> list[bool]:
    """For each pixel row of ``page``: is anything printed on it?"""
    data = subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l",
                           str(page), str(pdf)], capture_output=True, check=True).stdout
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", data)
    width, height = int(m.group(1)), int(m.group(2))
    pixels = data[m.end():]
    return [min(pixels[r * width:(r + 1) * width]) < 200 for r in range(height)]


def _lonely_headings(pdf: Path) -> list[str]:
    """Headings (line boxes ≥ 30 pt: h1–h3) with nothing printed in the 50 pt below them."""
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    lonely = []
    for n, page in enumerate(re.findall(r"<page .*?</page>", bbox, re.S), start=1):
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        words = [(float(y0), float(y1), text) for y0, y1, text in re.findall(
            r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)', page)]
        heads = [(y1, text) for y0, y1, text in words if y1 - y0 >= 30]
        if not heads:
            continue
        bottom, text = max(heads)
        rows = _ink_rows(pdf, n)
        scale = len(rows) / height
        below = rows[int((bottom + 4) * scale):int((bottom + 54) * scale)]
        if not any(below):
            lonely.append(f"page {n}: {text}")
    return lonely


def test_a4_handout_keeps_headings_with_what_follows(session, printer, tmp_path):
    css = (pipeline.NBCONVERT_TEMPLATES / pipeline.HTML_TEMPLATE / "handout.css").read_text(
        encoding="utf-8")
    html = tmp_path / "g01.html"
    html.write_text(f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><style>{css}'
                    f'</style></head><body><main class="handout">'
                    f'{Handout(session, "g01").html()}</main></body></html>', encoding="utf-8")
    printed = printer.print_file(html, tmp_path / "g01.pdf")
    pages, size = _info(printed.path)
    assert pages == printed.pages and 8 <= pages <= 30
    assert size == pytest.approx(A4, abs=1)
    assert _lonely_headings(printed.path) == []


def test_lonely_heading_detector_sees_one(printer, tmp_path):
    """The check can fail: a heading pushed to the foot of a page with print CSS off."""
    html = tmp_path / "x.html"
    html.write_text('<html><head><style>@page { size: A4 }</style></head><body>'
                    '<div style="height:255mm"></div>'
                    '<h2 style="font-size:14pt;line-height:1.55">見出しだけ</h2><div style="height:200mm;'
                    'background:#000;break-inside:avoid"></div></body></html>', encoding="utf-8")
    printed = printer.print_file(html, tmp_path / "x.pdf")
    assert _lonely_headings(printed.path) == ["page 1: 見出しだけ"]


def test_a3_summary_is_one_readable_page(session, printer, tmp_path):
    sheet = A3Sheet(session, "g01")
    printed = printer.print_one_page(sheet.page_html(), tmp_path / "g01_a3.pdf")
    pages, size = _info(printed.path)
    assert pages == 1 and size == pytest.approx(A3_LANDSCAPE, abs=1)
    assert SMALLEST_PT * printed.scale >= 7.0
    text = subprocess.run(["pdftotext", str(printed.path), "-"], capture_output=True,
                          text=True, check=True).stdout
    for expected in ("こども家庭課長", "対応8", "P10〜P90", "見直し前", "見直し後"):
        assert expected in text
