"""Numbers a finance department accepts (docs/formulas.md), against hand-computed cases:
systems as a bundle, changes not delivered, cash versus capacity, funding order, resident
value, switching values, negative savings."""

import json

import pytest

from kit.cli import main
from kit.domain.model import Assumptions, GroupWork, SystemOption
from kit.domain.money import bundle, impact, selection
from kit.io import store

A = Assumptions(labour_cost_yen_per_hour=3000, horizon_years=5, discount_rate=0.0, uptake=0.5)
FORM = SystemOption(system_id="form", name="申請フォーム", enables="online",
                    initial_cost_yen=1_000_000, annual_cost_yen=100_000)
RPA = SystemOption(system_id="rpa", name="RPA", enables="rpa",
                   initial_cost_yen=2_000_000, annual_cost_yen=300_000)


def plan(**over) -> GroupWork:
    data = {"group_id": "g", "theme": "t", "annual_cases": 600, "uptake": 0.5, "steps": [
        {"name": "quick", "minutes": 10, "minutes_after": 5, "action": "simplify"},
        {"name": "online", "minutes": 20, "action": "eliminate", "phase": "redesign",
         "needs": "online"},
        {"name": "rpa", "minutes": 30, "minutes_after": 10, "action": "automate",
         "phase": "redesign", "needs": "online;rpa"},
        {"name": "untagged", "minutes": 12, "minutes_after": 6, "action": "simplify",
         "phase": "redesign"}]}
    data.update(over)
    return GroupWork.parse(data)


def chosen(work: GroupWork, *systems) -> GroupWork:
    return selection.scenario(work, list(systems))


# --- bundle and not delivered ----------------------------------------------------------------
def test_bundle_costs_add_and_capabilities_unite():
    w = chosen(plan(), FORM, RPA)
    assert w.costs.initial_cost_yen == 3_000_000          # 1,000,000 + 2,000,000
    assert w.costs.annual_cost_yen == 400_000             # 100,000 + 300,000
    assert bundle.capabilities(w.systems) == {"online", "rpa"}
    m = impact.compute(w, A)
    # every change delivered: 600/60 × (5 + 20 + 20 + 6) = 510 h
    assert m.hours_saved == pytest.approx(510)
    assert m.not_delivered == [] and m.systems == ["form", "rpa"]
    # NPV undiscounted: −3,000,000 + 5 × (510 × 3,000 − 400,000) = 2,650,000
    assert m.npv_yen == pytest.approx(2_650_000)


def test_a_change_counts_only_when_the_systems_enable_all_it_needs():
    m = impact.compute(chosen(plan(), FORM), A)
    # quick 50 h + online 200 h + untagged 60 h (a system is chosen); rpa needs rpa too
    assert m.hours_saved == pytest.approx(50 + 200 + 60)
    [missing] = m.not_delivered
    assert missing["step"] == "rpa" and missing["missing"] == ["rpa"]
    assert missing["hours"] == pytest.approx(600 * 20 / 60)       # 200 h at stake
    assert m.not_delivered_hours == pytest.approx(200)
    # NPV: −1,000,000 + 5 × (310 × 3,000 − 100,000) = 3,150,000: the benefit with its cost
    assert m.npv_yen == pytest.approx(3_150_000)


def test_without_a_system_only_quick_wins_count():
    m = impact.compute(plan(), A)
    assert m.hours_saved == pytest.approx(600 * 5 / 60)          # 50 h, the quick win
    by_step = {d["step"]: d["missing"] for d in m.not_delivered}
    assert by_step == {"online": ["online"], "rpa": ["online", "rpa"],
                       "untagged": [bundle.NO_SYSTEM]}
    assert m.not_delivered_hours == pytest.approx(200 + 200 + 60)
    # a system costed by hand (no catalogue tags) delivers the untagged change only
    hand = plan(costs={"system": "独自開発", "initial_cost_yen": 500_000})
    assert impact.compute(hand, A).hours_saved == pytest.approx(50 + 60)


