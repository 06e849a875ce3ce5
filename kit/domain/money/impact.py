"""The impact arithmetic of docs/formulas.md: pure functions, no I/O, no plotting.

Per As-Is step *i*: ``H_i = V · p_i · t_i / 60`` hours a year. A step's minutes are staff time
for counter, back-office and approver steps, the resident's time for resident steps, and
nobody's for system and external steps (lead time only). To-Be hours use the minutes and
share after the change; for steps whose saving needs the online channel, the effective
To-Be hours are ``u · H'_i + (1 − u) · H_i`` at online uptake ``u``.

Money (hours saved, yen, subsidy, NPV, payback) is :class:`kit.domain.money.finance.Model`, the one
vectorised arithmetic the Monte Carlo also uses; :func:`compute` evaluates it at one draw.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from kit.domain.model import Actor, Assumptions, GroupWork, ValueClass
from kit.domain.money import bundle, finance, fiscal

STAFF, RESIDENT = finance.STAFF, finance.RESIDENT
# a counter step whose name says the resident comes back another time: a new trip
NEW_TRIP_WORDS = ("出直し", "再来庁", "あらためて来庁")


def starts_new_trip(step) -> bool:
    """A step that starts a new trip to the office: its ``new_trip`` flag, or 「出直し」
    「再来庁」「あらためて来庁」 in its name."""
    return bool(getattr(step, "new_trip", False)) or any(w in step.name for w in NEW_TRIP_WORDS)


def _trips(share: np.ndarray, new_trip: np.ndarray) -> float:
    """Trips a case makes: the first trip once (the largest share among the counter steps
    that are not a new trip), plus each new trip at its share."""
    first = share[~new_trip]
    return float((first.max() if first.size else 0.0) + share[new_trip].sum())


def visits_per_case(df: pd.DataFrame, uptake: float) -> tuple[float, float]:
    """Trips to the office a case, As-Is and To-Be, from :func:`step_table`'s columns (the
    rows given: a procedure's steps or all). To-Be: the online share ``uptake`` takes every
    change; the others the As-Is visits of the online-dependent steps. Online cases make no
    first trip when an online-dependent counter step of theirs is removed (they stay away, as
    :func:`kit.domain.frontyard.measures.counter_demand` counts visitors); their new trips still count."""
    visit, new = df["counter_visit"].to_numpy(bool), df["new_trip"].to_numpy(bool)
    exists, dep = ~df["is_new"].to_numpy(bool), df["uptake_dependent"].to_numpy(bool)
    asis = np.where(visit & exists, df["share"].to_numpy(float), 0.0)
    tobe = np.where(visit & ~df["gone"].to_numpy(bool), df["share_after"].to_numpy(float),
                    0.0)
    gone = df["gone"].to_numpy(bool)
    before, online = _trips(asis, new), _trips(tobe, new)
    if not dep.any():
        return before, online
    if (visit & dep & gone & exists & ~new).any():     # online cases stay away (frontyard)
        online = float(tobe[new].sum())
    offline = _trips(np.where(dep, asis, tobe), new)
    return before, uptake * online + (1 - uptake) * offline


def step_table(work: GroupWork, uptake: float, planned: bool = False) -> pd.DataFrame:
    """One row per step with its As-Is and To-Be hours a year (vectorised).

    The To-Be is what the chosen systems deliver (:func:`kit.domain.money.bundle.effective`; column
    ``delivered``); ``planned=True`` gives every change as planned."""
    flags = bundle.delivered(work)
    steps = work.steps if planned else bundle.effective(work).steps

    def col(attr: str, dtype=float) -> np.ndarray:
        return np.array([getattr(s, attr) for s in steps], dtype=dtype)

    actor = np.array([s.actor.value for s in steps], dtype=object)
    channel = np.array([s.channel.value for s in steps], dtype=object)
    action = np.array([s.action.value for s in steps], dtype=object)
    minutes, share, wait = col("minutes"), col("share"), col("wait_days")
    minutes_after, share_after = col("minutes_tobe"), col("share_tobe")
    wait_after = col("wait_days_tobe")
    dep, is_new = col("uptake_dependent", bool), col("is_new", bool)
    unit_cost, unit_cost_after = col("unit_cost_yen"), col("unit_cost_tobe")
    # numpy arrays, one DataFrame at the end: the same arithmetic as column by column, a
    # fraction of pandas' cost per operation (this table is built many times per handout)
    V = float(work.annual_cases)
    exists = ~is_new
    hours = V * share * minutes / 60 * exists
    hours_after_full = V * share_after * minutes_after / 60
    u = np.where(dep, uptake, 1.0)
    hours_after = hours + u * (hours_after_full - hours)          # exact if equal
    lead = share * wait * exists
    visit = (actor == Actor.resident.value) & (channel == "counter")
    visits = share * (visit & exists)
    gone = (action == "eliminate") | (minutes_after <= 0)
    new_trip = np.array([starts_new_trip(s) for s in steps], dtype=bool)
    cost = share * unit_cost * exists       # non-labour yen per case (postage, printing)
    return pd.DataFrame({
        "id": [s.id for s in steps],
        "name": [s.name for s in steps],
        "actor": actor, "channel": channel,
        "value": [s.value.value for s in steps],
        "action": action,
        "phase": [s.phase.value for s in steps],
        "minutes": minutes, "share": share, "wait_days": wait,
        "minutes_after": minutes_after, "share_after": share_after,
        "wait_days_after": wait_after,
        "uptake_dependent": dep, "is_new": is_new,
        "changed": col("changed", bool), "delivered": np.array(flags, dtype=bool),
        "unit_cost": cost,
        "unit_cost_after": cost + u * (share_after * unit_cost_after - cost),
        "staff": np.isin(actor, list(STAFF)), "resident": np.isin(actor, list(RESIDENT)),
        "hours": hours, "hours_after_full": hours_after_full, "hours_after": hours_after,
        "hours_saved": hours - hours_after,
        "lead_days": lead,
        "lead_days_after": u * (share_after * wait_after) + (1 - u) * lead,
        "visits": visits, "counter_visit": visit, "gone": gone, "new_trip": new_trip,
        "visits_after": u * (share_after * (visit & ~gone)) + (1 - u) * visits,
    })


@dataclass(frozen=True)
class Impact:
    """The figures a handout shows; hours and yen are per year at the group's uptake."""

    uptake: float
    annual_cases: float
    hours_asis: float
    hours_tobe: float
    hours_saved: float
    fte_freed: float
    cost_saved_yen: float
    resident_hours_asis: float
    resident_hours_tobe: float
    resident_hours_saved: float
    visits_per_case_asis: float
    visits_per_case_tobe: float
    lead_time_asis_days: float
    lead_time_tobe_days: float
    waste_share: float
    quick_win_hours_saved: float
    redesign_hours_saved: float
    initial_cost_yen: float
    annual_cost_yen: float
    subsidy_yen: float
    total_cost_yen: float
    general_fund_yen: float
    npv_yen: float
    payback_years: float | None
    general_fund_per_hour_saved_yen: float | None
    horizon_years: int
    discount_rate: float
    labour_cost_yen_per_hour: float
    # cash versus capacity (a year at the uptake) and the NPV on cash
    cash_saved_yen: float
    capacity_hours: float
    overtime_hours: float
    contract_hours: float
    non_labour_saved_yen: float
    npv_cash_yen: float
    payback_cash_years: float | None
    resident_cost_saved_yen: float       # social benefit: never in the city's NPV
    systems: list[str]                   # the chosen bundle (system ids)
    not_delivered: list[dict]            # changes the bundle does not deliver
    not_delivered_hours: float
    funding: list[dict]                  # each source's amount, in order (the waterfall)
    switching_values: dict
    yearly: list[dict] = field(default_factory=list)
    # the budget's view (kit.domain.money.fiscal, docs/formulas.md "Funding as budgets book it")
    net_annual_cash_yen: float = 0.0      # cash saved − running cost, the period's last year
    bond_yen: float = 0.0                 # 地方債 proceeds (year 0)
    allocation_tax_yen: float = 0.0       # 交付税措置 within the period
    net_burden_yen: float = 0.0           # general fund − allocation tax
    debt_after_horizon_yen: float = 0.0   # debt service still due after the period
    start_fiscal_year: int = 0            # year 0's fiscal year (年度)
    fiscal_years: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


