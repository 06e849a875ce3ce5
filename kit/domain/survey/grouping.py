"""Participants and groups from the staff survey (docs/survey.md). Pure: no Jupyter, no plots.

1. Participants: willing staff of the ``top_sections`` sections with the highest pain (only
   sections shown in the survey report, so a small section is never named), most painful
   answers first, at most ``max_groups × group_size`` people. Ties are broken by a seeded
   random order, so the same survey and seed always give the same groups.
2. Groups of about ``group_size`` (3–5): ``mix="mixed"`` deals people sorted by section and
   role round-robin, so each group spreads over sections and roles; ``mix="section"`` keeps
   each section together and pools the leftovers of small sections.
3. Themes: each group gets the recurring task its members spend most hours on, never one
   another group has: then the candidate themes in order, then 「テーマ未定（gNN）」 to fill in.
4. The roster (:meth:`GroupPlan.roster`: group, theme, respondent id, name, section, role) is
   saved as a sheet the facilitator edits and feeds back (:func:`apply_assignments`).
   Members keep their respondent id and section in the workspace (``members_detail``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kit import i18n
from kit.domain.model import GroupWork
from kit.domain.survey import text as survey_text
from kit.domain.survey.analysis import Survey, section_table, shown
from kit.domain.values import header_key as _key
from kit.exceptions import InputError

MIXES = ("mixed", "section")
SIZES = (3, 4, 5)
ASSIGN_COLUMNS = {"id": ("回答ID", "id", "respondentid"), "name": ("氏名", "name"),
                  "group_id": ("グループID", "グループ", "group_id", "group"),
                  "theme": ("テーマ", "theme")}


@dataclass
class GroupPlan:
    """``members``: one row per participant (group_id, id, name, section, role, pain)."""

    members: pd.DataFrame
    themes: dict[str, str] = field(default_factory=dict)

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

    def roster(self) -> pd.DataFrame:
        """One row per participant, by group: group_id, theme, id, name, section, role."""
        m = self.members.sort_values(["group_id", "section", "id"], kind="stable")
        return pd.DataFrame({"group_id": m["group_id"],
                             "theme": m["group_id"].map(lambda g: self.themes.get(g, "")),
                             "id": m["id"], "name": m["name"], "section": m["section"],
                             "role": m["role"]}).reset_index(drop=True)

    def works(self) -> list[GroupWork]:
        works = []
        for gid, m in self.members.groupby("group_id", sort=True):
            detail = [{"name": r.name, "section": r.section, "respondent_id": r.id}
                      for r in m.itertuples()]
            works.append(GroupWork.parse({
                "group_id": gid, "theme": self.themes.get(gid) or gid,
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


def participants(survey: Survey, *, top_sections: int = 5, max_groups: int = 12,
                 group_size: int = 4, seed: int = 0) -> pd.DataFrame:
    """Willing staff of the most painful sections, in priority order."""
    ranked = list(section_table(survey)["shown_section"][:max(1, top_sections)])
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
    p = p.head(max_groups * group_size)
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
    """A distinct theme per group: its members' costliest task not yet taken, else the next
    candidate theme not yet taken, else a to-do 「テーマ未定（gNN）」."""
    themes: dict[str, str] = {}
    used: set[str] = set()
    hours = survey.hours.rename(index=survey.people["id"]) if not survey.hours.empty else None
    for gid, m in members.groupby("group_id", sort=True):
        options: list[str] = []
        if hours is not None:
            totals = hours.loc[m["id"]].sum().sort_values(ascending=False, kind="stable")
            options = [t for t, h in totals.items() if h > 0]
        choice = next((t for t in options + list(fallback) if t and t not in used), "")
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


def _sheet_themes(plan: GroupPlan, rows: list[tuple[str, str]]) -> dict[str, str]:
    """group -> theme from the sheet's rows. When the rows of one group disagree (a person
    moved in keeps the theme of the old group on the row), a text that is no theme of the
    plan is the facilitator's edit; two such edits are refused."""
    by_group: dict[str, set[str]] = {}
    for gid, theme in rows:
        if gid and theme:
            by_group.setdefault(gid, set()).add(theme)
    current = set(plan.themes.values())
    out = {}
    for gid, texts in by_group.items():
        edits = texts - current if len(texts) > 1 else texts
        if len(edits) > 1:
            raise InputError(*i18n.both("inputs.err_two_themes", group=gid,
                                        value=" / ".join(sorted(edits))),
                             field="theme", value=gid)
        mine = plan.themes.get(gid, "")
        out[gid] = next(iter(edits)) if edits else (mine if mine in texts else min(texts))
    return out


def apply_assignments(plan: GroupPlan, survey: Survey, frame: pd.DataFrame) -> GroupPlan:
    """Move the people listed in ``frame`` (回答ID or 氏名, グループID[, テーマ]) by hand.

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
    sheet_rows = []
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
        sheet_rows.append((gid, row[cols["theme"]] if cols.get("theme") else ""))
    themes = {**plan.themes, **_sheet_themes(plan, sheet_rows)}
    members = members.reset_index(drop=True)
    new = GroupPlan(members, {g: themes.get(g, "") for g in members["group_id"].unique()})
    new.works()      # validates the group ids as safe slugs
    return new
