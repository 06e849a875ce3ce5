"""Counter queues: the M/M/c model (Erlang C), docs/frontyard.md "Counter queues".

Arrivals λ per hour (Poisson), exponential service with mean ``s`` minutes (μ = 1/s per
minute), ``c`` counters open. With the offered load ``a = λ·s/60`` Erlang:

- utilisation ``ρ = a / c`` (must be < 1: otherwise the queue grows without limit);
- the probability of waiting ``C(c, a)`` (Erlang C), computed from the Erlang B recursion
  ``B(0) = 1``, ``B(k) = a·B(k−1) / (k + a·B(k−1))`` and ``C = c·B / (c − a·(1 − B))``,
  which never forms a factorial and stays exact for hundreds of counters;
- mean wait ``Wq = C / (c·μ − λ)``; share served within ``T`` minutes
  ``1 − C·exp(−(c·μ − λ)·T)``; mean time in the office ``W = Wq + s``;
- the fewest counters that serve a target share within ``T``.

Pure functions of numbers (scalar or numpy arrays for a month × hour grid).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from kit import i18n
from kit.exceptions import InputError

MAX_COUNTERS = 500
DEFAULT_TARGET_MINUTES = 15.0
DEFAULT_TARGET_SHARE = 0.8


@dataclass(frozen=True)
class QueueFigures:
    """The figures of one M/M/c queue; minutes are per resident."""

    arrivals_per_hour: float
    service_minutes: float
    counters: int
    load_erlang: float
    utilisation: float
    p_wait: float
    mean_wait_minutes: float
    share_within_target: float
    mean_time_in_system_minutes: float
    target_minutes: float
    target_share: float
    counters_needed: int

    def to_dict(self) -> dict:
        return asdict(self)


def _bad(key: str, name: str, value: object) -> InputError:
    """A bilingual InputError naming the field in each language."""
    ja, en = (i18n.t(key, lang, field=i18n.t(f"fy.field.{name}", lang), value=value)
              for lang in ("ja", "en"))
    return InputError(ja, en, field=name, value=value)


def _check(arrivals_per_hour: float, service_minutes: float, counters: float | None = None,
           target_minutes: float = 0.0, target_share: float = 0.5) -> None:
    checks = (("arrivals_per_hour", arrivals_per_hour, 0.0, False),
              ("service_minutes", service_minutes, 0.0, True),
              ("target_minutes", target_minutes, 0.0, False))
    for name, value, low, strict in checks:
        if not isinstance(value, (int, float)) or not math.isfinite(value) or \
                value < low or (strict and value == low):
            raise _bad("fy.err.positive", name, value)
    if not 0 < target_share < 1:
        raise _bad("fy.err.share", "target_share", target_share)
    if counters is not None and (counters != int(counters) or not 1 <= counters <= MAX_COUNTERS):
        raise InputError(*i18n.both("fy.err.counters", value=counters, limit=MAX_COUNTERS),
                         field="counters", value=counters)


def erlang_c(load: np.ndarray | float, counters: int) -> np.ndarray:
    """P(wait) of M/M/c for offered ``load`` (Erlang) and ``counters``; 1 where load ≥ c."""
    a = np.asarray(load, dtype=float)
    b = np.ones_like(a)
    for k in range(1, int(counters) + 1):
        b = a * b / (k + a * b)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = counters * b / (counters - a * (1 - b))
    return np.where(a < counters, np.clip(c, 0.0, 1.0), 1.0)


def grid(arrivals_per_hour, service_minutes, counters: int,
         target_minutes: float = DEFAULT_TARGET_MINUTES) -> dict[str, np.ndarray]:
    """Erlang C figures for an array of arrival rates (e.g. month × hour), vectorised.

    Overloaded cells (λ·s ≥ c) get an infinite wait and a share within target of 0; cells
    without arrivals wait 0 and are all served within target.
    """
    lam = np.asarray(arrivals_per_hour, dtype=float) / 60.0          # per minute
    s = np.broadcast_to(np.asarray(service_minutes, dtype=float), lam.shape)
    a = lam * s
    ok = a < counters
    p = erlang_c(a, counters)
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.where(ok, counters / np.where(s > 0, s, np.inf) - lam, np.nan)   # cμ − λ
        wait = np.where(ok, p / gap, np.inf)
        within = np.where(ok, 1 - p * np.exp(-gap * target_minutes), 0.0)
    wait = np.where(lam > 0, wait, 0.0)
    within = np.where(lam > 0, within, 1.0)
    return {"load": a, "utilisation": a / counters, "p_wait": np.where(lam > 0, p, 0.0),
            "mean_wait_minutes": wait, "share_within_target": within,
            "time_in_system_minutes": wait + s, "overloaded": ~ok & (lam > 0)}


def counters_needed(arrivals_per_hour: float, service_minutes: float,
                    target_minutes: float = DEFAULT_TARGET_MINUTES,
                    target_share: float = DEFAULT_TARGET_SHARE) -> int:
    """The fewest counters that serve ``target_share`` of residents within ``target_minutes``."""
    _check(arrivals_per_hour, service_minutes, None, target_minutes, target_share)
    a = arrivals_per_hour * service_minutes / 60.0
    c = max(1, math.floor(a) + 1)
    while c <= MAX_COUNTERS:
        within = float(grid(arrivals_per_hour, service_minutes, c,
                            target_minutes)["share_within_target"])
        if within >= target_share - 1e-12:
            return c
        c += 1
    raise InputError(*i18n.both("fy.err.counters", value=c, limit=MAX_COUNTERS),
                     field="counters", value=c)


def mmc(arrivals_per_hour: float, service_minutes: float, counters: int,
        target_minutes: float = DEFAULT_TARGET_MINUTES,
        target_share: float = DEFAULT_TARGET_SHARE) -> QueueFigures:
    """The M/M/c figures; overloaded input (λ·s ≥ c) raises InputError."""
    _check(arrivals_per_hour, service_minutes, counters, target_minutes, target_share)
    counters = int(counters)
    load = arrivals_per_hour * service_minutes / 60.0
    if load >= counters:
        raise InputError(*i18n.both("fy.err.overloaded", arrivals=f"{arrivals_per_hour:g}",
                                    service=f"{service_minutes:g}", load=f"{load:.2f}",
                                    counters=counters), field="counters", value=counters)
    g = grid(arrivals_per_hour, service_minutes, counters, target_minutes)
    return QueueFigures(
        arrivals_per_hour=float(arrivals_per_hour), service_minutes=float(service_minutes),
        counters=counters, load_erlang=load, utilisation=load / counters,
        p_wait=float(g["p_wait"]), mean_wait_minutes=float(g["mean_wait_minutes"]),
        share_within_target=float(g["share_within_target"]),
        mean_time_in_system_minutes=float(g["time_in_system_minutes"]),
        target_minutes=float(target_minutes), target_share=float(target_share),
        counters_needed=counters_needed(arrivals_per_hour, service_minutes, target_minutes,
                                        target_share))