group_uptake = finance.group_uptake
uptake_by_year = finance.uptake_by_year


def _years(x: float) -> float | None:
    return None if np.isinf(x) else float(x)


def compute(work: GroupWork, assumptions: Assumptions) -> Impact:
    """The headline figures: :class:`kit.domain.money.finance.Model` at one draw (the likely inputs)
    on the To-Be the chosen systems deliver, plus the descriptive sums of :func:`step_table`
    (hours before and after, lead time, visits) and the changes not delivered."""
    u = group_uptake(work, assumptions)
    df = step_table(work, u)
    staff, resident = df["staff"].to_numpy(), df["resident"].to_numpy()
    hours_asis = float(df.loc[staff, "hours"].sum())
    res_asis = float(df.loc[resident, "hours"].sum())
    waste = float(df.loc[staff & (df["value"] == ValueClass.waste.value), "hours"].sum())
    V = float(work.annual_cases)
    model = finance.Model(bundle.effective(work), assumptions)
    likely = model.likely_inputs(work)
    out = {k: v[0] for k, v in model.evaluate(**likely).items()}
    saved = float(out["hours_saved"])
    a = assumptions
    c0, ca = work.costs.initial_cost_yen, work.costs.annual_cost_yen
    T, r = a.horizon_years, a.discount_rate
    s = float(out["subsidy_yen"])
    net_by_year = out["net_by_year"]
    general_fund = float(out["general_fund_yen"])
    hours_over_horizon = float(out["hours_by_year"].sum())
    years = np.arange(1, T + 1)
    yearly = pd.DataFrame({
        "year": years, "uptake": out["uptake_by_year"], "hours_saved": out["hours_by_year"],
        "saving_yen": out["saving_by_year"], "cash_yen": out["cash_by_year"],
        "running_cost_yen": np.full(T, ca),
        "net_yen": net_by_year, "discounted_net_yen": net_by_year * model.disc,
        "cumulative_net_yen": -float(out["upfront_yen"]) + np.cumsum(net_by_year),
    })
    planned = step_table(work, u, planned=True)
    at_stake = dict(zip(planned["id"], planned["hours_saved"] * planned["staff"], strict=True))
    missing = bundle.not_delivered(work, {k: float(v) for k, v in at_stake.items()})
    visits_asis, visits_tobe = visits_per_case(df, u)
    visits_saved = visits_asis - visits_tobe
    res_saved = float(out["resident_hours_saved"])
    start = fiscal.start_year(a)
    return Impact(
        uptake=u, annual_cases=V,
        hours_asis=hours_asis, hours_tobe=hours_asis - saved, hours_saved=saved,
        fte_freed=saved / a.hours_per_fte,
        cost_saved_yen=float(out["cost_saved_yen"]),
        resident_hours_asis=res_asis, resident_hours_tobe=res_asis - res_saved,
        resident_hours_saved=res_saved,
        visits_per_case_asis=visits_asis, visits_per_case_tobe=visits_tobe,
        lead_time_asis_days=float(df["lead_days"].sum()),
        lead_time_tobe_days=float(df["lead_days_after"].sum()),
        waste_share=waste / hours_asis if hours_asis else 0.0,
        quick_win_hours_saved=float(out["quick_win_hours_saved"]),
        redesign_hours_saved=float(out["redesign_hours_saved"]),
        initial_cost_yen=c0, annual_cost_yen=ca, subsidy_yen=s, total_cost_yen=c0 + T * ca,
        general_fund_yen=general_fund, npv_yen=float(out["npv_yen"]),
        payback_years=_years(out["payback_years"]),
        general_fund_per_hour_saved_yen=(general_fund / hours_over_horizon
                                         if hours_over_horizon > 0 else None),
        horizon_years=T, discount_rate=r, labour_cost_yen_per_hour=a.labour_cost_yen_per_hour,
        cash_saved_yen=float(out["cash_saved_yen"]),
        capacity_hours=float(out["capacity_hours"]),
        overtime_hours=float(out["overtime_hours"]),
        contract_hours=float(out["contract_hours"]),
        non_labour_saved_yen=float(out["non_labour_saved_yen"]),
        npv_cash_yen=float(out["npv_cash_yen"]),
        payback_cash_years=_years(out["payback_cash_years"]),
        resident_cost_saved_yen=(res_saved * a.resident_value_yen_per_hour
                                 + visits_saved * V * a.travel_cost_yen_per_visit),
        systems=[o.system_id for o in work.systems],
        not_delivered=missing, not_delivered_hours=float(sum(m["hours"] for m in missing)),
        funding=[{"name": f.name, "on_remaining": f.on_remaining, "amount_yen": float(x),
                  "kind": fiscal.kind_of(f).value, "kind_given": f.kind is not None}
                 for f, x in zip(work.funding, out["funding_parts"], strict=True)],
        switching_values=finance.switching_values(model, likely),
        yearly=yearly.to_dict(orient="records"),
        net_annual_cash_yen=float(out["cash_by_year"][-1]) - ca,
        bond_yen=float(out["bond_yen"]), allocation_tax_yen=float(out["allocation_tax_yen"]),
        net_burden_yen=float(out["net_burden_yen"]),
        debt_after_horizon_yen=float(out["debt_after_horizon_yen"]),
        start_fiscal_year=start,
        fiscal_years=fiscal.fiscal_years(out, c0, ca, start, T),
    )


