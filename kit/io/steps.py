"""The steps sheet: reading a group's As-Is/To-Be steps, writing them and the template."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kit import i18n
from kit.domain import model
from kit.domain.checks import Check, step_warnings
from kit.domain.model import Step
from kit.domain.values import (
    MINUTES_WARN,
    header_key,
    read_range,
    reading_kind,
    to_minutes,
    to_number,
)
from kit.io.cells import SUFFIXES, fail
from kit.io.layout import Table, find_columns, read_table
from kit.io.sheets import build_row, fill_sheet, lookup, records, write_csv

TEMPLATE_ROWS = 500         # rows that get the dropdown lists in a written sheet
# (model field, catalogue column key), in sheet order
STEP_COLUMNS = (("name", "step"), ("actor", "actor"), ("channel", "channel"),
                ("minutes", "minutes"), ("share", "share"), ("wait_days", "wait_days"),
                ("value", "value"), ("action", "action"), ("minutes_after", "minutes_after"),
                ("share_after", "share_after"), ("wait_days_after", "wait_days_after"),
                ("phase", "phase"), ("uptake_dependent", "uptake_dependent"),
                ("is_new", "is_new"), ("pain", "pain"),
                ("minutes_after_low", "minutes_after_low"),
                ("minutes_after_high", "minutes_after_high"), ("needs", "needs"),
                ("realised_as", "realised_as"), ("unit_cost_yen", "unit_cost_yen"),
                ("unit_cost_after_yen", "unit_cost_after_yen"), ("procedure", "procedure"))
_ENUMS = {"actor": model.Actor, "channel": model.Channel, "value": model.ValueClass,
          "action": model.Action, "phase": model.Phase, "realised_as": model.Realised}
_BOOLS = ("uptake_dependent", "is_new")
_STEP_ALIASES = {"name": "name", "所要時間": "minutes", "見直し後": "minutes_after"}
_STEP_LOOKUP = lookup([(i18n.t(f"col.{col}", lang), name) for name, col in STEP_COLUMNS
                        for lang in i18n.LANGS] + list(_STEP_ALIASES.items()))
_ENUM_LOOKUP = {kind: lookup([(member.value, member.value) for member in enum]
                              + [(text, value) for lang in i18n.LANGS
                                 for text, value in i18n.choices(kind, lang)])
                for kind, enum in _ENUMS.items()}


ROLES_FILE = ("roles", "roles.yaml")      # data_samples/roles/roles.yaml (kit/samples/roles)


@dataclass
class Roles:
    """Role names (担当者, 係長 …) read as actors: the bundled table, then the session's."""

    names: dict[str, str]                   # header_key(name) -> actor value
    path: str = ""
    session: bool = False

    @classmethod
    def load(cls, extra: dict[str, str] | None = None) -> Roles:
        import yaml

        from kit import resources

        file = resources.file("samples", *ROLES_FILE)
        data = yaml.safe_load(file.read_text(encoding="utf-8")) if file.is_file() else {}
        names = {header_key(name): model.Actor(actor).value
                 for actor, listed in (data or {}).items() for name in listed or ()}
        for name, actor in (extra or {}).items():
            value = _ENUM_LOOKUP["actor"].get(header_key(actor))
            if value is None:
                choices = tuple("/".join(t for t, _ in i18n.choices("actor", lang))
                                for lang in i18n.LANGS)
                raise fail("err.choice", field="roles", value=f"{name}: {actor}",
                           choices=choices)
            names[header_key(name)] = value
        return cls(names, str(file), bool(extra))

    def where(self) -> tuple[str, str]:
        texts = i18n.both("clerk.roles_table", path=self.path)
        if self.session:
            more = i18n.both("clerk.roles_session")
            return tuple(f"{a}・{b}" if i == 0 else f"{a}, {b}"
                         for i, (a, b) in enumerate(zip(texts, more, strict=True)))
        return texts


MINUTE_FIELDS = ("minutes", "minutes_after", "minutes_after_low", "minutes_after_high")
NUMBER_FIELDS = ("share", "wait_days", "share_after", "wait_days_after", "unit_cost_yen",
                 "unit_cost_after_yen")


def _shown(number: float) -> str:
    number = float(number)
    if not math.isfinite(number) or abs(number) >= 1e15:
        return str(number)
    text = f"{number:.4f}".rstrip("0")
    return i18n.fmt_number(number, len(text.split(".")[1]))


def _both(key: str, **values: Any) -> tuple[str, str]:
    """The message in both languages; a tuple value is (ja, en)."""
    return tuple(i18n.t(key, lang, **{k: v[i] if isinstance(v, tuple) else v
                                      for k, v in values.items()})
                 for i, lang in enumerate(i18n.LANGS))


