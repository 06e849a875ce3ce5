"""The one impact arithmetic (docs/formulas.md): vectorised over draws, one draw = the headline.

:func:`kit.domain.money.impact.compute` evaluates :class:`Model` once at the likely inputs;
:func:`kit.domain.money.uncertainty.monte_carlo` evaluates it on 10,000 draws; the tornado, the
scenarios and the switching values call the same :meth:`Model.evaluate`. No money formula is
written anywhere else.

Per draw (``V`` annual cases, ``u`` online uptake, ``u_y`` year y's uptake, ``L`` labour cost):

- minutes saved per case of a set of steps ``M``: ``Σ_M p·t − Σ_M p'·t'``; hours a year
  ``V/60 ·`` that; steps whose saving needs the online channel count ``u ·`` (year y: ``u_y ·``);
- ``saving_y = L · hours_y`` (人件費換算), ``NPV = −(C0 − S − B − X) + Σ_{y≤T} (saving_y − Ca −
  DS_y + g·DS_y)/(1+r)^y − Σ_{y>T} (DS_y − g·DS_y)/(1+r)^y`` on the net burden;
- subsidy ``S``, bond proceeds ``B``, allocation tax ``X`` and debt service ``DS_y`` (with its
  交付税算入 ``g·DS_y``) from :func:`kit.domain.money.fiscal.split`, payback from :func:`payback`.
"""

from __future__ import annotations

import numpy as np

from kit.domain.model import Actor, Assumptions, GroupWork
from kit.domain.money import fiscal

STAFF = {Actor.counter.value, Actor.back_office.value, Actor.approver.value}
RESIDENT = {Actor.resident.value}


# --- money ---------------------------------------------------------------------------------
# the funding arithmetic (subsidies, bonds, allocation tax) is kit.domain.money.fiscal
subsidy_parts, subsidy = fiscal.subsidy_parts, fiscal.subsidy


def npv(initial_net: np.ndarray, net: np.ndarray, disc: np.ndarray) -> np.ndarray:
    """``−initial_net + Σ_y net_y · disc_y`` per draw (``net``: draws × years)."""
    return -initial_net + net @ disc


def payback(initial_net: np.ndarray, net: np.ndarray) -> np.ndarray:
    """Per draw: years until the undiscounted cumulative net turns ≥ 0, interpolated within
    that year; ``inf`` when not within the horizon; 0 when nothing is to be recovered."""
    rows = np.arange(net.shape[0])
    cumulative = -initial_net[:, None] + np.cumsum(net, axis=1)
    reached = cumulative >= 0
    year = np.argmax(reached, axis=1)
    before = np.where(year == 0, -initial_net, cumulative[rows, np.maximum(year - 1, 0)])
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        within = year + (-before) / net[rows, year]
    out = np.where(reached.any(axis=1), within, np.inf)
    return np.where(initial_net <= 0, 0.0, out)


def uptake_by_year(work: GroupWork, assumptions: Assumptions) -> np.ndarray:
    """Online uptake in years 1..T: the group's ramp, held at its last value; else flat."""
    T = assumptions.horizon_years
    ramp = list(work.uptake_by_year)
    if not ramp:
        return np.full(T, group_uptake(work, assumptions))
    ramp = ramp[:T] + [ramp[-1]] * max(0, T - len(ramp))
    return np.asarray(ramp, dtype=float)


def group_uptake(work: GroupWork, assumptions: Assumptions) -> float:
    return assumptions.uptake if work.uptake is None else work.uptake


def funding_terms(work: GroupWork) -> list[fiscal.Term]:
    return fiscal.terms(work)


