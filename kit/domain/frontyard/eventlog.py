"""Measured As-Is from event logs (発券機・業務システムのログ), docs/frontyard.md "Event logs".

A log has one row per activity of a case: case id, activity name, start and end time, rows in
any order. Vectorised pandas throughout (no loop over rows):

- **per activity**: count and the P10, median and P90 of ``end − start`` in minutes
  (linear interpolation between order statistics, as ``pandas.quantile``);
- **waits**: the rows of a case sorted by start; the wait before an activity is its start minus
  the end of the case's previous activity (0 when they overlap); per pair of consecutive
  activities: count, median and P90;
- **per case**: arrival = first start; time in the office = last end − first start; service =
  Σ activity minutes; wait = Σ waits. Means over cases are the measured front-yard figures;
  a lognormal fitted to the service minutes (σ = standard deviation of their logarithm) gives
  the simulation its service-time shape;
- **arrivals by month × hour**: cases arriving in month *m* and hour *h*, divided by the days
  of month *m* on which anybody arrived (per hour of an open day, as the counter profile);
  visitors a year = cases × 365.25 / days covered (first to last day, inclusive); the
  profile's open days a month become the log's days with arrivals ÷ months with arrivals.

Activities match steps by name (NFKC, case, spaces, ``_`` and ``-`` ignored).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kit import i18n
from kit.domain.after import followup
from kit.domain.frontyard.counter import HOURS, MONTHS, CounterProfile, Measured
from kit.domain.model import Action, GroupWork, Step
from kit.domain.values import header_key
from kit.exceptions import InputError

FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S",
           "%Y-%m-%d %H:%M", "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M")
COLUMNS = ("case", "activity", "start", "end")


@dataclass
class LogSummary:
    activities: pd.DataFrame        # index activity: count, p10, median, p90 (minutes)
    waits: pd.DataFrame             # index (from, to): count, median, p90 (minutes)
    cases: int
    events: int
    arrivals: np.ndarray            # 12 × 24 arrivals per hour of an open day
    first_day: str
    last_day: str
    measured: Measured
    service_sigma: float | None
    open_days_per_month: float      # days with arrivals ÷ months with arrivals


def _bad_row(key: str, frame: pd.DataFrame, mask: np.ndarray, column: str) -> InputError:
    pos = int(np.argmax(mask))
    row, value = frame.index[pos], frame[column].iloc[pos]
    ja, en = (i18n.t("err.row", lang, row=row, message=i18n.t(
        key, lang, field=column, value=value)) for lang in ("ja", "en"))
    return InputError(ja, en, field=column, value=value, row=int(row))


_SEPARATORS = ((4, "/-"), (7, "/-"), (10, " T"), (13, ":"), (16, ":"))
_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
WIDTH = 19                        # len("2026/04/01 09:03:00")


def _days_from_civil(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    y = y - (m <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * (m + np.where(m > 2, -3, 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _fixed_width(values: np.ndarray) -> np.ndarray:
    """``YYYY/MM/DD HH:MM:SS`` (or ``-``, ``T``) read by character position, all rows at once
    (one joined ASCII buffer); NaT for a row in any other layout or with an impossible date."""
    n = len(values)
    times = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    try:
        blob = "".join(values).encode("ascii")
    except (TypeError, UnicodeEncodeError):
        return times
    if len(blob) != WIDTH * n:
        return times
    chars = np.frombuffer(blob, dtype=np.uint8).reshape(n, WIDTH)
    ok = np.ones(n, dtype=bool)
    for pos, allowed in _SEPARATORS:
        ok &= np.isin(chars[:, pos], np.frombuffer(allowed.encode(), dtype=np.uint8))

    def number(first: int, last: int) -> np.ndarray:
        value = np.zeros(n, dtype=np.int64)
        for pos in range(first, last):
            digit = chars[:, pos].astype(np.int64) - 48
            ok[:] &= (digit >= 0) & (digit <= 9)
            value = value * 10 + digit
        return value

    year, month, day = number(0, 4), number(5, 7), number(8, 10)
    hour, minute, second = number(11, 13), number(14, 16), number(17, 19)
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    ok &= (month >= 1) & (month <= 12) & (hour <= 23) & (minute <= 59) & (second <= 59)
    length = _MONTH_DAYS[np.clip(month, 1, 12) - 1] + (leap & (month == 2))
    ok &= (day >= 1) & (day <= length) & (year >= 1900)
    stamp = (_days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second)
    times[ok] = stamp[ok].astype("datetime64[s]")
    return times


def parse_times(frame: pd.DataFrame, column: str) -> np.ndarray:
    """Timestamps as Japanese exports write them (``2026/04/01 09:03:00``), vectorised:
    fixed positions first; the rows left (``2026/4/1 9:03``, full-width digits, ``年月日``)
    by pandas with the formats in :data:`FORMATS`, then any layout pandas reads."""
    values = frame[column].to_numpy(dtype=object)
    times = _fixed_width(values)
    missing = np.isnat(times)
    if missing.any():
        text = pd.Series(values[missing]).fillna("").astype(str).str.normalize("NFKC").str.strip()
        parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[s]")
        for fmt in (*FORMATS, "mixed"):
            left = parsed.isna().to_numpy()
            if not left.any():
                break
            parsed[left] = pd.to_datetime(text[left], format=fmt, errors="coerce")
        times[missing] = parsed.to_numpy(dtype="datetime64[s]")
        missing = np.isnat(times)
    if missing.any():
        raise _bad_row("fy.err.time", frame, missing, column)
    return times


def _codes(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and the stripped names they stand for (a blank name is refused)."""
    codes, uniques = pd.factorize(frame[column].to_numpy(dtype=object), use_na_sentinel=False)
    names = pd.Series(uniques, dtype=object).fillna("").astype(str).str.strip()
    names, again = names.to_numpy(dtype=object), None
    if len(set(names)) < len(names):          # " A" and "A": one name
        again, names = pd.factorize(names)
        codes = again[codes]
    blank = names[codes] == ""
    if blank.any():
        raise _bad_row("err.required", frame, blank, column)
    return codes, np.asarray(names, dtype=object)


