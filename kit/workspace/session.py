"""Create a session folder from a groups list (and optional catalogues and steps sheets).

Without a systems or funding catalogue a session takes the kit's general ones
(``data_samples/catalogues``, :func:`bundled_catalogue`): every cost and rate in them is an
assumption to check against a quote and the grant rules."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from kit import i18n, resources
from kit.domain.model import Assumptions, GroupWork, Session
from kit.exceptions import InputError, StoreError
from kit.io import store
from kit.io.catalogue import load_funding, load_systems
from kit.io.groups import read_groups
from kit.io.sheets import read_table
from kit.io.steps import read_steps

CATALOGUE_KINDS = ("systems", "funding")


def bundled_catalogue(kind: str) -> Path:
    """The general catalogue the kit ships (``kind``: "systems" or "funding"), found in the
    repository or in an installed wheel (:mod:`kit.resources`)."""
    if kind not in CATALOGUE_KINDS:
        raise ValueError(kind)
    return resources.file("samples", "catalogues", f"{kind}.csv")


def catalogue_files(systems_file=None, funding_file=None) -> tuple[Path, Path, list[str]]:
    """``(systems file, funding file, the kinds taken from the bundled catalogues)``: a
    catalogue not given is the bundled one (:func:`bundled_catalogue`)."""
    given = {"systems": systems_file, "funding": funding_file}
    bundled = [kind for kind in CATALOGUE_KINDS if not given[kind]]
    files = {kind: Path(given[kind]) if given[kind] else bundled_catalogue(kind)
             for kind in CATALOGUE_KINDS}
    return files["systems"], files["funding"], bundled


def _pick(ids: list[str], catalogue: dict, field: str) -> list:
    """The catalogue entries named in the groups list (ids separated by ';'); an unknown id
    is refused, naming the choices. Chosen systems' costs add up."""
    unknown = [i for i in ids if i not in catalogue]
    if unknown:
        raise InputError(*i18n.both("err.choice", field=field, value=unknown[0],
                                    choices="/".join(catalogue) or "—"),
                         field=field, value=unknown[0])
    return [catalogue[i] for i in ids]


def _chosen(bundle: list) -> dict:
    """``systems`` and ``costs`` of a group's work for its chosen bundle."""
    from kit.domain.money.selection import scenario

    work = GroupWork(group_id="x", theme="x")
    work = scenario(work, bundle)
    return {"systems": [o.model_dump() for o in bundle], "costs": work.costs.model_dump()}


def build_works(groups_file: str | Path, *, systems_file=None, funding_file=None,
                steps_dir=None, counters_file=None) -> list[GroupWork]:
    """Read and validate everything first: nothing is written if any input is bad."""
    from kit.workspace.frontyard import read_profiles

    profiles = read_profiles(counters_file) if counters_file else {}
    systems = load_systems(systems_file) if systems_file else {}
    funding = load_funding(funding_file) if funding_file else {}
    works = []
    for row in read_groups(groups_file):
        steps = []
        if steps_dir:
            sheet = next((p for p in (Path(steps_dir) / f"{row['group_id']}{ext}"
                                      for ext in (".csv", ".xlsx")) if p.is_file()), None)
            steps = read_steps(sheet) if sheet else []
        works.append(GroupWork.parse({
            "group_id": row["group_id"], "theme": row["theme"], "members": row["members"],
            "annual_cases": row["annual_cases"], "uptake": row.get("uptake"),
            "steps": [s.model_dump() for s in steps],
            **_chosen(_pick(row.get("system", []), systems, "system")),
            "funding": [f.model_dump()
                        for f in _pick(row.get("funding", []), funding, "funding")],
            "counter": (profiles[row["group_id"]].model_dump()
                        if row["group_id"] in profiles else None),
        }))
    return works


def _catalogues(systems_file, funding_file) -> dict:
    """``systems`` and ``funding_sources`` of a session from the catalogue files."""
    return {"systems": [o.model_dump() for o in load_systems(systems_file).values()],
            "funding_sources": [f.model_dump() for f in load_funding(funding_file).values()]}


def load_assumptions(file: str | Path | None) -> tuple[dict, Assumptions]:
    """``(session fields, assumptions)`` from a session.yaml-like file (or defaults)."""
    if not file:
        return {}, Assumptions()
    data = store.read_yaml(file)     # StoreError naming the file and line when broken
    fields = {k: data[k] for k in ("name", "date", "lang") if k in data}
    return fields, Assumptions.parse(data.get("assumptions", {}), where="assumptions")


def default_name(lang: str | None = None, date: str | None = None) -> str:
    """The session's name when none is given: 「業務改革ワークショップ 2024年5月1日」, never
    the folder's name."""
    date = date or _dt.date.today().isoformat()
    return i18n.t("inputs.default_session_name", lang, date=i18n.fmt_date(date, lang))