# --- the model -----------------------------------------------------------------------------
class Model:
    """The vectorised arithmetic of one group; :meth:`evaluate` takes one value per draw.

    Build it on the delivered To-Be (:func:`kit.domain.money.bundle.effective`)."""

    def __init__(self, work: GroupWork, assumptions: Assumptions, uplift: float = 1.0):
        steps = work.steps
        a = assumptions
        actor = [s.actor.value for s in steps]
        staff = np.array([x in STAFF for x in actor], dtype=bool)
        resident = np.array([x in RESIDENT for x in actor], dtype=bool)
        dep = np.array([s.uptake_dependent for s in steps], dtype=bool)
        exists = np.array([not s.is_new for s in steps], dtype=bool)
        quick = np.array([s.phase.value == "quick_win" for s in steps], dtype=bool)
        how = [getattr(h, "value", h) for h in (s.realised_as or a.realised_as for s in steps)]
        overtime = staff & np.array([h == "overtime" for h in how], dtype=bool)
        contract = staff & np.array([h == "contract" for h in how], dtype=bool)
        share = np.array([s.share for s in steps], dtype=float)
        self.asis = share * np.array([s.minutes for s in steps], dtype=float) * exists  # p·t
        self.share_after = np.array([s.share_tobe for s in steps], dtype=float)        # p'
        self.likely = np.array([s.minutes_tobe for s in steps], dtype=float)           # t'
        # one column per (steps, fixed | online): minutes saved per case Σ (p·t − p'·t')
        groups = [staff, resident, staff & quick, overtime, contract]
        self.masks = np.stack([m & on for m in groups for on in (~dep, dep)],
                              axis=1).astype(float)
        # at the likely minutes, step by step (exactly 0 for an unchanged step) ...
        self.exact = (self.asis - self.likely * self.share_after) @ self.masks
        # ... and a draw's difference from it: one matrix product, no draws × steps temporary
        self.weights = self.share_after[:, None] * self.masks
        # non-labour yen saved per case Σ (p·c − p'·c'), fixed | online (not drawn)
        unit = share * np.array([s.unit_cost_yen for s in steps], dtype=float) * exists \
            - self.share_after * np.array([s.unit_cost_tobe for s in steps], dtype=float)
        self.unit_fixed, self.unit_online = float(unit[~dep].sum()), float(unit[dep].sum())
        self.ramp = uptake_by_year(work, assumptions)
        self.u0 = group_uptake(work, assumptions)
        self.labour = a.labour_cost_yen_per_hour
        self.premium = a.overtime_premium
        self.contract_rate = a.contract_rate_yen_per_hour      # None: the labour cost
        T, r = a.horizon_years, a.discount_rate
        self.T, self.disc = T, 1.0 / (1 + r) ** np.arange(1, T + 1)
        self.rate = r
        self.funding = funding_terms(work)
        self.uplift = uplift

    def likely_inputs(self, work: GroupWork) -> dict[str, np.ndarray]:
        """The one draw of the headline: every input at its likely value."""
        return {"minutes": None, "cases": np.array([work.annual_cases]),
                "uptake": np.array([self.u0]),
                "c0": np.array([work.costs.initial_cost_yen]),
                "ca": np.array([work.costs.annual_cost_yen])}

    def evaluate(self, minutes, cases, uptake, c0, ca, labour=None, cols=None,
                 cash: bool = True) -> dict[str, np.ndarray]:
        """One value per draw of each input. ``minutes``: draws × steps To-Be minutes (only
        the steps ``cols`` when given; None = every step at its likely value)."""
        n = len(cases)
        labour = np.broadcast_to(self.labour if labour is None else labour, (n,))
        rate = labour if self.contract_rate is None else np.full(n, self.contract_rate)
        per_case = np.broadcast_to(self.exact, (n, len(self.exact)))   # minutes saved a case
        if minutes is not None:
            at = slice(None) if cols is None else cols
            w = self.weights[at]
            per_case = per_case + (self.likely[at] @ w - minutes @ w)
        fixed, online = cases[:, None] / 60 * per_case[:, 0::2], cases[:, None] / 60 * \
            per_case[:, 1::2]                          # draws × (staff, resident, quick, OT, CT)
        hours = fixed + uptake[:, None] * online       # a year at the uptake u
        ramp = np.clip(self.ramp[None, :] + (uptake - self.u0)[:, None], 0, 1)   # draws × T
        money = [0, 3, 4] if cash else [0]             # staff, overtime, contract hours by year
        yearly = fixed[:, money, None] + ramp[:, None, :] * online[:, money, None]
        saving = yearly[:, 0] * labour[:, None]                             # 人件費換算
        c0 = np.asarray(c0, dtype=float) * self.uplift
        T = self.T
        f = fiscal.split(c0, self.funding, T)
        s, upfront = f.subsidy, c0 - f.subsidy - f.bond - f.allocation   # year 0, net burden
        ds, ds_tax = f.debt[:, :T], f.debt_allocation[:, :T]              # years 1..T
        later = f.debt[:, T:] - f.debt_allocation[:, T:]                  # after the horizon
        later_pv = later @ (1.0 / (1 + self.rate) ** np.arange(T + 1, T + 1 + later.shape[1]))
        ca = np.asarray(ca, dtype=float)
        net = saving - ca[:, None] - ds + ds_tax
        staff, quick = hours[:, 0], hours[:, 2]
        general = c0 + T * ca - s - f.bond + ds.sum(axis=1)
        allocation = f.allocation + ds_tax.sum(axis=1)
        out = {"hours_saved": staff, "cost_saved_yen": staff * labour,
               "npv_yen": npv(upfront, net, self.disc) - later_pv,
               "general_fund_yen": general, "allocation_tax_yen": allocation,
               "net_burden_yen": general - allocation, "bond_yen": f.bond,
               "allocation_tax_initial_yen": f.allocation,
               "debt_after_horizon_yen": f.debt[:, T:].sum(axis=1),
               "debt_by_year": ds, "debt_allocation_by_year": ds_tax,
               "funding_parts": f.parts, "upfront_yen": upfront,
               "resident_hours_saved": hours[:, 1],
               "payback_years": payback(upfront, net),
               "quick_win_hours_saved": quick, "redesign_hours_saved": staff - quick,
               "subsidy_yen": s, "hours_by_year": yearly[:, 0], "saving_by_year": saving,
               "net_by_year": net, "uptake_by_year": ramp}
        if cash:                                                            # 歳出の削減
            overtime, contract = hours[:, 3], hours[:, 4]
            unit = cases * (self.unit_fixed + uptake * self.unit_online)
            cash_y = (yearly[:, 1] * (labour * self.premium)[:, None]
                      + yearly[:, 2] * rate[:, None]
                      + cases[:, None] * (self.unit_fixed + ramp * self.unit_online))
            cash_net = cash_y - ca[:, None] - ds + ds_tax
            out.update({
                "overtime_hours": overtime, "contract_hours": contract,
                "capacity_hours": staff - overtime - contract, "non_labour_saved_yen": unit,
                "cash_saved_yen": overtime * labour * self.premium + contract * rate + unit,
                "npv_cash_yen": npv(upfront, cash_net, self.disc) - later_pv,
                "payback_cash_years": payback(upfront, cash_net),
                "cash_by_year": cash_y,
                "capacity_by_year": yearly[:, 0] - yearly[:, 1] - yearly[:, 2]})
        return out


