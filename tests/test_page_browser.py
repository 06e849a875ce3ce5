"""Four members of one group on the group page at once, in four browsers (headless chromium).

`kit app SESSION g01` serves the page; four browser contexts (four members, 1366×768) open
it, and within about a second each changes the minutes of a *different* step and leaves the
field. All four edits must be in work.json and every screen must show all four (how fast is
measured by benchmarks/four_members.py; tests do not time things). Fields are found by their accessible names (「手順3 所要時間(分)」), as a screen
reader reads them.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kit import i18n
from kit.domain.model import STAFF_ACTORS
from kit.io import store
from kit.render.params import STAGES
from kit.serve import app
from kit.workspace.demo import build_demo

pytestmark = [pytest.mark.browser, pytest.mark.slow]
MEMBERS = 4
POOL = 2            # kit app's default: the third and fourth member get a kernel started for them


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    session = tmp_path_factory.mktemp("page") / "session"
    build_demo(session)
    with app.running(session, "g01", POOL) as server:
        yield session, server.url


def _open(browser, url: str):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(url, timeout=120_000)
    page.get_by_label("年間件数", exact=True).wait_for(timeout=120_000)
    return page


def _minutes(page, n: int):
    return page.get_by_label(f"手順{n} 所要時間(分)", exact=True)


def _wait(predicate, timeout: float) -> float:
    start = time.monotonic()
    while not predicate():
        assert time.monotonic() - start < timeout, "timed out"
        time.sleep(0.1)
    return time.monotonic() - start


def test_four_members_edit_four_steps_at_once(served, browser):
    session, url = served
    pages = [_open(browser, url) for _ in range(MEMBERS)]
    for page in pages:                  # each page has made its other stages (a few seconds)
        page.locator(".kit-page-ready").wait_for(state="attached", timeout=60_000)
    work = store.load_work(session, "g01")
    staff = [i for i, s in enumerate(work.steps) if s.actor in STAFF_ACTORS][:MEMBERS]
    new = {i: work.steps[i].minutes + 10 + k for k, i in enumerate(staff)}
    # every step field has its accessible name on every screen
    for page in pages:
        for i in staff:
            assert _minutes(page, i + 1).count() == 1
    start = time.monotonic()
    for page, i in zip(pages, staff, strict=True):          # four members, four steps
        box = _minutes(page, i + 1)
        box.fill(f"{new[i]:g}")
        box.press("Tab")
    typed = time.monotonic() - start
    assert typed < 5, f"the four edits took {typed:.2f} s to type"     # ~0.3 s when quiet

    def on_disk() -> bool:
        saved = store.load_work(session, "g01")
        return all(saved.steps[i].minutes == new[i] for i in staff)

    took = _wait(on_disk, timeout=30)     # 0.8 s autosave pause, then the merge
    print(f"\nfour edits typed in {typed:.2f} s, all on disk {took:.2f} s later")
    saved = store.load_work(session, "g01")
    assert [saved.steps[i].minutes for i in staff] == [new[i] for i in staff]
    assert saved.revision >= work.revision + MEMBERS     # four saves, none refused

    def on_screens() -> bool:
        return all(float(_minutes(page, i + 1).input_value()) == new[i]
                   for page in pages for i in staff)

    took = _wait(on_screens, timeout=30)  # the seconds: benchmarks/four_members.py
    print(f"all four on all four screens {took:.2f} s after that")
    for page in pages:
        assert page.locator(".kit-msg-warn").count() == 0      # nobody was told to reload
        page.context.close()


def test_a_clash_shows_both_values_and_the_member_chooses(served, browser):
    session, url = served
    a, b = _open(browser, url), _open(browser, url)
    for page in (a, b):
        page.locator(".kit-page-ready").wait_for(state="attached", timeout=60_000)
    work = store.load_work(session, "g01")
    i = next(i for i, s in enumerate(work.steps) if s.actor in STAFF_ACTORS)
    va, vb = work.steps[i].minutes + 31, work.steps[i].minutes + 47
    for page, v in ((a, va), (b, vb)):
        box = _minutes(page, i + 1)
        box.fill(f"{v:g}")
        box.press("Tab")
    _wait(lambda: store.load_work(session, "g01").steps[i].minutes in (va, vb), timeout=5)
    first = store.load_work(session, "g01").steps[i].minutes
    loser, lost = (b, vb) if first == va else (a, va)
    choose = loser.get_by_role("button", name="自分の値を残す")
    choose.wait_for(timeout=30_000)
    text = loser.locator(".kit-editor").first.inner_text()
    assert f"{lost:g}" in text and f"{first:g}" in text           # both values shown
    assert float(_minutes(loser, i + 1).input_value()) == lost     # still on screen
    choose.click()
    _wait(lambda: store.load_work(session, "g01").steps[i].minutes == lost, timeout=5)
    for page in (a, b):
        page.context.close()


def test_shots_of_every_stage_at_1366(served, browser, tmp_path):
    """Every stage at 1366×768: nothing cut on the right, the key figures bar in view."""
    session, url = served
    page = _open(browser, url)
    for stage, name in zip(("0 基礎", "1 現状", "2 見直し", "3 システム選定", "4 効果",
                            "5 振り返り"), STAGES, strict=True):
        page.get_by_role("button", name=stage, exact=True).click()
        page.locator(".kit-page-guide", has_text=i18n.t(f"page.guide.{name}", "ja")
                     ).wait_for(timeout=30_000)
        page.wait_for_timeout(500)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 1366, f"{stage}: the page is {wide} px wide"
        page.screenshot(path=str(tmp_path / f"{stage[0]}.png"))
    page.get_by_role("button", name="1 現状", exact=True).click()
    bar = page.locator(".kit-page-bar")
    bar.wait_for(state="visible", timeout=30_000)
    box = bar.bounding_box()
    assert box and box["y"] + box["height"] <= 768 and box["y"] > 600   # fixed at the bottom
    page.mouse.move(600, 400)
    page.mouse.wheel(0, 900)                         # reading further down a long stage
    page.wait_for_timeout(800)
    moved = page.get_by_label("手順1 所要時間(分)", exact=True).bounding_box()
    assert moved is None or moved["y"] < 250, "the stage did not scroll"
    box = bar.bounding_box()
    assert box and box["y"] + box["height"] <= 768 and box["y"] > 600   # still at the bottom
    page.context.close()
    assert Path(tmp_path / "5.png").is_file()
