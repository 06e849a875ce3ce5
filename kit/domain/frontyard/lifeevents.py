"""Life events: the procedures a resident goes through at once (転入 + 児童手当 + 国保 + 就学).

A step belongs to the procedures named in its ``procedure`` field (``転入;国保``; a step may
belong to several). Per procedure, and for the whole life event (every step of the group
once), before and after the change (docs/frontyard.md "Life events"):

- **counter visits** trips to the office, once a case however many counter steps (the largest
  ``p_i`` of the resident's counter steps) plus each step that starts a new trip (出直し …) at
  its ``p_i`` (:func:`kit.domain.money.impact.visits_per_case`; the kit's visits,
  :func:`kit.domain.money.impact.step_table`);
- **forms the resident writes (書く回数)** ``Σ p_i`` over resident steps on the paper channel
  (a form filled in by hand). In the To-Be a form no longer counts when staff prepare it:
  the step is eliminated, or its change needs the ``counter_form`` capability (書かない窓口:
  staff fill the form in from what the resident says, the resident checks and signs), or it
  takes at most ``SIGN_ONLY_MINUTES`` (a signature). The same minute rule applies As-Is;
- **time in the office** ``Σ p_i·t_i`` over the steps the resident spends at the office:
  resident steps on the counter or paper channel, and counter staff serving them
  (:data:`COUNTER_CHANNELS`: counter, paper and system channels);
- **書かない率** ``1 − forms written / forms``: the share of the forms a case needs (resident
  paper steps As-Is) that the resident does not write by hand.

To-Be values follow the kit's uptake rule: a change that needs the online channel applies to
the online share ``u`` of cases only, ``u·after + (1 − u)·before``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit.domain.model import Actor, Channel, GroupWork
from kit.domain.money import impact
from kit.domain.values import split_tags

SIGN_ONLY_MINUTES = 1.0
STAFF_FORM_TAG = "counter_form"      # the 書かない窓口 capability (systems catalogue ``enables``)
COUNTER_CHANNELS = (Channel.counter.value, Channel.paper.value, Channel.system.value)
MEASURES = ("visits", "forms", "office_minutes", "kakanai")


def procedures(work: GroupWork) -> list[str]:
    """The procedures named in the group's steps, in order of first appearance."""
    seen: list[str] = []
    for step in work.steps:
        seen += [tag for tag in split_tags(step.procedure) if tag not in seen]
    return seen


def step_measures(work: GroupWork, uptake: float) -> pd.DataFrame:
    """Per step: visits, forms written, minutes at the office and forms needed, As-Is/To-Be."""
    df = impact.step_table(work, uptake)
    exists = ~df["is_new"].to_numpy()
    u = np.where(df["uptake_dependent"].to_numpy(), uptake, 1.0)
    resident = (df["actor"] == Actor.resident.value).to_numpy()
    paper = (df["channel"] == Channel.paper.value).to_numpy()
    at_office = (resident & df["channel"].isin((Channel.counter.value, Channel.paper.value))
                 ) | ((df["actor"] == Actor.counter.value) & df["channel"].isin(COUNTER_CHANNELS))
    p, t = df["share"].to_numpy(), df["minutes"].to_numpy()
    pa, ta = df["share_after"].to_numpy(), df["minutes_after"].to_numpy()
    gone = (df["action"] == "eliminate").to_numpy() | (ta <= 0)
    form = resident & paper
    out = pd.DataFrame({
        "visits_asis": df["visits"], "visits_tobe": df["visits_after"],
        "forms_needed": p * (form & exists & (t > 0)),
        "forms_asis": p * (form & exists & (t > SIGN_ONLY_MINUTES)),
    })
    by_staff = np.array([STAFF_FORM_TAG in s.needs_tags for s in work.steps], dtype=bool)
    written_after = pa * (form & ~gone & ~by_staff & (ta > SIGN_ONLY_MINUTES))
    out["forms_tobe"] = u * written_after + (1 - u) * out["forms_asis"]
    out["office_minutes_asis"] = p * t * (at_office & exists)
    out["office_minutes_tobe"] = u * pa * ta * at_office + (1 - u) * out["office_minutes_asis"]
    out["tags"] = [split_tags(s.procedure) for s in work.steps]
    for col in VISIT_COLUMNS:                   # trips counted once a case (impact)
        out[col] = df[col]
    out["uptake"] = uptake
    return out


VISIT_COLUMNS = ("counter_visit", "gone", "new_trip", "is_new", "uptake_dependent", "share",
                 "share_after")


def _totals(part: pd.DataFrame) -> dict:
    needed = float(part["forms_needed"].sum())
    row = {f"{m}_{v}": float(part[f"{m}_{v}"].sum()) for m in MEASURES[:3]
           for v in ("asis", "tobe")}
    if len(part):
        row["visits_asis"], row["visits_tobe"] = impact.visits_per_case(
            part, float(part["uptake"].iloc[0]))
    for v in ("asis", "tobe"):
        row[f"kakanai_{v}"] = 1 - row[f"forms_{v}"] / needed if needed > 0 else float("nan")
    row["steps"] = len(part)
    return row


def life_event_table(work: GroupWork, uptake: float) -> pd.DataFrame:
    """One row per procedure and a last row ``""`` for the whole life event."""
    per_step = step_measures(work, uptake)
    rows = {name: _totals(per_step[per_step["tags"].map(lambda tags, n=name: n in tags)])
            for name in procedures(work)}
    rows[""] = _totals(per_step)
    return pd.DataFrame.from_dict(rows, orient="index")


def kakanai_rates(work: GroupWork, uptake: float) -> tuple[float, float]:
    """書かない率 of the whole group (every step once), As-Is and To-Be (NaN: no forms)."""
    total = _totals(step_measures(work, uptake))
    return total["kakanai_asis"], total["kakanai_tobe"]
