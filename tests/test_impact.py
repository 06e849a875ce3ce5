"""The impact arithmetic of docs/formulas.md against hand-computed cases."""

import pytest

from kit.domain.model import Assumptions, GroupWork
from kit.domain.money import impact

A = Assumptions(labour_cost_yen_per_hour=3000, hours_per_fte=1860, horizon_years=5,
                discount_rate=0.04, uptake=0.3)


def worked_case(**over) -> GroupWork:
    data = {
        "group_id": "g1", "theme": "児童手当", "annual_cases": 1000, "uptake": 0.5,
        "steps": [
            {"name": "来庁", "actor": "resident", "channel": "counter", "minutes": 30,
             "action": "eliminate", "uptake_dependent": True},
            {"name": "受付", "actor": "counter", "channel": "counter", "minutes": 10,
             "action": "simplify", "minutes_after": 6},
            {"name": "入力", "actor": "back_office", "channel": "system", "minutes": 9,
             "action": "automate", "minutes_after": 0, "uptake_dependent": True},
            {"name": "不備連絡", "actor": "back_office", "channel": "phone", "minutes": 20,
             "share": 0.2, "wait_days": 5, "value": "waste"},
            {"name": "決裁", "actor": "approver", "channel": "paper", "minutes": 5,
             "wait_days": 3, "action": "simplify", "minutes_after": 2, "wait_days_after": 1,
             "phase": "redesign"},
            {"name": "他市照会", "actor": "external", "channel": "mail", "minutes": 30,
             "share": 0.1, "wait_days": 7},
        ],
        "costs": {"initial_cost_yen": 2_000_000, "annual_cost_yen": 200_000},
        "funding": [{"name": "交付金", "rate": 0.5, "cap_yen": 800_000}],
    }
    data.update(over)
    return GroupWork.parse(data)


def test_hours_by_whose_time():
    m = impact.compute(worked_case(), A)
    # staff: 受付 1000*10/60 + 入力 1000*9/60 + 不備 1000*0.2*20/60 + 決裁 1000*5/60
    assert m.hours_asis == pytest.approx(166.6667 + 150 + 66.6667 + 83.3333, abs=1e-3)
    # to-be: 受付 100 + 入力 0.5*0+0.5*150 + 不備 66.667 + 決裁 33.333
    assert m.hours_tobe == pytest.approx(100 + 75 + 66.6667 + 33.3333, abs=1e-3)
    assert m.hours_saved == pytest.approx(191.6667, abs=1e-3)
    assert m.fte_freed == pytest.approx(191.6667 / 1860, abs=1e-6)
    assert m.cost_saved_yen == pytest.approx(575_000, abs=0.01)
    # resident: 来庁 500 h, eliminated for the online half
    assert m.resident_hours_asis == pytest.approx(500)
    assert m.resident_hours_saved == pytest.approx(250)
    assert m.visits_per_case_asis == pytest.approx(1.0)
    assert m.visits_per_case_tobe == pytest.approx(0.5)
    # external minutes count for nobody; lead time = Σ share × wait
    assert m.lead_time_asis_days == pytest.approx(0.2 * 5 + 3 + 0.1 * 7)
    assert m.lead_time_tobe_days == pytest.approx(0.2 * 5 + 1 + 0.1 * 7)
    assert m.waste_share == pytest.approx(1 / 7)
    assert m.quick_win_hours_saved == pytest.approx(66.6667 + 75, abs=1e-3)
    assert m.redesign_hours_saved == pytest.approx(50)


def test_money():
    m = impact.compute(worked_case(), A)
    assert m.subsidy_yen == 800_000                     # min(0.5 × 2,000,000, cap 800,000)
    assert m.total_cost_yen == 2_000_000 + 5 * 200_000
    assert m.general_fund_yen == 2_200_000
    annuity = (1 - 1.04 ** -5) / 0.04                   # 4.451822
    assert m.npv_yen == pytest.approx(-1_200_000 + 375_000 * annuity, abs=0.5)
    assert round(m.npv_yen) == 469_433
    assert m.payback_years == pytest.approx(1_200_000 / 375_000)  # 3.2 years
    assert m.general_fund_per_hour_saved_yen == pytest.approx(2_200_000 / (5 * 191.6667),
                                                              rel=1e-6)


def test_published_figure_276_online_applications_save_41_4_hours():
    work = GroupWork.parse({"group_id": "g", "theme": "t", "annual_cases": 276, "uptake": 1.0,
                            "steps": [{"name": "入力", "minutes": 9, "action": "automate",
                                       "minutes_after": 0, "uptake_dependent": True}]})
    assert impact.compute(work, A).hours_saved == pytest.approx(41.4)
    # the same through uptake: 1,000 cases of which 27.6 % come online
    work = work.model_copy(update={"annual_cases": 1000, "uptake": 0.276})
    assert impact.compute(work, A).hours_saved == pytest.approx(41.4)


def test_uptake_ramp_and_no_discounting():
    a = A.model_copy(update={"horizon_years": 3, "discount_rate": 0.0})
    m = impact.compute(worked_case(uptake_by_year=[0.3, 0.6]), a)
    hours = [y["hours_saved"] for y in m.yearly]
    assert hours == pytest.approx([116.6667 + 45, 116.6667 + 90, 116.6667 + 90], abs=1e-3)
    net = [h * 3000 - 200_000 for h in hours]
    assert m.npv_yen == pytest.approx(-1_200_000 + sum(net), abs=0.5)


def test_no_change_saves_nothing_and_never_pays_back():
    work = GroupWork.parse({"group_id": "g", "theme": "t", "annual_cases": 500,
                            "steps": [{"name": "a", "minutes": 10}],
                            "costs": {"initial_cost_yen": 1000}})
    m = impact.compute(work, A)
    assert m.hours_saved == 0 and m.cost_saved_yen == 0
    assert m.payback_years is None
    assert m.general_fund_per_hour_saved_yen is None


def test_subsidies_never_exceed_initial_cost_and_new_steps_add_time():
    work = worked_case(funding=[{"name": "a", "rate": 1.0}, {"name": "b", "rate": 1.0}])
    assert impact.compute(work, A).subsidy_yen == 2_000_000
    added = worked_case(steps=[{"name": "電子申請の審査", "minutes": 3, "is_new": True}])
    m = impact.compute(added, A)
    assert m.hours_asis == 0 and m.hours_tobe == pytest.approx(50)
    assert m.hours_saved == pytest.approx(-50)


def test_eliminated_step_ignores_minutes_after():
    work = worked_case(steps=[{"name": "押印", "minutes": 4, "action": "eliminate",
                               "minutes_after": 4}])
    assert impact.compute(work, A).hours_saved == pytest.approx(1000 * 4 / 60)
