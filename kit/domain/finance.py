"""The one impact arithmetic (docs/formulas.md): vectorised over draws, one draw = the headline.

:func:`kit.domain.impact.compute` evaluates :class:`Model` once at the likely inputs;
:func:`kit.domain.uncertainty.monte_carlo` evaluates it on 10,000 draws; the tornado, the
scenarios and the switching values call the same :meth:`Model.evaluate`. No money formula is
written anywhere else.

Per draw (``V`` annual cases, ``u`` online uptake, ``u_y`` year y's uptake, ``L`` labour cost):

- minutes saved per case of a set of steps ``M``: ``Σ_M p·t − Σ_M p'·t'``; hours a year
  ``V/60 ·`` that; steps whose saving needs the online channel count ``u ·`` (year y: ``u_y ·``);
- ``saving_y = L · hours_y`` (人件費換算), ``NPV = −(C0 − S) + Σ_y (saving_y − Ca)/(1+r)^y``;
- subsidy ``S`` from :func:`subsidy_parts` (each source on the eligible cost or on what the
  sources above it leave), payback from :func:`payback`.
"""

from __future__ import annotations

import numpy as np

from kit.domain.model import Actor, Assumptions, GroupWork

STAFF = {Actor.counter.value, Actor.back_office.value, Actor.approver.value}
RESIDENT = {Actor.resident.value}


# --- money ---------------------------------------------------------------------------------
def subsidy_parts(c0: np.ndarray, funding: list[tuple[float, float | None, bool]]
                  ) -> list[np.ndarray]:
    """Each funding source's amount, in order, for initial costs ``c0`` (one per draw).

    ``funding``: ``(rate × eligible share, cap or None, on_remaining)``. A source takes
    ``min(rate · eligible · base, cap)`` where ``base`` is ``C0`` (the eligible cost) or, when
    ``on_remaining``, ``C0`` minus the sources above it; never more than what is left of C0.
    """
    c0 = np.asarray(c0, dtype=float)
    total = np.zeros_like(c0)
    parts = []
    for rate, cap, remaining in funding:
        base = c0 - total if remaining else c0
        amount = rate * base
        if cap is not None:
            amount = np.minimum(amount, cap)
        amount = np.minimum(amount, c0 - total)
        parts.append(amount)
        total = total + amount
    return parts


def subsidy(c0: np.ndarray, funding) -> np.ndarray:
    """``S``: the sum of :func:`subsidy_parts` (at most C0)."""
    parts = subsidy_parts(c0, funding)
    return np.sum(parts, axis=0) if parts else np.zeros_like(np.asarray(c0, dtype=float))


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
    with np.errstate(divide="ignore", invalid="ignore"):
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


def funding_terms(work: GroupWork) -> list[tuple[float, float | None, bool]]:
    return [(f.rate * f.eligible_share, f.cap_yen, False) for f in work.funding]


# --- the model -----------------------------------------------------------------------------
# columns of the per-case sums: (which steps, online-dependent?)
SUMS = ("staff", "resident", "quick")


class Model:
    """The vectorised arithmetic of one group; :meth:`evaluate` takes one value per draw."""

    def __init__(self, work: GroupWork, assumptions: Assumptions, uplift: float = 1.0):
        steps = work.steps
        actor = [s.actor.value for s in steps]
        self.staff = np.array([a in STAFF for a in actor], dtype=bool)
        self.resident = np.array([a in RESIDENT for a in actor], dtype=bool)
        dep = np.array([s.uptake_dependent for s in steps], dtype=bool)
        exists = np.array([not s.is_new for s in steps], dtype=bool)
        quick = np.array([s.phase.value == "quick_win" for s in steps], dtype=bool)
        self.asis = np.array([s.share * s.minutes for s in steps], dtype=float) * exists  # p·t
        self.share_after = np.array([s.share_tobe for s in steps], dtype=float)          # p'
        self.likely = np.array([s.minutes_tobe for s in steps], dtype=float)             # t'
        groups = [self.staff, self.resident, self.staff & quick]
        # one column per (group, fixed | online): minutes saved per case Σ (p·t − p'·t')
        self.masks = np.stack([m & on for m in groups for on in (~dep, dep)],
                              axis=1).astype(float)
        self.ramp = uptake_by_year(work, assumptions)
        self.u0 = group_uptake(work, assumptions)
        self.labour = assumptions.labour_cost_yen_per_hour
        T, r = assumptions.horizon_years, assumptions.discount_rate
        self.T, self.disc = T, 1.0 / (1 + r) ** np.arange(1, T + 1)
        self.funding = funding_terms(work)
        self.uplift = uplift

    def likely_inputs(self, work: GroupWork) -> dict[str, np.ndarray]:
        """The one draw of the headline: every input at its likely value."""
        return {"minutes": self.likely[None, :], "cases": np.array([work.annual_cases]),
                "uptake": np.array([self.u0]),
                "c0": np.array([work.costs.initial_cost_yen]),
                "ca": np.array([work.costs.annual_cost_yen])}

    def evaluate(self, minutes, cases, uptake, c0, ca, labour=None) -> dict[str, np.ndarray]:
        """``minutes``: draws × steps (To-Be minutes); the others: one value per draw."""
        labour = self.labour if labour is None else labour
        per_case = (self.asis - minutes * self.share_after) @ self.masks   # draws × 6
        cols = [cases / 60 * per_case[:, j] for j in range(per_case.shape[1])]
        fixed, online, res_fixed, res_online, qw_fixed, qw_online = cols
        hours = fixed + uptake * online
        quick = qw_fixed + uptake * qw_online
        ramp = np.clip(self.ramp[None, :] + (uptake - self.u0)[:, None], 0, 1)
        yearly = fixed[:, None] + ramp * online[:, None]              # draws × T
        saving = yearly * np.asarray(labour, dtype=float).reshape(-1, 1)
        c0 = np.asarray(c0, dtype=float) * self.uplift
        s = subsidy(c0, self.funding)
        net = saving - np.asarray(ca, dtype=float)[:, None]
        return {"hours_saved": hours, "cost_saved_yen": hours * labour,
                "npv_yen": npv(c0 - s, net, self.disc),
                "general_fund_yen": c0 + self.T * ca - s,
                "resident_hours_saved": res_fixed + uptake * res_online,
                "payback_years": payback(c0 - s, net),
                "quick_win_hours_saved": quick, "redesign_hours_saved": hours - quick,
                "subsidy_yen": s, "hours_by_year": yearly, "saving_by_year": saving,
                "net_by_year": net, "uptake_by_year": ramp}
