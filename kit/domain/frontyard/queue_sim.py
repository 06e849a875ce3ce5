"""Counter queues beyond the closed form: discrete-event simulation with ``ciw``.

Erlang C (:mod:`kit.domain.frontyard.queue`) assumes exponential service times and arrivals that stay
the same for ever. Real counters have neither: service times measured in a log are skewed
(lognormal fits them well) and arrivals change by the hour, so a queue that builds up at
10:00 is still there at 11:00. :func:`simulate` runs the M/G/c queue in ``ciw`` (minutes as
the time unit):

- ``arrivals_per_hour`` a number: a stationary queue run for as long as ``customers``
  residents take to arrive, those who arrived in the first ``warmup`` share of that time
  dropped (the queue starts empty), for comparing with Erlang C;
- a list: one opening day, the rate of each hour in turn (Poisson arrivals within each hour,
  ``ciw.dists.PoissonIntervals``), everybody who arrived is served (also after closing),
  repeated ``days`` times; figures per hour of arrival.

Service: exponential with mean ``s`` or, with ``sigma``, lognormal with mean ``s`` and shape
σ (``μ_log = ln s − σ²/2``). Seeded: the same inputs give the same figures; the caller's
``random`` state is restored afterwards.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import ciw
import numpy as np

from kit.domain.frontyard.queue import DEFAULT_TARGET_MINUTES

WAITED = 1e-9        # a resident "waited" when their wait is longer than this (minutes)


@dataclass(frozen=True)
class SimResult:
    customers: int
    mean_wait_minutes: float
    p_wait: float
    share_within_target: float
    mean_time_in_system_minutes: float
    wait_by_hour: list[float] = field(default_factory=list)     # schedule mode, per hour
    arrivals_by_hour: list[float] = field(default_factory=list)  # mean per day


def service_distribution(service_minutes: float, sigma: float | None):
    if sigma is None:
        return ciw.dists.Exponential(rate=1.0 / service_minutes)
    return ciw.dists.Lognormal(mean=math.log(service_minutes) - sigma ** 2 / 2, sd=sigma)


def _records(network, run) -> np.ndarray:
    """(arrival, wait, service time) of every served resident, in minutes."""
    sim = ciw.Simulation(network)
    run(sim)
    rows = [(r.arrival_date, r.waiting_time, r.service_time) for r in sim.get_all_records()
            if r.record_type == "service"]
    return np.asarray(rows, dtype=float).reshape(-1, 3)


def _summary(rows: np.ndarray, target_minutes: float) -> dict:
    wait = rows[:, 1]
    n = len(rows)
    if n == 0:
        return {"customers": 0, "mean_wait_minutes": 0.0, "p_wait": 0.0,
                "share_within_target": 1.0, "mean_time_in_system_minutes": 0.0}
    return {"customers": n, "mean_wait_minutes": float(wait.mean()),
            "p_wait": float((wait > WAITED).mean()),
            "share_within_target": float((wait <= target_minutes).mean()),
            "mean_time_in_system_minutes": float((wait + rows[:, 2]).mean())}


def simulate(arrivals_per_hour: float | Sequence[float], service_minutes: float, counters: int,
             *, sigma: float | None = None, customers: int = 5000, days: int = 20,
             warmup: float = 0.1, seed: int = 0,
             target_minutes: float = DEFAULT_TARGET_MINUTES) -> SimResult:
    """Simulated figures of the counter queue (see the module docstring)."""
    state = random.getstate()
    try:
        ciw.seed(seed)
        service = service_distribution(service_minutes, sigma)
        if isinstance(arrivals_per_hour, (int, float)):
            network = ciw.create_network(
                arrival_distributions=[ciw.dists.Exponential(rate=arrivals_per_hour / 60.0)],
                service_distributions=[service], number_of_servers=[int(counters)])
            horizon = customers / (arrivals_per_hour / 60.0)      # minutes
            rows = _records(network, lambda sim: sim.simulate_until_max_time(horizon))
            rows = rows[rows[:, 0] >= warmup * horizon]
            return SimResult(**_summary(rows, target_minutes))
        return _schedule(list(arrivals_per_hour), service, int(counters), days,
                         target_minutes)
    finally:
        random.setstate(state)


def _schedule(rates_per_hour: list[float], service, counters: int, days: int,
              target_minutes: float) -> SimResult:
    hours = len(rates_per_hour)
    if sum(rates_per_hour) <= 0:
        return SimResult(**_summary(np.empty((0, 3)), target_minutes),
                         wait_by_hour=[0.0] * hours, arrivals_by_hour=[0.0] * hours)
    rates = [max(r, 0.0) / 60.0 for r in rates_per_hour]
    endpoints = [60.0 * (h + 1) for h in range(hours)]
    parts = []
    for _day in range(days):
        arrivals = ciw.dists.PoissonIntervals(rates, endpoints, max_sample_date=60.0 * hours)
        network = ciw.create_network(arrival_distributions=[arrivals],
                                     service_distributions=[service],
                                     number_of_servers=[counters])
        # everybody who came before closing is served: run well past closing time
        parts.append(_records(network, lambda sim: sim.simulate_until_max_time(
            60.0 * hours * 50)))
    rows = np.concatenate(parts) if parts else np.empty((0, 3))
    rows = rows[rows[:, 0] < 60.0 * hours]
    hour = np.minimum((rows[:, 0] // 60).astype(int), hours - 1)
    count = np.bincount(hour, minlength=hours).astype(float)
    total = np.bincount(hour, weights=rows[:, 1], minlength=hours)
    with np.errstate(divide="ignore", invalid="ignore"):
        by_hour = np.where(count > 0, total / count, 0.0)
    return SimResult(**_summary(rows, target_minutes), wait_by_hour=by_hour.tolist(),
                     arrivals_by_hour=(count / days).tolist())