def check_new_folder(session_dir: str | Path) -> None:
    """A folder that already holds a session is never overwritten; it gets its own message."""
    folder = Path(session_dir)
    if (folder / "session.yaml").exists() or (folder / "groups").exists():
        raise StoreError(*i18n.both("inputs.err_session_exists", value=str(folder)))


def _session(session_dir, fields: dict, name, lang, **extra) -> Session:
    lang = lang or fields.get("lang", "ja")
    name = name or fields.get("name") or default_name(lang, fields.get("date"))
    return Session.parse({**fields, "name": name, "lang": lang, **extra})


def new_session(session_dir: str | Path, groups_file: str | Path, *, name: str | None = None,
                lang: str | None = None, labour_cost_yen: float | None = None,
                settings_file=None, systems_file=None, funding_file=None,
                steps_dir=None, counters_file=None) -> Session:
    """A session from a groups list (the notebooks: :mod:`kit.render.notebooks`). A
    catalogue not given is the bundled general one (:func:`catalogue_files`)."""
    check_new_folder(session_dir)
    systems_file, funding_file, _ = catalogue_files(systems_file, funding_file)
    fields, assumptions = load_assumptions(settings_file)
    if labour_cost_yen is not None:
        assumptions = Assumptions.parse({**assumptions.model_dump(),
                                         "labour_cost_yen_per_hour": labour_cost_yen})
    works = build_works(groups_file, systems_file=systems_file, funding_file=funding_file,
                        steps_dir=steps_dir, counters_file=counters_file)
    session = _session(session_dir, fields, name, lang,
                       assumptions=assumptions.model_dump(),
                       **_catalogues(systems_file, funding_file),
                       groups=[w.group_id for w in works])
    store.create_session(session_dir, session, works)
    return session


# --- from the staff survey ------------------------------------------------------------
def plan_from_survey(survey_file: str | Path, *, group_size: int = 4, seed: int = 0,
                     mix: str = "mixed", top_sections: int = 5, max_groups: int = 12,
                     assign_file=None):
    """Survey → participants → groups (→ the facilitator's edited roster or assignments)."""
    from kit.domain.survey.analysis import analyse
    from kit.domain.survey.grouping import apply_assignments, form_groups
    from kit.io.survey import load_survey

    survey = load_survey(survey_file)
    themes = list(analyse(survey).candidates["theme"])
    plan = form_groups(survey, group_size=group_size, mix=mix, top_sections=top_sections,
                       max_groups=max_groups, seed=seed, fallback_themes=themes)
    if assign_file:
        plan = apply_assignments(plan, survey, read_table(assign_file))
    return plan


def new_session_from_survey(session_dir: str | Path, survey_file: str | Path, *,
                            group_size: int = 4, seed: int = 0, mix: str = "mixed",
                            top_sections: int = 5, max_groups: int = 12, assign_file=None,
                            name: str | None = None, lang: str | None = None,
                            settings_file=None, plan=None, systems_file=None,
                            funding_file=None) -> Session:
    """Survey → groups → session, and the roster saved beside the session folder
    (:func:`kit.io.roster.roster_path`) for the facilitator to edit and feed back with
    ``assign_file``. A catalogue not given is the bundled general one
    (:func:`catalogue_files`). The notebooks: :mod:`kit.render.notebooks`."""
    from kit.io.roster import roster_path, write_roster

    check_new_folder(session_dir)
    systems_file, funding_file, _ = catalogue_files(systems_file, funding_file)
    catalogues = _catalogues(systems_file, funding_file)     # refused before anything is made
    if plan is None:
        plan = plan_from_survey(survey_file, group_size=group_size, seed=seed, mix=mix,
                                top_sections=top_sections, max_groups=max_groups,
                                assign_file=assign_file)
    fields, assumptions = load_assumptions(settings_file)
    works = plan.works()
    session = _session(session_dir, fields, name, lang, assumptions=assumptions.model_dump(),
                       **catalogues, groups=[w.group_id for w in works])
    store.create_session(session_dir, session, works)
    write_roster(plan.roster(), roster_path(session_dir), session.lang)
    return session


def set_group(session_dir: str | Path, group: str, *, theme: str | None = None,
              annual_cases: object = None):
    """Set a group's theme and/or annual cases through the store (load → copy → save: the
    save validates, so a bad value is refused naming its field and nothing is written)."""
    work = store.load_work(session_dir, group)
    update = {k: v for k, v in (("theme", theme), ("annual_cases", annual_cases))
              if v is not None}
    return store.save_work(session_dir, work.model_copy(update=update))
