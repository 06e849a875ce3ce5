"""Uncertainty of the impact forecast (docs/formulas.md, "Uncertainty"): Monte Carlo and a tornado of NPV.

Three-point estimates (low / likely / high): the To-Be minutes of a step
(``Step.minutes_after_low/high`` around ``minutes_tobe``), annual cases, online uptake, initial
and annual cost (``GroupWork.ranges`` around ``annual_cases``, the group's uptake and
``costs``). A missing low or high means "no range on that side". Each uncertain input is drawn
independently from a **PERT distribution** (a beta on [low, high] with mode = likely and
shape λ = 4: ``α = 1 + 4(m − a)/(b − a)``, ``β = 1 + 4(b − m)/(b − a)``; mean
``(a + 4m + b)/6``). Uptake draws shift every year of the group's ramp by the same amount
(clipped to 0..1).

Per draw, with the arithmetic of :mod:`kit.domain.impact` (vectorised over draws × steps):
``fixed = V/60 · Σ_{staff, not online} (p·t − p'·t')``, ``online = V/60 · Σ_{staff, online}
(p·t − p'·t')``; hours saved ``= fixed + u · online``; year-y hours ``fixed + u_y · online``;
``NPV = −(C0 − S) + Σ_y (L · hours_y − Ca)/(1+r)^y`` with the subsidy ``S`` recomputed from the
drawn C0. When every range collapses the draws equal kit.domain.impact's figures exactly.

Optimism bias (off by default, ``GroupWork.optimism_bias``): the initial (capital) IT cost is
multiplied by ``1 + OPTIMISM_BIAS_CAPEX``. Source: HM Treasury, *Green Book supplementary
guidance: optimism bias* (Mott MacDonald 2002, Table 1/2), equipment/development projects:
capital expenditure upper bound 200 %, lower bound 10 %; works duration upper bound 54 %,
lower bound 10 %. The upper bound applies before any mitigation; the kit does not model
duration (no implementation schedule), it only states the figure.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from kit import i18n
from kit.domain import impact
from kit.domain.model import Assumptions, GroupWork
from kit.exceptions import InputError

OPTIMISM_BIAS_CAPEX = 2.00       # upper bound, equipment/development (Green Book supplement)
OPTIMISM_BIAS_CAPEX_LOWER = 0.10
OPTIMISM_BIAS_DURATION = 0.54
PERCENTILES = (10, 50, 90)
OUTPUTS = ("hours_saved", "cost_saved_yen", "npv_yen", "general_fund_yen",
           "resident_hours_saved", "payback_years", "quick_win_hours_saved",
           "redesign_hours_saved")


_GRID = np.linspace(0.0, 1.0, 4097)
_ATOMS = 16384                      # equiprobable atoms per distribution


@functools.lru_cache(maxsize=512)
def _beta_atoms(alpha: float, beta: float) -> np.ndarray:
    """beta(α, β) as ``_ATOMS`` equiprobable values: its quantiles at (k + ½)/_ATOMS.

    The CDF is tabulated on ``_GRID`` (trapezoid rule; α, β ≥ 1 for PERT, so the density is
    bounded) and inverted once per shape. Drawing is then one random index per value: no
    search, no special function, exact to 1/16384 in probability.
    """
    pdf = _GRID ** (alpha - 1) * (1 - _GRID) ** (beta - 1)
    cdf = np.concatenate(([0.0], np.cumsum((pdf[1:] + pdf[:-1]) / 2)))
    cdf /= cdf[-1]
    return np.interp((np.arange(_ATOMS) + 0.5) / _ATOMS, cdf, _GRID)


def pert(rng: np.random.Generator, low, likely, high, size) -> np.ndarray:
    """PERT draws (λ = 4) broadcast over arrays of low/likely/high; low == high -> constant.

    A PERT variable is ``low + (high − low) · B`` with ``B ~ beta(1 + 4(m−a)/(b−a),
    1 + 4(b−m)/(b−a))``. ``B`` is drawn by inverse transform from a table of its quantiles
    (one per distinct shape, :func:`_beta_atoms`), several times faster than numpy's beta
    sampler and just as reproducible by seed.
    """
    low, likely, high = np.broadcast_arrays(*(np.asarray(x, dtype=float)
                                              for x in (low, likely, high)))
    width = high - low
    if not np.any(width > 0):
        return np.broadcast_to(likely, size).astype(float)
    safe = np.where(width > 0, width, 1.0)
    alpha = np.round(1 + 4 * (likely - low) / safe, 9)
    beta = np.round(1 + 4 * (high - likely) / safe, 9)
    k = rng.integers(0, _ATOMS, size=size)
    shapes = np.stack(np.broadcast_arrays(alpha, beta), axis=-1).reshape(-1, 2)
    unique, which = np.unique(shapes, axis=0, return_inverse=True)
    if len(unique) == 1:                     # one shape (always for a scalar input)
        b = _beta_atoms(*unique[0])[k]
    else:
        b = np.empty(k.shape)
        for j, (a_j, b_j) in enumerate(unique):
            cols = np.nonzero(which.ravel() == j)[0]
            b[..., cols] = _beta_atoms(a_j, b_j)[k[..., cols]]
    draws = low + width * b
    return draws if np.all(width > 0) else np.where(width > 0, draws, likely)


def _range(name: str, likely: float, low: float | None, high: float | None):
    lo = likely if low is None else low
    hi = likely if high is None else high
    if not lo <= likely <= hi:
        raise InputError(*i18n.both("err.range_order", field=i18n.t(f"unc.input.{name}")),
                         field=name, value=(lo, likely, hi))
    return lo, likely, hi


@dataclass(frozen=True)
class Inputs:
    """The three-point inputs of one group: (low, likely, high) per input."""

    minutes: np.ndarray          # steps × 3, To-Be minutes per case
    cases: tuple
    uptake: tuple
    initial_cost: tuple
    annual_cost: tuple
    step_names: list[str] = field(default_factory=list)

    def named(self) -> dict[str, tuple]:
        """Every input with a real range, by name (steps as ``step:<index>``)."""
        out = {f"step:{i}": tuple(row) for i, row in enumerate(self.minutes)
               if row[0] < row[2]}
        for name in ("cases", "uptake", "initial_cost", "annual_cost"):
            value = getattr(self, name)
            if value[0] < value[2]:
                out[name] = value
        return out


def inputs(work: GroupWork, assumptions: Assumptions) -> Inputs:
    rows = []
    for s in work.steps:
        likely = s.minutes_tobe
        rows.append(_range("minutes", likely, None, None) if s.action.value == "eliminate"
                    else _range("minutes", likely, s.minutes_after_low, s.minutes_after_high))
    r, c = work.ranges, work.costs
    return Inputs(
        minutes=np.asarray(rows, dtype=float).reshape(len(rows), 3),
        cases=_range("cases", work.annual_cases, r.annual_cases_low, r.annual_cases_high),
        uptake=_range("uptake", impact.group_uptake(work, assumptions), r.uptake_low,
                      r.uptake_high),
        initial_cost=_range("initial_cost", c.initial_cost_yen, r.initial_cost_low,
                            r.initial_cost_high),
        annual_cost=_range("annual_cost", c.annual_cost_yen, r.annual_cost_low,
                           r.annual_cost_high),
        step_names=[s.name for s in work.steps])


class _Model:
    """The vectorised arithmetic of one group; ``evaluate`` takes one value per draw."""

    def __init__(self, work: GroupWork, assumptions: Assumptions):
        steps = work.steps        # plain arrays: same rules as impact.step_table, no pandas
        staff = np.array([s.actor.value in impact.STAFF for s in steps], dtype=bool)
        dep = np.array([s.uptake_dependent for s in steps], dtype=bool)
        exists = np.array([not s.is_new for s in steps], dtype=bool)
        asis = np.array([s.share * s.minutes for s in steps], dtype=float)
        self.asis = asis * exists * staff                                         # p·t
        self.share_after = np.array([s.share_tobe for s in steps], dtype=float) * staff  # p'
        self.dep, self.staff = dep & staff, staff
        resident = np.array([s.actor.value in impact.RESIDENT for s in steps], dtype=bool)
        self.res_asis = asis * exists * resident
        self.res_share_after = np.array([s.share_tobe for s in steps], dtype=float) * resident
        self.res_dep, self.resident = dep & resident, resident
        self.quick = np.array([s.phase.value == "quick_win" for s in steps], dtype=bool)
        self.ramp = impact.uptake_by_year(work, assumptions)
        self.u0 = impact.group_uptake(work, assumptions)
        self.labour = assumptions.labour_cost_yen_per_hour
        T, r = assumptions.horizon_years, assumptions.discount_rate
        self.T, self.disc = T, 1.0 / (1 + r) ** np.arange(1, T + 1)
        self.funding = [(f.rate * f.eligible_share, f.cap_yen) for f in work.funding]
        self.uplift = 1 + OPTIMISM_BIAS_CAPEX if work.optimism_bias else 1.0

    def subsidy(self, c0: np.ndarray) -> np.ndarray:
        total = np.zeros_like(c0)
        for rate, cap in self.funding:
            amount = rate * c0
            total += amount if cap is None else np.minimum(amount, cap)
        return np.minimum(total, c0)

    def _per_case(self) -> tuple[np.ndarray, np.ndarray]:
        """Minutes saved per case = ``base − minutes @ weights``, for the sums the model
        needs (staff fixed, staff online, resident fixed, resident online, and the staff
        sums of the quick-win steps): one matrix product over the draws instead of a
        draws × steps temporary per sum."""
        masks = np.stack([self.staff & ~self.dep, self.dep,
                          self.resident & ~self.res_dep, self.res_dep,
                          self.staff & ~self.dep & self.quick, self.dep & self.quick],
                         axis=1).astype(float)
        asis = np.where(self.resident[:, None], self.res_asis[:, None], self.asis[:, None])
        after = np.where(self.resident[:, None], self.res_share_after[:, None],
                         self.share_after[:, None])
        return (asis * masks).sum(axis=0), after * masks

    def evaluate(self, minutes, cases, uptake, c0, ca) -> dict[str, np.ndarray]:
        """``minutes``: draws × steps; the others: one value per draw."""
        base, weights = self._per_case()
        per_case = base - minutes @ weights                    # draws × 6, minutes per case
        fixed, online, res_fixed, res_online, qw_fixed, qw_online = (
            cases / 60 * per_case[:, j] for j in range(6))
        shift = uptake - self.u0
        hours = fixed + uptake * online
        resident = res_fixed + uptake * res_online
        quick = qw_fixed + uptake * qw_online
        ramp = np.clip(self.ramp[None, :] + shift[:, None], 0, 1)
        yearly = fixed[:, None] + ramp * online[:, None]
        c0 = c0 * self.uplift
        s = self.subsidy(c0)
        net = yearly * self.labour - ca[:, None]
        return {"hours_saved": hours, "cost_saved_yen": hours * self.labour,
                "npv_yen": -(c0 - s) + net @ self.disc,
                "general_fund_yen": c0 + self.T * ca - s,
                "resident_hours_saved": resident,
                "payback_years": payback(c0 - s, net),
                "quick_win_hours_saved": quick, "redesign_hours_saved": hours - quick}


def payback(initial_net: np.ndarray, net: np.ndarray) -> np.ndarray:
    """Per draw, :func:`kit.domain.impact.payback_years` vectorised: years until the undiscounted
    cumulative net turns ≥ 0 (interpolated in that year); ``inf`` when not within T."""
    rows = np.arange(net.shape[0])
    cumulative = -initial_net[:, None] + np.cumsum(net, axis=1)
    reached = cumulative >= 0
    year = np.argmax(reached, axis=1)
    before = np.where(year == 0, -initial_net, cumulative[rows, np.maximum(year - 1, 0)])
    with np.errstate(divide="ignore", invalid="ignore"):
        within = year + (-before) / net[rows, year]
    out = np.where(reached.any(axis=1), within, np.inf)
    return np.where(initial_net <= 0, 0.0, out)


def _percentiles(output: str, values: np.ndarray) -> tuple[float, float, float]:
    # payback may be inf ("not recovered"): take observed values, never interpolate with inf
    method = "inverted_cdf" if output == "payback_years" else "linear"
    return tuple(float(x) for x in np.percentile(values, PERCENTILES, method=method))


@dataclass(frozen=True)
class Forecast:
    """P10 / P50 / P90 of each output, the draws, and how they were made."""

    n: int
    seed: int
    percentiles: dict[str, tuple[float, float, float]]
    samples: dict[str, np.ndarray]
    optimism_bias: bool
    uncertain_inputs: int
    distribution: str = "PERT (beta, λ=4)"

    def p(self, output: str) -> tuple[float, float, float]:
        return self.percentiles[output]


def monte_carlo(work: GroupWork, assumptions: Assumptions, n: int = 10_000,
                seed: int = 20261126) -> Forecast:
    """``n`` seeded draws of every three-point input; P10/P50/P90 of hours, yen and NPV."""
    n = int(n)
    if n < 1:
        raise InputError(*i18n.both("err.min", field="n", value=n, limit=1), field="n", value=n)
    inp = inputs(work, assumptions)
    model = _Model(work, assumptions)
    rng = np.random.default_rng(seed)
    m = inp.minutes
    minutes = np.tile(m[:, 1], (n, 1))
    ranged = np.nonzero(m[:, 0] < m[:, 2])[0]          # draw only the steps with a range
    if ranged.size:
        lo, mid, hi = (m[ranged, i] for i in range(3))
        minutes[:, ranged] = pert(rng, lo, mid, hi, (n, ranged.size))
    draws = [pert(rng, *getattr(inp, k), n)
             for k in ("cases", "uptake", "initial_cost", "annual_cost")]
    out = model.evaluate(minutes, *draws)
    pct = {k: _percentiles(k, v) for k, v in out.items()}
    return Forecast(n=n, seed=seed, percentiles=pct, samples=out,
                    optimism_bias=bool(work.optimism_bias),
                    uncertain_inputs=len(inp.named()))


def tornado(work: GroupWork, assumptions: Assumptions, output: str = "npv_yen",
            top: int = 10) -> list[dict]:
    """One-at-a-time swings: ``output`` with each uncertain input at its low and its high,
    all others at their likely value; sorted by the width of the swing, widest first."""
    inp = inputs(work, assumptions)
    model = _Model(work, assumptions)
    named = inp.named()
    if not named:
        return []
    k = 2 * len(named) + 1
    minutes = np.tile(inp.minutes[:, 1], (k, 1))
    scalars = {name: np.full(k, getattr(inp, name)[1])
               for name in ("cases", "uptake", "initial_cost", "annual_cost")}
    for row, (name, (low, _, high)) in enumerate(named.items()):
        for col, value in ((2 * row + 1, low), (2 * row + 2, high)):
            if name.startswith("step:"):
                minutes[col, int(name[5:])] = value
            else:
                scalars[name][col] = value
    result = model.evaluate(minutes, scalars["cases"], scalars["uptake"],
                            scalars["initial_cost"], scalars["annual_cost"])[output]
    rows = []
    for row, (name, (low, likely, high)) in enumerate(named.items()):
        at_low, at_high = float(result[2 * row + 1]), float(result[2 * row + 2])
        label = inp.step_names[int(name[5:])] if name.startswith("step:") else name
        rows.append({"input": name, "label": label, "low": float(low),
                     "likely": float(likely), "high": float(high), "output_at_low": at_low, "output_at_high": at_high,
                     "base": float(result[0]), "swing": abs(at_high - at_low)})
    rows.sort(key=lambda r: -r["swing"])
    return rows[:top]
