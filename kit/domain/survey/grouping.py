"""Participants and groups from the staff survey (docs/survey.md). Pure: no Jupyter, no plots.

1. Participants (:func:`allocate`, :func:`participants`): the places, at most ``max_groups ×
   group_size`` and never more than the willing staff, go to the ``top_sections`` shown
   sections with the highest pain (a small section is never named): first one place to each
   of them that has a willing person (the most painful first, if places are fewer), then the
   rest in proportion to the section's mean pain × its willing staff, by largest remainders
   (ties to the more painful section), a section getting no more places than it has willing
   staff (what it cannot take is shared among the others the same way). Within a section the
   most painful answers come first, ties broken by a seeded random order, so the same
   survey and seed always give the same groups.
2. Groups of about ``group_size`` (3–5): ``mix="mixed"`` deals people sorted by section and
   role round-robin, so each group spreads over sections and roles; ``mix="section"`` keeps
   each section together and pools the leftovers of small sections.
3. Themes: each group gets the recurring task its members spend most hours on, never one
   another group has: then the survey's costliest named tasks, then the candidate themes in
   order, then 「テーマ未定（gNN）」 to fill in.
4. The roster (:meth:`GroupPlan.roster`: group, theme, annual cases, respondent id, name,
   section, role) is saved as a sheet the facilitator edits and feeds back
   (:func:`apply_assignments`): theme and annual cases are per group, read from any row.
   Members keep their respondent id and section in the workspace (``members_detail``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kit import i18n
from kit.domain.model import GroupWork, login_name
from kit.domain.survey import text as survey_text
from kit.domain.survey.analysis import Survey, section_table, shown
from kit.domain.values import header_key as _key
from kit.domain.values import to_number
from kit.exceptions import InputError

MIXES = ("mixed", "section")
SIZES = (3, 4, 5)
ASSIGN_COLUMNS = {"id": ("回答ID", "id", "respondentid"), "name": ("氏名", "name"),
                  "group_id": ("グループID", "グループ", "group_id", "group"),
                  "theme": ("テーマ", "theme"),
                  "annual_cases": ("年間件数", "annual_cases", "annualcases", "件数")}


@dataclass
class GroupPlan:
    """``members``: one row per participant (group_id, id, name, section, role, pain)."""

    members: pd.DataFrame
    themes: dict[str, str] = field(default_factory=dict)
    cases: dict[str, float] = field(default_factory=dict)    # group -> annual cases

    @property
    def group_ids(self) -> list[str]:
        return sorted(self.members["group_id"].unique())

    def table(self) -> pd.DataFrame:
        """One row per group: theme, members, sections, roles (for the facilitator)."""
        rows = []
        for gid, m in self.members.groupby("group_id", sort=True):
            rows.append({"group_id": gid, "theme": self.themes.get(gid, ""),
                         "members": "、".join(m["name"].where(m["name"] != "", m["id"])),
                         "sections": "、".join(sorted(set(m["section"]))),
                         "roles": "、".join(sorted(set(r for r in m["role"] if r))),
                         "size": len(m)})
        return pd.DataFrame(rows)

    def ordered(self) -> pd.DataFrame:
        """The members by group, section and id: the roster's order and the workspaces'
        (a group's n-th member is its n-th login in the room)."""
        return self.members.sort_values(["group_id", "section", "id"], kind="stable")

    def roster(self) -> pd.DataFrame:
        """One row per participant, by group: group_id, theme, annual_cases (blank unless
        the plan knows it), id, name, section, role, and the login the room will give."""
        m = self.ordered()
        logins = [login_name(g, i) for g, i in zip(m["group_id"],
                                                   m.groupby("group_id").cumcount(),
                                                   strict=True)]
        return pd.DataFrame({"group_id": m["group_id"],
                             "theme": m["group_id"].map(lambda g: self.themes.get(g, "")),
                             "annual_cases": m["group_id"].map(
                                 lambda g: self.cases.get(g)).astype(object),
                             "id": m["id"], "name": m["name"], "section": m["section"],
                             "role": m["role"], "login": logins}).reset_index(drop=True)

    def works(self) -> list[GroupWork]:
        works = []
        for gid, m in self.ordered().groupby("group_id", sort=True):
            detail = [{"name": r.name, "section": r.section, "respondent_id": r.id}
                      for r in m.itertuples()]
            works.append(GroupWork.parse({
                "group_id": gid, "theme": self.themes.get(gid) or gid,
                "annual_cases": self.cases.get(gid, 0.0),
                "members": [d["name"] or d["respondent_id"] for d in detail],
                "members_detail": detail}))
        return works


def _check(group_size: int, mix: str) -> None:
    if group_size not in SIZES:
        raise InputError(*i18n.both("group.err_size", value=group_size), field="group_size",
                         value=group_size)
    if mix not in MIXES:
        raise InputError(*i18n.both("err.choice", field="mix", value=mix,
                                    choices="/".join(MIXES)), field="mix", value=mix)


def allocate(weights: list[float], willing: list[int], places: int) -> list[int]:
    """Places per section (sections in order of pain, most painful first; see the module
    docstring): one each first, the rest in proportion to ``weights`` by largest remainders,
    never more than ``willing``."""
    alloc = [0] * len(willing)
    for i in [i for i, w in enumerate(willing) if w > 0][:places]:
        alloc[i] = 1
    left = places - sum(alloc)
    while left > 0:
        room = [w - a for w, a in zip(willing, alloc, strict=True)]
        open_ = [i for i, r in enumerate(room) if r > 0]
        if not open_:
            break
        total = sum(weights[i] for i in open_)
        quota = {i: left * (weights[i] / total if total > 0 else 1 / len(open_))
                 for i in open_}
        full = [i for i in open_ if quota[i] >= room[i]]
        if full:                     # these take all they can; share the rest again
            for i in full:
                alloc[i] += room[i]
                left -= room[i]
            continue
        for i in open_:
            alloc[i] += int(quota[i])
        extra = left - sum(int(quota[i]) for i in open_)
        for i in sorted(open_, key=lambda i: (-(quota[i] - int(quota[i])), i))[:extra]:
            alloc[i] += 1
        left = 0
    return alloc


def participants(survey: Survey, *, top_sections: int = 5, max_groups: int = 12,
                 group_size: int = 4, seed: int = 0) -> pd.DataFrame:
    """Willing staff of the most painful sections, places spread by :func:`allocate`."""
    table = section_table(survey).head(max(1, top_sections))
    ranked = list(table["shown_section"])
    p = survey.people[shown(survey)]
    p = p[p["willing"] & p["shown_section"].isin(ranked)].copy()
    if p.empty:
        raise InputError(*i18n.both("group.err_none", value="、".join(ranked)),
                         field="willing", value=0)
    rng = np.random.default_rng(seed)
    p["_rank"] = p["shown_section"].map({s: i for i, s in enumerate(ranked)})
    p["_tie"] = rng.permutation(len(p))
    p["_pain"] = p["pain"].fillna(0)
    p = p.sort_values(["_rank", "_pain", "_tie"], ascending=[True, False, True])
    willing = [int((p["shown_section"] == s).sum()) for s in ranked]
    weights = [w * float(0 if pd.isna(pain) else pain)
               for w, pain in zip(willing, table["pain"], strict=True)]
    places = allocate(weights, willing, min(max_groups * group_size, len(p)))
    p = pd.concat([m.head(places[r]) for r, m in p.groupby("_rank", sort=True)])
    return p.assign(section=p["shown_section"]).drop(columns=["_pain", "_rank"])


def _deal(people: pd.DataFrame, group_size: int) -> list[pd.DataFrame]:
    """Round-robin into round(n / size) groups of near-equal size, spreading sections/roles."""
    n_groups = max(1, int(round(len(people) / group_size)))
    ordered = people.sort_values(["section", "role", "_tie"])
    slot = np.arange(len(ordered)) % n_groups
    return [ordered[slot == g] for g in range(n_groups)]


def _by_section(people: pd.DataFrame, group_size: int) -> list[pd.DataFrame]:
    groups, pool = [], []
    for _, m in people.groupby("section", sort=False):
        if len(m) < min(SIZES):
            pool.append(m)
            continue
        groups.extend(_deal(m, group_size))
    leftover = pd.concat(pool) if pool else people.iloc[:0]
    if len(leftover) >= min(SIZES) or (len(leftover) and not groups):
        groups.extend(_deal(leftover, group_size))
    else:
        for _, person in leftover.iterrows():
            smallest = min(range(len(groups)), key=lambda i: len(groups[i]))
            groups[smallest] = pd.concat([groups[smallest], person.to_frame().T])
    return groups


def _themes(survey: Survey, members: pd.DataFrame, fallback: list[str]) -> dict[str, str]:
    """A distinct theme per group: its members' costliest task not yet taken, else the
    survey's costliest named task not yet taken, else the next candidate theme not yet taken,
    else a to-do 「テーマ未定（gNN）」."""
    themes: dict[str, str] = {}
    used: set[str] = set()
    hours = survey.hours.rename(index=survey.people["id"]) if not survey.hours.empty else None
    costliest: list[str] = []
    if hours is not None:
        totals = hours.sum().sort_values(ascending=False, kind="stable")
        costliest = [t for t, h in totals.items() if h > 0]
    for gid, m in members.groupby("group_id", sort=True):
        options: list[str] = []
        if hours is not None:
            totals = hours.loc[m["id"]].sum().sort_values(ascending=False, kind="stable")
            options = [t for t, h in totals.items() if h > 0]
        choice = next((t for t in options + costliest + list(fallback)
                       if t and t not in used), "")
        themes[gid] = choice or i18n.t("inputs.theme_todo", "ja", group=gid)
        used.add(themes[gid])
    return themes


def form_groups(survey: Survey, *, group_size: int = 4, mix: str = "mixed",
                top_sections: int = 5, max_groups: int = 12, seed: int = 0,
                fallback_themes: list[str] | None = None) -> GroupPlan:
    """Deterministic groups for a survey, a size, a mixing rule and a seed."""
    _check(group_size, mix)
    people = participants(survey, top_sections=top_sections, max_groups=max_groups,
                          group_size=group_size, seed=seed)
    parts = _deal(people, group_size) if mix == "mixed" else _by_section(people, group_size)
    parts = sorted(parts, key=lambda g: (-len(g), str(g["id"].iloc[0])))
    members = pd.concat([g.assign(group_id=f"g{i:02d}") for i, g in enumerate(parts, 1)])
    cols = ["group_id", "id", "name", "section", "role", "pain"]
    members = members[cols].reset_index(drop=True)
    return GroupPlan(members, _themes(survey, members, fallback_themes or survey.items))


def _assign_columns(frame: pd.DataFrame) -> dict[str, str]:
    lookup = {_key(t): name for name, texts in ASSIGN_COLUMNS.items() for t in texts}
    found = {lookup[_key(h)]: h for h in frame.columns if _key(h) in lookup}
    if "group_id" not in found or not ({"id", "name"} & found.keys()):
        raise InputError(*i18n.both("err.missing_column", field="グループID + 回答ID/氏名",
                                    value=", ".join(map(str, frame.columns))),
                         field="group_id")
    return found


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or \
        (isinstance(value, str) and not value.strip())


def _cases(gid: str, value) -> float:
    """年間件数 as clerks type it (「1,200件」, 「１２００」); negative or no number is refused."""
    number = to_number(value.strip() if isinstance(value, str) else value)
    if not isinstance(number, float) or np.isnan(number) or number < 0:
        raise InputError(*(i18n.t("inputs.err_roster_cases", lang, group=gid, value=value,
                                  field=i18n.t("inputs.roster_annual_cases", lang))
                           for lang in ("ja", "en")), field="annual_cases", value=value)
    return number


def _per_group(column: str, rows: list[tuple[str, object, str]], planned: dict) -> dict:
    """group -> the one value of ``column`` its rows give (rows: group, value, as typed;
    blank rows do not count). When rows of one group disagree, a value the plan already has
    (a person moved in keeps the old group's theme on the row) gives way to the
    facilitator's edit; two different edits are refused, naming the group, the column and
    both values as typed."""
    by_group: dict[str, dict] = {}
    for gid, value, typed in rows:
        if gid and not _blank(value):
            by_group.setdefault(gid, {}).setdefault(value, typed)
    out = {}
    for gid, values in by_group.items():
        edits = ([v for v in values if v not in planned.values()] if len(values) > 1
                 else list(values))
        if len(edits) > 1:
            raise InputError(*(i18n.t("inputs.err_two_values", lang, group=gid,
                                      value=" / ".join(q.format(values[v]) for v in edits),
                                      field=i18n.t(f"inputs.roster_{column}", lang))
                               for lang, q in (("ja", "「{}」"), ("en", "'{}'"))),
                             field=column, value=gid)
        mine = planned.get(gid)
        out[gid] = edits[0] if edits else (mine if mine in values else next(iter(values)))
    return out


def apply_assignments(plan: GroupPlan, survey: Survey, frame: pd.DataFrame) -> GroupPlan:
    """Move the people listed in ``frame`` (回答ID or 氏名, グループID[, テーマ, 年間件数])
    by hand; テーマ and 年間件数 are per group, from any non-blank row of it (:func:`_per_group`,
    :func:`_cases`).

    ``frame`` may be the saved roster, edited: a person not yet chosen is added; a new
    group id makes a new group; a blank group id removes the person; group ids that differ
    only in case are one group. Everything is checked before anything changes.
    """
    cols = _assign_columns(frame)
    people = survey.people.set_index("id", drop=False)
    by_name = {survey_text.normalize(n): i for i, n in zip(people["id"], people["name"],
                                                           strict=True) if n}
    members = plan.members.set_index("id", drop=False)
    spelled = {g.casefold(): g for g in plan.group_ids}
    theme_rows, case_rows = [], []
    for _, row in frame.iterrows():
        who = row.get(cols.get("id", ""), "") or by_name.get(
            survey_text.normalize(row.get(cols.get("name", ""), "")), "")
        if who not in people.index:
            raise InputError(*i18n.both("group.err_assign", value=row.get(
                cols.get("id", cols.get("name")), "")), field="id", value=who)
        gid = row[cols["group_id"]]
        gid = spelled.setdefault(gid.casefold(), gid) if gid else ""
        members = members.drop(index=who, errors="ignore")
        if gid:
            person = people.loc[who]
            members.loc[who] = {"group_id": gid, "id": who, "name": person["name"],
                                "section": person["shown_section"], "role": person["role"],
                                "pain": person["pain"]}
        theme = row[cols["theme"]] if cols.get("theme") else ""
        cases = row[cols["annual_cases"]] if cols.get("annual_cases") else ""
        theme = theme.strip() if isinstance(theme, str) else theme
        theme_rows.append((gid, theme, theme))
        case_rows.append((gid, "" if _blank(cases) or not gid else _cases(gid, cases), cases))
    themes = {**plan.themes, **_per_group("theme", theme_rows, plan.themes)}
    cases = {**plan.cases, **_per_group("annual_cases", case_rows, plan.cases)}
    members = members.reset_index(drop=True)
    present = members["group_id"].unique()
    new = GroupPlan(members, {g: themes.get(g, "") for g in present},
                    {g: cases[g] for g in present if g in cases})
    new.works()      # validates the group ids as safe slugs
    return new
