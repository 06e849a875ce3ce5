"""Follow-ups over time: snapshots, the measured uptake in the money, the realisation rate,
the schedule after go-live, and old workspaces with one ``actuals``."""

import datetime as dt
import json

import pytest

from kit.domain.after import followup, progress
from kit.domain.model import Assumptions, GroupWork, Session
from kit.domain.money import impact
from kit.io import store
from kit.workspace.followup import record_actuals

A = Assumptions(labour_cost_yen_per_hour=3000, horizon_years=5, discount_rate=0.0, uptake=0.3)


def ramp_work() -> GroupWork:
    """One uptake-dependent step: 1000 cases × 9 min → 0 = 150 h a year at full uptake."""
    return GroupWork.parse({
        "group_id": "g1", "theme": "児童手当", "annual_cases": 1000, "uptake": 0.3,
        "uptake_by_year": [0.3, 0.6],
        "charter": {"go_live": "2027-04-01"},
        "steps": [{"id": "b", "name": "入力", "actor": "back_office", "minutes": 9,
                   "action": "automate", "minutes_after": 0, "uptake_dependent": True}],
        "costs": {"initial_cost_yen": 1_000_000, "annual_cost_yen": 100_000}})


def test_measured_uptake_replaces_the_planned_ramp():
    w = ramp_work()
    f = impact.compute(w, A)
    # forecast ramp 30 % → 60 % held: 45 + 4 × 90 = 405 h → 1,215,000 yen;
    # NPV = −1,000,000 + 1,215,000 − 5 × 100,000 = −285,000
    assert f.npv_yen == pytest.approx(-285_000)
    # measured: 20 % on day 180 (year 1), 45 % on day 400 (year 2)
    w = followup.with_actuals(w, {"measured_on": "2027-09-28", "uptake": 0.2})
    w = followup.with_actuals(w, {"measured_on": "2028-05-05", "uptake": 0.45})
    assert len(w.snapshots) == 2
    assert followup.measured_ramp(w, 5) == [0.2, 0.45, 0.45, 0.45, 0.45]
    t = followup.compare_totals(w, A)
    # actual: 150 × (0.2 + 4 × 0.45) = 30 + 270 = 300 h → 900,000 yen over 5 years;
    # NPV = −1,000,000 + 900,000 − 500,000 = −600,000 (a kept ramp would give −285,000,
    # a flat 45 % −487,500)
    assert t.loc["npv_yen", "actual"] == pytest.approx(-600_000)
    # the annual figures at the latest measured uptake: 0.45 × 150 = 67.5 h, 202,500 yen
    assert t.loc["hours_saved", "actual"] == pytest.approx(67.5)
    assert t.loc["cost_saved_yen", "actual"] == pytest.approx(202_500)
    # as known after the first follow-up only: 20 % every year → 150 h → 450,000 yen;
    # NPV = −1,000,000 + 450,000 − 500,000 = −1,050,000
    early = followup.compare_totals(w, A, upto="2027-12-31")
    assert early.loc["npv_yen", "actual"] == pytest.approx(-1_050_000)


def two_step_work(gid="g1") -> GroupWork:
    return GroupWork.parse({
        "group_id": gid, "theme": "t", "annual_cases": 1000, "uptake": 0.5,
        "steps": [{"id": "a", "name": "受付", "actor": "counter", "minutes": 10,
                   "action": "simplify", "minutes_after": 4},
                  {"id": "b", "name": "入力", "actor": "back_office", "minutes": 9,
                   "action": "automate", "minutes_after": 0, "uptake_dependent": True}]})


def test_realisation_rate_per_group_and_for_the_city():
    w = two_step_work()
    # proposed: 1000 × 6/60 + 0.5 × 1000 × 9/60 = 100 + 75 = 175 h
    assert progress.realisation(w, A).rate is None                 # nothing measured yet
    w = followup.with_actuals(w, {"measured_on": "2027-10-01", "minutes": {"a": 7},
                                  "uptake": 0.4})
    r = progress.realisation(w, A)
    # realised: 1000 × 3/60 + 0.4 × 150 = 50 + 60 = 110 h; 110 / 175 = 62.86 %
    assert (r.proposed_hours, r.realised_hours) == pytest.approx((175, 110))
    assert r.rate == pytest.approx(110 / 175)
    assert r.coverage == pytest.approx(100 / 175)       # step a carries 100 of the 175 h
    g2 = two_step_work("g2").model_copy(update={"uptake": 0.0})
    # g2 proposes 100 h (no uptake); measured 10 → 9 min: 1000 × 1/60 = 16.67 h realised
    g2 = followup.with_actuals(g2, {"measured_on": "2027-10-01", "minutes": {"a": 9}})
    g3 = two_step_work("g3")                             # no follow-up: not counted
    rows = [r, progress.realisation(g2, A), progress.realisation(g3, A)]
    city = progress.city_realisation(rows)
    # (110 + 16.67) / (175 + 100) = 46.06 % (the mean of the ratios would be 39.8 %)
    assert city.rate == pytest.approx((110 + 1000 / 60) / 275)


