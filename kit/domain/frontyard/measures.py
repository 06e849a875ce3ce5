"""A group's counter queue and front-yard measures (docs/frontyard.md).

**Service minutes** per resident at the counter are the group's counter steps: steps of the
counter staff (担当=窓口) on the counter, paper or system channel, ``s = Σ p_i·t_i``. As-Is
every case served at the counter comes (``visitors = V·counter_share``). To-Be, a case that
goes online (share ``u``) takes the To-Be minutes of every step; one that does not takes the
As-Is minutes of the steps whose change needs the online channel. Online cases stay away
from the counter when the To-Be removes their waiting at it (a resident step on the counter
channel, online-dependent, eliminated or cut to 0 minutes); then To-Be visitors are
``V·counter_share·(1 − u)``, else all still come and ``s`` is the mix of both.

**Arrivals** per hour of an open day, month × hour (:class:`kit.domain.frontyard.counter.CounterProfile`).
**Queue by hour**: Erlang C holds for a queue that has run at one arrival rate for ever; a
counter opens empty at 8:30 and its rate changes by the hour, and near or above capacity the
steady state is never reached (Erlang C gives hours of wait at 97 % utilisation, none at all
above 100 %). :func:`day_queue` therefore follows the same M/M/c queue through one opening
day (its transient, exact for Poisson arrivals and exponential service up to the time step),
per month; in a long steady stretch it tends to Erlang C. Year and month figures are
arrival-weighted means of the cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kit.domain.frontyard import lifeevents
from kit.domain.frontyard import queue as q
from kit.domain.frontyard.counter import HOURS, MONTHS, CounterProfile
from kit.domain.model import Actor, Assumptions, Channel, GroupWork
from kit.domain.money import impact

MAX_STATES = 3000           # residents in the office the day model can hold
MEASURES = ("visitors_per_year", "mean_wait_minutes", "time_in_office_minutes",
            "visits_per_case", "kakanai", "online_share")


@dataclass(frozen=True)
class CounterDemand:
    visitors_asis: float
    visitors_tobe: float
    service_asis: float
    service_tobe: float
    online_leaves: bool


def counter_demand(work: GroupWork, uptake: float) -> CounterDemand:
    """Visitors a year and service minutes per visitor, As-Is and To-Be (see the module)."""
    df = impact.step_table(work, uptake)
    share = work.counter.counter_share if work.counter else 1.0
    visitors = float(work.annual_cases) * share
    if df.empty:
        return CounterDemand(visitors, visitors, 0.0, 0.0, False)
    exists = ~df["is_new"].to_numpy()
    dep = df["uptake_dependent"].to_numpy()
    serve = ((df["actor"] == Actor.counter.value)
             & df["channel"].isin(lifeevents.COUNTER_CHANNELS)).to_numpy()
    before = (df["share"] * df["minutes"]).to_numpy() * exists
    after = (df["share_after"] * df["minutes_after"]).to_numpy()
    asis = float(before[serve].sum())
    online = float(after[serve].sum())
    offline = float(np.where(dep, before, after)[serve].sum())
    wait_step = ((df["actor"] == Actor.resident.value) & (df["channel"] == Channel.counter.value)
                 ).to_numpy() & dep & exists
    gone = (df["action"] == "eliminate").to_numpy() | (df["minutes_after"].to_numpy() <= 0)
    leaves = bool((wait_step & gone).any())
    come_online = 0.0 if leaves else uptake
    come = (1 - uptake) + come_online
    tobe = (offline * (1 - uptake) + online * come_online) / come if come > 0 else 0.0
    return CounterDemand(visitors, visitors * come, asis, tobe, leaves)


def arrivals_grid(profile: CounterProfile, visitors_per_year: float) -> np.ndarray:
    """Arrivals per hour of an open day, 12 months × 24 hours, from the seasonal profile."""
    months = np.asarray(profile.month_weights, dtype=float)
    hours = np.zeros(HOURS)
    open_ = list(profile.hours)
    hours[open_] = profile.hour_weights or [1.0] * len(open_)
    per_day = visitors_per_year * months[:, None] / months.sum() / profile.open_days_per_month
    return per_day * hours[None, :] / hours.sum()


def _within_by_state(states: np.ndarray, counters: int, rate: float,
                     target_minutes: float) -> np.ndarray:
    """P(wait ≤ T) of an arrival finding ``n`` residents: the k = n − c + 1 departures ahead
    of them (rate c·μ) all happen within T, i.e. Poisson(c·μ·T) ≥ k."""
    x = rate * target_minutes
    j = np.arange(len(states))
    log_pmf = -x + j * np.log(x) - np.cumsum(np.log(np.maximum(j, 1))) if x > 0 else \
        np.where(j == 0, 0.0, -np.inf)
    cdf = np.minimum(np.cumsum(np.exp(log_pmf)), 1.0)      # P(Poisson ≤ j)
    k = states - counters + 1
    return np.where(k <= 0, 1.0, 1.0 - cdf[np.clip(k - 1, 0, len(cdf) - 1)])


def day_queue(arrivals: np.ndarray, service_minutes: float, counters: int,
              target_minutes: float) -> dict[str, np.ndarray]:
    """Wait, share within target and P(wait) by month × hour over one opening day.

    The M/M/c queue followed through the day (see the module): the distribution of residents
    in the office ``p_n(t)`` evolves by the birth–death equations in steps ``dt`` with
    ``dt·(λ + c·μ) ≤ ½``; an arrival at ``t`` sees ``p(t)`` and waits ``max(0, n − c + 1)/(c·μ)``
    on average. Everybody in the office at closing time is still served.
    """
    arrivals = np.asarray(arrivals, dtype=float)
    shape = arrivals.shape
    out = {"wait": np.zeros(shape), "within": np.ones(shape), "p_wait": np.zeros(shape),
           "overloaded": np.zeros(shape, dtype=bool)}
    open_hours = np.nonzero(arrivals.sum(axis=0) > 0)[0]
    if service_minutes <= 0 or open_hours.size == 0:
        return out
    mu = 1.0 / service_minutes
    rate = counters * mu
    lam = arrivals / 60.0
    size = int(min(MAX_STATES, np.ceil(arrivals.sum(axis=1).max()) + counters + 20))
    n = np.arange(size + 1)
    departures = np.minimum(n, counters) * mu
    wait_n = np.maximum(0, n - counters + 1) / rate
    within_n = _within_by_state(n, counters, rate, target_minutes)
    steps = int(np.ceil(60.0 * (lam.max() + rate) / 0.5))
    dt = 60.0 / steps
    p = np.zeros((shape[0], size + 1))
    p[:, 0] = 1.0
    for h in range(open_hours[0], open_hours[-1] + 1):
        rate_in = lam[:, h][:, None] * np.ones(size + 1)
        rate_in[:, -1] = 0.0                     # the state space ends at ``size`` residents
        seen_wait = seen_within = seen_busy = 0.0
        for _ in range(steps):
            seen_wait = seen_wait + p @ wait_n
            seen_within = seen_within + p @ within_n
            seen_busy = seen_busy + p[:, counters:].sum(axis=1)
            up, down = p * rate_in * dt, p * departures * dt
            p = p - up - down
            p[:, 1:] += up[:, :-1]
            p[:, :-1] += down[:, 1:]
        out["wait"][:, h] = seen_wait / steps
        out["within"][:, h] = seen_within / steps
        out["p_wait"][:, h] = seen_busy / steps
        out["overloaded"][:, h] = (lam[:, h] >= rate) & (lam[:, h] > 0)
    return out


@dataclass(frozen=True)
class QueueView:
    """One scenario (As-Is or To-Be) of the counter queue."""

    arrivals: np.ndarray          # 12 × 24, per hour of an open day
    service_minutes: float
    counters: int
    wait: np.ndarray              # 12 × 24 minutes
    within: np.ndarray
    overloaded: np.ndarray
    visitors_per_year: float
    mean_wait_minutes: float
    share_within_target: float
    time_in_office_minutes: float
    peak_month: int               # 0 = January
    peak_mean_wait_minutes: float
    peak_hour: int                # the hour of the peak month with the longest wait
    peak_hour_wait_minutes: float
    peak_arrivals_per_hour: float  # the peak month's busiest hour
    counters_needed: int


def _weighted(values: np.ndarray, weights: np.ndarray) -> float:
    total = weights.sum()
    return float((values * weights).sum() / total) if total > 0 else 0.0


def view(profile: CounterProfile, arrivals: np.ndarray, service: float,
         counters: int) -> QueueView:
    d = day_queue(arrivals, service, counters, profile.target_minutes)
    monthly = arrivals.sum(axis=1)
    peak = int(np.argmax(monthly))
    peak_hour = int(np.argmax(np.where(arrivals[peak] > 0, d["wait"][peak], -1.0)))
    lam = float(arrivals[peak].max())
    needed = max((q.counters_needed(float(a), service, profile.target_minutes,
                                    profile.target_share)
                  for a in arrivals[peak] if a > 0 and service > 0), default=0)
    mean_wait = _weighted(d["wait"], arrivals)
    return QueueView(
        arrivals=arrivals, service_minutes=service, counters=counters, wait=d["wait"],
        within=d["within"], overloaded=d["overloaded"],
        visitors_per_year=float(monthly.sum() * profile.open_days_per_month),
        mean_wait_minutes=mean_wait, share_within_target=_weighted(d["within"], arrivals),
        time_in_office_minutes=mean_wait + service, peak_month=peak,
        peak_mean_wait_minutes=_weighted(d["wait"][peak], arrivals[peak]),
        peak_hour=peak_hour, peak_hour_wait_minutes=float(d["wait"][peak, peak_hour]),
        peak_arrivals_per_hour=lam, counters_needed=needed)


def counter_queue(work: GroupWork, assumptions: Assumptions) -> dict[str, QueueView] | None:
    """``{"asis": QueueView, "tobe": QueueView}``, or None without a counter profile."""
    profile = work.counter
    if profile is None:
        return None
    demand = counter_demand(work, impact.group_uptake(work, assumptions))
    if profile.log_arrivals:
        base = np.asarray(profile.log_arrivals, dtype=float).reshape(MONTHS, HOURS)
        factor = demand.visitors_tobe / demand.visitors_asis if demand.visitors_asis else 0.0
        grids = (base, base * factor)
    else:
        grids = (arrivals_grid(profile, demand.visitors_asis),
                 arrivals_grid(profile, demand.visitors_tobe))
    return {"asis": view(profile, grids[0], demand.service_asis, profile.counters),
            "tobe": view(profile, grids[1], demand.service_tobe, profile.counters_tobe)}


def measures(work: GroupWork, m: impact.Impact, views: dict[str, QueueView] | None
             ) -> dict[str, dict[str, float | None]]:
    """Front-yard measures: ``{measure: {"asis", "tobe", "measured_asis", "measured_after"}}``
    from the work's ``impact.compute`` (``m``) and :func:`counter_queue` (``views``, None
    without a counter), which the caller has computed for the rest of its document."""
    kakanai = lifeevents.kakanai_rates(work, m.uptake)
    out: dict[str, dict[str, float | None]] = {
        "visits_per_case": {"asis": m.visits_per_case_asis, "tobe": m.visits_per_case_tobe},
        "kakanai": {"asis": kakanai[0], "tobe": kakanai[1]},
        "online_share": {"asis": None, "tobe": m.uptake},
    }
    for key in ("visitors_per_year", "mean_wait_minutes", "time_in_office_minutes"):
        out[key] = {v: (getattr(views[v], key) if views else None) for v in ("asis", "tobe")}
    measured = work.counter.measured if work.counter else {}
    for kind, column in (("asis", "measured_asis"), ("actuals", "measured_after")):
        record = measured.get(kind)
        for key in ("visitors_per_year", "mean_wait_minutes", "time_in_office_minutes"):
            out[key][column] = getattr(record, key) if record else None
    if work.actuals.uptake is not None:
        out["online_share"]["measured_after"] = work.actuals.uptake
    return {key: out[key] for key in MEASURES}


WAIT_WORDS = ("待ち", "待つ")       # a resident step that is the wait itself (順番待ち)


def steps_wait_minutes(work: GroupWork) -> float | None:
    """The waiting minutes the group wrote in its steps, As-Is: ``Σ p_i·t_i`` over resident
    counter steps named as a wait (「順番待ち」); None when no step is. Shown beside the queue
    model's mean wait (docs/frontyard.md, "Two waits")."""
    steps = [s for s in work.steps if not s.is_new and s.actor.value == "resident"
             and s.channel.value == "counter" and any(w in s.name for w in WAIT_WORDS)]
    return float(sum(s.share * s.minutes for s in steps)) if steps else None