class _Reader:
    """Reads one sheet's cells as clerks type them and says how (docs/inputs.md)."""

    def __init__(self, roles: Roles, problems):
        self.roles, self.problems = roles, problems
        self.lines: list[tuple[str, str]] = []
        self.used: dict[str, tuple[str, list[int]]] = {}   # role name -> (actor, rows)

    def say(self, key: str, **values) -> None:
        self.lines.append(_both(key, **values))

    def number(self, name: str, text: str, row: int, field: str, data: dict,
               cells: dict) -> None:
        minutes = name in MINUTE_FIELDS
        number = to_minutes(text) if minutes else to_number(text)
        kind = reading_kind(text, number)
        data[name] = number if kind else text   # as written: the model's message names it
        where = {"row": row, "field": field, "value": text, "read": _shown(number)
                 if isinstance(number, float) else text}
        if kind == "range":
            low, high = read_range(text)
            if name == "minutes_after" and not cells.get("minutes_after_low") \
                    and not cells.get("minutes_after_high"):
                data.update(minutes_after_low=low, minutes_after_high=high)
                self.say("clerk.read_range", low=_shown(low), high=_shown(high), **where)
            else:
                self.say("clerk.read_midpoint", **where)
        elif kind:
            self.say(f"clerk.read_{kind}", **where)
        if minutes and isinstance(number, float) and number > MINUTES_WARN:
            self.say("clerk.warn_long", hours=_shown(round(number / 60, 1)), **where)

    def actor(self, text: str, row: int, field: str) -> str | None:
        key = header_key(text)
        if key in _ENUM_LOOKUP["actor"]:
            return _ENUM_LOOKUP["actor"][key]
        if key in self.roles.names:
            actor = self.roles.names[key]
            self.used.setdefault(text, (actor, []))[1].append(row)
            return actor
        choices = tuple("/".join(t for t, _ in i18n.choices("actor", lang)) for lang in i18n.LANGS)
        self.problems.add(fail("clerk.err_role", row=row, attr="actor", field=field,
                               value=text, choices=choices, table=self.roles.where()))
        return None

    def data(self, cells: dict[str, str], row: int, headers: dict[str, str]) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name, text in cells.items():
            if text == "":
                continue        # the model's default
            if name == "actor":
                actor = self.actor(text, row, headers[name])
                if actor is not None:
                    data[name] = actor
            elif name in _ENUMS:
                data[name] = _ENUM_LOOKUP[name].get(header_key(text), text)
            elif name in MINUTE_FIELDS or name in NUMBER_FIELDS:
                self.number(name, text, row, headers[name], data, cells)
            else:
                data[name] = text
        return data

    def notes(self) -> list[tuple[str, str]]:
        if not self.used:
            return list(self.lines)
        pairs = []
        for lang in i18n.LANGS:
            sep = i18n.t("clerk.history_sep", lang)
            pairs.append(sep.join(
                i18n.t("clerk.role_pair", lang, name=name, actor=i18n.label("actor", actor, lang),
                       rows=sep.join(map(str, rows)))
                for name, (actor, rows) in self.used.items()))
        where = self.roles.where()
        return [_both("clerk.roles_used", pairs=tuple(pairs), table=where)] + self.lines


@dataclass
class StepsImport:
    """What a steps sheet gave: the steps, and what the import should say about it."""

    steps: list[Step]
    table: Table
    warnings: list[Check] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)      # the sheet row of each step
    readings: list[tuple[str, str]] = field(default_factory=list)   # how cells were read

    @property
    def notes(self) -> list[tuple[str, str]]:
        return self.table.notes + self.readings

    def messages(self, lang: str = "ja") -> list[str]:
        """The notes (skipped total rows, unused columns) and the warnings, in ``lang``."""
        pick = 1 if lang == "en" else 0
        return [note[pick] for note in self.notes] + [
            w.text(lang, row=self.rows[w.index]) for w in self.warnings]


