"""Collecting every problem of an input before refusing it (one report per file).

An import adds each problem it finds (an :class:`~kit.exceptions.InputError` naming the
row, column and value) and calls :meth:`Problems.check` at the end: one problem is raised
as it is; several become one :class:`~kit.exceptions.ProblemsError` that lists them all.
Notes (skipped total rows, unused columns) and warnings are kept for the caller to print.
Pure: no I/O.
"""

from __future__ import annotations

from kit import i18n
from kit.exceptions import InputError, ProblemsError


class Problems:
    """The problems, notes and warnings of one input file called ``name``."""

    def __init__(self, name: str):
        self.name = name
        self.errors: list[InputError] = []
        self.notes: list[tuple[str, str]] = []

    def add(self, error: InputError) -> None:
        self.errors.append(error)

    def note(self, key: str, **values) -> None:
        self.notes.append(i18n.both(key, **values))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def check(self) -> None:
        """Raise if anything was found: the error itself, or all of them in one."""
        if not self.errors:
            return
        if len(self.errors) == 1:
            raise self.errors[0]
        first = self.errors[0]
        ja, en = i18n.both("inputs.problems", value=self.name, count=len(self.errors))
        raise ProblemsError(ja, en, field=first.field, value=first.value, row=first.row,
                            problems=[(e.message_ja, e.message_en) for e in self.errors])
