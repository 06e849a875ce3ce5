"""Wording a budget reviewer (財政課) asked for, checked on the demo handouts rendered in-process:
payback never recovered vs not within the period, switching values that say which sign holds,
the staff-cost-equivalent legend, the FTE split (spending cut / time to redeploy), the
no-range note said once, and every NPV named with its basis (人件費換算 / 現金)."""

from __future__ import annotations

import html as _html
import re
from types import SimpleNamespace

import pytest

from kit import i18n
from kit.documents.figures import never_recovered
from kit.documents.handout import Handout
from kit.documents.summary import Summary
from kit.domain.money import impact
from kit.io import store

pytestmark = pytest.mark.slow

GROUPS = ("g01", "g02", "g03", "g04")
ROW = re.compile(r"<tr><th>(.*?)</th><td class=\"num\">(.*?)</td></tr>")


def text(fragment: str) -> str:
    """Visible text: no images, tags or entities; whitespace collapsed."""
    fragment = re.sub(r"<(style|script)\b.*?</\1>|<img[^>]*>", "", fragment, flags=re.S)
    return re.sub(r"\s+", " ", _html.unescape(re.sub(r"<[^>]+>", " ", fragment)))


@pytest.fixture(scope="module")
def docs(demo_session):
    return {(g, lang): Handout(demo_session, g, lang) for g in GROUPS for lang in ("ja", "en")}


@pytest.fixture(scope="module")
def key_rows(docs):
    """Key-figure table rows: name -> visible value text, per (group, lang)."""
    return {k: {n: text(v).strip() for n, v in ROW.findall(d.key_figures_table())}
            for k, d in docs.items()}


# 1. payback: never recovered (the yearly net is negative) vs not within the period -------------
def test_payback_never_recovered_when_the_yearly_net_is_negative(docs, key_rows):
    g01 = docs["g01", "ja"].impact
    # by hand: g01 saves 708 h × 3,000 = 2,124,000 yen a year against 3,300,000 running
    assert g01.cost_saved_yen == pytest.approx(2_124_000)
    assert g01.annual_cost_yen == 3_300_000
    assert all(r["saving_yen"] - r["running_cost_yen"] < 0 for r in g01.yearly)
    table = text(docs["g01", "ja"].key_figures_table())
    assert ("回収年数、回収年数（財政効果ベース）: 回収できません（毎年の収支がマイナスのため）。"
            "期間を延ばしても回収できません。") in table
    assert "never recovered (the yearly net is negative)" in text(
        docs["g01", "en"].key_figures_table())
    # g02: staff-cost payback 4.7 years (recovered); cash 4,000,000 < 4,500,000 a year: never
    g02 = docs["g02", "ja"]
    assert key_rows["g02", "ja"]["回収年数"].startswith("4.7年")
    assert g02.impact.cash_saved_yen < g02.impact.annual_cost_yen
    assert "回収年数（財政効果ベース）: 回収できません（毎年の収支がマイナスのため）" in text(
        g02.key_figures_table())
    assert "回収年数、" not in text(g02.key_figures_table())
    # g03 is recovered in 1.6 years: no never note for the staff-cost basis
    assert key_rows["g03", "ja"]["回収年数"].startswith("1.6年")


def test_not_within_the_period_is_not_never():
    """A positive yearly net that the period is too short to pay back is not 'never'."""
    rows = [{"saving_yen": 1_000.0, "cash_yen": -1.0, "running_cost_yen": 600.0}] * 5
    short = SimpleNamespace(yearly=rows)
    assert not never_recovered(short)                # 5 × 400 < any upfront above 2,000
    assert never_recovered(short, cash=True)
    # no yearly rows (an option): the headline saving against the running cost
    assert never_recovered(SimpleNamespace(cost_saved_yen=1.0, annual_cost_yen=2.0))
    assert not never_recovered(SimpleNamespace(cost_saved_yen=3.0, annual_cost_yen=2.0))


# 2. switching values say which sign holds -------------------------------------------------------
def test_switching_values_say_the_sign_that_holds(docs):
    for g in GROUPS:
        assert "符号は変わりません" not in text(docs[g, "ja"].html())
        assert "keeps its sign" not in text(docs[g, "en"].html())
    g01 = docs["g01", "ja"]
    assert g01.impact.switching_values["uptake"] is None and g01.impact.npv_yen < 0
    assert g01.impact.switching_values["initial_cost_yen"] is None
    sw = text(g01.switching_html())
    assert "オンライン利用率が100%でも正味現在価値（人件費換算）はマイナスのままです。" in sw
    assert "初期費用が0円でも正味現在価値（人件費換算）はマイナスのままです。" in sw
    assert ("Even with online uptake at 100%, the NPV (staff-cost equivalent) stays negative."
            in text(docs["g01", "en"].switching_html()))
    g03 = docs["g03", "ja"]
    assert g03.impact.switching_values["uptake"] is None and g03.impact.npv_yen > 0
    assert ("オンライン利用率が0%でも正味現在価値（人件費換算）はプラスのままです。"
            in text(g03.switching_html()))
    # a switching value found: the basis is named, the wording README quotes is kept
    assert "人件費換算では、年間運用費が" in sw


