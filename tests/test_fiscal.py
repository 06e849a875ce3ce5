"""Funding as the budget books it and the fiscal years (docs/formulas.md, "Funding as budgets
book it", "Fiscal years"), against hand-computed cases: subsidy, then bond, then allocation
tax whatever the row order; level repayment after grace years; debt after the period; the
fiscal year of a session date; a catalogue without ``kind``; the demo's net annual cash."""

import itertools
import json

import pytest

from kit.cli import main
from kit.documents.fiscal import fiscal_year_label
from kit.documents.handout import Handout
from kit.domain.model import Assumptions, GroupWork, Session
from kit.domain.money import debt, impact
from kit.io import store
from kit.io.catalogue import load_funding

A = Assumptions(labour_cost_yen_per_hour=3000, horizon_years=5, discount_rate=0.0, uptake=0.5,
                start_fiscal_year=2027)
SUBSIDY = {"name": "交付金", "kind": "subsidy", "rate": 0.5, "cap_yen": 3_000_000}
BOND = {"name": "地方債", "kind": "bond", "coverage": 0.75, "interest_rate": 0.01,
        "grace_years": 1, "repayment_years": 5, "allocation_tax_rate": 0.3}
ALLOCATION = {"name": "特別交付税措置", "kind": "allocation_tax", "rate": 0.5}
# A = 5,250,000 × 0.01 / (1 − 1.01^−5) = 52,500 / 0.0485343124 = 1,081,708.95 a year
PAYMENT = 5_250_000 * 0.01 / (1 - 1.01 ** -5)


def work(funding, c0=10_000_000, ca=0.0, **over) -> GroupWork:
    return GroupWork.parse({"group_id": "g", "theme": "t",
                            "costs": {"initial_cost_yen": c0, "annual_cost_yen": ca},
                            "funding": funding, **over})


# --- the funding split ---------------------------------------------------------------------
def test_subsidy_then_bond_then_allocation_tax_by_hand():
    m = impact.compute(work([SUBSIDY, BOND, ALLOCATION]), A)
    # subsidy: min(0.5 × 10,000,000, 3,000,000) = 3,000,000
    # bond: 0.75 × (10,000,000 − 3,000,000) = 5,250,000
    # allocation tax: 0.5 × (10,000,000 − 3,000,000 − 5,250,000) = 0.5 × 1,750,000 = 875,000
    assert [f["amount_yen"] for f in m.funding] == pytest.approx([3_000_000, 5_250_000,
                                                                   875_000])
    assert [f["kind"] for f in m.funding] == ["subsidy", "bond", "allocation_tax"]
    assert m.subsidy_yen == pytest.approx(3_000_000) and m.bond_yen == pytest.approx(5_250_000)
    # debt service: year 1 interest only 5,250,000 × 1 % = 52,500; years 2..6 A = 1,081,708.95
    # within the 5-year period: 52,500 + 4 × 1,081,708.95 = 4,379,335.79
    within = 52_500 + 4 * PAYMENT
    assert within == pytest.approx(4_379_335.79, abs=0.01)
    # general fund = 10,000,000 − 3,000,000 − 5,250,000 + 4,379,335.79 = 6,129,335.79
    assert m.general_fund_yen == pytest.approx(6_129_335.79, abs=0.01)
    # allocation tax = 875,000 + 0.3 × 4,379,335.79 = 875,000 + 1,313,800.74 = 2,188,800.74
    assert m.allocation_tax_yen == pytest.approx(2_188_800.74, abs=0.01)
    # net burden = 6,129,335.79 − 2,188,800.74 = 3,940,535.05
    assert m.net_burden_yen == pytest.approx(3_940_535.05, abs=0.01)
    # year 6, after the period: the last payment 1,081,708.95
    assert m.debt_after_horizon_yen == pytest.approx(1_081_708.95, abs=0.01)
    # NPV at r = 0 on the net burden, also after the period (no saving, no running cost):
    # −(10,000,000 − 3,000,000 − 5,250,000 − 875,000) − 0.7 × (52,500 + 5 × 1,081,708.95)
    # = −875,000 − 0.7 × 5,461,044.74 = −4,697,731.32
    assert m.npv_yen == pytest.approx(-4_697_731.32, abs=0.01)
    assert m.npv_cash_yen == pytest.approx(m.npv_yen)
    assert -m.npv_yen == pytest.approx(m.net_burden_yen + 0.7 * m.debt_after_horizon_yen)


