"""Uncertainty of the impact forecast (docs/formulas.md, "Uncertainty"): Monte Carlo and a tornado of NPV.

Three-point estimates (low / likely / high): the To-Be minutes of a step
(``Step.minutes_after_low/high`` around ``minutes_tobe``), annual cases, online uptake, initial
and annual cost (``GroupWork.ranges`` around ``annual_cases``, the group's uptake and
``costs``). A missing low or high means "no range on that side". Each uncertain input is drawn
independently from a **PERT distribution** (a beta on [low, high] with mode = likely and
shape λ = 4: ``α = 1 + 4(m − a)/(b − a)``, ``β = 1 + 4(b − m)/(b − a)``; mean
``(a + 4m + b)/6``). Uptake draws shift every year of the group's ramp by the same amount
(clipped to 0..1).

Each draw goes through :class:`kit.domain.money.finance.Model`, the arithmetic the headline
(:func:`kit.domain.money.impact.compute`, one draw at the likely values) uses: when every range
collapses the draws equal the headline exactly.

Optimism bias (off by default, ``GroupWork.optimism_bias``): the initial (capital) IT cost is
multiplied by ``1 + OPTIMISM_BIAS_CAPEX``. Source: HM Treasury, *Green Book supplementary
guidance: optimism bias* (Mott MacDonald 2002, Table 1/2), equipment/development projects:
capital expenditure upper bound 200 %, lower bound 10 %; works duration upper bound 54 %,
lower bound 10 %. The upper bound applies before any mitigation; the kit does not model
duration (no implementation schedule), it only states the figure.
"""

from __future__ import annotations

import functools
import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from kit import i18n
from kit.domain.model import Assumptions, GroupWork
from kit.domain.money import bundle, finance
from kit.exceptions import InputError

OPTIMISM_BIAS_CAPEX = 2.00       # upper bound, equipment/development (Green Book supplement)
OPTIMISM_BIAS_CAPEX_LOWER = 0.10
OPTIMISM_BIAS_DURATION = 0.54
PERCENTILES = (10, 50, 90)
SEED = 20261126                 # the one seed of every document's draws
DRAWS = 10_000                  # the one number of draws (handout, summary, editors, JSON)
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
        uptake=_range("uptake", finance.group_uptake(work, assumptions), r.uptake_low,
                      r.uptake_high),
        initial_cost=_range("initial_cost", c.initial_cost_yen, r.initial_cost_low,
                            r.initial_cost_high),
        annual_cost=_range("annual_cost", c.annual_cost_yen, r.annual_cost_low,
                           r.annual_cost_high),
        step_names=[s.name for s in work.steps])


def _model(work: GroupWork, assumptions: Assumptions) -> finance.Model:
    uplift = 1 + OPTIMISM_BIAS_CAPEX if work.optimism_bias else 1.0
    return finance.Model(work, assumptions, uplift=uplift)     # work: already delivered


payback = finance.payback


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
    work = bundle.effective(work)          # only what the chosen systems deliver
    inp = inputs(work, assumptions)
    model = _model(work, assumptions)
    rng = np.random.default_rng(seed)
    m = inp.minutes
    ranged = np.nonzero(m[:, 0] < m[:, 2])[0]          # draw only the steps with a range
    minutes = None                                     # the others stay at their likely value
    if ranged.size:
        lo, mid, hi = (m[ranged, i] for i in range(3))
        minutes = pert(rng, lo, mid, hi, (n, ranged.size))
    draws = [pert(rng, *getattr(inp, k), n)
             for k in ("cases", "uptake", "initial_cost", "annual_cost")]
    out = model.evaluate(minutes, *draws, cols=ranged, cash=False)
    out = {k: out[k] for k in OUTPUTS}
    pct = {k: _percentiles(k, v) for k, v in out.items()}
    return Forecast(n=n, seed=seed, percentiles=pct, samples=out,
                    optimism_bias=bool(work.optimism_bias),
                    uncertain_inputs=len(inp.named()))


_FORECASTS: OrderedDict = OrderedDict()
_CACHE_SIZE = 64


def _content_key(work: GroupWork, assumptions: Assumptions, n: int, seed: int) -> tuple:
    text = work.model_dump_json() + "\x00" + assumptions.model_dump_json()
    return hashlib.sha256(text.encode("utf-8")).hexdigest(), int(n), int(seed)


def forecast(work: GroupWork, assumptions: Assumptions, n: int = DRAWS,
             seed: int = SEED) -> Forecast:
    """**The** draws of a group: :func:`monte_carlo` at ``DRAWS``/``SEED``, cached by the
    content of (work, assumptions). The handout's key figures, its scenario and options
    tables, the session summary, the editors and ``kit impact --json`` all read these, so a
    quantity has one P10–P90 everywhere. The samples are read-only (shared)."""
    key = _content_key(work, assumptions, n, seed)
    hit = _FORECASTS.get(key)
    if hit is not None:
        _FORECASTS.move_to_end(key)
        return hit
    f = monte_carlo(work, assumptions, n=n, seed=seed)
    for v in f.samples.values():
        v.setflags(write=False)
    _FORECASTS[key] = f
    while len(_FORECASTS) > _CACHE_SIZE:
        _FORECASTS.popitem(last=False)
    return f


def ranges(work: GroupWork, assumptions: Assumptions) -> dict[str, dict[str, float | None]]:
    """``{output: {"p10", "p50", "p90"}}`` of :func:`forecast` for ``kit impact --json``
    (an infinite payback — not recovered — is ``None``)."""
    f = forecast(work, assumptions)

    def num(x: float) -> float | None:
        return None if np.isinf(x) else float(x)

    return {k: dict(zip(("p10", "p50", "p90"), map(num, f.p(k)), strict=True))
            for k in OUTPUTS}


def tornado(work: GroupWork, assumptions: Assumptions, output: str = "npv_yen",
            top: int = 10) -> list[dict]:
    """One-at-a-time swings: ``output`` with each uncertain input at its low and its high,
    all others at their likely value; sorted by the width of the swing, widest first."""
    work = bundle.effective(work)
    inp = inputs(work, assumptions)
    model = _model(work, assumptions)
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


def optimism_bias(enabled: bool) -> dict | None:
    """``None`` when the ranges are not corrected; else the Green Book category and uplifts
    the ranges use (capital cost uplift applied; duration only stated)."""
    if not enabled:
        return None
    return {"capex": OPTIMISM_BIAS_CAPEX, "capex_lower": OPTIMISM_BIAS_CAPEX_LOWER,
            "duration": OPTIMISM_BIAS_DURATION}