def cost_per_case(work: GroupWork, assumptions: Assumptions) -> pd.DataFrame:
    """Yen per case by channel, As-Is and To-Be: staff minutes × labour cost + non-labour
    unit costs, of the steps through each channel (at the uptake)."""
    df = step_table(work, group_uptake(work, assumptions))
    V = float(work.annual_cases) or 1.0
    labour = assumptions.labour_cost_yen_per_hour * df["staff"] / V
    df["before"] = df["hours"] * labour + df["unit_cost"]
    df["after"] = df["hours_after"] * labour + df["unit_cost_after"]
    return df.groupby("channel", sort=False)[["before", "after"]].sum()


def hours_by_actor(work: GroupWork, assumptions: Assumptions) -> pd.DataFrame:
    """Annual hours As-Is and To-Be per actor (staff and resident actors)."""
    df = step_table(work, group_uptake(work, assumptions))
    return df.groupby("actor", sort=False)[["hours", "hours_after"]].sum()


ROUTES = ("counter", "post", "online", "store")       # how a resident applies


def _route_asis(steps) -> str:
    """How cases are applied for As-Is: the first of 窓口 / 郵送 / オンライン / コンビニ among
    the resident's channels (counter staff steps count as 窓口); 窓口 by default."""
    seen = {s.channel.value for s in steps if not s.is_new and s.actor == Actor.resident}
    seen |= {"counter" for s in steps if not s.is_new and s.actor.value == "counter"}
    return next((r for r in ROUTES if r in seen), "counter")