def test_level_repayment_with_grace_years_exact_yen_per_year():
    rows = debt.debt_service([5_250_000], 0.01, grace=1, years=5, span=8)[0]
    assert [round(x) for x in rows] == [52_500, 1_081_709, 1_081_709, 1_081_709, 1_081_709,
                                        1_081_709, 0, 0]
    # the payments repay the principal: Σ A·1.01^−k over k = 1..5 = 5,250,000
    assert sum(PAYMENT * 1.01 ** -k for k in range(1, 6)) == pytest.approx(5_250_000)
    # two grace years of interest, 0 % interest: P / n
    assert list(debt.debt_service([1_000_000], 0.0, grace=2, years=4, span=6)[0]) == \
        pytest.approx([0, 0, 250_000, 250_000, 250_000, 250_000])
    assert list(debt.debt_service([1_000_000], 0.02, grace=2, years=4, span=3)[0]) == \
        pytest.approx([20_000, 20_000, 1_000_000 * 0.02 / (1 - 1.02 ** -4)])


def test_fiscal_year_rows_add_up_to_the_headline():
    m = impact.compute(work([SUBSIDY, BOND, ALLOCATION], ca=200_000), A)
    rows = m.fiscal_years
    assert [r["fiscal_year"] for r in rows] == [2027, 2028, 2029, 2030, 2031, 2032]
    assert set(rows[0]) == {"fiscal_year", "initial_cost_yen", "annual_cost_yen",
                            "subsidy_yen", "bond_yen", "debt_service_yen", "general_fund_yen",
                            "allocation_tax_yen", "net_burden_yen", "cash_saved_yen",
                            "capacity_hours"}
    # year 0 (令和9年度): 10,000,000 − 3,000,000 − 5,250,000 = 1,750,000 of general fund;
    # allocation tax on it 875,000 → net burden 875,000
    first = rows[0]
    assert (first["initial_cost_yen"], first["annual_cost_yen"]) == (10_000_000, 0)
    assert first["general_fund_yen"] == pytest.approx(1_750_000)
    assert first["allocation_tax_yen"] == pytest.approx(875_000)
    assert first["net_burden_yen"] == pytest.approx(875_000)
    # year 1 (令和10年度): running 200,000 + interest 52,500; 交付税算入 0.3 × 52,500 = 15,750
    assert rows[1]["general_fund_yen"] == pytest.approx(252_500)
    assert rows[1]["allocation_tax_yen"] == pytest.approx(15_750)
    # year 2: 200,000 + 1,081,708.95
    assert rows[2]["debt_service_yen"] == pytest.approx(PAYMENT)
    assert rows[2]["general_fund_yen"] == pytest.approx(200_000 + PAYMENT)
    for key, total in (("general_fund_yen", m.general_fund_yen),
                       ("allocation_tax_yen", m.allocation_tax_yen),
                       ("net_burden_yen", m.net_burden_yen)):
        assert sum(r[key] for r in rows) == pytest.approx(total)
    # general fund = 10,000,000 + 5 × 200,000 − 3,000,000 − 5,250,000 + 4,379,335.79
    assert m.general_fund_yen == pytest.approx(7_129_335.79, abs=0.01)


def test_the_row_order_does_not_change_the_result():
    results = []
    for order in itertools.permutations([SUBSIDY, BOND, ALLOCATION]):
        m = impact.compute(work(list(order)), A)
        amounts = {f["name"]: f["amount_yen"] for f in m.funding}
        results.append((amounts, m.general_fund_yen, m.allocation_tax_yen, m.net_burden_yen,
                        m.npv_yen, m.debt_after_horizon_yen))
    first = results[0]
    for other in results[1:]:
        assert other[0] == pytest.approx(first[0])
        assert other[1:] == pytest.approx(first[1:])
    # the allocation tax listed first still applies to what subsidy and bond leave, once
    assert first[0]["特別交付税措置"] == pytest.approx(875_000)


