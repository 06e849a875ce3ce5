"""After go-live (docs/after-workshop.md): the follow-up schedule, the trend of forecast
against measured, and the realisation rate per group and for the city.

**Schedule.** Measurements are due 30 / 60 / 90 / 180 / 365 days after the go-live date in
the charter. A checkpoint is *recorded* when a snapshot was measured inside its window
(from halfway after the previous checkpoint to halfway to the next: 15–44, 45–74, 75–134,
135–272, 273–547 days), *due* when its day has come without one, else *upcoming*. Each
checkpoint lists the open actions falling due since the previous one.

**Realisation rate** ``R = H_real / H_prop``: staff hours saved a year as measured (the
latest value of each measure, the forecast standing in for what was not measured: see
:func:`kit.domain.after.followup.actual_work`) over the hours proposed (the forecast). ``coverage``
says how much of the proposed saving lies in steps whose minutes were measured. For the city,
the hours are summed over the groups that recorded a follow-up (a ratio of sums, not a mean
of ratios: a big group weighs more).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kit.domain.after import followup
from kit.domain.after.plan import OPEN
from kit.domain.dates import as_date
from kit.domain.model import Assumptions, GroupWork
from kit.domain.money import impact

CHECKPOINTS = (30, 60, 90, 180, 365)


def _windows() -> list[tuple[float, float]]:
    days = (0, *CHECKPOINTS)
    out = []
    for i, day in enumerate(CHECKPOINTS, start=1):
        upper = (day + days[i + 1]) / 2 if i < len(CHECKPOINTS) else day * 1.5
        out.append(((days[i - 1] + day) / 2, upper))
    return out


@dataclass(frozen=True)
class Checkpoint:
    days: int
    date: str                      # "" without a go-live date
    state: str                     # recorded / due / upcoming / no_date
    snapshots: list[str] = field(default_factory=list)       # measured_on dates in its window
    actions: list[str] = field(default_factory=list)         # open actions falling due


def schedule(work: GroupWork, as_of: _dt.date) -> list[Checkpoint]:
    """The follow-up checkpoints after the charter's go-live date (see the module doc)."""
    go_live = as_date(work.charter.go_live)
    out = []
    previous: _dt.date | None = None
    for day, (low, high) in zip(CHECKPOINTS, _windows(), strict=True):
        if go_live is None:
            out.append(Checkpoint(day, "", "no_date"))
            continue
        when = go_live + _dt.timedelta(days=day)
        snaps = [a.measured_on for a in work.snapshots if a.measured_on and followup.measured(a)
                 and low <= (as_date(a.measured_on) - go_live).days < high]
        due = [a.title for a in work.actions
               if a.status in OPEN and a.due and as_date(a.due) <= when
               and (previous is None or as_date(a.due) > previous)]
        state = "recorded" if snaps else "due" if when <= as_of else "upcoming"
        out.append(Checkpoint(day, when.isoformat(), state, snaps, due))
        previous = when
    return out


@dataclass(frozen=True)
class Realisation:
    group: str
    proposed_hours: float          # forecast staff hours saved a year
    realised_hours: float | None   # as measured; None before any follow-up
    coverage: float | None         # share of the proposed saving in measured steps
    measured_on: str = ""

    @property
    def rate(self) -> float | None:
        if self.realised_hours is None or self.proposed_hours <= 0:
            return None
        return self.realised_hours / self.proposed_hours


def realisation(work: GroupWork, assumptions: Assumptions, upto: str | None = None,
                proposed: impact.Impact | None = None) -> Realisation:
    """Realised ÷ proposed staff hours; ``proposed`` is ``impact.compute(work, assumptions)``
    when the caller has it already."""
    proposed = (proposed or impact.compute(work, assumptions)).hours_saved
    state = followup.state_at(work, upto)
    if not followup.measured(state):
        return Realisation(work.group_id, proposed, None, None)
    real = followup.actual_work(work, assumptions.horizon_years, upto)
    realised = impact.compute(real, assumptions).hours_saved
    steps = impact.step_table(work, impact.group_uptake(work, assumptions))
    staff_saved = steps["hours_saved"].where(steps["staff"], 0.0)
    in_measured = staff_saved[steps["id"].isin(list(state.minutes))].sum()
    coverage = float(in_measured / staff_saved.sum()) if staff_saved.sum() > 0 else None
    return Realisation(work.group_id, proposed, realised, coverage, state.measured_on)


def city_realisation(rows: list[Realisation]) -> Realisation:
    """The city's rate: Σ realised ÷ Σ proposed over the groups that recorded a follow-up."""
    done = [r for r in rows if r.realised_hours is not None]
    return Realisation("", float(sum(r.proposed_hours for r in done)),
                       float(sum(r.realised_hours for r in done)) if done else None, None,
                       max((r.measured_on for r in done), default=""))


def trend(work: GroupWork, assumptions: Assumptions) -> pd.DataFrame:
    """One row per follow-up snapshot: days after go-live, forecast and measured staff hours
    saved a year and online uptake (forecast = the planned ramp's value for that year)."""
    planned = impact.uptake_by_year(work, assumptions)
    forecast_hours = impact.compute(work, assumptions).hours_saved
    go_live = as_date(work.charter.go_live)
    rows = []
    for a in sorted(work.snapshots, key=lambda a: a.measured_on):
        if not followup.measured(a):
            continue
        year = followup.year_of(work, a.measured_on)
        real = impact.compute(followup.actual_work(work, assumptions.horizon_years,
                                                   a.measured_on), assumptions)
        rows.append({
            "measured_on": a.measured_on,
            "days": (as_date(a.measured_on) - go_live).days if go_live else np.nan,
            "forecast_hours": forecast_hours, "actual_hours": real.hours_saved,
            "forecast_uptake": float(planned[min(year, len(planned)) - 1]),
            "actual_uptake": np.nan if a.uptake is None else a.uptake})
    return pd.DataFrame(rows, columns=["measured_on", "days", "forecast_hours",
                                       "actual_hours", "forecast_uptake", "actual_uptake"])

