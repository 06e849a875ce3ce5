"""Four members of one group edit four different steps within a second, in four browsers.

`kit app` on a copy of the demo session (g01); four headless chromium contexts at 1366×768
open the group page and wait until it has made its stages; then each member types new
minutes into a different step and leaves the field. Prints the seconds until all four edits
are in work.json and until every screen shows all four (target: within 3 s). Last line:
``four_members_s: X`` — from the last edit until all four screens show all four edits.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kit.domain.model import STAFF_ACTORS  # noqa: E402
from kit.io import store  # noqa: E402
from kit.serve import app  # noqa: E402
from kit.workspace.demo import build_demo  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
MEMBERS = 4


def wait(predicate, timeout: float = 60) -> float:
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > timeout:
            raise TimeoutError
        time.sleep(0.05)
    return time.monotonic() - start


def one_round(pages, session: Path, bump: int) -> tuple[float, float]:
    work = store.load_work(session, "g01")
    staff = [i for i, s in enumerate(work.steps) if s.actor in STAFF_ACTORS][:MEMBERS]
    new = {i: work.steps[i].minutes + bump + k for k, i in enumerate(staff)}

    def box(page, i):
        return page.get_by_label(f"手順{i + 1} 所要時間(分)", exact=True)

    for page, i in zip(pages, staff, strict=True):
        box(page, i).fill(f"{new[i]:g}")
        box(page, i).press("Tab")
    disk = wait(lambda: all(store.load_work(session, "g01").steps[i].minutes == new[i]
                            for i in staff))
    screens = disk + wait(lambda: all(float(box(p, i).input_value()) == new[i]
                                      for p in pages for i in staff))
    return disk, screens


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        session = Path(tmp) / "session"
        build_demo(session)
        with app.running(session, "g01", 2) as server, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            pages = []
            for _ in range(MEMBERS):
                page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
                page.goto(server.url, timeout=120_000)
                page.locator(".kit-page-ready").wait_for(state="attached", timeout=120_000)
                pages.append(page)
            results = [one_round(pages, session, 10 * (r + 1)) for r in range(args.rounds)]
            browser.close()
    for disk, screens in results:
        print(f"on disk {disk:.2f} s, on all four screens {screens:.2f} s")
    print(f"four_members_disk_s: {statistics.median(d for d, _ in results):.2f}")
    print(f"four_members_s: {statistics.median(s for _, s in results):.2f}")


if __name__ == "__main__":
    main()
