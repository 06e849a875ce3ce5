"""Options on one basis (docs/formulas.md, "Options on one basis"): do nothing, quick wins only,
each relevant candidate alone, and the chosen bundle — the Green Book's business as usual,
do-minimum and options, for a budget reviewer (財政課).

Every option is a variant of the group's work evaluated by the one model,
:func:`kit.domain.money.impact.compute`:

- ``do_nothing``: every change undone (steps the redesign adds left out), no system, no cost:
  every figure is zero;
- ``quick_wins``: no system (:func:`kit.domain.money.selection.scenario` with ``None``): only the
  changes :mod:`kit.domain.money.bundle` delivers without a system count — the quick wins;
- a candidate's system id: that system alone at its catalogue costs
  (:func:`kit.domain.money.selection.scenario`), for each candidate (``work.candidates``) and each
  chosen system that enables at least one capability the group's changes need
  (:func:`kit.domain.money.bundle.relevant`); a one-system bundle is its own ``chosen`` row;
- ``chosen``: the group's work as it is — the headline, with the group's own costs.

The figures are read from the :class:`~kit.domain.money.impact.Impact` by name (``FIGURES``), so a
field added to it later is picked up where named here; ``net_burden_yen`` falls back to
``general_fund_yen`` where the model has no such field.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kit import i18n
from kit.domain.model import Assumptions, GroupWork, SystemOption
from kit.domain.money import bundle, impact, selection

DO_NOTHING, QUICK_WINS, CHOSEN = "do_nothing", "quick_wins", "chosen"
CANDIDATE = "candidate"             # the kind of a single-candidate option
# the figures of each option, with the names of ``kit impact --json``
FIGURES = ("hours_saved", "cash_saved_yen", "capacity_hours", "initial_cost_yen",
           "annual_cost_yen", "subsidy_yen", "general_fund_yen", "net_burden_yen", "npv_yen",
           "npv_cash_yen", "payback_years", "payback_cash_years")
INCREMENT = ("hours_saved", "npv_yen", "npv_cash_yen")


@dataclass(frozen=True)
class Option:
    """One option: its id, kind, the systems it buys (names for the label) and its figures."""

    id: str
    kind: str                       # do_nothing | quick_wins | candidate | chosen
    names: list[str]                # the systems' names (user data), in order
    has_system: bool                # a system is chosen, named or costed
    figures: dict = field(default_factory=dict)

    def __getattr__(self, name: str):
        """``option.npv_yen`` … (the figures as attributes, like an Impact)."""
        figures = self.__dict__.get("figures", {})
        if name in figures:
            return figures[name]
        raise AttributeError(name)

    def label(self, lang: str | None = i18n.DEFAULT_LANG) -> str:
        """What a reader sees (the names are user data: escape them in HTML)."""
        names = i18n.t("unit.list_sep", lang).join(self.names)
        if self.kind == CHOSEN and not names:
            return i18n.t("opt.label.chosen_none", lang)
        return i18n.t(f"opt.label.{self.kind}", lang, names=names)

    def to_dict(self, lang: str | None = i18n.DEFAULT_LANG) -> dict:
        return {"id": self.id, "label": self.label(lang), **self.figures}


def figures_of(m: impact.Impact) -> dict:
    """The option figures of one impact (``net_burden_yen``: else ``general_fund_yen``)."""
    out = {k: getattr(m, k) for k in FIGURES if hasattr(m, k)}
    out.setdefault("net_burden_yen", m.general_fund_yen)
    return {k: out.get(k) for k in FIGURES}


def do_nothing(work: GroupWork) -> GroupWork:
    """The As-Is as it stands: every change undone, added steps left out, no system."""
    steps = [bundle.reverted(s) for s in work.steps if not s.is_new]
    return selection.scenario(work.model_copy(update={"steps": steps}), None)


def quick_wins(work: GroupWork) -> GroupWork:
    """No system: only what needs none is delivered (the quick wins, bundle's rule)."""
    return selection.scenario(work, None)


def candidates(work: GroupWork) -> list[SystemOption]:
    """The relevant candidates, each to be tried alone: ``work.candidates`` then the chosen
    systems (first of each id), those that enable a capability the changes need. A bundle
    of exactly one system is not repeated (its row is ``chosen``)."""
    needs = bundle.needed(work)
    chosen = [o.system_id for o in work.systems]
    seen: dict[str, SystemOption] = {}
    for o in [*work.candidates, *work.systems]:
        if o.system_id not in seen and bundle.relevant(o, needs):
            seen[o.system_id] = o
    return [o for sid, o in seen.items() if chosen != [sid]]


def _chosen_names(work: GroupWork) -> list[str]:
    if work.systems:
        return [o.name for o in work.systems]
    return [work.costs.system] if work.costs.system.strip() else []


def compare(work: GroupWork, assumptions: Assumptions,
            chosen: impact.Impact | None = None) -> list[Option]:
    """The options in order: do nothing, quick wins, each candidate alone, the chosen bundle.

    ``chosen``: the group's ``impact.compute(work, assumptions)`` when the caller has it."""
    system = bundle.has_system(work)
    rows = [Option(DO_NOTHING, DO_NOTHING, [], False,
                   figures_of(impact.compute(do_nothing(work), assumptions))),
            Option(QUICK_WINS, QUICK_WINS, [], False,
                   figures_of(impact.compute(quick_wins(work), assumptions)))]
    for o in candidates(work):
        m = impact.compute(selection.scenario(work, o), assumptions)
        rows.append(Option(o.system_id, CANDIDATE, [o.name], True, figures_of(m)))
    m = chosen or impact.compute(work, assumptions)
    rows.append(Option(CHOSEN, CHOSEN, _chosen_names(work), system, figures_of(m)))
    return rows


def find(options: list[Option], option_id: str) -> Option:
    return next(o for o in options if o.id == option_id)


def increment(options: list[Option]) -> dict[str, float]:
    """What the chosen bundle adds to quick wins alone (chosen − quick wins)."""
    c, q = find(options, CHOSEN), find(options, QUICK_WINS)
    return {k: float(c.figures[k] - q.figures[k]) for k in INCREMENT}


def best_single(options: list[Option]) -> Option | None:
    """The candidate alone with the highest NPV (人件費換算), None without candidates."""
    singles = [o for o in options if o.kind == CANDIDATE]
    return max(singles, key=lambda o: o.npv_yen) if singles else None


def to_json(work: GroupWork, assumptions: Assumptions, lang: str | None = i18n.DEFAULT_LANG,
            chosen: impact.Impact | None = None) -> dict:
    """``options`` and ``increment_vs_quick_wins`` for ``kit impact --json``."""
    rows = compare(work, assumptions, chosen)
    return {"options": [o.to_dict(lang) for o in rows],
            "increment_vs_quick_wins": increment(rows)}