def _quantiles(values: np.ndarray, groups: np.ndarray) -> pd.DataFrame:
    g = pd.Series(values).groupby(groups, sort=True)
    return pd.DataFrame({"count": g.size(), "p10": g.quantile(0.1), "median": g.median(),
                         "p90": g.quantile(0.9)})


def analyse(frame: pd.DataFrame, columns: dict[str, str]) -> LogSummary:
    """The figures of a log; ``columns`` maps case/activity/start/end to the frame's headers."""
    if frame.empty:
        raise InputError(*i18n.both("err.no_rows", value=""), field="log")
    start, end = parse_times(frame, columns["start"]), parse_times(frame, columns["end"])
    minutes = (end - start) / np.timedelta64(1, "m")
    if (minutes < 0).any():
        raise _bad_row("fy.err.end_before_start", frame, minutes < 0, columns["end"])
    case, _ = _codes(frame, columns["case"])
    activity, names = _codes(frame, columns["activity"])
    activities = _quantiles(minutes, activity)
    activities.index = names[activities.index]
    activities = activities.sort_values("count", ascending=False, kind="stable")
    activities.index.name = "activity"

    order = np.lexsort((end, start, case))
    case, activity, start, end, minutes = (a[order] for a in (case, activity, start, end,
                                                               minutes))
    same = np.concatenate([[False], case[1:] == case[:-1]])
    gap = np.concatenate([[0.0], (start[1:] - end[:-1]) / np.timedelta64(1, "m")])
    wait = np.where(same, np.maximum(gap, 0.0), 0.0)
    previous = np.concatenate([[0], activity[:-1]])
    pair = previous[same] * len(names) + activity[same]
    waits = _quantiles(wait[same], pair).drop(columns="p10")
    waits.index = pd.MultiIndex.from_arrays([names[waits.index // len(names)],
                                             names[waits.index % len(names)]],
                                            names=["from", "to"])

    first = np.concatenate([[True], ~same[1:]])            # rows sorted by case
    bounds = np.flatnonzero(first)
    arrival = start[bounds]
    leave = np.maximum.reduceat(end.astype(np.int64), bounds).astype("datetime64[s]")
    service = np.add.reduceat(minutes, bounds)
    case_wait = np.add.reduceat(wait, bounds)
    stamp = pd.DatetimeIndex(arrival)
    month, hour = stamp.month.to_numpy() - 1, stamp.hour.to_numpy()
    counts = np.bincount(month * HOURS + hour, minlength=MONTHS * HOURS).reshape(MONTHS, HOURS)
    day = arrival.astype("datetime64[D]")
    open_days = np.bincount(pd.DatetimeIndex(np.unique(day)).month.to_numpy() - 1,
                            minlength=MONTHS)
    with np.errstate(divide="ignore", invalid="ignore"):
        grid = np.where(open_days[:, None] > 0, counts / open_days[:, None], 0.0)
    first_day, last_day = day.min(), day.max()
    covered = int((last_day - first_day) / np.timedelta64(1, "D")) + 1
    stay = (leave - arrival) / np.timedelta64(1, "m")
    positive = service[service > 0]
    sigma = float(np.std(np.log(positive))) if len(positive) > 1 else None
    n = len(bounds)
    measured = Measured(
        period=f"{first_day} – {last_day}", cases=float(n),
        visitors_per_year=n * 365.25 / covered, mean_wait_minutes=float(case_wait.mean()),
        time_in_office_minutes=float(stay.mean()), service_minutes=float(service.mean()))
    return LogSummary(activities=activities, waits=waits, cases=n, events=len(frame),
                      arrivals=grid, first_day=str(first_day), last_day=str(last_day),
                      measured=measured, service_sigma=sigma if sigma and sigma > 0 else None,
                      open_days_per_month=float(open_days.sum() / (open_days > 0).sum()))


def match_steps(work: GroupWork, activities: pd.DataFrame) -> tuple[dict[str, str], list[str]]:
    """``({activity: step id}, [activities no step matches])`` by normalised name."""
    by_name: dict[str, str] = {}
    for step in work.steps:
        by_name.setdefault(header_key(step.name), step.id)
    matched, unmatched = {}, []
    for name in activities.index:
        sid = by_name.get(header_key(name))
        if sid is None:
            unmatched.append(str(name))
        else:
            matched[str(name)] = sid
    return matched, unmatched


def _asis_step(step: Step, row: pd.Series) -> Step:
    update = {"minutes": float(row["median"])}
    if "minutes_low" in Step.model_fields:        # an As-Is range, where the model has one
        update.update(minutes_low=float(row["p10"]), minutes_high=float(row["p90"]))
    if step.minutes_after is None and step.action == Action.keep and not step.is_new:
        # unchanged in the To-Be: the measured spread is the range of its To-Be minutes
        update.update(minutes_after_low=float(row["p10"]), minutes_after_high=float(row["p90"]))
    return step.model_copy(update=update)


def apply(work: GroupWork, summary: LogSummary, source: str, kind: str) -> GroupWork:
    """``work`` with the log applied: ``kind`` "asis" updates the matched steps' minutes and
    the counter profile's arrivals; "actuals" records the medians as follow-up actuals."""
    matched, _ = match_steps(work, summary.activities)
    by_step = {sid: summary.activities.loc[name] for name, sid in matched.items()}
    if kind == "actuals":
        work = followup.with_actuals(work, {
            "minutes": {sid: float(r["median"]) for sid, r in by_step.items()},
            "measured_on": summary.last_day})
    data = work.model_dump()
    if kind == "asis":
        data["steps"] = [(_asis_step(s, by_step[s.id]) if s.id in by_step else s).model_dump()
                         for s in work.steps]
    profile = (work.counter or CounterProfile()).model_dump()
    measured = summary.measured.model_copy(update={"source": source[:200]})
    profile["measured"] = {**profile["measured"],
                           kind: measured.model_dump()}
    if kind == "asis":
        profile["log_arrivals"] = np.round(summary.arrivals, 6).tolist()
        profile["open_days_per_month"] = round(min(summary.open_days_per_month, 31.0), 2)
        profile["service_sigma"] = (None if summary.service_sigma is None
                                    else min(summary.service_sigma, 5.0))
    data["counter"] = profile
    return GroupWork.parse(data, where=source)
