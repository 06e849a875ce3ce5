"""Where each step of a workflow goes in a swimlane drawing: its lane and its position.

One rule for every drawing of the flow — the handout's swimlane chart
(:mod:`kit.charts.flow`) and the BPMN export (:mod:`kit.io.bpmn`) — so both show the same
lanes in the same order and the steps in the same sequence: one lane per actor, in the order
of :data:`LANES`; steps one after another in workflow order, each in its actor's lane; an
arrow from each step to the next. Pure: positions are indices, each drawing scales them.
"""

from __future__ import annotations

from dataclasses import dataclass

from kit.domain.model import Action, Actor, GroupWork, Step

LANES = (Actor.resident, Actor.counter, Actor.back_office, Actor.approver, Actor.system,
         Actor.external)


@dataclass(frozen=True)
class FlowLayout:
    lanes: tuple[Actor, ...]          # lane order (top to bottom / left to right)
    steps: tuple[Step, ...]           # steps shown, in sequence
    lane_of: tuple[int, ...]          # for each shown step, the index of its lane

    @property
    def edges(self) -> tuple[tuple[int, int], ...]:
        """Arrows between shown steps, as (from, to) positions."""
        return tuple((i, i + 1) for i in range(len(self.steps) - 1))


def flow_layout(work: GroupWork, view: str = "asis", *, drop_eliminated: bool = False,
                lanes_of_shown: bool = False) -> FlowLayout:
    """The layout of ``work`` in the As-Is (``view="asis"``, no new steps) or To-Be view.

    ``drop_eliminated``: leave eliminated steps out of the To-Be (the chart shows them
    hatched; a process model leaves them out). ``lanes_of_shown``: lanes only for actors of
    the steps shown (the chart keeps every actor of the workflow, so both views line up).
    """
    steps = [s for s in work.steps if view == "tobe" or not s.is_new]
    if view == "tobe" and drop_eliminated:
        steps = [s for s in steps if s.action != Action.eliminate]
    present = {s.actor for s in (steps if lanes_of_shown else work.steps)}
    lanes = tuple(a for a in LANES if a in present)
    index = {a: j for j, a in enumerate(lanes)}
    return FlowLayout(lanes, tuple(steps), tuple(index[s.actor] for s in steps))
