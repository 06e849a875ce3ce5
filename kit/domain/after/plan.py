"""After the workshop: the group's charter and its action plan (docs/after-workshop.md).

Types only, validated like every other part of :class:`kit.domain.model.GroupWork` (which holds
``charter`` and ``actions``); the logic is in :mod:`kit.domain.after.actions` (overdue) and
:mod:`kit.domain.after.followup` (snapshots, schedule, realisation).
"""

from __future__ import annotations

import enum

from pydantic import Field

from kit.domain.fields import IsoDate, Name, Number, Text, _Model, new_id


class Status(str, enum.Enum):
    todo = "todo"          # 未着手
    doing = "doing"        # 進行中
    done = "done"          # 完了
    dropped = "dropped"    # 中止


OPEN = (Status.todo, Status.doing)


class Measure(_Model):
    """A charter measure: what is counted, its unit, the value today and the target."""

    name: Name
    unit: Text = ""
    baseline: Number | None = None
    target: Number | None = None


class Charter(_Model):
    """Where the procedure starts and ends, what is in and out of scope, who sponsors it,
    and the measures it is judged by (baseline → target)."""

    start: Text = ""            # the event that starts the procedure (e.g. 申請書の受付)
    end: Text = ""              # the event that ends it (e.g. 認定通知の発送)
    in_scope: Text = ""
    out_of_scope: Text = ""
    sponsor: Text = ""          # 所管課長
    go_live: IsoDate = ""       # the follow-up schedule counts days from here
    measures: list[Measure] = Field(default_factory=list, max_length=20)

    @property
    def empty(self) -> bool:
        return not any((self.start, self.end, self.in_scope, self.out_of_scope, self.sponsor,
                        self.go_live, self.measures))


class ActionItem(_Model):
    """One action of the plan: what, who, by when, how far, and the steps it changes."""

    id: str = Field(default_factory=new_id, pattern=r"^[A-Za-z0-9_-]{1,40}$")
    title: Name
    owner: Text = ""
    due: IsoDate = ""
    status: Status = Status.todo
    steps: list[str] = Field(default_factory=list, max_length=100)     # step ids
    notes: Text = ""
