"""Print handouts to PDF with headless Chromium (Playwright): ``kit render DIR --pdf / --a3``.

One browser is started for a whole batch and each file printed in a fresh page. The A4
handout keeps its own print CSS (``@page`` A4, headings kept with what follows, no figure or
table row cut: nbconvert_templates/bpr_handout/handout.css). A one-page sheet (the A3
summary) is measured first and printed scaled to fit exactly one page (never enlarged); the
scale is returned so that callers can check the smallest printed font.

Chromium: ``$KIT_CHROMIUM``, else Debian's ``/usr/bin/chromium``, else ``chromium`` /
``chromium-browser`` / ``google-chrome`` on the PATH. None found (or Playwright missing):
:class:`kit.exceptions.RenderError` saying what to install.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from kit import i18n
from kit.exceptions import RenderError

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
DEBIAN = "/usr/bin/chromium"
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
MM_PX = 96 / 25.4                       # CSS pixels per millimetre
A3_LANDSCAPE_MM = (420.0, 297.0)
_PAGE_RE = re.compile(rb"/Type\s*/Page[^s]")


def find_chromium() -> str:
    for candidate in (os.environ.get("KIT_CHROMIUM"), DEBIAN,
                      *(shutil.which(n) for n in NAMES)):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise RenderError(*i18n.both("pdf.err.no_chromium"), group="pdf")


def page_count(data: bytes) -> int:
    return len(_PAGE_RE.findall(data))


@dataclass(frozen=True)
class Printed:
    path: Path
    pages: int
    scale: float = 1.0


class Printer:
    """``with Printer() as p: p.print_file(html, pdf)`` — one headless Chromium for a batch."""

    def __enter__(self) -> Printer:
        executable = find_chromium()
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise RenderError(*i18n.both("pdf.err.no_playwright"), group="pdf") from None
        self._pw = sync_playwright().start()
        try:
            self.browser = self._pw.chromium.launch(executable_path=executable, args=ARGS,
                                                    headless=True)
        except Exception as exc:  # noqa: BLE001 - a browser that does not start: one line
            self._pw.stop()
            raise RenderError(*i18n.both("pdf.err.launch", detail=str(exc).splitlines()[0]),
                              group="pdf") from None
        return self

    def __exit__(self, *exc) -> None:
        self.browser.close()
        self._pw.stop()

    def _write(self, data: bytes, out: Path, scale: float = 1.0) -> Printed:
        from kit.io.store import atomic_write

        out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(out, data)
        return Printed(out, page_count(data), scale)

    def print_file(self, html_file: str | Path, out: str | Path) -> Printed:
        """An A4 handout (its own ``@page`` size and print CSS) to ``out``."""
        page = self.browser.new_page()
        try:
            page.goto(Path(html_file).resolve().as_uri(), wait_until="load")
            page.emulate_media(media="print")
            data = page.pdf(prefer_css_page_size=True, print_background=True)
        finally:
            page.close()
        return self._write(data, Path(out))

    def print_one_page(self, html: str, out: str | Path,
                       size_mm: tuple[float, float] = A3_LANDSCAPE_MM,
                       margin_mm: float = 8.0) -> Printed:
        """``html`` on exactly one page of ``size_mm`` (landscape A3 by default): laid out at
        the printable width, measured, and scaled down when taller than the page."""
        width = (size_mm[0] - 2 * margin_mm) * MM_PX
        height = (size_mm[1] - 2 * margin_mm) * MM_PX
        page = self.browser.new_page(viewport={"width": int(width), "height": int(height)})
        try:
            page.set_content(html, wait_until="load")
            page.emulate_media(media="print")
            needed = page.evaluate("() => document.body.getBoundingClientRect().bottom")
            wide = page.evaluate("() => document.documentElement.scrollWidth")
            scale = min(1.0, (height - 2) / max(needed, 1), width / max(wide, 1))
            margin = f"{margin_mm}mm"
            data = page.pdf(width=f"{size_mm[0]}mm", height=f"{size_mm[1]}mm",
                            margin={"top": margin, "bottom": margin, "left": margin,
                                    "right": margin},
                            scale=max(0.1, round(scale - 0.005, 3)), print_background=True,
                            page_ranges="1")
        finally:
            page.close()
        return self._write(data, Path(out), scale)


def print_files(html_files: list[str | Path]) -> list[Printed]:
    """Each HTML file to a PDF beside it (same name, ``.pdf``), in one browser."""
    with Printer() as printer:
        return [printer.print_file(f, Path(f).with_suffix(".pdf")) for f in html_files]
