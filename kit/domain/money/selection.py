"""System selection (docs/formulas.md, "System selection"): weighted scoring, weight sensitivity, AHP and scenarios.

**Normalisation** (every criterion is mapped to 0..1, 1 = best, before weighting):

- cost criteria (``initial_cost``, ``annual_cost``, and any metric named ``*_cost``):
  min-max inverted, ``(max − x) / (max − min)``: the cheapest candidate gets 1, the dearest 0;
- benefit metrics (``hours_saved``, ``npv`` ... from each candidate's scenario):
  min-max, ``(x − min) / (max − min)``;
- 1–5 scores (``integration``, ``resident_usability``, ``staff_usability``,
  ``operating_burden`` where 5 = lightest, and any criterion the group adds):
  ``(s − 1) / 4``; the group's score overrides the catalogue's; a missing score of an added
  criterion counts as 3 (neutral);
- when all candidates have the same value, every one gets 1 (the criterion cannot separate
  them).

Weights are non-negative and normalised to sum 1. ``score = Σ_c w_c · n_c`` (0..1); rank 1 is
the highest score (ties keep the catalogue order).

**Scenarios.** A candidate (or a bundle of them) is a scenario of the group's To-Be with the
rule of :mod:`kit.domain.money.bundle`: a change tagged with the capabilities it needs
(``Step.needs``, e.g. ``online;rpa``) happens only when the systems enable all of them; quick
wins need no system and always happen; a redesign change with no tag happens with any system.
Changes that do not happen revert to the As-Is step; the systems' initial and annual costs
replace the group's costs. :func:`scenario_table` then gives hours saved, subsidy, general-fund burden and
NPV per candidate from :mod:`kit.domain.money.impact`.

"Used by other municipalities" and "newest" are refused as criteria (:func:`check_criterion`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kit import i18n
from kit.domain.model import Assumptions, GroupWork, Phase, SystemOption
from kit.domain.money import bundle, impact
from kit.exceptions import InputError

COST_CRITERIA = ("initial_cost", "annual_cost")
SCORE_CRITERIA = ("integration", "resident_usability", "staff_usability", "operating_burden")
BENEFIT_METRICS = ("hours_saved", "npv")
CRITERIA = ("hours_saved",) + COST_CRITERIA + SCORE_CRITERIA
DEFAULT_WEIGHTS = {"hours_saved": 3.0, "initial_cost": 1.0, "annual_cost": 1.0,
                   "integration": 2.0, "resident_usability": 2.0, "staff_usability": 1.0,
                   "operating_burden": 1.0}
_REFUSED = re.compile(
    r"他自治体|他の自治体|他市|他団体|他市町村|他の市町村|導入実績|導入事例|採用実績|導入数|"
    r"最新|新しさ|流行|人気|newest|latest|popular|other municipalit|other cities|"
    r"used by other|adoption count|track record|reference customers", re.I)
# Saaty's random consistency index, n = 1..10 (Saaty 1980, as used in most AHP texts)
BUNDLE = "+"          # scenario_table's row of the group's chosen bundle
SAATY_RI = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)


def _fail(key: str, field: str, value: object, **values) -> InputError:
    return InputError(*i18n.both(key, value=value, **values), field=field, value=value)


def check_criterion(name: str) -> str:
    """A criterion name, refused when it is about other cities' adoption or newness."""
    text = unicodedata.normalize("NFKC", str(name)).strip()
    if not text:
        raise _fail("sel.err.criterion_empty", "criterion", name)
    if _REFUSED.search(text):
        raise _fail("sel.err.refused_criterion", "criterion", name)
    return text


def normalise_weights(weights: dict[str, float]) -> dict[str, float]:
    """Weights scaled to sum 1; negative, non-numeric or all-zero weights are refused."""
    out: dict[str, float] = {}
    for name, value in weights.items():
        check_criterion(name)
        try:
            w = float(value)
        except (TypeError, ValueError):
            raise _fail("sel.err.weight", f"weights.{name}", value, name=name) from None
        if not np.isfinite(w) or w < 0:
            raise _fail("sel.err.weight", f"weights.{name}", value, name=name)
        out[name] = w
    total = sum(out.values())
    if total <= 0:
        raise _fail("sel.err.weights_zero", "weights", weights)
    return {k: v / total for k, v in out.items()}


