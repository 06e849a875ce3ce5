"""Numbers a finance department accepts (docs/formulas.md), against hand-computed cases:
systems as a bundle, changes not delivered, cash versus capacity, funding order, resident
value, switching values, negative savings."""

import json

import pytest

from kit.cli import main
from kit.domain import bundle, impact, selection
from kit.domain.model import Assumptions, GroupWork, SystemOption
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
