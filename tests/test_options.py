"""Options on one basis (docs/formulas.md): do nothing, quick wins only, each candidate alone and
the chosen bundle, from the one model, hand-computed on a small work; the verdict; the JSON."""

from __future__ import annotations

import json
import re

import pytest

from kit import i18n
from kit.cli import main
from kit.documents.handout import Handout
from kit.documents.options import verdict_sentences
from kit.domain.model import Assumptions, GroupWork, Step, SystemOption
from kit.domain.money import impact, options, selection
from kit.io import store

# annual cases 1200, r = 0, T = 5, L = 3,000 円/h, no funding
#   a quick win:      1200 × (10 − 5) / 60         = 100 h (redeployed)
#   b needs online:   1200 × 0.5 × (20 − 10) / 60  = 100 h (redeployed)
#   c needs rpa:      1200 × 15 / 60               = 300 h (overtime: 300 × 3,000 × 1.25 =
#                                                    1,125,000 円 cash a year)
#   d the resident, unchanged
A = Assumptions(labour_cost_yen_per_hour=3000, horizon_years=5, discount_rate=0.0, uptake=0.5)
STEPS = [
    Step(id="a", name="受付", actor="counter", minutes=10, minutes_after=5, action="simplify",
         phase="quick_win"),
    Step(id="b", name="審査", actor="back_office", minutes=20, share=0.5, minutes_after=10,
         action="simplify", phase="redesign", needs="online"),
    Step(id="c", name="入力", actor="back_office", minutes=15, minutes_after=0,
         action="automate", phase="redesign", needs="rpa", realised_as="overtime"),
    Step(id="d", name="来庁", actor="resident", channel="counter", minutes=30),
]
ONLINE = SystemOption(system_id="online_form", name="電子申請", initial_cost_yen=1_000_000,
                      annual_cost_yen=100_000, enables="online")
RPA = SystemOption(system_id="rpa", name="RPA", initial_cost_yen=2_000_000,
                   annual_cost_yen=300_000, enables="rpa")
KIOSK = SystemOption(system_id="kiosk", name="キオスク", initial_cost_yen=9_000_000,
                     enables="convenience_store")            # relevant to nothing here


def small_work(**costs) -> GroupWork:
    """Both systems chosen; the group's own costs (4,500,000 initial, not the catalogue's
    3,000,000) unless given."""
    costs = {"system": "電子申請 + RPA", "initial_cost_yen": 4_500_000,
             "annual_cost_yen": 400_000, **costs}
    return GroupWork(group_id="g01", theme="転入", annual_cases=1200, uptake=0.5, steps=STEPS,
                     candidates=[ONLINE, RPA, KIOSK], systems=[ONLINE, RPA], costs=costs)


@pytest.fixture(scope="module")
def rows():
    return options.compare(small_work(), A)


def by_id(rows, option_id):
    return options.find(rows, option_id)


def test_the_options_in_order(rows):
    assert [o.id for o in rows] == ["do_nothing", "quick_wins", "online_form", "rpa", "chosen"]
    assert [o.label("ja") for o in rows] == [
        "何もしない（現状のまま）", "すぐできる見直しだけ（システムなし）", "電子申請だけ", "RPAだけ",
        "選んだシステム（電子申請、RPA）"]


def test_do_nothing_is_all_zeros(rows):
    zero = by_id(rows, "do_nothing").figures
    assert set(zero) == set(options.FIGURES)
    for key in ("hours_saved", "cash_saved_yen", "capacity_hours", "initial_cost_yen",
                "annual_cost_yen", "subsidy_yen", "general_fund_yen", "net_burden_yen",
                "npv_yen", "npv_cash_yen"):
        assert zero[key] == 0, key


def test_quick_wins_by_hand(rows):
    q = by_id(rows, "quick_wins")
    assert q.hours_saved == pytest.approx(100)                 # step a only
    assert q.capacity_hours == pytest.approx(100) and q.cash_saved_yen == 0
    assert q.initial_cost_yen == 0 and q.annual_cost_yen == 0
    assert q.npv_yen == pytest.approx(100 * 3000 * 5)          # 1,500,000
    assert q.npv_cash_yen == 0


