"""One figure per quantity: every demo handout shows what ``kit impact --json`` gives.

The headline of each key figure is the deterministic value (hand-computable, the JSON); its
P10–P90 range sits beside it; the simulation median appears only in the uncertainty table.
Numbers are compared as the reader sees them: formatted by the one key-figure formatter
(half-up rounding), e.g. g01's 708.0時間 — never the simulation median 704.9時間.
"""

import json
import re
from types import SimpleNamespace

import pytest

from kit.cli import main
from kit.documents.figures import KEY_FIGURES, Figures
from kit.documents.handout import Handout
from kit.documents.summary import Summary
from kit.io import store

ROW = re.compile(r"<tr><th>(.*?)</th><td class=\"num\">(.*?)</td></tr>")


def impact_json(session, group, capsys) -> dict:
    assert main(["impact", str(session), group, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def headline(cell: str) -> str:
    """The number a reader sees first in a cell (before any range or period)."""
    return re.split(r" <span|／|（|\(", re.sub(r"<b>|</b>", "", cell))[0].strip()


@pytest.mark.parametrize("group", ["g01", "g02", "g03", "g04"])
def test_handout_numbers_equal_the_json(demo_session, group, capsys):
    figures = impact_json(demo_session, group, capsys)
    h = Handout(demo_session, group, "ja")
    fmt = Figures("ja", figures["horizon_years"])
    rows = dict(ROW.findall(h.key_figures_html()))
    checked = 0
    for key, (attr, kind, _period) in KEY_FIGURES.items():
        name = fmt.name(key)
        if name not in rows:
            continue
        value = figures[attr]
        assert headline(rows[name]) == fmt.value(kind, value), (group, key)
        checked += 1
    assert checked >= 10
    # the simulation median is not a headline (when it reads differently)
    p50 = h.forecast.p("hours_saved")[1]
    if fmt.hours(p50) != fmt.hours(figures["hours_saved"]):
        assert fmt.hours(p50) not in h.key_figures_html()
        assert fmt.hours(p50) in h.uncertainty_html()
    # roadmap: phase 1 and phase 2 rows carry the JSON's figures
    roadmap = h.roadmap_html()
    for key in ("quick_win_hours_saved", "redesign_hours_saved"):
        assert fmt.hours(figures[key]) in roadmap
    # the scenario table's chosen row, the funding totals and the summary agree too
    assert fmt.yen(figures["general_fund_yen"]) in h.funding_html()
    summary = Summary(demo_session, "ja").groups_html()
    row = "".join(r for r in summary.split("<tr>") if f"<td>{group}</td>" in r)
    for kind, attr in (("hours", "hours_saved"), ("yen", "npv_yen"),
                       ("yen", "cost_saved_yen")):
        assert fmt.value(kind, figures[attr]) in row


def test_json_is_the_hand_computed_g01_figure(demo_session, capsys):
    """g01 by hand from its work.json: the headline is this arithmetic, not a median."""
    figures = impact_json(demo_session, "g01", capsys)
    work = store.load_work(demo_session, "g01")
    V, u = work.annual_cases, work.uptake
    saved = 0.0
    for s in work.steps:
        if s.actor.value not in ("counter", "back_office", "approver"):
            continue
        before = 0 if s.is_new else V * s.share * s.minutes / 60
        after = V * s.share_tobe * s.minutes_tobe / 60
        saved += (u if s.uptake_dependent else 1) * (before - after)
    assert figures["hours_saved"] == pytest.approx(saved)
    fmt = Figures("ja")
    assert fmt.hours(figures["hours_saved"]) == fmt.hours(saved)
    ns = SimpleNamespace(**figures)
    assert fmt.figure("hours_saved", ns).startswith(fmt.hours(saved))
    # the figure the docstring names: 708.0時間 is the headline; the simulation median
    # (704.9時間) reads differently, so it is only in the uncertainty table
    assert fmt.hours(saved) == "708.0時間"
    h = Handout(demo_session, "g01", "ja")
    assert fmt.hours(h.forecast.p("hours_saved")[1]) == "704.9時間"
    assert "704.9時間" not in h.key_figures_html() and "704.9時間" in h.uncertainty_html()
