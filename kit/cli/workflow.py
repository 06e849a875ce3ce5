"""``kit demo``, ``kit session new``, ``kit render``, ``kit survey``: a workshop's course."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from kit import i18n
from kit.cli.common import cli_lang, say
from kit.exceptions import InputError
from kit.render import notebooks
from kit.render import pipeline as report

DEMO_MARKER = ".kit-demo"


def cmd_demo(args) -> int:
    from kit.workspace.demo import build_demo

    out = Path(args.out).resolve()
    session_dir = out / "session"
    marker = session_dir / DEMO_MARKER
    if session_dir.exists():
        if not marker.is_file():        # never delete a folder the demo did not make
            raise InputError(*i18n.both("err.demo_exists", value=str(session_dir)),
                             field="--out", value=str(out))
        shutil.rmtree(session_dir)
    session = build_demo(session_dir, lang=args.lang)
    notebooks.prepare_notebooks(session_dir, session.groups, lang=session.lang)
    marker.write_text("made by `kit demo`; `kit demo` replaces this folder\n", encoding="utf-8")
    say(f"session: {session_dir}")
    code = _render(session_dir, out / "handouts", args.jobs, args.lang)
    say(i18n.t("msg.demo_next", args.lang or cli_lang(), session=session_dir))
    return code


def _ask_name(args) -> str | None:
    """``--name``, else the settings' name, else asked at a terminal (blank: the default)."""
    from kit.workspace.session import default_name, load_assumptions

    if args.name or load_assumptions(args.settings)[0].get("name"):
        return args.name
    lang = args.lang or cli_lang()
    if not sys.stdin.isatty():
        return None
    answer = input(i18n.t("inputs.ask_name", lang, default=default_name(lang))).strip()
    return answer or None


def _print_roster(args, lang: str) -> None:
    from kit.io import store
    from kit.io.roster import roster_path

    for group in store.load_session(args.dir).groups:
        work = store.load_work(args.dir, group)
        members = "、".join(i18n.t("inputs.roster_member", lang, name=m.name or "—",
                                  section=m.section, id=m.respondent_id)
                           for m in work.members_detail)
        say(i18n.t("inputs.roster_line", lang, group=group, theme=work.theme, members=members))
    say(i18n.t("inputs.roster_saved", lang, path=roster_path(args.dir)))


def cmd_session_new(args) -> int:
    from kit.workspace.session import (
        catalogue_files,
        check_new_folder,
        new_session,
        new_session_from_survey,
    )

    if bool(args.groups) == bool(args.survey):
        print("error: --groups か --survey のどちらか一方を指定してください / "
              "give either --groups or --survey", file=sys.stderr)
        return 2
    check_new_folder(args.dir)
    name = _ask_name(args)
    if args.survey:
        session = new_session_from_survey(
            args.dir, args.survey, group_size=args.group_size, seed=args.seed, mix=args.mix,
            top_sections=args.top_sections, max_groups=args.max_groups,
            assign_file=args.assign, name=name, lang=args.lang,
            settings_file=args.settings, systems_file=args.systems, funding_file=args.funding)
    else:
        session = new_session(args.dir, args.groups, name=name, lang=args.lang,
                              labour_cost_yen=args.labour_cost_yen, settings_file=args.settings,
                              systems_file=args.systems, funding_file=args.funding,
                              steps_dir=args.steps_dir)
    notebooks.prepare_notebooks(args.dir, session.groups, lang=session.lang)
    lang = args.lang or cli_lang()
    say(i18n.t("inputs.named", lang, name=session.name))
    say(f"session: {Path(args.dir).resolve()} ({len(session.groups)} groups: "
        f"{', '.join(session.groups)})")
    bundled = catalogue_files(args.systems, args.funding)[2]
    if bundled:             # the general catalogues: assumptions to check, said once
        what = i18n.t("catalogues.kind_join", lang).join(
            i18n.t(f"catalogues.kind.{kind}", lang) for kind in bundled)
        say(i18n.t("catalogues.bundled_used", lang, what=what))
    if args.survey:
        _print_roster(args, lang)
    return 0


def cmd_session_set(args) -> int:
    from kit.workspace.session import set_group

    lang = args.lang or cli_lang()
    if args.theme is None and args.annual_cases is None:
        raise InputError(*i18n.both("survey_pairs.err_nothing_to_set"), field="--theme")
    work = set_group(args.dir, args.group, theme=args.theme, annual_cases=args.annual_cases)
    say(i18n.t("survey_pairs.group_set", lang, group=work.group_id, theme=work.theme,
               cases=i18n.fmt_number(work.annual_cases), revision=work.revision))
    return 0


def _warn_empty(session_dir, groups, lang: str) -> None:
    """Say which groups have no steps or no 年間件数: their handouts would be zeros."""
    from kit.domain.checks import work_todos
    from kit.exceptions import KitError
    from kit.io import store

    for group in groups or store.load_session(session_dir).groups:
        try:
            work = store.load_work(session_dir, group)
        except KitError:
            continue        # the render reports it
        for todo in work_todos(work):
            say(i18n.t("inputs.render_warning", lang, group=group, message=todo.text(lang)))


def _render(session_dir, out, jobs, lang, groups=None) -> int:
    _warn_empty(session_dir, groups, lang or cli_lang())
    results = report.render_session(session_dir, out, jobs=jobs, lang=lang, groups=groups,
                                    progress=sys.stderr.isatty())
    ok = [r for r in results if r.ok]
    for r in ok:
        say(r.path)
    msg_lang = lang or cli_lang()
    say(i18n.t("msg.rendered", msg_lang, count=len(ok), path=Path(out).resolve()))
    failed = [r for r in results if not r.ok]
    for r in failed:
        say(f"FAILED {r.group}: {r.error_en if msg_lang == 'en' else r.error}")
    if failed:
        say(i18n.t("msg.render_failures", msg_lang, count=len(failed)))
        return 1
    return 0