def test_each_candidate_alone_delivers_only_its_capability(rows):
    online, rpa = by_id(rows, "online_form"), by_id(rows, "rpa")
    assert online.hours_saved == pytest.approx(100 + 100)      # a + b, not c
    assert online.cash_saved_yen == 0
    assert online.npv_yen == pytest.approx(-1_000_000 + 5 * (200 * 3000 - 100_000))
    assert online.npv_cash_yen == pytest.approx(-1_000_000 - 5 * 100_000)
    assert rpa.hours_saved == pytest.approx(100 + 300)         # a + c, not b
    assert rpa.cash_saved_yen == pytest.approx(300 * 3000 * 1.25)
    assert rpa.npv_yen == pytest.approx(-2_000_000 + 5 * (400 * 3000 - 300_000))   # 2,500,000
    assert rpa.npv_cash_yen == pytest.approx(-2_000_000 + 5 * (1_125_000 - 300_000))
    assert rpa.payback_years == pytest.approx(2_000_000 / 900_000)
    assert "kiosk" not in {o.id for o in rows}                 # enables nothing needed


def test_chosen_is_the_headline_with_the_groups_own_costs(rows):
    work = small_work()
    m = impact.compute(work, A)
    c = by_id(rows, "chosen")
    assert c.npv_yen == m.npv_yen and c.hours_saved == m.hours_saved
    assert c.npv_cash_yen == m.npv_cash_yen and c.initial_cost_yen == 4_500_000
    assert c.npv_yen == pytest.approx(-4_500_000 + 5 * (500 * 3000 - 400_000))    # 1,000,000
    assert c.npv_cash_yen == pytest.approx(-4_500_000 + 5 * (1_125_000 - 400_000))
    assert c.payback_years == pytest.approx(4_500_000 / 1_100_000)
    assert c.payback_cash_years is None                       # 725,000 a year: not in 5 years
    catalogue = impact.compute(selection.scenario(work, work.systems), A)
    assert catalogue.npv_yen == pytest.approx(2_500_000) != c.npv_yen


def test_increment_is_chosen_minus_quick_wins(rows):
    inc = options.increment(rows)
    assert inc == pytest.approx({"hours_saved": 400, "npv_yen": -500_000,
                                 "npv_cash_yen": -875_000})
    c, q = by_id(rows, "chosen"), by_id(rows, "quick_wins")
    assert inc["npv_yen"] == c.npv_yen - q.npv_yen


def test_a_one_system_bundle_is_not_repeated_alone():
    work = small_work(initial_cost_yen=2_000_000, annual_cost_yen=300_000)
    work = work.model_copy(update={"systems": [RPA], "candidates": []})
    assert [o.id for o in options.compare(work, A)] == ["do_nothing", "quick_wins", "chosen"]


def test_verdict_in_plain_words_ja(rows):
    text = "".join(verdict_sentences(rows, "ja", 5))
    assert ("システムなしの見直し（すぐできる見直し）だけで、削減できる職員時間は年間100.0時間、"
            "正味現在価値は1,500,000円（人件費換算）、0円（現金）です。") in text
    assert ("選んだシステム（電子申請、RPA）を加えると、削減時間は年間さらに400.0時間増え、"
            "正味現在価値は人件費換算で500,000円下がり、現金で875,000円下がります。") in text
    assert i18n.t("opt.verdict.worse_qw.both", "ja") in text
    # RPA alone beats the bundle: 2,500,000 − 1,000,000 on the staff-cost basis, 100 h fewer
    assert ("RPAだけの方が、選んだ組み合わせより正味現在価値（人件費換算）が1,500,000円高くなります"
            "（削減時間は年間100.0時間少なくなります）。") in text


def test_verdict_in_english_names_the_basis(rows):
    text = " ".join(verdict_sentences(rows, "en", 5))
    assert "lowers the NPV by ¥500,000 on the staff-cost basis" in text
    assert "lowers it by ¥875,000 in cash" in text and "saves a further 400.0 h a year" in text
    assert "RPA alone gives an NPV (staff-cost basis) ¥1,500,000 higher" in text


