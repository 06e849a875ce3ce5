"""A group's counter profile (窓口): counters open, when residents come, what a log measured.

Stored in the group's workspace as ``GroupWork.counter`` (None: the group has no counter
profile and its handout shows no queue). Arrivals per hour in month *m* and hour *h* are
``visitors a year × w_m / Σw / open days a month × v_h / Σv`` (``month_weights`` w, e.g. the
3月・4月 peak of moving season, and ``hour_weights`` v over the opening hours), unless a log
gave them (``log_arrivals``: 12 months × 24 hours, arrivals per hour of an open day).
The arithmetic is in :mod:`kit.domain.frontyard.measures` and docs/frontyard.md. Pure: pydantic only.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from kit import i18n
from kit.domain.values import to_number

MONTHS = 12
HOURS = 24

Count = Annotated[int, BeforeValidator(to_number), Field(ge=1, le=500)]
Weight = Annotated[float, BeforeValidator(to_number), Field(ge=0, le=1e6)]
Minutes = Annotated[float, BeforeValidator(to_number), Field(ge=0, le=10_000)]
Share = Annotated[float, BeforeValidator(to_number), Field(ge=0, le=1)]
Hour = Annotated[int, BeforeValidator(to_number), Field(ge=0, le=24)]
PerYear = Annotated[float, BeforeValidator(to_number), Field(ge=0, le=1e8)]


def _problem(key: str) -> ValueError:
    return ValueError(" / ".join(i18n.both(key)))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, str_strip_whitespace=True)


class Measured(_Strict):
    """Front-yard figures measured from an event log (``kit log import``)."""

    source: Annotated[str, Field(max_length=200)] = ""
    period: Annotated[str, Field(max_length=60)] = ""        # first – last day in the log
    cases: PerYear = 0.0
    visitors_per_year: PerYear | None = None
    mean_wait_minutes: Minutes | None = None
    time_in_office_minutes: Minutes | None = None
    service_minutes: Minutes | None = None


class CounterProfile(_Strict):
    counters: Count = 2
    counters_after: Count | None = None            # To-Be; None: as many as now
    counter_share: Share = 1.0                     # share of cases served at the counter
    open_hour: Hour = 8                            # first hour open (8 = 8:00–8:59)
    close_hour: Hour = 17                          # first hour closed
    open_days_per_month: Annotated[float, BeforeValidator(to_number),
                                   Field(gt=0, le=31)] = 20.0
    month_weights: list[Weight] = Field(default_factory=lambda: [1.0] * MONTHS,
                                        min_length=MONTHS, max_length=MONTHS)
    hour_weights: list[Weight] = Field(default_factory=list, max_length=HOURS)
    target_minutes: Minutes = 15.0
    target_share: Annotated[float, BeforeValidator(to_number), Field(gt=0, lt=1)] = 0.8
    service_sigma: Annotated[float, BeforeValidator(to_number),
                             Field(gt=0, le=5)] | None = None   # lognormal shape, from a log
    log_arrivals: list[list[Weight]] = Field(default_factory=list, max_length=MONTHS)
    measured: dict[str, Measured] = Field(default_factory=dict, max_length=2)

    @model_validator(mode="after")
    def _consistent(self):
        if self.close_hour <= self.open_hour:
            raise _problem("fy.err.hours_order")
        if self.hour_weights and len(self.hour_weights) != self.close_hour - self.open_hour:
            raise _problem("fy.err.hour_weights_length")
        if sum(self.month_weights) <= 0 or (self.hour_weights and sum(self.hour_weights) <= 0):
            raise _problem("fy.err.weights_zero")
        if self.log_arrivals and (len(self.log_arrivals) != MONTHS or
                                  any(len(row) != HOURS for row in self.log_arrivals)):
            raise _problem("fy.err.log_arrivals_shape")
        if set(self.measured) - {"asis", "actuals"}:
            raise _problem("fy.err.measured_kind")
        return self

    @property
    def counters_tobe(self) -> int:
        return self.counters if self.counters_after is None else self.counters_after

    @property
    def hours(self) -> range:
        return range(self.open_hour, self.close_hour)
