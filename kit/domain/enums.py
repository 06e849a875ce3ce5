"""The workshop's vocabulary: who does a step, by which channel, its value, the change and
its phase, and how a saving shows in the budget. Labels for readers are in the catalogue
(``kit/i18n/<lang>/labels.yaml``: ``actor.resident`` → 住民 …)."""

from __future__ import annotations

import enum


class Actor(str, enum.Enum):
    resident = "resident"
    counter = "counter"
    back_office = "back_office"
    approver = "approver"
    system = "system"
    external = "external"


STAFF_ACTORS = (Actor.counter, Actor.back_office, Actor.approver)


class Channel(str, enum.Enum):
    counter = "counter"
    paper = "paper"
    phone = "phone"
    mail = "mail"               # e-mail
    post = "post"               # 郵送: paper by post
    online = "online"
    store = "store"             # コンビニ交付 (a convenience-store terminal)
    system = "system"


class ValueClass(str, enum.Enum):
    value_adding = "value_adding"
    necessary = "necessary"
    waste = "waste"


class Action(str, enum.Enum):
    keep = "keep"
    eliminate = "eliminate"
    combine = "combine"
    rearrange = "rearrange"
    simplify = "simplify"
    automate = "automate"


class Phase(str, enum.Enum):
    quick_win = "quick_win"
    redesign = "redesign"


class Realised(str, enum.Enum):
    """How a step's saved staff hours show in the budget (docs/formulas.md, cash vs capacity)."""
    redeploy = "redeploy"       # freed for other work: capacity, no yen leaves the budget
    overtime = "overtime"       # overtime not paid: cash at labour cost × overtime premium
    contract = "contract"       # 会計年度任用・委託 hours not bought: cash at the contract rate