def test_verdict_when_the_bundle_beats_quick_wins_and_without_a_system():
    cheap = options.compare(small_work(initial_cost_yen=1_000_000, annual_cost_yen=0), A)
    text = "".join(verdict_sentences(cheap, "ja", 5))
    # 5 × 400 × 3,000 − 1,000,000 = +5,000,000 on the staff-cost basis; cash +4,625,000
    assert "正味現在価値は人件費換算で5,000,000円上がり、現金で4,625,000円上がります" in text
    assert "より低くなります" not in text and "だけの方が" not in text
    none = small_work(system="", initial_cost_yen=0, annual_cost_yen=0)
    none = none.model_copy(update={"systems": [], "candidates": []})
    text = "".join(verdict_sentences(options.compare(none, A), "ja", 5))
    assert i18n.t("opt.verdict.no_system", "ja") in text


def test_handout_places_the_verdict_and_options(demo_session):
    sections = Handout.SECTIONS
    assert sections.index("verdict") == sections.index("charter") + 1
    assert sections.index("options") == sections.index("key_figures") + 1
    h = Handout(demo_session, "g01", "ja")
    table = h.options_html()
    for key in ("npv", "npv_cash", "payback", "payback_cash"):
        assert i18n.t(f"opt.row.{key}", "ja") in table
    assert "人件費換算" in i18n.t("opt.row.npv", "ja") and "現金" in i18n.t("opt.row.npv_cash", "ja")
    assert h.fmt.yen(h.impact.npv_yen) in table and h.fmt.yen(h.impact.npv_cash_yen) in table
    html = h.html()
    assert html.index('class="verdict"') < html.index('class="key-figures"') \
        < html.index('class="options"')


def _impact_json(session, group, capsys) -> dict:
    assert main(["impact", str(session), group, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_demo_options_in_the_json(demo_session, capsys):
    figures = _impact_json(demo_session, "g01", capsys)
    rows = {o["id"]: o for o in figures["options"]}
    assert {"do_nothing", "quick_wins", "chosen"} <= set(rows)
    for row in rows.values():
        assert set(row) == {"id", "label", *options.FIGURES}
    chosen, quick = rows["chosen"], rows["quick_wins"]
    assert chosen["npv_yen"] == figures["npv_yen"]
    assert chosen["hours_saved"] == figures["hours_saved"]
    inc = figures["increment_vs_quick_wins"]
    for key in ("hours_saved", "npv_yen", "npv_cash_yen"):
        assert inc[key] == pytest.approx(chosen[key] - quick[key])
    assert round(inc["npv_yen"] / 1e6, 1) == -13.7            # the figure for g01
    # g04's figure depends on how its 特別交付税措置 is booked (docs/formulas.md, funding):
    # only the identity is pinned here
    g04 = _impact_json(demo_session, "g04", capsys)
    rows = {o["id"]: o for o in g04["options"]}
    g04_inc = g04["increment_vs_quick_wins"]["npv_yen"]
    assert g04_inc < 0 and g04_inc == pytest.approx(
        rows["chosen"]["npv_yen"] - rows["quick_wins"]["npv_yen"])


JAPANESE = re.compile(r"[\u3001-\u30ff\u3400-\u9fff\uff01-\uff5e]")


def test_english_sections_have_no_japanese_outside_user_data(demo_session):
    h = Handout(demo_session, "g01", "en")
    text = re.sub(r"<[^>]+>", " ", h.section_html("verdict") + h.section_html("options"))
    names = {o.name for o in h.work.systems + h.work.candidates}
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    assert JAPANESE.findall(text) == []
    assert "NPV (staff-cost basis)" in text and "NPV (cash)" in text


def test_workspace_saved_costs_reach_the_chosen_row(demo_copy, capsys):
    work = store.load_work(demo_copy, "g01")
    store.save_work(demo_copy, work.model_copy(update={
        "costs": work.costs.model_copy(update={"initial_cost_yen": 4_500_000})}))
    figures = _impact_json(demo_copy, "g01", capsys)
    chosen = next(o for o in figures["options"] if o["id"] == "chosen")
    assert chosen["initial_cost_yen"] == 4_500_000 and chosen["npv_yen"] == figures["npv_yen"]
