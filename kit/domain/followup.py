"""Follow-up after go-live (docs/formulas.md, "Follow-up"): record measured actuals, compare with the
forecast per step and in total.

Actuals live in the group's workspace (``GroupWork.actuals``) and are saved through
:func:`kit.io.store.save_work` (:mod:`kit.workspace.followup`) (atomic, versioned, conflict-checked). A value not measured is
None: per step the comparison then says "not measured", and in the totals the forecast value
stands in for it (so the total shows what the measured values change).

Actual figures use the same arithmetic as the forecast (:mod:`kit.domain.impact`) with the measured
To-Be minutes, annual cases, online uptake and costs put in place of the planned ones.
"""

from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd

from kit import i18n
from kit.domain import impact
from kit.domain.model import Actuals, Assumptions, GroupWork
from kit.exceptions import InputError

MEASURES = ("annual_cases", "uptake", "initial_cost_yen", "annual_cost_yen")


def has_actuals(work: GroupWork) -> bool:
    a = work.actuals
    return bool(a.minutes) or any(getattr(a, k) is not None for k in MEASURES)


def with_actuals(work: GroupWork, actuals: dict) -> GroupWork:
    """``work`` with ``actuals`` merged into its recorded actuals (validated, not saved)."""
    old = work.actuals.model_dump()
    data = {**old, **actuals}
    data["minutes"] = {**old["minutes"], **(actuals.get("minutes") or {})}
    ids = {s.id for s in work.steps}
    unknown = [k for k in data.get("minutes", {}) if k not in ids]
    if unknown:
        raise InputError(*i18n.both("fu.err.unknown_step", value=unknown[0]),
                         field="actuals.minutes", value=unknown[0])
    if not data.get("measured_on"):
        data["measured_on"] = _dt.date.today().isoformat()
    try:
        _dt.date.fromisoformat(str(data["measured_on"]))
    except ValueError:
        raise InputError(*i18n.both("fu.err.date", value=data["measured_on"]),
                         field="actuals.measured_on", value=data["measured_on"]) from None
    parsed = Actuals.parse(data, where=i18n.t("fu.actuals"))
    return work.model_copy(update={"actuals": parsed})


def actual_work(work: GroupWork) -> GroupWork:
    """The workspace as measured: actual To-Be minutes, cases, uptake and costs in place."""
    a = work.actuals
    steps = [s.model_copy(update={"minutes_after": a.minutes[s.id],
                                  "minutes_after_low": None, "minutes_after_high": None})
             if s.id in a.minutes else s for s in work.steps]
    costs = work.costs.model_copy(update={
        k: getattr(a, k) for k in ("initial_cost_yen", "annual_cost_yen")
        if getattr(a, k) is not None})
    update = {"steps": steps, "costs": costs}
    if a.annual_cases is not None:
        update["annual_cases"] = a.annual_cases
    if a.uptake is not None:
        update.update(uptake=a.uptake, uptake_by_year=[])
    return work.model_copy(update=update)


def compare_steps(work: GroupWork, assumptions: Assumptions) -> pd.DataFrame:
    """Per step: As-Is, forecast and actual minutes per case and staff hours a year."""
    forecast = impact.step_table(work, impact.group_uptake(work, assumptions))
    real = actual_work(work)
    actual = impact.step_table(real, impact.group_uptake(real, assumptions))
    measured = np.array([s.id in work.actuals.minutes for s in work.steps], dtype=bool)
    low = [s.minutes_after_low for s in work.steps]
    high = [s.minutes_after_high for s in work.steps]
    out = pd.DataFrame({
        "id": forecast["id"], "name": forecast["name"], "staff": forecast["staff"],
        "minutes": forecast["minutes"], "forecast_minutes": forecast["minutes_after"],
        "forecast_low": [np.nan if v is None else v for v in low],
        "forecast_high": [np.nan if v is None else v for v in high],
        "actual_minutes": np.where(measured, actual["minutes_after"], np.nan),
        "forecast_hours": forecast["hours_after"], "actual_hours": actual["hours_after"],
    })
    out["diff_minutes"] = out["actual_minutes"] - out["forecast_minutes"]
    lo = out["forecast_low"].fillna(out["forecast_minutes"])
    hi = out["forecast_high"].fillna(out["forecast_minutes"])
    out["within_range"] = np.where(measured, (out["actual_minutes"] >= lo - 1e-9)
                                   & (out["actual_minutes"] <= hi + 1e-9), np.nan)
    return out


def compare_totals(work: GroupWork, assumptions: Assumptions) -> pd.DataFrame:
    """Forecast vs actual: cases, uptake, costs, staff hours saved, cost saved, NPV."""
    f = impact.compute(work, assumptions)
    a = impact.compute(actual_work(work), assumptions)
    rows = {
        "annual_cases": (f.annual_cases, a.annual_cases),
        "uptake": (f.uptake, a.uptake),
        "initial_cost_yen": (f.initial_cost_yen, a.initial_cost_yen),
        "annual_cost_yen": (f.annual_cost_yen, a.annual_cost_yen),
        "hours_saved": (f.hours_saved, a.hours_saved),
        "cost_saved_yen": (f.cost_saved_yen, a.cost_saved_yen),
        "npv_yen": (f.npv_yen, a.npv_yen),
    }
    out = pd.DataFrame(rows, index=["forecast", "actual"]).T
    out["diff"] = out["actual"] - out["forecast"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["ratio"] = np.where(out["forecast"] != 0, out["actual"] / out["forecast"], np.nan)
    return out
