"""Monte Carlo and tornado (docs/formulas.md, "Uncertainty") against kit.domain.money.impact and hand-computed cases."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.domain.model import Assumptions, GroupWork
from kit.domain.money import impact, uncertainty
from kit.exceptions import InputError

A = Assumptions(labour_cost_yen_per_hour=3000, hours_per_fte=1860, horizon_years=5,
                discount_rate=0.04, uptake=0.3)
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def work(**over) -> GroupWork:
    data = {
        "group_id": "g1", "theme": "t", "annual_cases": 1000, "uptake": 0.5,
        "uptake_by_year": [0.3, 0.5, 0.6],
        "steps": [
            {"name": "受付", "actor": "counter", "minutes": 10, "action": "simplify",
             "minutes_after": 6},
            {"name": "入力", "actor": "back_office", "minutes": 9, "action": "automate",
             "minutes_after": 0, "uptake_dependent": True},
            {"name": "不備連絡", "actor": "back_office", "minutes": 20, "share": 0.2},
            {"name": "決裁", "actor": "approver", "minutes": 5, "action": "simplify",
             "minutes_after": 2, "phase": "redesign"},
            {"name": "確認（新）", "actor": "back_office", "minutes": 0, "minutes_after": 3,
             "is_new": True},
            {"name": "来庁", "actor": "resident", "minutes": 30, "action": "eliminate"},
        ],
        "costs": {"initial_cost_yen": 2_000_000, "annual_cost_yen": 200_000},
        "funding": [{"name": "交付金", "rate": 0.5, "cap_yen": 800_000}],
    }
    data.update(over)
    return GroupWork.parse(data)


def test_collapsed_ranges_equal_impact():
    w = work()
    m = impact.compute(w, A)
    f = uncertainty.monte_carlo(w, A, n=50)
    assert f.uncertain_inputs == 0
    for key, exact in (("hours_saved", m.hours_saved), ("cost_saved_yen", m.cost_saved_yen),
                       ("npv_yen", m.npv_yen), ("general_fund_yen", m.general_fund_yen),
                       ("resident_hours_saved", m.resident_hours_saved),
                       ("quick_win_hours_saved", m.quick_win_hours_saved),
                       ("redesign_hours_saved", m.redesign_hours_saved),
                       ("payback_years", np.inf if m.payback_years is None
                        else m.payback_years)):
        assert f.p(key) == pytest.approx((exact, exact, exact), rel=1e-12, abs=1e-6)


def test_payback_by_hand_and_never():
    """1,200,000 to recover at 375,000 a year: 3.2 years; at 0 a year: never (inf)."""
    initial = np.array([1_200_000.0, 1_200_000.0, -5.0])
    net = np.array([[375_000.0] * 5, [0.0] * 5, [10.0] * 5])
    assert uncertainty.payback(initial, net).tolist() == [3.2, np.inf, 0.0]


def test_ranges_give_ordered_percentiles_and_same_seed_same_result():
    w = work(ranges={"annual_cases_low": 800, "annual_cases_high": 1500, "uptake_low": 0.2,
                     "uptake_high": 0.7, "initial_cost_high": 3_000_000})
    w.steps[0].minutes_after_low, w.steps[0].minutes_after_high = 4, 9
    a = uncertainty.monte_carlo(w, A, n=4000, seed=3)
    b = uncertainty.monte_carlo(w, A, n=4000, seed=3)
    assert a.percentiles == b.percentiles
    assert np.array_equal(a.samples["npv_yen"], b.samples["npv_yen"])
    assert a.uncertain_inputs == 4
    for key in uncertainty.OUTPUTS:
        p10, p50, p90 = a.p(key)
        assert p10 <= p50 <= p90
    assert a.p("hours_saved")[0] < a.p("hours_saved")[2]


def test_pert_mean_and_bounds():
    rng = np.random.default_rng(0)
    x = uncertainty.pert(rng, 2.0, 5.0, 14.0, 200_000)
    assert x.min() >= 2 and x.max() <= 14
    assert x.mean() == pytest.approx((2 + 4 * 5 + 14) / 6, rel=0.01)


def test_bad_range_is_refused():
    with pytest.raises(InputError) as err:
        uncertainty.monte_carlo(work(ranges={"annual_cases_low": 2000}), A, n=10)
    assert "低" in err.value.message_ja


def test_tornado_by_hand():
    w = work(ranges={"annual_cases_low": 500, "annual_cases_high": 1500,
                     "initial_cost_low": 1_000_000, "initial_cost_high": 4_000_000})
    rows = uncertainty.tornado(w, A)
    base = impact.compute(w, A).npv_yen
    assert {r["input"] for r in rows} == {"cases", "initial_cost"}
    cost = next(r for r in rows if r["input"] == "initial_cost")
    # base C0 2,000,000 - subsidy min(1,000,000, cap 800,000) = 1,200,000 net initial;
    # C0 1,000,000 - min(500,000, 800,000) = 500,000 -> NPV +700,000;
    # C0 4,000,000 - min(2,000,000, 800,000) = 3,200,000 -> NPV -2,000,000
    assert cost["output_at_low"] - base == pytest.approx(700_000, abs=1e-3)
    assert cost["output_at_high"] - base == pytest.approx(-2_000_000, abs=1e-3)
    assert cost["swing"] == pytest.approx(2_700_000, abs=1e-3)
    assert rows[0]["swing"] >= rows[-1]["swing"]
    assert uncertainty.tornado(work(), A) == []


def test_optimism_bias_uplifts_capital_cost():
    plain = uncertainty.monte_carlo(work(), A, n=10)
    biased = uncertainty.monte_carlo(work(optimism_bias=True), A, n=10)
    # C0 2,000,000 -> 6,000,000 (+200 %); the subsidy is capped at 800,000 either way
    assert plain.p("npv_yen")[1] - biased.p("npv_yen")[1] == pytest.approx(4_000_000)
    assert biased.optimism_bias and uncertainty.OPTIMISM_BIAS_CAPEX == 2.0


# --- properties (hypothesis) --------------------------------------------------------------
minutes = st.floats(min_value=0, max_value=120, allow_nan=False)


@FAST
@given(st.lists(minutes, min_size=1, max_size=8), st.floats(0, 1), st.floats(0, 50_000))
def test_zero_changes_zero_saving(values, uptake, cases):
    w = GroupWork(group_id="g", theme="t", annual_cases=cases, uptake=uptake,
                  steps=[{"name": f"s{i}", "minutes": v, "uptake_dependent": i % 2 == 0}
                         for i, v in enumerate(values)])
    m = impact.compute(w, A)
    assert m.hours_saved == 0 and m.cost_saved_yen == 0
    assert uncertainty.monte_carlo(w, A, n=20).p("hours_saved") == (0.0, 0.0, 0.0)


@FAST
@given(st.lists(st.tuples(minutes, minutes), min_size=1, max_size=8))
def test_uptake_zero_no_online_saving(pairs):
    w = GroupWork(group_id="g", theme="t", annual_cases=1000, uptake=0.0,
                  steps=[{"name": f"s{i}", "minutes": a, "minutes_after": b,
                          "action": "simplify", "uptake_dependent": True}
                         for i, (a, b) in enumerate(pairs)])
    assert impact.compute(w, A).hours_saved == pytest.approx(0, abs=1e-9)


@FAST
@given(minutes, st.floats(0, 1), st.floats(0, 1), st.floats(0, 1))
def test_more_minutes_saved_never_fewer_hours(before, a, b, uptake):
    lo, hi = sorted((a, b))

    def saved(after):
        w = GroupWork(group_id="g", theme="t", annual_cases=500, uptake=uptake,
                      steps=[{"name": "s", "minutes": before, "minutes_after": after,
                              "action": "simplify", "uptake_dependent": True}])
        return impact.compute(w, A).hours_saved

    # a smaller To-Be time (more minutes saved) never saves fewer hours
    assert saved(before * lo) >= saved(before * hi) - 1e-9


@FAST
@given(st.floats(0, 60), st.floats(0, 30), st.floats(0, 30), st.integers(0, 2**31))
def test_percentiles_ordered_any_seed(likely, down, up, seed):
    w = GroupWork(group_id="g", theme="t", annual_cases=1000,
                  steps=[{"name": "s", "minutes": 90, "minutes_after": likely,
                          "minutes_after_low": max(0.0, likely - down),
                          "minutes_after_high": likely + up, "action": "simplify"}])
    f = uncertainty.monte_carlo(w, A, n=200, seed=seed)
    for key in uncertainty.OUTPUTS:
        p10, p50, p90 = f.p(key)
        assert p10 <= p50 + 1e-6 and p50 <= p90 + 1e-6
    assert f.percentiles == uncertainty.monte_carlo(w, A, n=200, seed=seed).percentiles


def test_pert_sampler_matches_the_beta_distribution():
    """The table sampler draws the same PERT as numpy's beta sampler (mean (a+4m+b)/6)."""

    rng = np.random.default_rng(7)
    draws = uncertainty.pert(rng, 0.0, 3.0, 10.0, 400_000)
    assert draws.mean() == pytest.approx((0 + 4 * 3 + 10) / 6, rel=0.005)    # 3.667
    ref = 10 * np.random.default_rng(8).beta(1 + 4 * 3 / 10, 1 + 4 * 7 / 10, 400_000)
    for q in (10, 50, 90):
        assert np.percentile(draws, q) == pytest.approx(np.percentile(ref, q), rel=0.01)
    assert draws.min() >= 0 and draws.max() <= 10
    columns = uncertainty.pert(rng, [0.0, 5.0], [3.0, 5.0], [10.0, 5.0], (1000, 2))
    assert (columns[:, 1] == 5.0).all()                  # a column without a range is exact


def test_collapsed_demo_payback_and_resident_hours_equal_impact(demo_session):
    from kit.io import store

    session = store.load_session(demo_session)
    w = store.load_work(demo_session, "g03")      # the demo group that pays back
    exact_steps = [s.model_copy(update={"minutes_after_low": None, "minutes_after_high": None})
                   for s in w.steps]
    w = w.model_copy(update={"steps": exact_steps})
    m = impact.compute(w, session.assumptions)
    f = uncertainty.monte_carlo(w, session.assumptions, n=20)
    assert m.payback_years is not None and 0 < m.payback_years < 5
    assert f.p("payback_years") == pytest.approx((m.payback_years,) * 3, rel=1e-9)
    assert f.p("resident_hours_saved") == pytest.approx((m.resident_hours_saved,) * 3,
                                                        rel=1e-9)
    assert f.p("quick_win_hours_saved") == pytest.approx((m.quick_win_hours_saved,) * 3,
                                                         rel=1e-9)
    assert f.p("redesign_hours_saved") == pytest.approx((m.redesign_hours_saved,) * 3,
                                                        rel=1e-9)