def test_allocation_tax_stays_in_the_general_fund():
    # C0 10,000,000, subsidy 3,000,000, allocation tax 0.5 × 7,000,000 = 3,500,000:
    # the budget still books 7,000,000 of general fund; the net burden is 3,500,000
    m = impact.compute(work([SUBSIDY, ALLOCATION]), A)
    assert m.general_fund_yen == pytest.approx(7_000_000)
    assert m.allocation_tax_yen == pytest.approx(3_500_000)
    assert m.net_burden_yen == pytest.approx(3_500_000)
    assert m.npv_yen == pytest.approx(-3_500_000)        # r = 0, no saving: −net burden


def test_a_bond_does_not_look_better_by_deferring_the_cost():
    # 0 % interest, repaid after the period (5 grace years, 5 repayments), discount rate 0:
    # within the period the general fund is lower, but the NPV is the same as paying cash
    deferred = dict(BOND, coverage=1.0, interest_rate=0.0, grace_years=5,
                    allocation_tax_rate=0.0)
    cash = impact.compute(work([]), A)
    bond = impact.compute(work([deferred]), A)
    assert bond.general_fund_yen == pytest.approx(0)
    assert bond.debt_after_horizon_yen == pytest.approx(10_000_000)
    assert bond.npv_yen == pytest.approx(cash.npv_yen) == pytest.approx(-10_000_000)


# --- fiscal years --------------------------------------------------------------------------
def test_start_fiscal_year_from_the_session_date():
    session = Session.parse({"name": "s", "date": "2026-12-06"})
    # 2026-12-06 lies in FY2026 (April 2026 – March 2027): the proposal starts in FY2027
    assert session.assumptions.start_fiscal_year == 2027
    assert fiscal_year_label(2027, "ja") == "令和9年度（2027年度）"
    assert fiscal_year_label(2027, "en") == "FY2027 (Reiwa 9)"
    assert fiscal_year_label(2019, "ja") == "令和元年度（2019年度）"
    assert debt.fiscal_year_of("2027-03-31") == 2026 and debt.fiscal_year_of("2027-04-01") == 2027
    assert Session.parse({"name": "s", "date": "2027-04-01"}).assumptions.start_fiscal_year \
        == 2028
    kept = Session.parse({"name": "s", "date": "2026-12-06",
                          "assumptions": {"start_fiscal_year": "2029"}})
    assert kept.assumptions.start_fiscal_year == 2029


# --- catalogues ------------------------------------------------------------------------------
def test_catalogue_kinds_in_japanese_and_a_row_without_kind(tmp_path):
    path = tmp_path / "funding.csv"
    path.write_text("財源ID,名称,種類,補助率,上限額(円),充当率,利率,据置年数,償還年数,交付税算入率\n"
                    "a,交付金,補助金・交付金,0.5,3000000,,,,,\n"
                    "b,地方債,地方債,,,75%,1%,1,5,30%\n"
                    "c,特交,特別交付税措置,0.5,,,,,,\n"
                    "d,旧,,0.5,,,,,,\n", encoding="utf-8")
    found = load_funding(path)
    assert [f.kind.value if f.kind else None for f in found.values()] == \
        ["subsidy", "bond", "allocation_tax", None]
    b = found["b"]
    assert (b.coverage, b.interest_rate, b.grace_years, b.repayment_years,
            b.allocation_tax_rate) == (0.75, 0.01, 1, 5, 0.3)


