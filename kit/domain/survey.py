"""The all-staff survey (docs/survey.md): loading, privacy and analysis. Pure: no Jupyter, no plots.

Columns (Japanese or English headers, matched after NFKC, case and spaces ignored):

========================  =====================================================
所属 / section            required
職種 / role               optional
勤続年数 / years          optional (kept as written)
参加希望 / willing        optional: はい/いいえ, 希望する/希望しない, yes/no
氏名 / name               optional: never shown; used to mask names in free text
回答ID / id               optional: else ``R<row>``
自由記述… / free_text…    one or more columns of free text
業務時間:<task> / hours:<task>   hours a month the respondent spends on a recurring task
every other column        a pain item: 1–5 or とてもそう思う … 全くそう思わない
========================  =====================================================

Privacy: a section with fewer than :data:`MIN_RESPONDENTS` respondents is merged into
"その他" before any breakdown, and its name is masked in free text; if "その他" itself stays
below the minimum it gets no breakdown either. E-mails, phone numbers and respondent names
are masked in free text (:mod:`kit.domain.survey_text`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kit import i18n
from kit.domain import survey_text
from kit.domain.model import to_bool, to_number
from kit.domain.values import header_key as _key
from kit.exceptions import InputError

MIN_RESPONDENTS = 5
COLUMNS = {
    "section": ("所属", "所属課", "部署", "課", "section", "department"),
    "role": ("職種", "役職", "role"),
    "years": ("勤続年数", "在職年数", "years", "yearsofservice"),
    "willing": ("参加希望", "ワークショップ参加希望", "willing", "willingtojoin"),
    "name": ("氏名", "名前", "name"),
    "id": ("回答ID", "回答番号", "id", "respondentid"),
}
_LOOKUP = {_key(text): name for name, texts in COLUMNS.items() for text in texts}
FREE_PREFIXES = ("自由記述", "freetext")
HOURS_RE = re.compile(r"^(?:業務時間|hours)\s*[:：_／/\-]\s*(.+)$", re.I)
LIKERT_WORDS = {
    5: ("とてもそう思う", "非常にそう思う", "強くそう思う", "stronglyagree"),
    4: ("そう思う", "ややそう思う", "どちらかといえばそう思う", "agree", "somewhatagree"),
    3: ("どちらともいえない", "どちらとも言えない", "どちらでもない", "ふつう", "neutral",
        "neither"),
    2: ("あまりそう思わない", "そう思わない", "どちらかといえばそう思わない", "disagree",
        "somewhatdisagree"),
    1: ("全くそう思わない", "まったくそう思わない", "全然そう思わない", "stronglydisagree"),
}
_LIKERT = {_key(w): float(v) for v, words in LIKERT_WORDS.items() for w in words} | \
    {str(v): float(v) for v in range(1, 6)} | {f"{v}.0": float(v) for v in range(1, 6)}
_NO_WORDS = ("しない", "不可", "いいえ", "なし", "no")
_YES_WORDS = ("希望", "参加", "可", "yes", "はい")


@dataclass
class Survey:
    """Validated, privacy-safe survey answers.

    ``people``: one row per respondent (id, section, shown_section, role, years, willing,
    pain); ``likert``: pain items (1–5, NaN = blank); ``hours``: hours a month per recurring
    task; ``free_text``: masked text per respondent. ``name`` is kept only for inviting
    participants (never rendered by any report).
    """

    people: pd.DataFrame
    likert: pd.DataFrame
    hours: pd.DataFrame
    free_text: pd.Series
    hidden_sections: list[str] = field(default_factory=list)
    min_respondents: int = MIN_RESPONDENTS

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


def _roles(frame: pd.DataFrame) -> tuple[dict[str, str], list[str], dict[str, str], list[str]]:
    """(field -> header, free-text headers, task -> header, Likert headers)."""
    known: dict[str, str] = {}
    free, tasks, likert = [], {}, []
    for header in frame.columns:
        key = _key(header)
        match = HOURS_RE.match(str(header))
        if key in _LOOKUP:
            if _LOOKUP[key] in known:
                raise _fail("err.duplicate_column", field=header)
            known[_LOOKUP[key]] = header
        elif key.startswith(FREE_PREFIXES):
            free.append(header)
        elif match:
            tasks[match.group(1).strip()] = header
        else:
            likert.append(header)
    if "section" not in known:
        raise _fail("err.missing_column", field="所属 / section",
                    value=", ".join(map(str, frame.columns)))
    return known, free, tasks, likert


def _likert(column: pd.Series, header: str) -> pd.Series:
    keys = column.map(_key)
    values = keys.map(_LIKERT)
    bad = values.isna() & (keys != "")
    if bad.any():
        row = int(bad.idxmax())
        raise _fail("survey.err_likert", field=header, value=column[row], row=row)
    return values.astype(float)


def _hours(column: pd.Series, header: str) -> pd.Series:
    values = column.map(lambda t: np.nan if t == "" else to_number(t))
    bad = values.map(lambda v: not isinstance(v, float) or (v == v and not 0 <= v <= 744))
    if bad.any():
        row = int(bad.idxmax())
        raise _fail("survey.err_hours", field=header, value=column[row], row=row)
    return values.astype(float)


def _willing(text: str) -> bool:
    value = to_bool(text)
    if isinstance(value, bool):
        return value
    norm = survey_text.normalize(text).lower()
    return not any(w in norm for w in _NO_WORDS) and any(w in norm for w in _YES_WORDS)


def _shown_sections(section: pd.Series, minimum: int) -> tuple[pd.Series, list[str]]:
    counts = section.value_counts()
    hidden = sorted(counts[counts < minimum].index)
    other = i18n.t("survey.other", "ja")
    return section.where(~section.isin(hidden), other), hidden


def survey_from_table(frame: pd.DataFrame, name: str, *,
                      min_respondents: int = MIN_RESPONDENTS) -> Survey:
    """Validate a survey table (all cells text, as :func:`kit.io.sheets.read_table` gives)."""
    min_respondents = max(MIN_RESPONDENTS, int(min_respondents))
    if frame.empty:
        raise _fail("err.no_rows", value=name)
    known, free, tasks, items = _roles(frame)
    get = lambda f: frame[known[f]] if f in known else pd.Series("", index=frame.index)  # noqa: E731
    section = get("section").map(survey_text.normalize)
    if (section == "").any():
        row = int((section == "").idxmax())
        raise _fail("survey.err_section", field=known["section"], value="", row=row)
    shown, hidden = _shown_sections(section, min_respondents)
    likert = pd.DataFrame({h: _likert(frame[h], h) for h in items}, index=frame.index)
    hours = pd.DataFrame({t: _hours(frame[h], h) for t, h in tasks.items()}, index=frame.index)
    ids = get("id").where(get("id") != "", "R" + frame.index.astype(str))
    names = get("name").map(survey_text.normalize)
    masker = survey_text.Masker(names, hidden)
    joined = frame[free].agg("\n".join, axis=1) if free else pd.Series("", index=frame.index)
    people = pd.DataFrame({
        "id": ids, "name": names, "section": section, "shown_section": shown,
        "role": get("role").map(survey_text.normalize), "years": get("years"),
        "willing": get("willing").map(_willing) if "willing" in known else False,
        "pain": likert.mean(axis=1) if items else np.nan,
    })
    return Survey(people=people, likert=likert, hours=hours,
                  free_text=masker.series(joined.str.strip()), hidden_sections=hidden,
                  min_respondents=min_respondents)


# --- analysis -----------------------------------------------------------------------------
@dataclass
class Analysis:
    """Everything the survey report shows; only sections with enough respondents appear."""

    respondents: int
    sections: pd.DataFrame      # shown_section, respondents, pain, willing (desc by pain)
    pain_matrix: pd.DataFrame   # section × item, mean 1–5
    items: pd.DataFrame         # item, pain, share_agree (desc)
    tasks: pd.DataFrame         # task, hours_per_year, respondents, top_section
    themes: pd.DataFrame        # term, respondents, share
    candidates: pd.DataFrame    # theme, kind, hours_per_year, pain, keywords
    comments: list[str]         # a few masked free-text examples


def shown(survey: Survey) -> pd.Series:
    """Rows allowed in a breakdown (their shown section has enough respondents)."""
    counts = survey.people["shown_section"].value_counts()
    ok = counts[counts >= survey.min_respondents].index
    return survey.people["shown_section"].isin(ok)


def section_table(survey: Survey) -> pd.DataFrame:
    mask = shown(survey)
    p = survey.people[mask]
    table = p.groupby("shown_section").agg(respondents=("id", "size"), pain=("pain", "mean"),
                                           willing=("willing", "sum"))
    return table.sort_values(["pain", "respondents"], ascending=[False, False]).reset_index()


def task_table(survey: Survey) -> pd.DataFrame:
    """Recurring tasks by reported hours a year (hours a month × 12), most first."""
    if survey.hours.empty:
        return pd.DataFrame(columns=["task", "hours_per_year", "respondents", "top_section"])
    h = survey.hours
    mask = shown(survey)
    by_section = h[mask].groupby(survey.people.loc[mask, "shown_section"]).sum()
    top = by_section.idxmax() if not by_section.empty else pd.Series("", index=h.columns)
    table = pd.DataFrame({"task": h.columns, "hours_per_year": h.sum().to_numpy() * 12,
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
