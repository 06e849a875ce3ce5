"""Three-way merge of JSON-like documents (a group's ``work.json``): pure functions, no I/O.

``merge(base, mine, theirs)``: ``base`` is what ``mine`` was loaded and edited from, ``theirs``
is what is on disk now. The rule, applied recursively from the top:

* **Equal, or changed on one side only**: the same change made on both sides counts once; a
  value changed on one side only is taken from that side.
* **Objects** (dicts) changed on both sides merge key by key. A key added on one side is kept;
  a key removed on one side and unchanged on the other is removed; removed on one side and
  changed on the other is a clash. An object created on both sides (the base has no value or
  ``null``) merges key by key against an empty one.
* **Lists of identified items** merge item by item, each item field by field (as an object).
  An item's identity is its ``id`` (steps, actions), else its ``system_id`` (candidates,
  systems), else its ``funding_id`` (funding rows) — and a funding row with an empty
  ``funding_id`` (typed by hand) is known by its ``name``: the name is required and shown to
  everyone, and renaming such a row on one side while the other edits it is then a clash
  (removed vs edited) rather than a silent guess. If any item of the three lists has no
  identity, or two items of one list share one, the list is merged as one value (below).

  Items added on both sides are all kept. Items present in all three lists keep the merged
  order: unchanged on both sides, or reordered on one side only (that side's order is taken);
  reordered differently on both sides is a clash on the order (path ends with ``"#order"``).
  Then the items theirs added are placed where theirs has them (each after the item preceding
  it in theirs' list, or first), then the items mine added, each after the item preceding it
  in my list, after any items only theirs added right there (so when both append, theirs'
  additions come first). Deterministic: the same three documents always give the same list.
* **Other lists and scalars** are one value each: changed differently on both sides is a clash.
* At the top level ``revision`` and ``updated_at`` are never merged: theirs are kept.

Every clash is collected (the walk does not stop at the first) and :class:`MergeClash` is
raised with all of them: ``Clash(path, base, mine, theirs)``, ``path`` a tuple such as
``("steps", "a1", "minutes")`` or ``("scores", "sysA", "integration")``. A value that is not
there (a removed item or key) is :data:`ABSENT`.
"""

from __future__ import annotations

import enum
from typing import Any, NamedTuple

NOT_MERGED = ("revision", "updated_at")      # top-level keys taken from theirs
ORDER = "#order"                             # last path element of a clash on a list's order
IDENTITY_KEYS = ("id", "system_id", "funding_id")


class _Absent(enum.Enum):
    ABSENT = "absent"

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT = _Absent.ABSENT
"""The value of a key or list item that one version does not have."""


class Clash(NamedTuple):
    """Both sides changed the value at ``path`` differently (``ABSENT`` = removed)."""

    path: tuple
    base: Any
    mine: Any
    theirs: Any


class MergeClash(Exception):
    """The merge gave up: ``clashes`` lists every place both sides changed differently.

    Internal to the io layer: :func:`kit.io.store.save_work` turns it into
    :class:`kit.exceptions.ConflictError` (whose ``clashes`` attribute carries the records).
    """

    def __init__(self, clashes: list[Clash]):
        self.clashes = list(clashes)
        super().__init__(self.clashes)

    def __str__(self) -> str:
        return "; ".join("/".join(map(str, c.path)) for c in self.clashes)


def merge(base: dict, mine: dict, theirs: dict) -> dict:
    """Three-way merge of two documents edited from ``base`` (rule: module docstring).

    Returns the merged document (a new dict; the inputs are not changed) or raises
    :class:`MergeClash` with every clash found.
    """
    clashes: list[Clash] = []
    merged = _merge_dicts(
        {k: v for k, v in base.items() if k not in NOT_MERGED},
        {k: v for k, v in mine.items() if k not in NOT_MERGED},
        {k: v for k, v in theirs.items() if k not in NOT_MERGED}, (), clashes)
    if clashes:
        raise MergeClash(clashes)
    for key in NOT_MERGED:
        if key in theirs:
            merged[key] = theirs[key]
    return merged


