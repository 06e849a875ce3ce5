"""``kit steps``, ``kit impact``, ``kit history``, ``kit restore``: one group's workspace."""

from __future__ import annotations

import json

from kit import i18n
from kit.cli.common import cli_lang, say
from kit.io import store


def _is_bpmn(file: str) -> bool:
    return file.lower().endswith((".bpmn", ".bpmn20.xml"))


def cmd_steps_import(args) -> int:
    from kit.io.bpmn import read_bpmn
    from kit.io.steps import read_steps_report

    lang = args.lang or cli_lang()
    work = store.load_work(args.dir, args.group)
    if _is_bpmn(args.file):
        steps, messages = read_bpmn(args.file, work.steps), []    # validated before saving
    else:
        # every problem of the sheet in one error, before anything is saved
        found = read_steps_report(args.file, sheet=args.sheet)
        steps, messages = found.steps, found.messages(lang)
    saved = store.save_work(args.dir, work.model_copy(update={"steps": steps}))
    # the version the import replaced stays restorable however many saves follow
    store.pin(args.dir, args.group, work.revision, reason=f"before import: {args.file}")
    say(i18n.t("inputs.imported", lang, group=args.group, count=len(steps),
               revision=saved.revision))
    for line in messages:
        say(f"  - {line}")
    return 0


def cmd_steps_export(args) -> int:
    from kit.io.bpmn import write_bpmn
    from kit.io.steps import write_steps

    work = store.load_work(args.dir, args.group)
    lang = args.lang or cli_lang()
    if _is_bpmn(args.file):
        view = "tobe" if args.to_be else "asis"
        count = write_bpmn(work, args.file, view=view, lang=lang)
        say(i18n.t("deploy.bpmn_written", lang, group=args.group, path=args.file,
                   count=count, view=i18n.t(f"deploy.{view}", lang)))
        return 0
    write_steps(work.steps, args.file, lang=lang)
    say(f"{args.group}: {len(work.steps)} steps -> {args.file}")
    return 0


def cmd_impact(args) -> int:
    from kit.domain import impact  # here, not at import: pandas only for commands that compute

    session = store.load_session(args.dir)
    work = store.load_work(args.dir, args.group)
    figures = impact.compute(work, session.assumptions).to_dict()
    if args.json:
        from kit.domain import options  # options on one basis: do nothing … chosen
        figures.update(options.to_json(work, session.assumptions, args.lang or session.lang))
        say(json.dumps(figures, ensure_ascii=False, indent=1))
        return 0
    lang = args.lang or session.lang
    for key, value in figures.items():
        if not isinstance(value, (list, dict)):     # tables (years, funding): --json
            say(f"{key}: {i18n.fmt_number(value, 2) if isinstance(value, float) else value}")
    say(f"({i18n.t('report.figures_note', lang)})")
    return 0


def cmd_history(args) -> int:
    for row in store.history(args.dir, args.group):
        pinned = f"  pinned: {row.get('reason') or '-'}" if row.get("pinned") else ""
        say(f"{row['revision']:>5}  {row['updated_at']}  steps={row['steps']}{pinned}")
    return 0


def cmd_restore(args) -> int:
    saved = store.restore(args.dir, args.group, args.version)
    say(f"{args.group}: version {args.version} restored as revision {saved.revision}")
    return 0


def register(sub) -> None:
    st = sub.add_parser("steps", help="import/export a group's steps sheet").add_subparsers(
        dest="sub", required=True)
    for name, func in (("import", cmd_steps_import), ("export", cmd_steps_export)):
        c = st.add_parser(name)
        c.add_argument("dir")
        c.add_argument("group")
        c.add_argument("file")
        c.add_argument("--lang", choices=i18n.LANGS, default=None)
        if name == "import":
            c.add_argument("--sheet", default=None,
                           help="sheet name (default: the first sheet with the headers)")
        c.set_defaults(func=func)
        if name == "export":
            c.add_argument("--to-be", action="store_true",
                           help="BPMN: the redesigned process (eliminated steps left out)")

    im = sub.add_parser("impact", help="print a group's impact figures")
    im.add_argument("dir")
    im.add_argument("group")
    im.add_argument("--json", action="store_true")
    im.add_argument("--lang", choices=i18n.LANGS, default=None)
    im.set_defaults(func=cmd_impact)

    h = sub.add_parser("history", help="list the kept versions of a group's workspace")
    h.add_argument("dir")
    h.add_argument("group")
    h.set_defaults(func=cmd_history)

    rs = sub.add_parser("restore", help="restore a kept version as the newest")
    rs.add_argument("dir")
    rs.add_argument("group")
    rs.add_argument("version", type=int)
    rs.set_defaults(func=cmd_restore)