def test_a_catalogue_without_kind_behaves_as_before():
    # the rows of tests/test_finance.py's funding-order case, without kind: both subsidies
    old = [{"name": "交付金", "rate": 0.5, "cap_yen": 3_000_000},
           {"name": "特別交付税措置", "rate": 0.5, "on_remaining": True}]
    m = impact.compute(work(old), A)
    assert m.subsidy_yen == pytest.approx(6_500_000)          # 3,000,000 + 0.5 × 7,000,000
    assert m.general_fund_yen == pytest.approx(3_500_000)
    assert m.net_burden_yen == pytest.approx(3_500_000) and m.allocation_tax_yen == 0
    assert [f["kind_given"] for f in m.funding] == [False, False]


def test_handout_notes_a_source_without_kind(demo_copy):
    w = store.load_work(demo_copy, "g04")
    store.save_work(demo_copy, w.model_copy(update={"funding": [
        f.model_copy(update={"kind": None}) for f in w.funding]}))
    h = Handout(demo_copy, "g04", "ja")
    assert "財源の種類が指定されていないため" in h.fiscal_html()
    # as before kinds: 特別交付税措置 0.5 × 0.5 × 20,000,000 = 5,000,000 on the eligible cost
    # + 交付金 0.5 × 20,000,000 = 10,000,000 → 20,000,000 + 35,000,000 − 15,000,000
    assert h.impact.general_fund_yen == pytest.approx(40_000_000)


# --- the demo and the JSON ------------------------------------------------------------------
def impact_json(session, group, capsys) -> dict:
    assert main(["impact", str(session), group, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_demo_g01_net_annual_cash(demo_session, capsys):
    figures = impact_json(demo_session, "g01", capsys)
    # 517,800 cash saved − 3,300,000 running cost: spending rises by 2,782,200 a year
    assert figures["cash_saved_yen"] == pytest.approx(517_800)
    assert figures["net_annual_cash_yen"] == pytest.approx(-2_782_200)
    h = Handout(demo_session, "g01", "ja")
    assert "差し引き年 2,782,200円 増えます" in h.fiscal_html()
    assert "令和9年度（2027年度）" in h.fiscal_html()       # demo date 2026-11-26 → FY2027


def test_demo_g04_allocation_tax_stays_in_the_general_fund(demo_session, capsys):
    figures = impact_json(demo_session, "g04", capsys)
    # 交付金 0.5 × 20,000,000 = 10,000,000; 特別交付税措置 (allocation_tax) on what is left:
    # 0.5 × 0.5 × (20,000,000 − 10,000,000) = 2,500,000
    # general fund = 20,000,000 + 5 × 7,000,000 − 10,000,000 = 45,000,000
    assert figures["subsidy_yen"] == pytest.approx(10_000_000)
    assert figures["general_fund_yen"] == pytest.approx(45_000_000)
    assert figures["allocation_tax_yen"] == pytest.approx(2_500_000)
    assert figures["net_burden_yen"] == pytest.approx(42_500_000)
    h = Handout(demo_session, "g04", "ja")
    waterfall = h.waterfall_html()
    assert "45,000,000円" in waterfall and "42,500,000円" in waterfall


def test_impact_json_keys(demo_session, capsys):
    figures = impact_json(demo_session, "g02", capsys)
    for key in ("net_annual_cash_yen", "general_fund_yen", "allocation_tax_yen",
                "net_burden_yen", "debt_after_horizon_yen", "bond_yen", "start_fiscal_year",
                "fiscal_years"):
        assert key in figures
    assert figures["net_burden_yen"] == pytest.approx(
        figures["general_fund_yen"] - figures["allocation_tax_yen"])
    rows = figures["fiscal_years"]
    assert len(rows) == figures["horizon_years"] + 1
    assert list(rows[0]) == ["fiscal_year", "initial_cost_yen", "annual_cost_yen",
                             "subsidy_yen", "bond_yen", "debt_service_yen", "general_fund_yen",
                             "allocation_tax_yen", "net_burden_yen", "cash_saved_yen",
                             "capacity_hours"]
    assert rows[0]["fiscal_year"] == figures["start_fiscal_year"] == 2027
    assert sum(r["general_fund_yen"] for r in rows) == pytest.approx(figures["general_fund_yen"])
    assert all(f["kind"] in ("subsidy", "bond", "allocation_tax") for f in figures["funding"])