def read_steps_report(path: str | Path, *, sheet: str | None = None, max_mb: float = 20,
                      roles: dict[str, str] | None = None) -> StepsImport:
    """The steps of a sheet with its notes, readings and warnings; every problem raised in
    one error. ``roles``: the session's role names (name -> actor) over the bundled table."""
    path = Path(path)
    table_roles = Roles.load(roles)
    table = read_table(path, known=_STEP_LOOKUP, required=("name",), sheet=sheet,
                       max_mb=max_mb)
    frame, problems = table.frame, table.problems
    if not len(frame.columns):
        raise fail("err.empty_sheet", value=path.name)
    names = {name: i18n.both(f"col.{col}") for name, col in STEP_COLUMNS}
    positions = find_columns(table, _STEP_LOOKUP, ("name",), names)
    if frame.empty and not problems:
        raise fail("err.empty_sheet", value=path.name)
    steps, rows = [], []
    reader = _Reader(table_roles, problems)
    if "name" in positions:
        for row, cells, headers in records(frame, positions):
            step = build_row(Step, reader.data(cells, row, headers), row, headers, problems)
            if step is not None:
                steps.append(step)
                rows.append(row)
    problems.check()
    return StepsImport(steps, table, step_warnings(steps), rows, reader.notes())


def read_steps(path: str | Path, *, sheet: str | None = None, max_mb: float = 20,
               roles: dict[str, str] | None = None) -> list[Step]:
    """The steps of a sheet, each validated by the model; see the module docstring."""
    return read_steps_report(path, sheet=sheet, max_mb=max_mb, roles=roles).steps


def _step_headers(lang: str) -> list[str]:
    return [i18n.t(f"col.{col}", lang) for _, col in STEP_COLUMNS]


def _step_row(step: Step, lang: str) -> list[Any]:
    """A step's cells: labels in ``lang`` for enums and flags, numbers, None for blank."""
    row: list[Any] = []
    for name, _ in STEP_COLUMNS:
        value = getattr(step, name)
        if name in _ENUMS and value is not None:
            value = i18n.label(name, value, lang)
        elif isinstance(value, bool):
            value = i18n.label("bool", value, lang)
        elif isinstance(value, float):
            value = int(value) if value.is_integer() and abs(value) < 1e16 else value
        row.append(value)
    return row


def _add_dropdowns(sheet, rows: int, lang: str) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    last = max(rows + 1, TEMPLATE_ROWS)
    for pos, (name, _) in enumerate(STEP_COLUMNS, start=1):
        kind = name if name in _ENUMS else "bool" if name in _BOOLS else None
        if kind is None:
            continue
        labels = ",".join(text for text, _ in i18n.choices(kind, lang))
        rule = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True,
                              showErrorMessage=True, errorStyle="warning",
                              error=i18n.t("tpl.choose", lang))
        letter = get_column_letter(pos)
        rule.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(rule)


def write_steps(steps: Iterable[Step], path: str | Path, lang: str = "ja") -> Path:
    """Write steps as .csv (UTF-8 with BOM) or .xlsx, headers and labels in ``lang``.

    :func:`read_steps` gives the same steps back (with new ids).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise fail("err.file_type", value=path.name)
    header = _step_headers(lang)
    rows = [_step_row(step, lang) for step in steps]
    if suffix == ".csv":
        write_csv(path, header, rows)
    else:
        _write_xlsx(path, [(i18n.t("sheet.steps", lang), header, rows)], lang)
    return path


def _examples(lang: str) -> list[Step]:
    return [
        Step(name=i18n.t("tpl.example1_step", lang), actor="resident", channel="paper",
             minutes=20, value="necessary", action="automate", minutes_after=5,
             phase="redesign", uptake_dependent=True, pain=i18n.t("tpl.example1_pain", lang)),
        Step(name=i18n.t("tpl.example2_step", lang), actor="back_office", channel="phone",
             minutes=15, share=0.2, wait_days=2, value="waste", action="eliminate",
             phase="quick_win", pain=i18n.t("tpl.example2_pain", lang)),
    ]


def write_steps_template(path: str | Path, lang: str = "ja") -> Path:
    """An .xlsx to fill in: an empty first sheet with headers and dropdown lists (the one
    :func:`read_steps` reads) and a second sheet with two example rows."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise fail("err.file_type", value=path.name)
    header = _step_headers(lang)
    examples = [_step_row(step, lang) for step in _examples(lang)]
    _write_xlsx(path, [(i18n.t("sheet.steps", lang), header, []),
                       (i18n.t("sheet.example", lang), header, examples)], lang)
    return path


def _fill_sheet(sheet, header: list[str], rows: list[list[Any]], lang: str) -> None:
    fill_sheet(sheet, header, rows)
    _add_dropdowns(sheet, len(rows), lang)


def _write_xlsx(path: Path, sheets: list[tuple[str, list[str], list[list[Any]]]],
                lang: str) -> None:
    import openpyxl  # here, not at import: reading a CSV or rendering needs no openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        _fill_sheet(book.create_sheet(title), header, rows, lang)
    book.save(path)
