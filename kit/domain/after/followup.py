"""Follow-up after go-live (docs/formulas.md, "Follow-up"): record measured actuals, compare with the
forecast per step and in total.

Actuals live in the group's workspace (``GroupWork.actuals``) and are saved through
:func:`kit.io.store.save_work` (:mod:`kit.workspace.followup`) (atomic, versioned, conflict-checked). A value not measured is
None: per step the comparison then says "not measured", and in the totals the forecast value
stands in for it (so the total shows what the measured values change).

Actual figures use the same arithmetic as the forecast (:mod:`kit.domain.money.impact`) with the measured
To-Be minutes, annual cases, online uptake and costs put in place of the planned ones.
"""

from __future__ import annotations

import datetime as _dt
import math

import numpy as np
import pandas as pd

from kit import i18n
from kit.domain.dates import as_date, to_iso_date
from kit.domain.model import Actuals, Assumptions, GroupWork
from kit.domain.money import impact
from kit.exceptions import InputError

MEASURES = ("annual_cases", "uptake", "initial_cost_yen", "annual_cost_yen")


def measured(a: Actuals) -> bool:
    return bool(a.minutes) or any(getattr(a, k) is not None for k in MEASURES)


def has_actuals(work: GroupWork) -> bool:
    return any(measured(a) for a in work.snapshots)


def followup_date(text: object) -> str:
    iso = to_iso_date(text or "")
    try:
        return _dt.date.fromisoformat(iso).isoformat() if iso else ""
    except (TypeError, ValueError):
        raise InputError(*i18n.both("fu.err.date", value=text),
                         field="actuals.measured_on", value=text) from None


def with_actuals(work: GroupWork, actuals: dict, *, replace: str | None = None) -> GroupWork:
    """``work`` with ``actuals`` recorded (validated, not saved).

    Merged into the snapshot measured on ``actuals["measured_on"]`` (a new snapshot when there
    is none that day); without a date, into the latest snapshot (or a new one dated today).
    ``replace``: the date of a snapshot that ``actuals`` replaces entirely (the editor).
    """
    snaps = list(work.snapshots)
    date = followup_date(actuals.get("measured_on"))
    key = replace if replace is not None else date or work.actuals.measured_on
    idx = next((i for i, a in enumerate(snaps) if a.measured_on == key), None)
    if replace is not None or idx is None:
        old = Actuals().model_dump()
    else:
        old = snaps[idx].model_dump()
    data = {**old, **actuals, "measured_on": date or key or _dt.date.today().isoformat()}
    data["minutes"] = {**old["minutes"], **(actuals.get("minutes") or {})}
    ids = {s.id for s in work.steps}
    unknown = [k for k in data["minutes"] if k not in ids]
    if unknown:
        raise InputError(*i18n.both("fu.err.unknown_step", value=unknown[0]),
                         field="actuals.minutes", value=unknown[0])
    parsed = Actuals.parse(data, where=i18n.t("fu.actuals"))
    if replace is not None and parsed.measured_on != replace and any(
            a.measured_on == parsed.measured_on for a in snaps):
        raise InputError(*i18n.both("aft.err.same_date", value=parsed.measured_on),
                         field="actuals.measured_on", value=parsed.measured_on)
    if idx is not None:
        snaps.pop(idx)
    snaps = [a for a in snaps if a.measured_on != parsed.measured_on] + [parsed]
    return work.model_copy(update={"snapshots": sorted(snaps, key=lambda a: a.measured_on)})


def state_at(work: GroupWork, upto: str | None = None) -> Actuals:
    """What is known on ``upto`` (ISO date; None = everything): each measure's latest value
    measured on or before that day, step minutes merged by step (later values win)."""
    data = Actuals().model_dump()
    for a in sorted(work.snapshots, key=lambda a: a.measured_on):
        if upto is not None and a.measured_on > upto:
            break
        data["measured_on"] = a.measured_on
        data.update({k: getattr(a, k) for k in MEASURES if getattr(a, k) is not None})
        data["minutes"].update(a.minutes)
        data["notes"] = a.notes or data["notes"]
    return Actuals.model_validate(data)


def year_of(work: GroupWork, measured_on: str) -> int:
    """The year after go-live (1, 2 …) a measurement falls in: day 1–365 is year 1. Without a
    go-live date in the charter, every measurement counts for year 1."""
    go_live = as_date(work.charter.go_live)
    if go_live is None or not measured_on:
        return 1
    days = (_dt.date.fromisoformat(measured_on) - go_live).days
    return max(1, math.ceil(days / 365))


def measured_ramp(work: GroupWork, horizon: int, upto: str | None = None) -> list[float]:
    """Online uptake in years 1..T as measured: year *y* takes the latest uptake measured up
    to the end of year *y*; years before the first measurement take the first measured
    value, years after the last take the last one. ``[]`` when no uptake was measured."""
    points = sorted((a.measured_on, year_of(work, a.measured_on), a.uptake)
                    for a in work.snapshots
                    if a.uptake is not None and (upto is None or a.measured_on <= upto))
    if not points:
        return []
    ramp = []
    for y in range(1, horizon + 1):
        known = [u for _, year, u in points if year <= y]
        ramp.append(known[-1] if known else points[0][2])
    return ramp


def actual_work(work: GroupWork, horizon: int = 30, upto: str | None = None) -> GroupWork:
    """The workspace as measured on ``upto``: measured To-Be minutes, cases, uptake (the
    measured ramp replaces the planned one) and costs in place; the rest as planned."""
    a = state_at(work, upto)
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
        update.update(uptake=a.uptake, uptake_by_year=measured_ramp(work, horizon, upto))
    return work.model_copy(update=update)


def compare_steps(work: GroupWork, assumptions: Assumptions) -> pd.DataFrame:
    """Per step: As-Is, forecast and actual minutes per case and staff hours a year."""
    forecast = impact.step_table(work, impact.group_uptake(work, assumptions))
    real = actual_work(work, assumptions.horizon_years)
    actual = impact.step_table(real, impact.group_uptake(real, assumptions))
    known = state_at(work).minutes
    measured = np.array([s.id in known for s in work.steps], dtype=bool)
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


def compare_totals(work: GroupWork, assumptions: Assumptions,
                   upto: str | None = None) -> pd.DataFrame:
    """Forecast vs actual: cases, uptake, costs, staff hours saved, cost saved, NPV."""
    f = impact.compute(work, assumptions)
    a = impact.compute(actual_work(work, assumptions.horizon_years, upto), assumptions)
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
