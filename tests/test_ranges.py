"""One range per quantity: the handout's key figures, its scenario table, the session summary
and ``uncertainty.ranges`` (``kit impact --json``) show the same P10–P90 from the same draws."""

import re

import pytest

from kit.documents.figures import Figures
from kit.documents.handout import Handout
from kit.documents.summary import Summary
from kit.domain.money import uncertainty
from kit.io import store

GROUPS = ("g01", "g02", "g03", "g04")


def _span(fmt, low, high) -> str:
    return f"（P10〜P90: {fmt(low)}〜{fmt(high)}）"


@pytest.fixture(scope="module")
def summary(demo_session):
    return Summary(demo_session)


@pytest.mark.parametrize("gid", GROUPS)
def test_same_range_everywhere(demo_session, summary, gid):
    h = Handout.open(str(demo_session), gid, "ja")
    fmt = Figures("ja", h.assumptions.horizon_years)
    f = uncertainty.forecast(h.work, h.assumptions)
    assert f is h.forecast                                  # one set of draws, cached
    hours = _span(fmt.hours, *f.p("hours_saved")[::2])
    npv = _span(fmt.yen, *f.p("npv_yen")[::2])
    key, scen = h.key_figures_table(), h.selection_html()
    for text in (key, scen):
        assert hours in text and npv in text
    # the scenario table's chosen row is the headline exactly
    assert fmt.hours(h.impact.hours_saved) + " " + '<span class="range">' + hours in scen
    g = next(x for x in summary.groups if x.work.group_id == gid)
    assert summary.hours_range(g) == f.p("hours_saved")[::2]
    groups = summary.groups_html()
    assert summary.t("unit.span", low=fmt.hours(f.p("hours_saved")[0]),
                     high=fmt.hours(f.p("hours_saved")[2])) in groups
    assert npv in groups
    r = uncertainty.ranges(h.work, h.assumptions)
    assert (r["hours_saved"]["p10"], r["hours_saved"]["p90"]) == f.p("hours_saved")[::2]
    assert (r["npv_yen"]["p10"], r["npv_yen"]["p90"]) == f.p("npv_yen")[::2]


def test_chosen_row_uses_the_groups_own_costs(demo_copy):
    work = store.load_work(demo_copy, "g01")
    costs = work.costs.model_copy(update={"initial_cost_yen": 4_500_000.0})
    store.save_work(demo_copy, work.model_copy(update={"costs": costs}))
    h = Handout.open(str(demo_copy), "g01", "ja")
    assert h.impact.initial_cost_yen == 4_500_000
    scen = h.selection_html()
    row = next(r for r in re.findall(r"<tr>.*?</tr>", scen, re.S) if "選んだ組合せ" in r)
    assert "4,500,000円" in row and "5,000,000円" not in row
    assert h.fmt.yen(h.impact.npv_yen) in row
    assert h.fmt.yen(h.forecast.p("npv_yen")[0]) in row


def test_forecast_is_cached_by_content(demo_session):
    session = store.load_session(demo_session)
    a = store.load_work(demo_session, "g01")
    b = store.load_work(demo_session, "g01")             # another object, same content
    assert uncertainty.forecast(a, session.assumptions) is uncertainty.forecast(
        b, session.assumptions)
    c = a.model_copy(update={"annual_cases": a.annual_cases + 1})
    assert uncertainty.forecast(c, session.assumptions) is not uncertainty.forecast(
        a, session.assumptions)


def test_minutes_keep_the_decimals_of_the_input(demo_session):
    """g04's 「日計の確認・決裁」 0.05 → 0.02 min (not 0.1 → 0.0): the row's hours can be
    recomputed, 36,000 × 100 % × (0.05 − 0.02) / 60 = 18.0 h."""
    from kit.documents.fragments import input_digits, input_number

    assert input_number(0.05, 0.02) == "0.05" and input_number(0.02, 0.05) == "0.02"
    assert input_number(12, 3) == "12.0" and input_digits(2.125) == 3
    h = Handout.open(str(demo_session), "g04", "ja")
    step = next(s for s in h.work.steps if s.name == "日計の確認・決裁")
    assert (step.minutes, step.minutes_tobe) == (0.05, 0.02)
    changes = h.changes_html()
    row = next(r for r in re.findall(r"<tr>.*?</tr>", changes, re.S) if "日計の確認" in r)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert "0.05" in cells and "0.02" in cells and "0.1" not in cells and "0.0" not in cells
    assert h.work.annual_cases * (0.05 - 0.02) / 60 == pytest.approx(18.0)
    assert "18.0" in cells
    asis = h.as_is_html()
    row = next(r for r in re.findall(r"<tr>.*?</tr>", asis, re.S) if "日計の確認" in r)
    assert "<td>0.05</td>" in row or ">0.05<" in row