def _merge(base, mine, theirs, path: tuple, clashes: list[Clash]):
    """One value at ``path``; ``ABSENT`` means "not there" (and a result of ABSENT: drop it)."""
    if mine == theirs or mine == base:
        return theirs
    if theirs == base:
        return mine
    if isinstance(mine, dict) and isinstance(theirs, dict):
        if base in (ABSENT, None):
            base = {}
        if isinstance(base, dict):
            return _merge_dicts(base, mine, theirs, path, clashes)
    if isinstance(mine, list) and isinstance(theirs, list):
        if base in (ABSENT, None):
            base = []
        if isinstance(base, list):
            keyed = [_keyed(items) for items in (base, mine, theirs)]
            if all(k is not None for k in keyed):
                return _merge_items(*keyed, path, clashes)
            if path[-1:] != (ORDER,) and all(_is_set(x) for x in (base, mine, theirs)):
                return _merge_sets(base, mine, theirs)
    clashes.append(Clash(path, base, mine, theirs))
    return theirs


def _is_set(items: list) -> bool:
    """A list of distinct texts (e.g. dismissed suggestions, member names): merged as a set."""
    return all(isinstance(x, str) for x in items) and len(set(items)) == len(items)


def _merge_sets(base: list, mine: list, theirs: list) -> list:
    """Both sides' additions kept, both sides' removals applied; theirs' order, then mine's
    additions in their order."""
    removed = (set(base) - set(mine)) | (set(base) - set(theirs))
    merged = [x for x in theirs if x not in removed]
    return merged + [x for x in mine if x not in merged and x not in removed]


def _merge_dicts(base: dict, mine: dict, theirs: dict, path: tuple, clashes: list) -> dict:
    merged = {}
    for key in [*theirs, *(k for k in mine if k not in theirs),
                *(k for k in base if k not in theirs and k not in mine)]:
        value = _merge(base.get(key, ABSENT), mine.get(key, ABSENT), theirs.get(key, ABSENT),
                       (*path, key), clashes)
        if value is not ABSENT:
            merged[key] = value
    return merged


def identity(item: Any) -> str | None:
    """The identity of a list item (see the module docstring), or None if it has none."""
    if not isinstance(item, dict):
        return None
    for key in IDENTITY_KEYS:
        if key in item:
            value = item[key]
            if key == "funding_id" and value in ("", None):
                value = item.get("name")
            return value if isinstance(value, str) and value else None
    return None


def _keyed(items: list) -> dict | None:
    """``{identity: item}`` in list order, or None when the list must merge as one value."""
    out = {}
    for item in items:
        key = identity(item)
        if key is None or key in out:
            return None
        out[key] = item
    return out


def _merge_items(base: dict, mine: dict, theirs: dict, path: tuple, clashes: list) -> list:
    """Lists of identified items (each argument ``{identity: item}`` in list order)."""
    merged = _merge_dicts(base, mine, theirs, path, clashes)     # item by item, by identity
    common = [k for k in base if k in mine and k in theirs and k in merged]
    orders = [[k for k in side if k in common] for side in (base, mine, theirs)]
    order = _merge(*orders, (*path, ORDER), clashes)
    order = _place(order, [k for k in theirs if k in merged], set())
    order = _place(order, [k for k in mine if k in merged], set(theirs) - set(mine))
    return [merged[k] for k in order]


def _place(order: list, side: list, skip: set) -> list:
    """``order`` with the keys of ``side`` it lacks, each after the key preceding it in
    ``side`` (or first), and after any keys of ``skip`` that follow that place."""
    order = list(order)
    previous = None
    for key in side:
        if key not in order:
            at = 0 if previous is None else order.index(previous) + 1
            while at < len(order) and order[at] in skip:
                at += 1
            order.insert(at, key)
        previous = key
    return order