def cost_per_case_by_route(work: GroupWork, assumptions: Assumptions) -> dict:
    """Yen per case by how the resident applies, before and after, with the system's cost
    (docs/formulas.md, "Cost per case with the system").

    Per case: staff minutes × share × labour cost / 60 + non-labour unit costs. As-Is every
    case takes the As-Is route (:func:`_route_asis`). To-Be a share ``u`` applies through the
    new channel (コンビニ when a change needs ``convenience_store``, else オンライン) and
    takes every change; the others keep the As-Is route and the As-Is values of the
    online-dependent steps. System costs per case: running ``Ca / V`` and the initial cost
    spread over the period ``C0 / (T · V)`` (before funding; the subsidy's share apart)."""
    steps = bundle.effective(work).steps
    u = group_uptake(work, assumptions)
    L, V, T = assumptions.labour_cost_yen_per_hour, float(work.annual_cases), \
        assumptions.horizon_years
    staff = {getattr(a, "value", a) for a in STAFF}

    def yen(s, after: bool) -> float:
        if not after:
            return 0.0 if s.is_new else s.share * (
                s.minutes * L / 60 * (s.actor.value in staff) + s.unit_cost_yen)
        return s.share_tobe * (s.minutes_tobe * L / 60 * (s.actor.value in staff)
                               + s.unit_cost_tobe)

    before = float(sum(yen(s, False) for s in steps))
    online = float(sum(yen(s, True) for s in steps))
    offline = float(sum(yen(s, not s.uptake_dependent) for s in steps))
    old = _route_asis(steps)
    new = "store" if any("convenience_store" in s.needs_tags for s in steps) else "online"
    if not any(s.uptake_dependent for s in steps) or u <= 0:
        new = old
    rows = {old: {"share_before": 1.0, "before": before, "share_after": 0.0, "after": None}}
    if new == old:
        rows[old].update(share_after=1.0, after=offline * (1 - u) + online * u)
    else:
        rows[old].update(share_after=1 - u, after=offline)
        rows[new] = {"share_before": 0.0, "before": None, "share_after": u, "after": online}
    after = offline * (1 - u) + online * u
    running = work.costs.annual_cost_yen / V if V else 0.0
    initial = work.costs.initial_cost_yen / (T * V) if V and T else 0.0
    subsidy = 0.0
    if V and T and work.costs.initial_cost_yen:
        subsidy = compute(work, assumptions).subsidy_yen / (T * V)
    return {"routes": {r: rows[r] for r in ROUTES if r in rows}, "uptake": u,
            "before": before, "after": after, "running": running, "initial": initial,
            "subsidy": subsidy, "after_with_running": after + running,
            "after_with_system": after + running + initial,
            "after_with_system_net": after + running + initial - subsidy}