# 3. the cost/funding legend: staff-cost equivalent -----------------------------------------------
@pytest.mark.parametrize("lang, label", [("ja", "人件費換算の削減額（累計）"),
                                         ("en", "Staff-cost equivalent saved (cumulative)")])
def test_cost_funding_legend_says_staff_cost_equivalent(demo_session, lang, label):
    from kit.charts import impact as charts
    from kit.charts import style

    session = store.load_session(demo_session)
    work = store.load_work(demo_session, "g01")
    fig = charts.cost_funding(work, session.assumptions, lang)
    legend = style.legend_texts(fig)
    assert any(t.startswith(label) for t in legend), legend
    assert not any("人件費削減額" in t for t in legend)


# 4. FTE split: spending cut and time to redeploy ----------------------------------------------
def test_fte_split_cash_and_capacity(docs, key_rows, demo_session):
    for g in GROUPS:
        d = docs[g, "ja"]
        m, per_fte = d.impact, d.assumptions.hours_per_fte
        assert per_fte == 1860
        cash = i18n.fmt_number((m.overtime_hours + m.contract_hours) / per_fte, 2)
        capacity = i18n.fmt_number(m.capacity_hours / per_fte, 2)
        assert f"（うち歳出が減る分 {cash}人、再配置できる時間 {capacity}人）" in \
            key_rows[g, "ja"]["人工換算"]
    # g04 by hand: 1,878 h saved, 1,068 h to redeploy, 810 h overtime + contract
    m = docs["g04", "ja"].impact
    assert m.capacity_hours == pytest.approx(1068.0)
    assert m.overtime_hours + m.contract_hours == pytest.approx(810.0)
    assert key_rows["g04", "ja"]["人工換算"].startswith("1.01人")
    assert "（うち歳出が減る分 0.44人、再配置できる時間 0.57人）" in key_rows["g04", "ja"]["人工換算"]
    assert "(of which spending cut 0.44 FTE, time to redeploy 0.57 FTE)" in \
        key_rows["g04", "en"]["Full-time equivalents freed"]
    # the summary's total splits the same way
    s = Summary(demo_session, "ja")
    tot = s.totals()
    cash = i18n.fmt_number((tot.overtime_hours + tot.contract_hours) / 1860, 2)
    capacity = i18n.fmt_number(tot.capacity_hours / 1860, 2)
    assert f"（うち歳出が減る分 {cash}人、再配置できる時間 {capacity}人）" in text(s.totals_html())


# 5. no range: said once, under the key-figure table --------------------------------------------
def test_no_range_said_once_under_the_key_figures(docs):
    note = "幅（P10〜P90）は、幅を入力した値がある数値にだけ示します。"
    for g in GROUPS:
        page = text(docs[g, "ja"].html())
        assert "幅の入力なし" not in page
        assert page.count(note) == 1
        figures = docs[g, "ja"].key_figures_table()
        assert figures.index("</table>") < figures.index("幅（P10〜P90）は")
        assert "(no range entered)" not in text(docs[g, "en"].html())
    # g01's 一般財源負担 has no range: the number alone
    rows = {n: v for n, v in ROW.findall(docs["g01", "ja"].key_figures_table())}
    assert text(rows["一般財源負担（期間合計）"]).strip() == "19,000,000円（5年）"


# 6. every NPV names its basis ----------------------------------------------------------------------
def test_every_npv_names_its_basis(docs, key_rows, demo_session):
    for g in GROUPS:
        d = docs[g, "ja"]
        assert "正味現在価値（人件費換算）" in key_rows[g, "ja"]
        assert "正味現在価値（現金）" in key_rows[g, "ja"]
        page = text(d.html())
        assert "正味現在価値（NPV）" not in page and "正味現在価値（財政効果ベース）" not in page
        for section in (d.options_html(), d.selection_html()):
            assert "正味現在価値（人件費換算）" in text(section)
        assert "NPV (staff-cost equivalent)" in docs[g, "en"].key_figures_table()
        assert "NPV (cash)" in docs[g, "en"].key_figures_table()
    assert "人件費換算では、" in text(docs["g02", "ja"].switching_html())
    summary = text(Summary(demo_session, "ja").html())
    assert "正味現在価値（人件費換算）" in summary and "正味現在価値（現金）" in summary
    assert "正味現在価値（NPV）" not in summary
    # the headline still equals the JSON's figure (one figure per quantity)
    m = impact.compute(store.load_work(demo_session, "g01"),
                       store.load_session(demo_session).assumptions)
    assert key_rows["g01", "ja"]["正味現在価値（人件費換算）"].startswith(
        i18n.fmt_yen(m.npv_yen, "ja"))