def test_schedule_after_go_live():
    w = two_step_work().model_copy(update={"charter": ramp_work().charter})
    w = w.model_copy(update={"actions": GroupWork.parse({
        "group_id": "g1", "theme": "t", "actions": [
            {"title": "様式", "due": "2027-05-20"},                     # open, by day 60
            {"title": "RPA", "due": "2027-05-20", "status": "done"},     # done: not listed
            {"title": "電子申請", "due": "2027-04-15", "status": "doing"}]}).actions})
    w = followup.with_actuals(w, {"measured_on": "2027-05-03", "uptake": 0.2})   # day 32
    cps = progress.schedule(w, dt.date(2027, 7, 15))
    # 2027-04-01 + 30 = 05-01, + 60 = 05-31, + 90 = 06-30, + 180 = 09-28 (29+31+30+31+31+28),
    # + 365 = 2028-03-31 (2028 has 29 February)
    assert [(c.days, c.date, c.state) for c in cps] == [
        (30, "2027-05-01", "recorded"), (60, "2027-05-31", "due"), (90, "2027-06-30", "due"),
        (180, "2027-09-28", "upcoming"), (365, "2028-03-31", "upcoming")]
    assert cps[0].snapshots == ["2027-05-03"] and cps[0].actions == ["電子申請"]
    assert cps[1].actions == ["様式"] and cps[2].actions == []
    no_date = progress.schedule(two_step_work(), dt.date(2027, 7, 15))
    assert {c.state for c in no_date} == {"no_date"}


def test_trend_has_one_row_per_snapshot():
    w = followup.with_actuals(ramp_work(), {"measured_on": "2027-09-28", "uptake": 0.2})
    w = followup.with_actuals(w, {"measured_on": "2028-05-05", "uptake": 0.45})
    t = progress.trend(w, A)
    # day 180 in year 1 (planned 30 %), day 400 in year 2 (planned 60 %)
    assert list(t["days"]) == [180, 400]
    assert list(t["forecast_uptake"]) == [0.3, 0.6] and list(t["actual_uptake"]) == [0.2, 0.45]
    # hours at the measured uptake: 0.2 × 150 = 30 h, 0.45 × 150 = 67.5 h; forecast 45 h
    assert list(t["actual_hours"]) == pytest.approx([30, 67.5])
    assert list(t["forecast_hours"]) == pytest.approx([45, 45])


def test_old_workspace_with_one_actuals_is_read(tmp_path):
    store.create_session(tmp_path / "s", Session(name="t", assumptions=A), [two_step_work()])
    file = store.path("work", tmp_path / "s", "g1")
    data = json.loads(file.read_text(encoding="utf-8"))
    data.pop("snapshots"), data.pop("charter"), data.pop("actions")
    data["actuals"] = {"measured_on": "2027-10-01", "uptake": 0.4, "minutes": {"a": 7},
                       "annual_cases": None, "initial_cost_yen": None,
                       "annual_cost_yen": None, "notes": ""}
    file.write_text(json.dumps(data), encoding="utf-8")
    w = store.load_work(tmp_path / "s", "g1")
    assert [(a.measured_on, a.uptake) for a in w.snapshots] == [("2027-10-01", 0.4)]
    # a later follow-up adds a second snapshot; a date-less one merges into the latest
    w = record_actuals(tmp_path / "s", "g1", measured_on="2028/4/1", uptake=0.5)
    w = record_actuals(tmp_path / "s", "g1", minutes={"b": 1})
    assert [(a.measured_on, a.uptake, a.minutes) for a in w.snapshots] == [
        ("2027-10-01", 0.4, {"a": 7}), ("2028-04-01", 0.5, {"b": 1})]
    assert followup.state_at(w).minutes == {"a": 7, "b": 1}
    assert "actuals" not in json.loads(file.read_text(encoding="utf-8"))
