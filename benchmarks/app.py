"""The group page in a real browser (headless Debian chromium): how long a member waits.

Starts ``kit app`` on a copy of the demo session (group g01) as a facilitator would, waits
until the server is up and its pre-heated kernels have run the page, then, in a fresh
browser context each time:

* ``page_ready_s``     — open the page until stage 1's 年間件数 field can be used (target ≤ 2 s);
* ``stage_switch_s``   — press 「次へ」 until stage 2's first field can be used (target ≤ 1 s),
  once the page has made its other stages in the background (``stages_made_s``, printed
  too: from opening the page until then; a member reading stage 1 does not notice);
* ``handout_button_s`` — press the render button until the download link is there (≤ 1.5 s).

Each is the median of ``--runs`` visits (default 3); the last line is ``page_ready_s: X``
after the other two lines. ``--shots DIR`` keeps a 1366×768 screenshot of every stage.
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

from kit.workspace.demo import build_demo  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def visit(browser, url: str, shots: Path | None, n: int,
          think: float) -> tuple[float, float, float, float]:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = context.new_page()
    start = start0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    cases = page.get_by_label("年間件数", exact=True)
    cases.wait_for(state="visible", timeout=60_000)
    page.wait_for_function("el => !el.disabled", arg=cases.element_handle(), timeout=60_000)
    ready = time.perf_counter() - start
    if shots:
        page.screenshot(path=str(shots / f"stage1_{n}.png"))
    page.locator(".kit-page-ready").wait_for(state="attached", timeout=120_000)
    made = time.perf_counter() - start0
    page.wait_for_timeout(think * 1000)
    start = time.perf_counter()
    page.get_by_role("button", name="次へ：2 見直し ›").click()
    page.get_by_label("手順1 見直し", exact=True).first.wait_for(state="visible",
                                                             timeout=30_000)
    switch = time.perf_counter() - start
    if shots:
        page.screenshot(path=str(shots / f"stage2_{n}.png"))
        for stage in ("3 システム選定", "4 効果", "0 基礎"):
            page.get_by_role("button", name=stage, exact=True).click()
            page.wait_for_timeout(1500)
            page.screenshot(path=str(shots / f"stage{stage[0]}_{n}.png"))
    page.get_by_role("button", name="5 振り返り", exact=True).click()
    button = page.get_by_role("button", name="このグループの資料を作成")
    button.wait_for(state="visible", timeout=30_000)
    start = time.perf_counter()
    button.click()
    page.get_by_role("link", name="g01.html をダウンロード").wait_for(timeout=60_000)
    handout = time.perf_counter() - start
    if shots:
        page.screenshot(path=str(shots / f"stage5_{n}.png"))
    context.close()
    return ready, switch, handout, made


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pool", type=int, default=None, help="pre-heated kernels (default: kit's)")
    ap.add_argument("--shots", default=None, help="keep 1366x768 screenshots here")
    ap.add_argument("--think", type=float, default=0.0,
                    help="extra seconds on stage 1 before pressing 次へ (default 0)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from kit.serve import app as kit_app

    pool = kit_app.POOL_SIZE if args.pool is None else args.pool
    shots = Path(args.shots) if args.shots else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        session = Path(tmp) / "session"
        build_demo(session)
        with kit_app.running(session, "g01", pool) as server:
            results = []
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                for n in range(args.runs):
                    results.append(visit(browser, server.url, shots, n, args.think))
                    if pool:                # the pool refills in the background
                        server.wait()
                browser.close()
    ready, switch, handout, made = (statistics.median(r[i] for r in results) for i in range(4))
    print("runs (ready/switch/handout/stages made):",
          ", ".join(f"{a:.2f}/{b:.2f}/{c:.2f}/{d:.1f}" for a, b, c, d in results))
    print(f"stages_made_s: {made:.1f}")
    print(f"stage_switch_s: {switch:.2f}")
    print(f"handout_button_s: {handout:.2f}")
    print(f"page_ready_s: {ready:.2f}")


if __name__ == "__main__":
    main()