def _minmax(values: np.ndarray, invert: bool) -> np.ndarray:
    lo, hi = float(values.min()), float(values.max())
    if hi - lo <= 1e-12 * max(1.0, abs(hi)):
        return np.ones_like(values, dtype=float)
    scaled = (values - lo) / (hi - lo)
    return 1.0 - scaled if invert else scaled


def _raw(option: SystemOption, criterion: str, scores: dict, metrics: dict) -> float | None:
    given = scores.get(option.system_id, {})
    if criterion in metrics:
        return metrics[criterion].get(option.system_id)
    if criterion in COST_CRITERIA:
        return getattr(option, f"{criterion}_yen")
    if criterion in given:
        return float(given[criterion])
    if criterion in SCORE_CRITERIA:
        return float(getattr(option, criterion))
    if criterion in BENEFIT_METRICS:
        return None
    return 3.0


def _check_score(system_id: str, criterion: str, value: object) -> None:
    try:
        ok = 1 <= float(value) <= 5
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise _fail("sel.err.score", f"scores.{system_id}.{criterion}", value,
                    system=system_id, name=criterion)


def criteria_matrix(options: list[SystemOption], criteria: list[str],
                    scores: dict | None = None, metrics: dict | None = None) -> pd.DataFrame:
    """Normalised (0..1, 1 = best) criteria, one row per option, one column per criterion."""
    scores, metrics = scores or {}, metrics or {}
    for sid, given in scores.items():
        for name, value in given.items():
            check_criterion(name)
            _check_score(sid, name, value)
    ids = [o.system_id for o in options]
    out = pd.DataFrame(index=pd.Index(ids, name="system_id"))
    for c in criteria:
        raw = [_raw(o, c, scores, metrics) for o in options]
        missing = [sid for sid, v in zip(ids, raw, strict=True) if v is None]
        if missing:
            raise _fail("sel.err.no_data", c, missing[0], name=c)
        values = np.asarray(raw, dtype=float)
        if c in metrics or c in COST_CRITERIA:
            out[c] = _minmax(values, invert=c in COST_CRITERIA or c.endswith("_cost"))
        else:
            out[c] = (values - 1.0) / 4.0
    return out


def rank(options: list[SystemOption], weights: dict[str, float],
         scores: dict[str, dict[str, float]] | None = None,
         metrics: dict[str, dict[str, float]] | None = None) -> pd.DataFrame:
    """One row per option: each normalised criterion, ``score`` (0..1) and ``rank`` (1 = best).

    ``scores[system_id][criterion]`` are the group's 1–5 scores; ``metrics[criterion]
    [system_id]`` numeric values such as ``hours_saved`` (see :func:`scenario_metrics`).
    """
    if not options:
        raise _fail("sel.err.no_options", "options", "[]")
    w = normalise_weights(weights)
    matrix = criteria_matrix(options, list(w), scores, metrics)
    table = matrix.copy()
    table.insert(0, "name", [o.name for o in options])
    table["score"] = matrix.to_numpy() @ np.array(list(w.values()))
    order = np.argsort(-table["score"].to_numpy(), kind="stable")
    ranks = np.empty(len(order), dtype=int)
    ranks[order] = np.arange(1, len(order) + 1)
    table["rank"] = ranks
    return table.sort_values("rank")


def win_probability(options: list[SystemOption], weights: dict[str, float],
                    scores: dict | None = None, n: int = 2000, concentration: float = 50.0,
                    seed: int = 0, metrics: dict | None = None) -> pd.Series:
    """Share of ``n`` Dirichlet draws of the weights in which each option ranks first.

    The draws are ``Dirichlet(concentration · w)`` around the group's normalised weights ``w``
    (mean ``w``; larger concentration = smaller perturbation; the standard deviation of a
    weight is ``sqrt(w(1−w)/(concentration+1))``). Criteria weighted 0 stay 0. Seeded.
    """
    w = normalise_weights(weights)
    names = [k for k, v in w.items() if v > 0]
    matrix = criteria_matrix(options, names, scores, metrics).to_numpy()
    rng = np.random.default_rng(seed)
    draws = rng.dirichlet(concentration * np.array([w[k] for k in names]), size=int(n))
    winners = np.argmax(draws @ matrix.T, axis=1)
    counts = np.bincount(winners, minlength=len(options))
    return pd.Series(counts / len(draws), index=[o.system_id for o in options],
                     name="win_probability")


