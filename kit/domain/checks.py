"""Contradictions in a group's steps and work still to do: warnings, never refusals.

Shared by ``kit steps import`` (printed), the As-Is and To-Be editors (shown under the
steps) and the tests. A warning does not stop a save: a longer step after a change can be
real (a check added on purpose), so it only asks for the reason.

- ``keep_changed``: 見直し = 維持 (keep), yet 見直し後(分) is given and differs from 所要時間(分).
- ``eliminate_minutes``: 見直し = 排除, yet 見直し後(分) > 0 (an eliminated step counts 0 min).
- ``longer_without_reason``: 見直し後(分) > 所要時間(分) and no reason written in 課題 (pain).
- ``no_cases`` (work): 年間件数 is 0, so every hour and yen is 0 until it is filled in.
- ``no_steps`` (work): no step yet.
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kit import i18n
from kit.domain.model import Action, GroupWork, Step


@dataclass(frozen=True)
class Check:
    """One warning: ``kind`` (see the module docstring), the step's position (0-based)."""

    kind: str
    index: int = -1
    name: str = ""
    before: float = 0.0
    after: float = 0.0

    def text(self, lang: str = "ja", row: int | None = None) -> str:
        """The message; ``row`` names the spreadsheet row, else the step's number."""
        values = {"name": self.name, "before": _minutes(self.before),
                  "after": _minutes(self.after)}
        message = i18n.t(f"inputs.warn_{self.kind}", lang, **values)
        if self.index < 0:
            return message
        if row is not None:
            return i18n.t("err.row", lang, row=row, message=message)
        return i18n.t("inputs.step_label", lang, n=self.index + 1, message=message)


def _minutes(value: float) -> str:
    return i18n.fmt_number(value, 0 if float(value).is_integer() else 1)


def step_warnings(steps: Sequence[Step]) -> list[Check]:
    """Every contradiction of the steps, in step order."""
    found: list[Check] = []
    for i, step in enumerate(steps):
        after = step.minutes_after
        if after is None or step.is_new:
            continue
        kinds = []
        if step.action == Action.keep and after != step.minutes:
            kinds.append("keep_changed")
        if step.action == Action.eliminate and after > 0:
            kinds.append("eliminate_minutes")
        if step.action != Action.eliminate and after > step.minutes and not step.pain.strip():
            kinds.append("longer_without_reason")
        found += [Check(k, i, step.name, step.minutes, after) for k in kinds]
    return found


def work_todos(work: GroupWork) -> list[Check]:
    """What is still missing for the figures to mean anything (no steps, no 年間件数)."""
    todos = []
    if not any(not s.is_new for s in work.steps):
        todos.append(Check("no_steps"))
    if work.annual_cases <= 0:
        todos.append(Check("no_cases"))
    return todos