# --- switching values ------------------------------------------------------------------------
# input -> (sensible range, step for the slope); NPV is linear in each with the others held
# (piecewise linear in the initial cost where a subsidy cap binds, and in uptake where a ramp
# year reaches 0 % or 100 %): the root of the line through two points, refined on its segment
SWITCHING = {"uptake": ((0.0, 1.0), 0.1), "annual_cases": ((0.0, 1e8), None),
             "initial_cost_yen": ((0.0, 1e13), None), "annual_cost_yen": ((0.0, 1e13), None),
             "labour_cost_yen_per_hour": ((0.0, 100_000.0), None)}
_ARG = {"uptake": "uptake", "annual_cases": "cases", "initial_cost_yen": "c0",
        "annual_cost_yen": "ca", "labour_cost_yen_per_hour": "labour"}


def switching_values(model: Model, inputs: dict[str, np.ndarray]) -> dict[str, float | None]:
    """Per input, the value at which ``npv_yen`` is zero with every other input held; None
    when NPV does not depend on it or the value lies outside the sensible range."""
    base = {**inputs, "labour": np.array([model.labour])}
    out: dict[str, float | None] = {}
    for name, ((low, high), step) in SWITCHING.items():
        arg = _ARG[name]
        x = float(base[arg][0])

        def npv_at(values, arg=arg):
            values = np.asarray(values, dtype=float)
            draws = {k: None if v is None else np.repeat(v, len(values), axis=0)
                     for k, v in base.items()}
            draws[arg] = values
            return model.evaluate(**draws, cash=False)["npv_yen"]

        h = step or max(abs(x) * 0.1, 1.0)
        h = -h if x + h > high else h
        found = None
        for _ in range(30):                 # Newton on a piecewise-linear line: exact steps
            y0, y1 = npv_at([x, x + h])
            if abs(y0) < 0.5:          # to the yen
                found = x
                break
            if y1 == y0:
                break
            x = x - y0 * h / (y1 - y0)
            if not low - 1e-9 <= x <= high + 1e-9:
                break
            h = -abs(h) if x + abs(h) > high else abs(h)
        out[name] = None if found is None else float(min(max(found, low), high))
    return out