def cmd_survey(args) -> int:
    from kit.io.survey import load_survey, mapping_file

    lang = args.lang or cli_lang()
    survey = load_survey(args.file)   # every problem: exit 2, before any kernel starts
    mapping = mapping_file(args.file)
    if mapping:
        say(i18n.t("inputs.survey_mapping", lang, value=mapping.name))
    say(i18n.t("inputs.survey_columns", lang, value=Path(args.file).name))
    for column in survey.columns:
        say(f"  - {column.describe(lang)}")
    path = report.render_survey(args.file, args.out, lang=lang)
    say(i18n.t("survey.rendered", lang, path=path))
    return 0


def cmd_render(args) -> int:
    out = args.out or str(Path(args.dir) / "handouts")
    code = _render(args.dir, out, args.jobs, args.lang, getattr(args, "group", None))
    if args.pdf or args.a3:
        _print(args, Path(out))
    return code


def _print(args, out: Path) -> None:
    """``--pdf``: each rendered HTML to an A4 PDF beside it; ``--a3``: one A3 page a group."""
    from kit.documents.a3 import SMALLEST_PT, A3Sheet
    from kit.io import store
    from kit.render.pdf import Printer

    lang = args.lang or store.load_session(args.dir).lang
    groups = args.group or store.load_session(args.dir).groups
    with Printer() as printer:          # one browser for the batch; none: a clear message
        if args.pdf:
            names = [*(f"{g}.html" for g in groups), report.SUMMARY_FILE]
            done = [printer.print_file(out / n, (out / n).with_suffix(".pdf"))
                    for n in names if (out / n).is_file()]
            for p in done:
                say(f"{p.path} ({p.pages} pages)")
            say(i18n.t("pdf.printed", cli_lang(), count=len(done),
                       pages=sum(p.pages for p in done)))
        for g in groups if args.a3 else ():
            sheet = A3Sheet(args.dir, g, lang)
            p = sheet.print(printer, out / f"{g}_a3.pdf")   # front, and the flows on the back
            say(i18n.t("pdf.a3_printed", cli_lang(), path=p.path, scale=f"{p.scale:.2f}",
                       font=f"{SMALLEST_PT * p.scale:.1f}"))


def register(sub) -> None:
    d = sub.add_parser("demo", help="build the bundled demo session and render its handouts")
    d.add_argument("--out", default="demo_out")
    d.add_argument("--jobs", type=int, default=None)
    d.add_argument("--lang", choices=i18n.LANGS, default=None)
    d.set_defaults(func=cmd_demo)

    s = sub.add_parser("session", help="create sessions").add_subparsers(dest="sub",
                                                                          required=True)
    n = s.add_parser("new", help="create a session folder from a groups list")
    n.add_argument("dir")
    n.add_argument("--groups", default=None, help="CSV/xlsx: group_id, theme, annual_cases, "
                   "members[, uptake, system, funding]")
    n.add_argument("--labour-cost-yen", type=float, default=None)
    n.add_argument("--lang", choices=i18n.LANGS, default=None)
    n.add_argument("--name", default=None)
    n.add_argument("--settings", default=None, help="session.yaml with assumptions")
    n.add_argument("--systems", default=None, help="systems catalogue (CSV/xlsx)")
    n.add_argument("--funding", default=None, help="funding sources (CSV/xlsx)")
    n.add_argument("--steps-dir", default=None, help="folder with <group_id>.csv/.xlsx sheets")
    n.add_argument("--survey", default=None, help="staff survey: form groups from it")
    n.add_argument("--group-size", type=int, default=4, help="3-5 members per group")
    n.add_argument("--seed", type=int, default=0)
    n.add_argument("--mix", choices=("section", "mixed"), default="mixed")
    n.add_argument("--top-sections", type=int, default=5)
    n.add_argument("--max-groups", type=int, default=12)
    n.add_argument("--assign", default=None, help="the edited roster (DIR_roster.xlsx) or "
                   "assignments: 回答ID/氏名, グループID[, テーマ, 年間件数]")
    n.set_defaults(func=cmd_session_new)
    st = s.add_parser("set", help="set a group's theme and annual cases")
    st.add_argument("dir")
    st.add_argument("group")
    st.add_argument("--theme", default=None)
    st.add_argument("--annual-cases", default=None, help="cases a year (年間件数)")
    st.add_argument("--lang", choices=i18n.LANGS, default=None)
    st.set_defaults(func=cmd_session_set)

    r = sub.add_parser("render", help="render every group's handout (in parallel)")
    r.add_argument("dir")
    r.add_argument("--out", default=None)
    r.add_argument("--jobs", type=int, default=None)
    r.add_argument("--lang", choices=i18n.LANGS, default=None)
    r.add_argument("--group", action="append", default=None,
                   help="render only this group (repeatable)")
    r.add_argument("--pdf", action="store_true",
                   help="also print an A4 PDF beside each handout and the summary (Chromium)")
    r.add_argument("--a3", action="store_true",
                   help="also print a one-page A3 landscape summary per group (<group>_a3.pdf)")
    r.set_defaults(func=cmd_render)

    sv = sub.add_parser("survey", help="render the pre-workshop staff survey report")
    sv.add_argument("file", help="survey export (CSV UTF-8/BOM/CP932 or .xlsx)")
    sv.add_argument("--out", default=".")
    sv.add_argument("--lang", choices=i18n.LANGS, default=None)
    sv.set_defaults(func=cmd_survey)

