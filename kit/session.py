"""Create a session folder from a groups list (and optional catalogues and steps sheets)."""

from __future__ import annotations

from pathlib import Path

from . import i18n, store
from .catalogue import load_funding, load_systems
from .exceptions import InputError
from .model import Assumptions, Costs, GroupWork, Session
from .tables import read_groups, read_steps


def _costs(system_id: str, systems: dict) -> Costs:
    if not system_id:
        return Costs()
    if system_id not in systems:
        raise InputError(*i18n.both("err.choice", field="system", value=system_id,
                                    choices="/".join(systems) or "—"),
                         field="system", value=system_id)
    option = systems[system_id]
    return Costs(system=option.name, initial_cost_yen=option.initial_cost_yen,
                 annual_cost_yen=option.annual_cost_yen, source=option.source)


def _funding(ids: list[str], funding: dict) -> list:
    unknown = [f for f in ids if f not in funding]
    if unknown:
        raise InputError(*i18n.both("err.choice", field="funding", value=unknown[0],
                                    choices="/".join(funding) or "—"),
                         field="funding", value=unknown[0])
    return [funding[f] for f in ids]


def build_works(groups_file: str | Path, *, systems_file=None, funding_file=None,
                steps_dir=None) -> list[GroupWork]:
    """Read and validate everything first: nothing is written if any input is bad."""
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
            "costs": _costs(row.get("system", ""), systems).model_dump(),
            "funding": [f.model_dump() for f in _funding(row.get("funding", []), funding)],
        }))
    return works


def load_assumptions(file: str | Path | None) -> tuple[dict, Assumptions]:
    """``(session fields, assumptions)`` from a session.yaml-like file (or defaults)."""
    if not file:
        return {}, Assumptions()
    data = store.read_yaml(file)     # StoreError naming the file and line when broken
    fields = {k: data[k] for k in ("name", "date", "lang") if k in data}
    return fields, Assumptions.parse(data.get("assumptions", {}), where="assumptions")


def new_session(session_dir: str | Path, groups_file: str | Path, *, name: str | None = None,
                lang: str | None = None, labour_cost_yen: float | None = None,
                settings_file=None, systems_file=None, funding_file=None,
                steps_dir=None, notebooks: bool = True) -> Session:
    """A session from a groups list; with ``notebooks``, each group's workshop notebooks."""
    fields, assumptions = load_assumptions(settings_file)
    if labour_cost_yen is not None:
        assumptions = Assumptions.parse({**assumptions.model_dump(),
                                         "labour_cost_yen_per_hour": labour_cost_yen})
    works = build_works(groups_file, systems_file=systems_file, funding_file=funding_file,
                        steps_dir=steps_dir)
    systems = list(load_systems(systems_file).values()) if systems_file else []
    funding = list(load_funding(funding_file).values()) if funding_file else []
    session = Session.parse({**fields, "name": name or fields.get("name") or
                             Path(session_dir).name, "lang": lang or fields.get("lang", "ja"),
                             "assumptions": assumptions.model_dump(),
                             "systems": [o.model_dump() for o in systems],
                             "funding_sources": [f.model_dump() for f in funding],
                             "groups": [w.group_id for w in works]})
    store.create_session(session_dir, session, works)
    if notebooks:
        prepare_notebooks(session_dir, session.groups, lang=session.lang)
    return session


# --- from the staff survey (issue 4) -------------------------------------------------------
WORKSHOPS = Path(__file__).resolve().parent.parent / "workshops"
WORKSHOP_GLOB = "0[1-5]_*.ipynb"


def prepare_notebooks(session_dir: str | Path, groups: list[str], *, lang: str = "ja",
                      workshops_dir: str | Path | None = None) -> list[Path]:
    """Each group's parameterized copies of the workshop notebooks (papermill, prepare-only)
    in ``session_dir/groups/<id>/notebooks/``: the same notebooks, with the group's
    ``session_dir``, ``group_id`` and ``lang`` injected; nothing is executed."""
    session_dir = Path(session_dir).resolve()
    sources = sorted(Path(workshops_dir or WORKSHOPS).glob(WORKSHOP_GLOB))
    written = []
    for group in groups:
        folder = store.path("group", session_dir, group) / "notebooks"
        params = {"session_dir": str(session_dir), "group_id": group, "lang": lang}
        written += [write_group_notebook(src, folder / src.name, params) for src in sources]
    return written


def write_group_notebook(source: Path, target: Path, params: dict) -> Path:
    """``source`` with ``params`` injected (papermill, prepare-only: nothing is executed);
    the injected cell's code is hidden like every other cell's."""
    import nbformat
    import papermill

    from .report import check_parameters

    check_parameters(params)
    nb = papermill.execute_notebook(str(source), None, parameters=params, prepare_only=True,
                                    progress_bar=False, log_output=False)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
    target.parent.mkdir(parents=True, exist_ok=True)
    store.atomic_write(target, nbformat.writes(nb).encode("utf-8"))
    return target


def new_session_from_survey(session_dir: str | Path, survey_file: str | Path, *,
                            group_size: int = 4, seed: int = 0, mix: str = "mixed",
                            top_sections: int = 5, max_groups: int = 12, assign_file=None,
                            name: str | None = None, lang: str | None = None,
                            settings_file=None, workshops_dir=None, plan=None) -> Session:
    """Survey → participants → groups (→ manual assignments) → session + notebooks."""
    from .grouping import apply_assignments, form_groups
    from .survey import analyse, load_survey

    if plan is None:
        survey = load_survey(survey_file)
        themes = list(analyse(survey).candidates["theme"])
        plan = form_groups(survey, group_size=group_size, mix=mix, top_sections=top_sections,
                           max_groups=max_groups, seed=seed, fallback_themes=themes)
        if assign_file:
            plan = apply_assignments(plan, survey, assign_file)
    fields, assumptions = load_assumptions(settings_file)
    works = plan.works()
    session = Session.parse({**fields, "name": name or fields.get("name") or
                             Path(session_dir).name, "lang": lang or fields.get("lang", "ja"),
                             "assumptions": assumptions.model_dump(),
                             "groups": [w.group_id for w in works]})
    store.create_session(session_dir, session, works)
    prepare_notebooks(session_dir, session.groups, lang=session.lang,
                      workshops_dir=workshops_dir)
    return session