def flip_weight_change(options: list[SystemOption], weights: dict[str, float],
                       scores: dict | None = None, metrics: dict | None = None) -> dict | None:
    """The smallest change of one weight (others rescaled in proportion) that flips the winner.

    Returns ``{"criterion", "from_weight", "to_weight", "change", "winner", "new_winner"}``
    (normalised weights; at ``to_weight`` the two tie, beyond it the new winner leads), or
    None when no single weight can change the winner.
    """
    w = normalise_weights(weights)
    names = list(w)
    n = criteria_matrix(options, names, scores, metrics).to_numpy()
    wv = np.array([w[k] for k in names])
    total = n @ wv
    win = int(np.argmax(total))
    best = None
    for j, name in enumerate(names):
        if wv[j] >= 1.0:
            continue
        rest = (total - wv[j] * n[:, j]) / (1.0 - wv[j])   # score of the other criteria
        a = rest[win] - rest                                # d(x) = a + x·(b − a)
        b = n[win, j] - n[:, j]
        with np.errstate(divide="ignore", invalid="ignore"):
            x = np.where(np.abs(a - b) > 1e-12, a / (a - b), np.nan)
        x[win] = np.nan
        ok = np.isfinite(x) & (x >= 0) & (x <= 1)
        for k in np.nonzero(ok)[0]:
            change = float(x[k] - wv[j])
            if best is None or abs(change) < abs(best["change"]):
                best = {"criterion": name, "from_weight": float(wv[j]),
                        "to_weight": float(x[k]), "change": change,
                        "winner": options[win].system_id,
                        "new_winner": options[int(k)].system_id}
    return best


@dataclass(frozen=True)
class AHPResult:
    weights: dict[str, float]
    lambda_max: float
    ci: float
    cr: float
    ri: float

    @property
    def consistent(self) -> bool:
        """Saaty's rule: a consistency ratio below 0.1 is acceptable."""
        return self.cr < 0.1


def ahp_weights(criteria: list[str], pairwise: dict[tuple[str, str], float]) -> AHPResult:
    """Weights from pairwise comparisons (Saaty 1–9 scale) by the principal eigenvector.

    ``pairwise[(a, b)] = 3`` means a is moderately more important than b; the reciprocal is
    filled in. ``CI = (λmax − n)/(n − 1)``, ``CR = CI / RI(n)`` with Saaty's RI table
    ``SAATY_RI`` (n = 1..10); a CR of 0.1 or more means the judgements contradict each other.
    """
    names = [check_criterion(c) for c in criteria]
    k = len(names)
    if not 1 <= k <= len(SAATY_RI):
        raise _fail("sel.err.ahp_size", "criteria", k, limit=len(SAATY_RI))
    pos = {c: i for i, c in enumerate(names)}
    a = np.ones((k, k))
    for (x, y), value in pairwise.items():
        if x not in pos or y not in pos or x == y:
            raise _fail("sel.err.ahp_pair", "pairwise", f"{x}/{y}")
        v = float(value)
        if not (1 / 9 - 1e-9 <= v <= 9 + 1e-9):
            raise _fail("sel.err.ahp_value", f"pairwise.{x}.{y}", value)
        a[pos[x], pos[y]], a[pos[y], pos[x]] = v, 1.0 / v
    values, vectors = np.linalg.eig(a)
    i = int(np.argmax(values.real))
    vec = np.abs(vectors[:, i].real)
    lam = float(values[i].real)
    ci = (lam - k) / (k - 1) if k > 2 else 0.0
    ri = SAATY_RI[k - 1]
    cr = ci / ri if ri > 0 else 0.0
    return AHPResult(dict(zip(names, (vec / vec.sum()).tolist(), strict=True)), lam, ci,
                     max(cr, 0.0), ri)


# --- scenarios ----------------------------------------------------------------------------
def _bundle(option) -> list[SystemOption]:
    if option is None:
        return []
    return list(option) if isinstance(option, (list, tuple)) else [option]


def applies(step, option) -> bool:
    """Whether a step's To-Be change happens with ``option`` (a system, a list of systems as a
    bundle, or None = no system at all): the rule of :mod:`kit.domain.money.bundle`."""
    systems = _bundle(option)
    return not bundle.missing(step, bundle.capabilities(systems), bool(systems))


