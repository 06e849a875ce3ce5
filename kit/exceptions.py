"""The kit's exceptions: one module, one base class.

Every error a participant or facilitator can cause carries a message in Japanese and
English that names the field and the value and says the fix. All are picklable, because
reports are rendered in worker processes.
"""

from __future__ import annotations


class KitError(Exception):
    """Base of every error the kit raises on purpose."""

    def __init__(self, message_ja: str, message_en: str | None = None):
        self.message_ja = message_ja
        self.message_en = message_en or message_ja
        super().__init__(message_ja, message_en)

    def message(self, lang: str = "ja") -> str:
        return self.message_en if lang == "en" else self.message_ja

    def __str__(self) -> str:
        return f"{self.message_ja} / {self.message_en}"

    def __reduce__(self):
        return (self.__class__, self.args)


class InputError(KitError, ValueError):
    """A value typed or imported by a user is not acceptable.

    ``field`` names the field (and the row, where there is one), ``value`` is what was given.
    """

    def __init__(self, message_ja: str, message_en: str | None = None,
                 field: str = "", value: object = None, row: int | None = None):
        super().__init__(message_ja, message_en)
        self.field = field
        self.value = value
        self.row = row
        self.args = (message_ja, message_en, field, value, row)


class ConflictError(KitError):
    """Another participant saved the workspace since it was loaded here.

    ``clashes``: where a three-way merge was tried, every place both sides changed
    differently, as ``kit.io.merge.Clash(path, base, mine, theirs)`` records (an editor can
    show both values); empty when no merge was attempted (or the merged document was invalid).
    """

    def __init__(self, message_ja: str, message_en: str | None = None,
                 group: str = "", disk_revision: int = 0, expected_revision: int = 0,
                 clashes=()):
        super().__init__(message_ja, message_en)
        self.group = group
        self.disk_revision = disk_revision
        self.expected_revision = expected_revision
        self.clashes = list(clashes)
        self.args = (message_ja, message_en, group, disk_revision, expected_revision,
                     self.clashes)


class StoreError(KitError):
    """The session folder or a workspace file is missing or unreadable."""


class RenderError(KitError):
    """Rendering one group's handout failed."""

    def __init__(self, message_ja: str, message_en: str | None = None,
                 group: str = "", cell: int | None = None, detail: str = ""):
        super().__init__(message_ja, message_en)
        self.group = group
        self.cell = cell
        self.detail = detail
        self.args = (message_ja, message_en, group, cell, detail)


class ProblemsError(InputError):
    """Every problem of one file (or survey), reported together; nothing was saved.

    ``problems``: one ``(ja, en)`` line per problem (row, column, value, what to do). The
    messages start with a one-line summary; ``str()`` gives one ``ja / en`` line per problem.
    """

    def __init__(self, summary_ja: str, summary_en: str | None = None, field: str = "",
                 value: object = None, row: int | None = None, problems=()):
        self.problems = [tuple(p) for p in problems]
        self.summary = (summary_ja, summary_en or summary_ja)
        message_ja = "\n".join([summary_ja] + [f"・{ja}" for ja, _ in self.problems])
        message_en = "\n".join([self.summary[1]] + [f"- {en}" for _, en in self.problems])
        super().__init__(message_ja, message_en, field, value, row)
        self.args = (summary_ja, summary_en, field, value, row, self.problems)

    def __str__(self) -> str:
        lines = [f"{self.summary[0]} / {self.summary[1]}"]
        lines += [f"  - {ja} / {en}" for ja, en in self.problems]
        return "\n".join(lines)
