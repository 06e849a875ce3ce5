"""System selection (docs/formulas.md, "System selection") against hand-computed cases."""

import pytest

from kit.domain.model import Assumptions, GroupWork, Step, SystemOption
from kit.domain.money import selection
from kit.exceptions import InputError

A = Assumptions(labour_cost_yen_per_hour=3000, horizon_years=5, discount_rate=0.0, uptake=0.5)


def options():
    return [
        SystemOption(system_id="a", name="A", initial_cost_yen=1_000_000,
                     annual_cost_yen=100_000, integration=5, resident_usability=3),
        SystemOption(system_id="b", name="B", initial_cost_yen=3_000_000,
                     annual_cost_yen=300_000, integration=3, resident_usability=5),
        SystemOption(system_id="c", name="C", initial_cost_yen=2_000_000,
                     annual_cost_yen=200_000, integration=1, resident_usability=1),
    ]


W = {"initial_cost": 2, "integration": 1, "resident_usability": 1}


def test_normalise_weights():
    assert selection.normalise_weights(W) == {"initial_cost": 0.5, "integration": 0.25,
                                              "resident_usability": 0.25}
    with pytest.raises(InputError):
        selection.normalise_weights({"integration": 0})
    with pytest.raises(InputError) as err:
        selection.normalise_weights({"integration": -1})
    assert "integration" in err.value.message_ja


def test_rank_by_hand():
    table = selection.rank(options(), W)
    # cost min-max inverted: a 1, b 0, c 0.5; 1-5 scores (s-1)/4
    assert table.loc["a", "initial_cost"] == 1.0
    assert table.loc["c", "initial_cost"] == 0.5
    assert table.loc["b", "integration"] == 0.5
    assert table.loc["a", "score"] == pytest.approx(0.5 + 0.25 + 0.125)
    assert table.loc["b", "score"] == pytest.approx(0.125 + 0.25)
    assert table.loc["c", "score"] == pytest.approx(0.25)
    assert list(table.index) == ["a", "b", "c"] and list(table["rank"]) == [1, 2, 3]


def test_group_scores_override_and_custom_criterion():
    scores = {"c": {"integration": 5, "窓口の待ち時間が減る": 5}, "a": {"窓口の待ち時間が減る": 1}}
    table = selection.rank(options(), {"integration": 1, "窓口の待ち時間が減る": 1}, scores)
    assert table.loc["c", "integration"] == 1.0
    # b has no score on the added criterion: neutral 3 -> 0.5
    assert table.loc["b", "窓口の待ち時間が減る"] == 0.5
    assert table.index[0] == "c"
    with pytest.raises(InputError):
        selection.rank(options(), W, {"a": {"integration": 6}})


def test_equal_values_do_not_separate():
    same = [o.model_copy(update={"initial_cost_yen": 5}) for o in options()]
    assert list(selection.rank(same, {"initial_cost": 1})["score"]) == [1.0, 1.0, 1.0]


@pytest.mark.parametrize("name", ["他自治体での導入実績", "他市町村で使われている", "最新の技術",
                                  "導入実績", "Newest", "used by other municipalities"])
def test_refused_criteria(name):
    with pytest.raises(InputError) as err:
        selection.rank(options(), {name: 1, "integration": 1})
    assert "業務" in err.value.message_ja and "fixes" in err.value.message_en
    with pytest.raises(InputError):
        selection.rank(options(), {"integration": 1}, {"a": {name: 3}})


def test_flip_weight_change_by_hand():
    flip = selection.flip_weight_change(options(), W)
    # raising resident usability from 0.25 to 0.625 ties a and b (both 0.6875)
    assert flip["criterion"] == "resident_usability"
    assert flip["to_weight"] == pytest.approx(0.625)
    assert flip["change"] == pytest.approx(0.375)
    assert (flip["winner"], flip["new_winner"]) == ("a", "b")
    assert selection.flip_weight_change(options()[:1], W) is None


def test_win_probability_seeded():
    p1 = selection.win_probability(options(), W, n=3000, seed=7)
    p2 = selection.win_probability(options(), W, n=3000, seed=7)
    assert p1.equals(p2)
    assert p1.sum() == pytest.approx(1.0)
    assert p1.idxmax() == "a" and p1["a"] > 0.9
    tight = selection.win_probability(options(), W, concentration=1e6, seed=1)
    assert tight["a"] == 1.0


def test_ahp_consistent_and_not():
    r = selection.ahp_weights(["x", "y", "z"], {("x", "y"): 2, ("y", "z"): 2, ("x", "z"): 4})
    assert r.weights["x"] == pytest.approx(4 / 7) and r.weights["z"] == pytest.approx(1 / 7)
    assert r.lambda_max == pytest.approx(3.0) and r.cr == pytest.approx(0, abs=1e-9)
    assert r.ri == 0.58 and r.consistent
    bad = selection.ahp_weights(["x", "y", "z"], {("x", "y"): 9, ("y", "z"): 9, ("z", "x"): 9})
    assert bad.cr > 0.1 and not bad.consistent
    with pytest.raises(InputError):
        selection.ahp_weights(["x", "y"], {("x", "y"): 12})


def scenario_work() -> GroupWork:
    return GroupWork(group_id="g", theme="t", annual_cases=600, steps=[
        Step(name="quick", minutes=10, minutes_after=5, action="simplify"),
        Step(name="online", minutes=20, minutes_after=0, action="eliminate",
             phase="redesign", needs="online"),
        Step(name="rpa", minutes=30, minutes_after=10, action="automate", phase="redesign",
             needs="online; RPA"),
        Step(name="new check", minutes=0, minutes_after=6, is_new=True, phase="redesign",
             needs="rpa"),
    ])


def test_scenarios_by_system():
    opts = [SystemOption(system_id="form", name="form", enables="online",
                         initial_cost_yen=1_000_000),
            SystemOption(system_id="both", name="both", enables="online;rpa")]
    table = selection.scenario_table(scenario_work(), opts, A)
    # no system: quick win only: 600*5/60 = 50 h
    assert table.loc["", "hours_saved"] == pytest.approx(50)
    # form: + online step 600*20/60 = 200 h
    assert table.loc["form", "hours_saved"] == pytest.approx(250)
    assert table.loc["form", "steps_changed"] == 2
    # both: + rpa 600*20/60 = 200 h, - new check 600*6/60 = 60 h
    assert table.loc["both", "hours_saved"] == pytest.approx(390)
    # NPV undiscounted: 5 years × 250 h × 3000 yen − 1,000,000
    assert table.loc["form", "npv_yen"] == pytest.approx(5 * 250 * 3000 - 1_000_000)
    metrics = selection.scenario_metrics(table)
    ranked = selection.rank(opts, {"hours_saved": 1}, metrics=metrics)
    assert ranked.index[0] == "both" and ranked.loc["form", "hours_saved"] == 0.0


def test_three_point_order_is_checked():
    with pytest.raises(InputError) as err:
        Step.parse({"name": "x", "minutes": 10, "minutes_after": 5, "minutes_after_low": 6})
    assert "低" in err.value.message_ja
