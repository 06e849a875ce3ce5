"""Reading a staff-survey export (CSV UTF-8/BOM/CP932 or .xlsx) into the domain's Survey.

A forms-tool export is read as it is (:mod:`kit.domain.survey.columns`). What cannot be told
from the answers is said in an optional **mapping sheet** beside the survey —
``<survey name>_mapping.csv`` or ``.xlsx`` (or ``mapping=`` given) — with the columns
``列`` (the survey's header as written), ``種類`` (所属, 職種, 勤続年数, 参加希望, 氏名, メール,
回答ID, 5段階, 月の時間, 自由記述, 使わない; or the English kind names; or
``hours_of:<header>`` — hours a month on the task each respondent named in the column
``<header>``) and optionally ``名前`` (the task or item name to show).
"""

from __future__ import annotations

from pathlib import Path

from kit import i18n
from kit.domain.problems import Problems
from kit.domain.survey.analysis import Survey, survey_from_table
from kit.domain.survey.columns import HOURS_OF_RE, KINDS
from kit.domain.values import header_key
from kit.io.cells import fail
from kit.io.layout import find_columns, read_table
from kit.io.sheets import lookup, records

MAPPING_COLUMNS = {"column": ("列", "column"), "kind": ("種類", "kind"),
                   "label": ("名前", "label")}
_MAPPING_LOOKUP = lookup([(text, name) for name, texts in MAPPING_COLUMNS.items()
                          for text in texts])
_KIND_LOOKUP = lookup([(kind, kind) for kind in KINDS] +
                      [(i18n.t(f"inputs.kind_word_{kind}", lang), kind)
                       for kind in KINDS for lang in i18n.LANGS])
_SURVEY_KNOWN = lookup([(text, text) for text in ("所属", "section", "回答日時", "タイムスタンプ",
                                                    "開始時刻", "完了時刻", "timestamp", "ID",
                                                    "氏名", "名前", "メール", "職種", "参加希望")])


def mapping_file(survey_file: str | Path) -> Path | None:
    """The mapping sheet beside a survey (``<stem>_mapping.csv``/``.xlsx``), if there is one."""
    survey_file = Path(survey_file)
    for suffix in (".csv", ".xlsx"):
        candidate = survey_file.with_name(f"{survey_file.stem}_mapping{suffix}")
        if candidate.is_file():
            return candidate
    return None


def read_mapping(path: str | Path) -> dict[str, tuple[str, str]]:
    """header -> (kind, label) from a mapping sheet; every problem in one error."""
    path = Path(path)
    table = read_table(path, known=_MAPPING_LOOKUP, required=("column", "kind"))
    positions = find_columns(table, _MAPPING_LOOKUP, ("column", "kind"), MAPPING_COLUMNS)
    problems: Problems = table.problems
    out: dict[str, tuple[str, str]] = {}
    if {"column", "kind"} <= positions.keys():
        for row, cells, headers in records(table.frame, positions):
            pair = HOURS_OF_RE.match(cells["kind"])
            if pair:
                out[cells["column"]] = ("hours_of", pair.group(1))
                continue
            kind = _KIND_LOOKUP.get(header_key(cells["kind"]))
            if kind is None:
                choices = "/".join(i18n.t(f"inputs.kind_word_{k}", "ja") for k in KINDS)
                problems.add(fail("err.choice", row=row, attr="kind", field=headers["kind"],
                                  value=cells["kind"], choices=choices))
                continue
            out[cells["column"]] = (kind, cells.get("label", ""))
    problems.check()
    return out


def load_survey(path: str | Path, *, sheet: str | None = None, mapping: str | Path | None = None,
                max_mb: float = 50) -> Survey:
    """Read and validate a survey export (with its mapping sheet when there is one).

    The privacy floor (:data:`kit.domain.survey.analysis.MIN_RESPONDENTS`) is not a parameter.
    """
    path = Path(path)
    table = read_table(path, known=_SURVEY_KNOWN, sheet=sheet, max_mb=max_mb)
    table.problems.check()
    mapping = mapping or mapping_file(path)
    return survey_from_table(table.frame, path.name,
                             read_mapping(mapping) if mapping else None)