def scenario(work: GroupWork, option) -> GroupWork:
    """The group's To-Be with ``option`` (one system, a bundle, or None) as its systems and
    their catalogue costs; :func:`kit.domain.money.impact.compute` then counts what it delivers."""
    systems = _bundle(option)
    initial, annual = bundle.costs(systems)
    costs = work.costs.model_copy(update={
        "system": " + ".join(o.name for o in systems), "initial_cost_yen": initial,
        "annual_cost_yen": annual, "source": "; ".join(dict.fromkeys(o.source for o in systems))})
    return work.model_copy(update={"systems": systems, "costs": costs})


def scenario_table(work: GroupWork, options: list[SystemOption],
                   assumptions: Assumptions) -> pd.DataFrame:
    """Per candidate (and the group's chosen bundle, when it is not one of them): steps
    changed, hours and cost saved a year, costs, subsidy, NPV. Index: the system id, "" for
    no system, :data:`BUNDLE` for the chosen bundle."""
    ids = [o.system_id for o in work.systems]
    extra = [work.systems] if ids and ids not in ([o.system_id] for o in options) else []
    rows = []
    for option in [None, *options, *extra]:
        m = impact.compute(scenario(work, option), assumptions)
        systems = _bundle(option)
        rows.append({
            "system_id": BUNDLE if option is work.systems else
            (systems[0].system_id if systems else ""),
            "name": " + ".join(o.name for o in systems),
            "steps_changed": sum(1 for s in work.steps if s.changed and applies(s, option)),
            "hours_saved": m.hours_saved, "cost_saved_yen": m.cost_saved_yen,
            "initial_cost_yen": m.initial_cost_yen, "annual_cost_yen": m.annual_cost_yen,
            "subsidy_yen": m.subsidy_yen, "general_fund_yen": m.general_fund_yen,
            "npv_yen": m.npv_yen, "payback_years": m.payback_years})
    return pd.DataFrame(rows).set_index("system_id")


def scenario_metrics(table: pd.DataFrame) -> dict[str, dict[str, float]]:
    """``metrics`` for :func:`rank` from :func:`scenario_table` (hours saved and NPV)."""
    table = table.drop(["", BUNDLE], errors="ignore")
    return {"hours_saved": table["hours_saved"].to_dict(), "npv": table["npv_yen"].to_dict()}


def group_options(work: GroupWork, catalogue: list[SystemOption] | None = None):
    """The group's candidates (added by hand), else the catalogue's relevant systems
    (:func:`kit.domain.money.bundle.split_catalogue`: out-of-scope systems are not ranked)."""
    return list(work.candidates) or bundle.split_catalogue(work, list(catalogue or []))[0]


def out_of_scope(work: GroupWork, catalogue: list[SystemOption] | None = None):
    """Catalogue systems shown apart as 対象外: relevant to none of the group's changes and
    not added by hand."""
    chosen = {o.system_id for o in group_options(work, catalogue)}
    return [o for o in bundle.split_catalogue(work, list(catalogue or []))[1]
            if o.system_id not in chosen]


def rank_work(work: GroupWork, assumptions: Assumptions,
              catalogue: list[SystemOption] | None = None) -> pd.DataFrame:
    """:func:`rank` of the group's candidates with its weights (default DEFAULT_WEIGHTS)."""
    options = group_options(work, catalogue)
    metrics = scenario_metrics(scenario_table(work, options, assumptions))
    return rank(options, work.weights or DEFAULT_WEIGHTS, work.scores, metrics)


def phase_totals(work: GroupWork, assumptions: Assumptions,
                 m: impact.Impact | None = None) -> pd.DataFrame:
    """Quick wins (phase 1, no system) then workflow redesign (phase 2): changed steps and
    staff hours and cost saved a year at the group's uptake (``m``: the group's
    ``impact.compute``, when the caller has it)."""
    m = m or impact.compute(work, assumptions)
    labour = assumptions.labour_cost_yen_per_hour
    counts = {p: sum(1 for s in work.steps if s.changed and s.phase == p) for p in Phase}
    hours = {Phase.quick_win: m.quick_win_hours_saved, Phase.redesign: m.redesign_hours_saved}
    return pd.DataFrame({"steps": [counts[p] for p in Phase],
                         "hours_saved": [hours[p] for p in Phase],
                         "cost_saved_yen": [hours[p] * labour for p in Phase]},
                        index=pd.Index([p.value for p in Phase], name="phase"))
