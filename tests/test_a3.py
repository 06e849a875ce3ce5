"""The A3 landscape sheet for the 庁議 (kit/documents/a3.py): the demo g01 printed by headless
Chromium and checked with poppler — page size and count (front, and the flow on the back),
the verdict / options / funding / risks texts, and no text under 7 pt (pdftotext -bbox word
heights, calibrated on a line printed at a known size in the same fonts)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kit.documents.a3 import A3Sheet
from kit.domain.model import GroupWork
from kit.io import store
from kit.render.pdf import Printer

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not shutil.which("pdfinfo"), reason="poppler-utils")]

A3_LANDSCAPE = (1190.55, 841.89)
MIN_PT = 7.0
_WORD = re.compile(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>')


@pytest.fixture(scope="module")
def printer():
    try:
        with Printer() as p:
            yield p
    except Exception as exc:  # noqa: BLE001 - no browser here: skip, as the print tests do
        pytest.skip(f"no Chromium: {exc}")


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    from kit.workspace.demo import build_demo

    s = tmp_path_factory.mktemp("a3") / "session"
    build_demo(s)
    w = store.load_work(s, "g01")
    extra = GroupWork.parse({
        "group_id": "g01", "theme": "x",
        "charter": {"start": "出生届・転入届の受理", "end": "認定通知書の発送",
                    "sponsor": "こども家庭課長", "go_live": "2027/10/1"},
        "actions": [{"title": f"対応{i}", "owner": "佐藤", "due": "2027/11/1",
                     "status": "doing"} for i in range(1, 7)],
        "risks": [{"text": "繁忙期の窓口応援が確保できない", "owner": "市民課長",
                   "early_sign": "3月の応援要請の未充足"}]})
    store.save_work(s, w.model_copy(update={"charter": extra.charter, "actions": extra.actions,
                                            "risks": extra.risks}))
    return s


@pytest.fixture(scope="module")
def printed(session, printer, tmp_path_factory):
    return A3Sheet(session, "g01").print(printer, tmp_path_factory.mktemp("out") / "g01_a3.pdf")


def _info(pdf: Path) -> tuple[int, tuple[float, float]]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                         check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", out).group(1))
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", out).groups())
    return pages, (w, h)


def _text(pdf: Path, page: int) -> str:
    """The page's text without white space (table cells wrap labels over lines)."""
    out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", out)


def _words(pdf: Path) -> list[tuple[int, float, str]]:
    """(page, word box height in pt, word) of every word."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    words, page = [], 0
    for line in out.splitlines():
        if "<page " in line:
            page += 1
        elif m := _WORD.search(line):
            words.append((page, float(m.group(2)) - float(m.group(1)), m.group(3)))
    return words


def _box_per_pt(printer, tmp: Path) -> float:
    """Word box height per point of font size, from a line printed at 10 pt in the sheet's
    fonts (poppler reports Chromium's Type 3 glyph boxes, not the font size)."""
    from kit.documents.a3 import CSS

    html = (f"<html><head><meta charset='utf-8'><style>{CSS}</style></head><body>"
            f"<p style='font-size:10pt'>較正 見直し前 1,234円 Calibration</p></body></html>")
    pdf = printer.print_one_page(html, tmp / "calibration.pdf").path
    heights = [h for _, h, _ in _words(pdf)]
    assert heights
    return max(heights) / 10.0


def test_a3_is_landscape_front_and_flow_on_the_back(printed):
    pages, size = _info(printed.path)
    assert size == pytest.approx(A3_LANDSCAPE, abs=1)
    assert pages in (1, 2) and pages == printed.pages == 2       # g01 has steps: a back side


def test_front_holds_verdict_options_funding_plan_risks(printed):
    front = _text(printed.path, 1)
    for expected in ("結論（財政課向けの要約）", "すぐできる見直しだけ",        # verdict
                     "選択肢の比較", "何もしない", "正味現在価値（現金）",      # options
                     "予算の見方", "一般財源", "令和9年度",                      # funding
                     "主要な数値", "P10〜P90",                                  # key figures
                     "こども家庭課長", "対応6",                                 # charter, plan
                     "主なリスクと早期の兆候", "ベンダーロックイン", "繁忙期の窓口応援",
                     "楽観バイアスの補正:適用なし", "フロー図は裏面"):
        assert expected in front, expected
    back = _text(printed.path, 2)
    assert "見直し前" in back and "見直し後" in back and "選択肢の比較" not in back


def test_no_text_under_7pt(printed, printer, tmp_path):
    per_pt = _box_per_pt(printer, tmp_path)
    words = _words(printed.path)
    assert {p for p, _, _ in words} == {1, 2}
    small = [(p, round(h / per_pt, 2), w) for p, h, w in words if h / per_pt < MIN_PT * 0.98]
    assert not small, small[:10]
    assert printed.scale >= MIN_PT / 7.5          # the front was not shrunk below 7 pt


def test_front_alone_fits_one_page_unshrunk(session, printer, tmp_path):
    """``kit render --a3`` prints the front with Printer.print_one_page: one page, 7 pt kept."""
    p = printer.print_one_page(A3Sheet(session, "g01").page_html(), tmp_path / "front.pdf")
    assert _info(p.path)[0] == 1 and 7.5 * p.scale >= MIN_PT


def test_no_steps_no_back_side(session, printer, tmp_path):
    """Without steps there is no flow to print: the sheet is the front alone."""
    import shutil as sh

    s = tmp_path / "session"
    sh.copytree(session, s)
    store.save_work(s, store.load_work(s, "g01").model_copy(update={"steps": []}))
    p = A3Sheet(s, "g01").print(printer, tmp_path / "g01_a3.pdf")
    pages, size = _info(p.path)
    assert pages == 1 and size == pytest.approx(A3_LANDSCAPE, abs=1)
