"""Systems as a bundle: benefits count only with the costs of what delivers them.

A group chooses one or more systems (``GroupWork.systems``). Their costs add up; their
capabilities are the union of the catalogue's ``enables`` tags. A To-Be change counts in
the headline only when it is **delivered**:

- an unchanged step, or a quick win (``phase = quick_win``): always (no system needed);
- a workflow-redesign change with capability tags (``Step.needs``): when the chosen systems
  enable every tag;
- a redesign change without a tag: when at least one system is chosen (a bundle, or a
  system named or costed by hand in the 04 editor).

A change that is not delivered reverts to its As-Is step (a step the redesign adds is left
out) and is listed with the hours at stake and the missing tags (:func:`not_delivered`).
A catalogue system that enables none of the tags the group's changes need is out of scope
(対象外, :func:`split_catalogue`) unless the group adds it by hand. See docs/formulas.md.

Tags are data (the catalogue, the steps sheet, ``kit impact --json``); a reader sees their
labels (:func:`capability_label`, catalogue ``capability.<tag>`` in kit/i18n/*/catalogues.yaml).
"""

from __future__ import annotations

from collections.abc import Iterable

from kit import i18n
from kit.domain.model import Action, GroupWork, Phase, Step, SystemOption

NO_SYSTEM = "system"        # the missing "capability" of an untagged redesign change
LABEL_KIND = "capability"   # catalogue keys capability.<tag>


def capability_label(tag: str, lang: str | None = i18n.DEFAULT_LANG) -> str:
    """What a reader sees for a capability tag: ``capability_label("counter_form")`` is
    「書かない窓口（申請書の自動作成）」, in English "No-writing counter (…)". A tag the
    catalogue does not know (one a city added to its own systems catalogue) is shown as
    written."""
    return i18n.label(LABEL_KIND, tag, lang)


def known_capabilities() -> list[str]:
    """Every tag with a label in the catalogue, in the catalogue's order."""
    return [tag for _, tag in i18n.choices(LABEL_KIND, i18n.DEFAULT_LANG)]


def capability_choices(lang: str | None = i18n.DEFAULT_LANG, session=None,
                       extra: Iterable[str] = ()) -> list[tuple[str, str]]:
    """``[(label, tag)]`` for a check-box list of capabilities (a step's 必要な機能, a
    system's 機能タグ), e.g. ``ipywidgets.SelectMultiple(options=capability_choices(lang))``.

    Every known tag (:func:`known_capabilities`, catalogue order), then each tag of
    ``session``'s systems catalogue (``Session.systems``, any object with ``systems`` of
    :class:`SystemOption`) that has no label yet, then each tag of ``extra`` not listed yet
    (pass the tags already chosen, ``step.needs_tags``, so none is lost). Unknown tags are
    labelled with themselves. The value stored is always the tag (join with ";" for
    ``Step.needs`` / ``SystemOption.enables``)."""
    tags = known_capabilities()
    for option in getattr(session, "systems", None) or []:
        tags += [t for t in option.enables_tags if t not in tags]
    tags += [t for t in dict.fromkeys(extra) if t and t not in tags]
    return [(capability_label(t, lang), t) for t in tags]


def capabilities(systems: list[SystemOption]) -> set[str]:
    """The union of the bundle's ``enables`` tags."""
    return {tag for option in systems for tag in option.enables_tags}


def costs(systems: list[SystemOption]) -> tuple[float, float]:
    """(initial, annual) cost of a bundle: the sum of its systems' catalogue costs."""
    return (float(sum(o.initial_cost_yen for o in systems)),
            float(sum(o.annual_cost_yen for o in systems)))


def has_system(work: GroupWork) -> bool:
    c = work.costs
    return bool(work.systems) or bool(c.system.strip()) or c.initial_cost_yen > 0 \
        or c.annual_cost_yen > 0


def missing(step: Step, caps: set[str], system: bool) -> list[str]:
    """The capability tags ``step``'s change lacks ([] when it is delivered)."""
    if not step.changed or step.phase == Phase.quick_win:
        return []
    if not step.needs_tags:
        return [] if system else [NO_SYSTEM]
    return [tag for tag in step.needs_tags if tag not in caps]


def delivered(work: GroupWork) -> list[bool]:
    """Per step: does its change count with the group's systems?"""
    caps, system = capabilities(work.systems), has_system(work)
    return [not missing(s, caps, system) for s in work.steps]


def reverted(step: Step) -> Step:
    """The As-Is step (its change not made); an added step then takes no time."""
    return step.model_copy(update={
        "action": Action.keep, "minutes_after": None, "share_after": None,
        "wait_days_after": None, "minutes_after_low": None, "minutes_after_high": None,
        "unit_cost_after_yen": None})


def effective(work: GroupWork) -> GroupWork:
    """The To-Be the chosen systems deliver: undelivered changes reverted, same step order."""
    flags = delivered(work)
    if all(flags):
        return work
    steps = [s if ok else reverted(s) for s, ok in zip(work.steps, flags, strict=True)]
    return work.model_copy(update={"steps": steps})


def not_delivered(work: GroupWork, hours_saved: dict[str, float]) -> list[dict]:
    """The changes that do not count: step, staff hours at stake a year, missing tags.

    ``hours_saved``: staff hours saved a year per step id *as planned* (at the uptake)."""
    caps, system = capabilities(work.systems), has_system(work)
    out = []
    for s in work.steps:
        lacking = missing(s, caps, system)
        if lacking:
            out.append({"step_id": s.id, "step": s.name, "hours": hours_saved.get(s.id, 0.0),
                        "missing": lacking, "needs": s.needs_tags})
    return out


def needed(work: GroupWork) -> set[str]:
    """Every capability tag the group's redesign changes need."""
    return {tag for s in work.steps if s.changed and s.phase == Phase.redesign
            for tag in s.needs_tags}


def relevant(option: SystemOption, needs: set[str]) -> bool:
    """A system is relevant when it enables at least one needed tag (or nothing is tagged)."""
    return not needs or bool(needs & set(option.enables_tags))


def split_catalogue(work: GroupWork, catalogue: list[SystemOption]
                    ) -> tuple[list[SystemOption], list[SystemOption]]:
    """(relevant, out of scope) systems of the catalogue for this group."""
    needs = needed(work)
    inside = [o for o in catalogue if relevant(o, needs)]
    return inside, [o for o in catalogue if not relevant(o, needs)]
