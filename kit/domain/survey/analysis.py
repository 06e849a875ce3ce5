"""The all-staff survey (docs/inputs.md): loading, privacy and analysis. Pure: no Jupyter, no plots.

How each column is read — the kit's own headers, or a forms-tool export (Microsoft Forms,
Google Forms, LoGoフォーム) as it is, with an optional mapping sheet — is
:mod:`kit.domain.survey.columns`: section (所属, required), role, years, taking part, name,
e-mail, respondent id, metadata (kept out), 5-point pain items, hours a month per task,
free text. Every problem of the file (a scale answer that is not one, hours out of 0–744,
a blank section) is reported in one error.

Privacy: a section with fewer than :data:`MIN_RESPONDENTS` (5) respondents is merged into
"その他" before any breakdown, and its name is masked in free text; if "その他" itself stays
below the minimum it gets no breakdown either. The floor is a constant: no argument lowers
it. E-mails, phone numbers, respondent names and the e-mail column's addresses are masked in
free text (:mod:`kit.domain.survey.text`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kit import i18n
from kit.domain.problems import Problems
from kit.domain.survey import text as survey_text
from kit.domain.survey.columns import Column, classify, is_placeholder, likert_value
from kit.domain.values import header_key, to_bool, to_number
from kit.exceptions import InputError

MIN_RESPONDENTS = 5
_NO_WORDS = ("しない", "不可", "いいえ", "なし", "できない", "no")
_YES_WORDS = ("希望", "参加", "可", "yes", "はい")
_MAX_BAD_PER_COLUMN = 5       # problems listed per column (the count says the rest)


@dataclass
class Survey:
    """Validated, privacy-safe survey answers.

    ``people``: one row per respondent (id, section, shown_section, role, years, willing,
    pain); ``likert``: pain items (1–5, NaN = blank); ``hours``: hours a month per recurring
    task; ``free_text``: masked text per respondent; ``columns``: how each column was read.
    ``name`` is kept only for inviting participants (never rendered by any report).
    """

    people: pd.DataFrame
    likert: pd.DataFrame
    hours: pd.DataFrame
    free_text: pd.Series
    hidden_sections: list[str] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)

    @property
    def min_respondents(self) -> int:
        """The privacy floor: always :data:`MIN_RESPONDENTS`, whoever asks."""
        return MIN_RESPONDENTS

    @property
    def items(self) -> list[str]:
        return list(self.likert.columns)

    @property
    def tasks(self) -> list[str]:
        return list(self.hours.columns)


def _fail(key: str, **values) -> InputError:
    row = values.pop("row", None)
    ja, en = i18n.both(key, **values)
    if row is not None:
        ja, en = (i18n.t("err.row", lang, row=row, message=text)
                  for lang, text in (("ja", ja), ("en", en)))
    return InputError(ja, en, field=str(values.get("field", "")), value=values.get("value"),
                      row=row)


def _report_bad(bad: pd.Series, column: pd.Series, key: str, header: str,
                problems: Problems) -> None:
    rows = list(bad[bad].index)
    for row in rows[:_MAX_BAD_PER_COLUMN]:
        problems.add(_fail(key, field=header, value=column[row], row=int(row)))
    if len(rows) > _MAX_BAD_PER_COLUMN:
        problems.add(_fail("inputs.err_more_in_column", field=header,
                           value=len(rows) - _MAX_BAD_PER_COLUMN))


def _likert(column: pd.Series, header: str, problems: Problems) -> pd.Series:
    values = column.map(lambda t: np.nan if t == "" else likert_value(t))
    bad = values.isna() & (column != "")
    _report_bad(bad, column, "survey.err_likert", header, problems)
    return values.astype(float)


def _hours(column: pd.Series, header: str, problems: Problems) -> pd.Series:
    values = column.map(lambda t: np.nan if t == "" else to_number(t))
    bad = values.map(lambda v: not isinstance(v, float) or (v == v and not 0 <= v <= 744))
    _report_bad(bad, column, "survey.err_hours", header, problems)
    return values.where(~bad, np.nan).astype(float)


def _willing(text: str) -> bool:
    value = to_bool(text)
    if isinstance(value, bool):
        return value
    norm = survey_text.normalize(text).lower()
    return not any(w in norm for w in _NO_WORDS) and any(w in norm for w in _YES_WORDS)


def _shown_sections(section: pd.Series) -> tuple[pd.Series, list[str]]:
    counts = section.value_counts()
    hidden = sorted(counts[counts < MIN_RESPONDENTS].index)
    other = i18n.t("survey.other", "ja")
    return section.where(~section.isin(hidden), other), hidden


def survey_from_table(frame: pd.DataFrame, name: str,
                      mapping: dict[str, tuple[str, str]] | None = None) -> Survey:
    """Validate a survey table (all cells text, as :func:`kit.io.sheets.read_table` gives);
    ``mapping``: header -> (kind, label) from a mapping sheet. Every problem in one error."""
    if frame.empty:
        raise _fail("err.no_rows", value=name)
    problems = Problems(name)
    columns = classify(frame, mapping)
    known = {c.kind: c.header for c in columns if c.kind in
             ("section", "role", "years", "willing", "name", "email", "id")}
    for c in columns:
        if c.kind == "duplicate":
            problems.add(_fail("err.duplicate_column", field=c.header))
    if "section" not in known:
        problems.add(_fail("inputs.err_no_section", field="所属 / section",
                           value=", ".join(map(str, frame.columns))))
        problems.check()
    get = lambda f: frame[known[f]] if f in known else pd.Series("", index=frame.index)  # noqa: E731
    section = get("section").map(survey_text.normalize)
    for row in section[section == ""].index:
        problems.add(_fail("survey.err_section", field=known["section"], value="",
                           row=int(row)))
    items = [c for c in columns if c.kind == "likert"]
    likert = pd.DataFrame({c.label or c.header: _likert(frame[c.header], c.header, problems)
                           for c in items}, index=frame.index)
    raw_hours = [(c, _hours(frame[c.header], c.header, problems))
                 for c in columns if c.kind == "hours"]
    by_key = {header_key(c.header): c.header for c in columns}
    for c, _ in raw_hours:
        if c.of and header_key(c.of) not in by_key:
            problems.add(_fail("survey_pairs.err_no_task_column", field=c.header, value=c.of))
        elif not c.of and is_placeholder(c.label):
            problems.add(_fail("survey_pairs.err_unpaired", field=c.header, value=c.label))
    problems.check()
    shown, hidden = _shown_sections(section)
    ids = get("id").where(get("id") != "", "R" + frame.index.astype(str))
    names = get("name").map(survey_text.normalize)
    emails = [e for e in get("email").map(survey_text.normalize) if e]
    masker = survey_text.Masker(names, list(hidden) + emails)
    hours = _task_hours(frame, raw_hours, by_key, masker)
    free = [c.header for c in columns if c.kind == "free_text"]
    joined = frame[free].agg("\n".join, axis=1) if free else pd.Series("", index=frame.index)
    people = pd.DataFrame({
        "id": ids, "name": names, "section": section, "shown_section": shown,
        "role": get("role").map(survey_text.normalize), "years": get("years"),
        "willing": get("willing").map(_willing) if "willing" in known else False,
        "pain": likert.mean(axis=1) if items else np.nan,
    })
    return Survey(people=people, likert=likert, hours=hours,
                  free_text=masker.series(joined.str.strip()), hidden_sections=hidden,
                  columns=columns)


def _add(hours: pd.DataFrame, label: str, values: pd.Series) -> None:
    """Add ``values`` to the task ``label`` (blank stays blank only where both are)."""
    if label in hours.columns:
        values = pd.concat([hours[label], values], axis=1).sum(axis=1, min_count=1)
    hours[label] = values


def _task_hours(frame: pd.DataFrame, raw: list, by_key: dict[str, str],
                masker: survey_text.Masker) -> pd.DataFrame:
    """Hours a month per task: a column named for its task, or — paired with a task
    question — each respondent's hours under the task they named (width and spaces
    normalised, masked; hours with no task named are left out)."""
    hours = pd.DataFrame(index=frame.index)
    for c, values in raw:
        if not c.of:
            _add(hours, c.label if c.label not in hours.columns else c.header, values)
            continue
        named = frame[by_key[header_key(c.of)]].map(survey_text.task_label).map(masker)
        for label in (n for n in pd.unique(named) if n):
            _add(hours, label, values.where(named == label))
    return hours.astype(float)


# --- analysis -----------------------------------------------------------------------------
@dataclass
class Analysis:
    """Everything the survey report shows; only sections with enough respondents appear."""

    respondents: int
    sections: pd.DataFrame      # shown_section, respondents, pain, willing (desc by pain)
    pain_matrix: pd.DataFrame   # section × item, mean 1–5
    items: pd.DataFrame         # item, pain, share_agree (desc)
    tasks: pd.DataFrame         # task, hours_per_month, hours_per_year, respondents, top_section
    themes: pd.DataFrame        # term, respondents, share
    candidates: pd.DataFrame    # theme, kind, hours_per_year, pain, keywords
    comments: list[str]         # a few masked free-text examples


def shown(survey: Survey) -> pd.Series:
    """Rows allowed in a breakdown (their shown section has enough respondents)."""
    counts = survey.people["shown_section"].value_counts()
    ok = counts[counts >= MIN_RESPONDENTS].index
    return survey.people["shown_section"].isin(ok)


def section_table(survey: Survey) -> pd.DataFrame:
    mask = shown(survey)
    p = survey.people[mask]
    table = p.groupby("shown_section").agg(respondents=("id", "size"), pain=("pain", "mean"),
                                           willing=("willing", "sum"))
    return table.sort_values(["pain", "respondents"], ascending=[False, False]).reset_index()


def task_table(survey: Survey) -> pd.DataFrame:
    """Recurring tasks by reported hours a month and a year (× 12), most first."""
    if survey.hours.empty:
        return pd.DataFrame(columns=["task", "hours_per_month", "hours_per_year", "respondents",
                                     "top_section"])
    h = survey.hours
    mask = shown(survey)
    by_section = h[mask].groupby(survey.people.loc[mask, "shown_section"]).sum()
    top = by_section.idxmax() if not by_section.empty else pd.Series("", index=h.columns)
    table = pd.DataFrame({"task": h.columns, "hours_per_month": h.sum().to_numpy(),
                          "hours_per_year": h.sum().to_numpy() * 12,
                          "respondents": (h > 0).sum().to_numpy(),
                          "top_section": top.reindex(h.columns).fillna("").to_numpy()})
    return table.sort_values("hours_per_year", ascending=False, kind="stable").reset_index(
        drop=True)


def analyse(survey: Survey, *, top_terms: int = 20, top_candidates: int = 12) -> Analysis:
    mask = shown(survey)
    sections = section_table(survey)
    matrix = survey.likert[mask].groupby(survey.people.loc[mask, "shown_section"]).mean()
    matrix = matrix.reindex(sections["shown_section"])
    items = pd.DataFrame({"item": survey.items, "pain": survey.likert.mean().to_numpy(),
                          "share_agree": (survey.likert >= 4).sum().to_numpy()
                          / survey.likert.notna().sum().clip(lower=1).to_numpy()})
    items = items.sort_values("pain", ascending=False, kind="stable").reset_index(drop=True)
    tasks = task_table(survey)
    sets = survey_text.term_sets(survey.free_text)
    themes = survey_text.top_terms(sets, top_terms)
    comments = [t for t in pd.unique(survey.free_text) if t][:8]
    return Analysis(len(survey.people), sections, matrix, items, tasks, themes,
                    candidates(survey, tasks, items, sets, top_candidates), comments)


def _keywords(sets: pd.Series, rows: pd.Series, n: int = 3, min_count: int = 3) -> str:
    """The terms most over-represented among ``rows`` (lift against everyone), ≥ min_count."""
    inside = Counter(w for s in sets[rows] for w in s)
    overall = Counter(w for s in sets for w in s)
    k, total = max(int(rows.sum()), 1), max(len(sets), 1)
    scored = sorted(((c / k) / (overall[w] / total), c, w) for w, c in inside.items()
                    if c >= min_count)
    return "、".join(w for _, _, w in sorted(scored, key=lambda x: (-x[0], -x[1], x[2]))[:n])


def candidates(survey: Survey, tasks: pd.DataFrame, items: pd.DataFrame, sets: pd.Series,
               n: int = 12) -> pd.DataFrame:
    """Workshop themes: the costliest recurring tasks first, then the most painful items."""
    rows = []
    for t in tasks.itertuples():
        if t.hours_per_year <= 0:
            continue
        h = survey.hours[t.task]
        who = h > h[h > 0].median()
        pain = float(survey.people.loc[who, "pain"].mean()) if who.any() else float("nan")
        rows.append((t.task, "task", t.hours_per_year, pain, t.top_section,
                     _keywords(sets, who)))
    for it in items.itertuples():
        agree = survey.likert[it.item] >= 4
        rows.append((it.item, "pain", float("nan"), it.pain, "", _keywords(sets, agree)))
    cols = ["theme", "kind", "hours_per_year", "pain", "top_section", "keywords"]
    return pd.DataFrame(rows[:n], columns=cols)