def test_scenario_table_has_the_chosen_bundle_and_candidates_are_relevant():
    w = chosen(plan(), FORM, RPA)
    other = SystemOption(system_id="line", name="粗大ごみ予約", enables="booking")
    table = selection.scenario_table(w, [FORM, RPA], A)
    assert table.loc[selection.BUNDLE, "hours_saved"] == pytest.approx(510)
    assert table.loc["form", "hours_saved"] == pytest.approx(310)
    # rpa alone: quick 50 + untagged 60; the rpa step also needs online
    assert table.loc["rpa", "hours_saved"] == pytest.approx(110)
    catalogue = [FORM, RPA, other]
    assert [o.system_id for o in selection.group_options(w, catalogue)] == ["form", "rpa"]
    assert [o.system_id for o in selection.out_of_scope(w, catalogue)] == ["line"]
    by_hand = w.model_copy(update={"candidates": [FORM, other]})      # added by hand: ranked
    assert [o.system_id for o in selection.group_options(by_hand, catalogue)] == ["form",
                                                                                 "line"]
    assert selection.out_of_scope(by_hand, catalogue) == []


def test_json_lists_what_the_bundle_does_not_deliver(demo_copy, capsys):
    """Demo g01 with RPA alone: its online changes are listed, not counted."""
    session = store.load_session(demo_copy)
    work = store.load_work(demo_copy, "g01")
    rpa = next(o for o in session.systems if o.system_id == "rpa")
    store.save_work(demo_copy, selection.scenario(work, [rpa]))
    assert main(["impact", str(demo_copy), "g01", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    steps = {d["step"]: d for d in figures["not_delivered"]}
    assert steps and all("online" in d["missing"] for d in steps.values())
    full = impact.compute(work, session.assumptions)
    assert figures["hours_saved"] + figures["not_delivered_hours"] == pytest.approx(
        full.hours_saved)
    assert figures["initial_cost_yen"] == 2_000_000


# --- cash versus capacity ----------------------------------------------------------------------
def cash_case(**assume) -> tuple[GroupWork, Assumptions]:
    work = GroupWork.parse({
        "group_id": "g", "theme": "t", "annual_cases": 1000, "uptake": 0.5,
        "costs": {"system": "手入力", "initial_cost_yen": 1_000_000, "annual_cost_yen": 200_000},
        "steps": [
            {"name": "入力", "minutes": 12, "minutes_after": 6, "action": "simplify",
             "realised_as": "overtime"},
            {"name": "受付", "actor": "counter", "minutes": 6, "minutes_after": 3,
             "action": "simplify", "realised_as": "contract"},
            {"name": "確認", "minutes": 9, "minutes_after": 3, "action": "simplify"},
            {"name": "郵送", "actor": "external", "minutes": 1, "unit_cost_yen": "110円",
             "unit_cost_after_yen": 0, "uptake_dependent": True}]})
    return work, A.model_copy(update=assume)


def test_overtime_premium_contract_rate_and_postage_are_cash_redeployed_hours_are_not():
    work, a = cash_case(contract_rate_yen_per_hour=2000)
    m = impact.compute(work, a)
    # 入力 1000 × 6/60 = 100 h overtime × 3,000 × 1.25 = 375,000
    assert m.overtime_hours == pytest.approx(100)
    # 受付 1000 × 3/60 = 50 h contract × 2,000 = 100,000
    assert m.contract_hours == pytest.approx(50)
    # postage: 1000 cases × uptake 0.5 × 110 円 = 55,000 (online notices are not posted)
    assert m.non_labour_saved_yen == pytest.approx(55_000)
    assert m.cash_saved_yen == pytest.approx(375_000 + 100_000 + 55_000)        # 530,000
    # 確認 (the session default: redeploy) 1000 × 6/60 = 100 h: capacity, no yen
    assert m.capacity_hours == pytest.approx(100)
    # 人件費換算 unchanged: all 250 staff hours × 3,000 = 750,000; NPV on it (r = 0)
    assert m.cost_saved_yen == pytest.approx(750_000)
    assert m.npv_yen == pytest.approx(-1_000_000 + 5 * (750_000 - 200_000))     # 1,750,000
    # NPV on cash: −1,000,000 + 5 × (530,000 − 200,000) = 650,000; payback 1,000,000/330,000
    assert m.npv_cash_yen == pytest.approx(650_000)
    assert m.payback_cash_years == pytest.approx(1_000_000 / 330_000)


def test_contract_rate_defaults_to_the_labour_cost_and_premium_is_a_setting():
    work, a = cash_case(overtime_premium=1.5)
    m = impact.compute(work, a)
    # 100 h × 3,000 × 1.5 + 50 h × 3,000 + 55,000 = 450,000 + 150,000 + 55,000
    assert m.cash_saved_yen == pytest.approx(655_000)
    everyone = Assumptions.parse({**a.model_dump(), "realised_as": "時間外"})
    plain = cash_case()[0].model_copy(update={"steps": [
        s.model_copy(update={"realised_as": None}) for s in work.steps]})
    # every staff hour overtime: 250 h × 3,000 × 1.5 + 55,000 = 1,180,000; no capacity left
    m = impact.compute(plain, everyone)
    assert m.cash_saved_yen == pytest.approx(1_180_000) and m.capacity_hours == 0


def test_funding_in_order_applies_to_what_the_sources_above_leave():
    work = GroupWork.parse({
        "group_id": "g", "theme": "t", "costs": {"initial_cost_yen": 10_000_000},
        "funding": [{"name": "交付金", "rate": 0.5, "cap_yen": 3_000_000},
                    {"name": "特別交付税措置", "rate": 0.5, "on_remaining": True}]})
    m = impact.compute(work, A)
    # 交付金: min(0.5 × 10,000,000, 3,000,000) = 3,000,000
    # 特別交付税措置 on the rest: 0.5 × (10,000,000 − 3,000,000) = 3,500,000
    assert [f["amount_yen"] for f in m.funding] == pytest.approx([3_000_000, 3_500_000])
    assert m.subsidy_yen == pytest.approx(6_500_000)
    assert m.general_fund_yen == pytest.approx(3_500_000)
    # the same source on the eligible cost would stack: 3,000,000 + 5,000,000
    stacked = work.model_copy(update={"funding": [
        f.model_copy(update={"on_remaining": False}) for f in work.funding]})
    assert impact.compute(stacked, A).subsidy_yen == pytest.approx(8_000_000)


def test_resident_value_is_a_social_benefit_never_in_the_npv():
    work = GroupWork.parse({
        "group_id": "g", "theme": "t", "annual_cases": 1000, "uptake": 0.5,
        "steps": [{"name": "来庁", "actor": "resident", "channel": "counter", "minutes": 30,
                   "action": "eliminate", "uptake_dependent": True}]})
    a = A.model_copy(update={"resident_value_yen_per_hour": 1000,
                             "travel_cost_yen_per_visit": 300})
    m = impact.compute(work, a)
    # 250 h × 1,000 + (1 − 0.5) visits × 1000 cases × 300 = 250,000 + 150,000
    assert m.resident_cost_saved_yen == pytest.approx(400_000)
    zero = a.model_copy(update={"resident_value_yen_per_hour": 0,
                                "travel_cost_yen_per_visit": 0})
    assert m.npv_yen == impact.compute(work, zero).npv_yen == 0


# --- switching values -------------------------------------------------------------------------
def switching_case(**over) -> GroupWork:
    data = {"group_id": "g", "theme": "t", "annual_cases": 1000, "uptake": 0.5,
            "costs": {"system": "x", "initial_cost_yen": 2_500_000, "annual_cost_yen": 200_000},
            "steps": [{"name": "a", "minutes": 6, "minutes_after": 0, "action": "eliminate"},
                      {"name": "b", "minutes": 12, "minutes_after": 0, "action": "eliminate",
                       "uptake_dependent": True}]}
    data.update(over)
    return GroupWork.parse(data)


def test_switching_values_in_closed_form():
    m = impact.compute(switching_case(), A)
    # hours H = 100 + 200·u = 200 at u = 0.5; NPV = −C0 + 5 × (3,000·H − Ca) = −500,000
    assert m.npv_yen == pytest.approx(-500_000)
    sv = m.switching_values
    # u: 3,000 (100 + 200u) = 200,000 + 2,500,000/5 -> u = (700,000/3,000 − 100)/200 = 2/3
    assert sv["uptake"] == pytest.approx(2 / 3, rel=1e-6)
    # V: H = 0.2 V -> 600 V = 700,000 -> V = 1,166.67
    assert sv["annual_cases"] == pytest.approx(700_000 / 600, rel=1e-6)
    # C0 = 5 × (600,000 − 200,000) = 2,000,000; Ca = 600,000 − 2,500,000/5 = 100,000
    assert sv["initial_cost_yen"] == pytest.approx(2_000_000, rel=1e-6)
    assert sv["annual_cost_yen"] == pytest.approx(100_000, rel=1e-6)
    # L: 200 L = 200,000 + 500,000 -> 3,500 yen an hour
    assert sv["labour_cost_yen_per_hour"] == pytest.approx(3_500, rel=1e-6)


def test_switching_value_none_outside_the_range_and_past_a_subsidy_cap():
    # without the online step NPV does not depend on uptake: no switching value
    m = impact.compute(switching_case(steps=[{"name": "a", "minutes": 6, "minutes_after": 0,
                                              "action": "eliminate"}]), A)
    assert m.switching_values["uptake"] is None
    # a grant of half the initial cost, capped at 500,000: the local share is C0 − 500,000
    # above C0 = 1,000,000, so NPV = 0 at C0 − 500,000 = 2,000,000 -> C0 = 2,500,000
    capped = switching_case(funding=[{"name": "交付金", "rate": 0.5, "cap_yen": 500_000}])
    sv = impact.compute(capped, A).switching_values
    assert sv["initial_cost_yen"] == pytest.approx(2_500_000, rel=1e-6)


def test_switching_sentence_in_the_handout(tmp_path):
    from kit.documents.handout import Handout
    from kit.domain.model import Session
    store.create_session(tmp_path / "s", Session(name="s", assumptions=A),
                         [switching_case(uptake=0.8)])
    text = Handout(tmp_path / "s", "g").switching_html()
    # at u = 0.8 NPV = −2,500,000 + 5 × (3,000 × 260 − 200,000) = 400,000 > 0; u* = 2/3
    assert "オンライン利用率が67%を下回ると正味現在価値がマイナスになります" in text


# --- negative savings and rounding ------------------------------------------------------------
def test_a_slower_step_is_a_loss_everywhere_never_clipped():
    work = GroupWork.parse({"group_id": "g", "theme": "t", "annual_cases": 600,
                            "steps": [{"name": "二重確認", "minutes": 10, "minutes_after": 14,
                                       "action": "simplify", "realised_as": "overtime"}]})
    m = impact.compute(work, A)
    # 600 × (10 − 14)/60 = −40 h; −40 × 3,000 = −120,000; overtime −40 × 3,750 = −150,000
    assert m.hours_saved == pytest.approx(-40)
    assert m.cost_saved_yen == pytest.approx(-120_000)
    assert m.cash_saved_yen == pytest.approx(-150_000)
    assert m.npv_yen == pytest.approx(5 * -120_000)          # r = 0, no cost
    assert all(y["hours_saved"] == pytest.approx(-40) for y in m.yearly)
    phases = selection.phase_totals(work, A)
    assert phases.loc["quick_win", "hours_saved"] == pytest.approx(-40)


def test_half_up_rounding_of_what_the_reader_sees():
    from kit.documents.figures import Figures
    from kit.i18n import fmt_number, fmt_yen
    work = GroupWork.parse({"group_id": "g", "theme": "t", "annual_cases": 147,
                            "steps": [{"name": "a", "minutes": 10, "minutes_after": 5,
                                       "action": "simplify"}]})
    m = impact.compute(work, A)
    assert m.hours_saved == 12.25                       # 147 × 5 / 60
    assert Figures("ja").hours(m.hours_saved) == "12.3時間"          # half-even: 12.2
    assert Figures("ja").yen(m.cost_saved_yen / 1000 + 0.5) == "37円"  # 36.75 + 0.5 = 37.25
    assert fmt_number(2.5) == "3" and fmt_yen(-2.5) == "-3円"


# --- editors and summary ----------------------------------------------------------------------
def test_editors_choose_a_bundle_and_list_what_it_does_not_deliver(demo_copy):
    from kit.documents.summary import Summary
    from kit.widgets.assumptions import ImpactEditor
    from kit.widgets.to_be import ToBeEditor

    ed = ImpactEditor(demo_copy, "g01", "ja", debounce_s=None)
    assert "選んだシステムでは実現しない見直し" not in ed.figures.value   # the demo delivers all
    ed.bundle.value = ("rpa",)                           # RPA alone: the online changes drop out
    saved = store.load_work(demo_copy, "g01")
    assert [o.system_id for o in saved.systems] == ["rpa"]
    assert saved.costs.initial_cost_yen == 2_000_000 and saved.costs.annual_cost_yen == 1_500_000
    assert ed.initial.value == "2000000"                 # the cost box shows the bundle's sum
    assert "選んだシステムでは実現しない見直し" in ed.figures.value
    m = impact.compute(saved, store.load_session(demo_copy).assumptions)
    to_be = ToBeEditor(demo_copy, "g01", "ja", debounce_s=None)
    assert "選んだシステムでは実現しない見直し" in to_be.figures.value
    assert Figures_hours(m.not_delivered_hours) in to_be.figures.value
    total = Summary(demo_copy, "ja").totals()
    assert total.not_delivered_hours == pytest.approx(m.not_delivered_hours)


def Figures_hours(x: float) -> str:
    from kit.documents.figures import Figures
    return Figures("ja").hours(x)


def test_cost_per_case_by_channel_includes_post_and_convenience_store():
    """郵送 and コンビニ are channels of their own in the cost-per-case table.

    V = 100 cases; a back-office step by post: 6 min × 100 / 60 = 10 h a year × 3,000 円 =
    30,000 円 → 300 円 per case + postage 110 円 = 410 円; eliminated: 0 円. A convenience-store
    step of the system (nobody's time) with a 50 円 fee per case stays 50 円."""
    from kit.domain.model import Assumptions, GroupWork
    from kit.domain.money import impact

    work = GroupWork.parse({"group_id": "g1", "theme": "t", "annual_cases": 100, "steps": [
        {"name": "郵送で返送", "actor": "back_office", "channel": "post", "minutes": 6,
         "unit_cost_yen": 110, "action": "eliminate", "phase": "quick_win"},
        {"name": "コンビニで交付", "actor": "system", "channel": "store", "minutes": 3,
         "unit_cost_yen": 50}]})
    table = impact.cost_per_case(work, Assumptions(labour_cost_yen_per_hour=3000))
    assert table.loc["post", "before"] == pytest.approx(410.0)
    assert table.loc["post", "after"] == pytest.approx(0.0)
    assert table.loc["store", "before"] == table.loc["store", "after"] == pytest.approx(50.0)
