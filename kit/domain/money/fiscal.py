"""Funding as the budget books it, year by year (docs/formulas.md, "Funding as budgets book
it" and "Fiscal years"), vectorised over draws like :class:`kit.domain.money.finance.Model`.

Each source has a kind (:class:`kit.domain.money.debt.FundingKind`); a source without one keeps the
old meaning, a subsidy. Whatever the row order, the initial cost ``C0`` goes through:

1. **subsidies** (補助金・交付金, 特定財源) in their order: ``S_k = min(a_k·e_k·base, K_k)``,
   ``base`` = ``C0`` or, ``on_remaining``, what the subsidies above leave; ``S = Σ S_k ≤ C0``;
2. **bonds** (地方債) on what the subsidies leave: ``B_k = min(c_k·e_k·(C0 − S), K_k)``
   (``c`` the 充当率), repaid from the year after issue (:func:`kit.domain.money.debt.debt_service`);
3. **allocation tax** (特別交付税措置 …) on what subsidies and bonds leave:
   ``X_k = min(a_k·e_k·(C0 − S − B), K_k)``; plus ``g_k ×`` each year's debt service of a bond
   with 交付税算入率 ``g_k``. It stays in 一般財源 and lowers the net burden only.

Within the horizon ``T``: ``general fund = C0 + T·Ca − S − B + Σ_{y≤T} DS_y``, ``allocation
tax = X + Σ_{y≤T} g·DS_y``, ``net burden = general fund − allocation tax``; debt service after
``T`` is ``debt_after_horizon``. Year 0 is the initial cost's fiscal year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kit.domain.money.debt import FundingKind, debt_service, default_start

SUBSIDY, BOND, ALLOCATION = FundingKind.subsidy, FundingKind.bond, FundingKind.allocation_tax


@dataclass(frozen=True)
class Term:
    """One source as the arithmetic needs it (``share``: rate × eligible share for a subsidy
    or an allocation tax, coverage × eligible share for a bond)."""

    kind: FundingKind
    share: float
    cap: float | None
    on_remaining: bool
    interest: float = 0.0
    grace: int = 0
    years: int = 1
    allocation_rate: float = 0.0


def kind_of(source) -> FundingKind:
    """A funding source's kind; not given: a subsidy (the meaning before kinds existed)."""
    return FundingKind(source.kind) if source.kind is not None else SUBSIDY


def terms(work) -> list[Term]:
    out = []
    for f in work.funding:
        kind = kind_of(f)
        share = (f.coverage if kind == BOND else f.rate) * f.eligible_share
        out.append(Term(kind, share, f.cap_yen, f.on_remaining, f.interest_rate,
                        f.grace_years, f.repayment_years, f.allocation_tax_rate)
                   if kind == BOND else Term(kind, share, f.cap_yen, f.on_remaining))
    return out


def start_year(assumptions) -> int:
    """Year 0's fiscal year: the session's ``start_fiscal_year`` (a session fills it from its
    date), else the one after today's."""
    return assumptions.start_fiscal_year or default_start()


# --- money ---------------------------------------------------------------------------------
def subsidy_parts(c0: np.ndarray, funding: list[tuple[float, float | None, bool]]
                  ) -> list[np.ndarray]:
    """Each source's amount, in order, out of ``c0`` (one per draw).

    ``funding``: ``(share, cap or None, on_remaining)``. A source takes ``min(share · base,
    cap)`` where ``base`` is ``c0`` or, when ``on_remaining``, ``c0`` minus the sources above
    it; never more than what is left of ``c0``.
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


@dataclass(frozen=True)
class Split:
    """Per draw: each source's amount in year 0 (in the sources' order), the sums by kind and
    the debt service (draws × years 1..span after the issue) with its 交付税算入."""

    parts: np.ndarray               # draws × sources
    subsidy: np.ndarray
    bond: np.ndarray
    allocation: np.ndarray          # allocation tax on the initial cost (year 0)
    debt: np.ndarray                # draws × span
    debt_allocation: np.ndarray     # draws × span


def split(c0, funding: list[Term], horizon: int) -> Split:
    """The initial cost through subsidies, bonds and allocation tax (in that order, whatever
    the row order) and the bonds' debt service over ``max(horizon, last repayment)`` years."""
    c0 = np.atleast_1d(np.asarray(c0, dtype=float))
    span = max([horizon] + [t.grace + t.years for t in funding if t.kind == BOND])
    parts = np.zeros((len(c0), len(funding)))
    left = c0
    for kind in (SUBSIDY, BOND, ALLOCATION):
        at = [i for i, t in enumerate(funding) if t.kind == kind]
        amounts = subsidy_parts(left, [(funding[i].share, funding[i].cap,
                                        funding[i].on_remaining) for i in at])
        for i, amount in zip(at, amounts, strict=True):
            parts[:, i] = amount
        left = left - sum(amounts, np.zeros_like(c0))
    debt = np.zeros((len(c0), span))
    debt_allocation = np.zeros((len(c0), span))
    for i, t in enumerate(funding):
        if t.kind == BOND:
            service = debt_service(parts[:, i], t.interest, t.grace, t.years, span)
            debt += service
            debt_allocation += t.allocation_rate * service
    kinds = np.array([t.kind.value for t in funding], dtype=object)

    def total(kind):
        return parts[:, kinds == kind.value].sum(axis=1)

    return Split(parts, total(SUBSIDY), total(BOND), total(ALLOCATION), debt, debt_allocation)


# --- fiscal years --------------------------------------------------------------------------
ROW_KEYS = ("fiscal_year", "initial_cost_yen", "annual_cost_yen", "subsidy_yen", "bond_yen",
            "debt_service_yen", "general_fund_yen", "allocation_tax_yen", "net_burden_yen",
            "cash_saved_yen", "capacity_hours")


def fiscal_years(out: dict, c0: float, ca: float, start: int, horizon: int) -> list[dict]:
    """Rows for years 0..T of the headline (``out``: one draw of ``Model.evaluate``): year 0
    the initial cost, its subsidies, bond proceeds and allocation tax; running costs, debt
    service, savings and capacity from year 1. The rows add up to the headline figures."""
    rows = []
    for k in range(horizon + 1):
        y = k - 1                                      # index of years 1..T
        first = k == 0
        row = {"fiscal_year": start + k,
               "initial_cost_yen": c0 if first else 0.0,
               "annual_cost_yen": 0.0 if first else ca,
               "subsidy_yen": float(out["subsidy_yen"]) if first else 0.0,
               "bond_yen": float(out["bond_yen"]) if first else 0.0,
               "debt_service_yen": 0.0 if first else float(out["debt_by_year"][y]),
               "allocation_tax_yen": float(out["allocation_tax_initial_yen"]) if first
               else float(out["debt_allocation_by_year"][y]),
               "cash_saved_yen": 0.0 if first else float(out["cash_by_year"][y]),
               "capacity_hours": 0.0 if first else float(out["capacity_by_year"][y])}
        row["general_fund_yen"] = (row["initial_cost_yen"] + row["annual_cost_yen"]
                                   - row["subsidy_yen"] - row["bond_yen"]
                                   + row["debt_service_yen"])
        row["net_burden_yen"] = row["general_fund_yen"] - row["allocation_tax_yen"]
        rows.append({key: row[key] for key in ROW_KEYS})
    return rows
