"""``kit steps``, ``kit impact``, ``kit history``, ``kit restore``: one group's workspace."""

from __future__ import annotations

import json
from pathlib import Path

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
        roles = store.load_session(args.dir).roles      # the session's role names
        found = read_steps_report(args.file, sheet=args.sheet, roles=roles)
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


def cmd_steps_suggest(args) -> int:
    from kit.domain import levers
    from kit.io.levers import load_catalogue

    work = store.load_work(args.dir, args.group)
    lang = args.lang or cli_lang()
    rows = levers.suggestions_json(work, load_catalogue(args.dir), lang)
    if args.json:
        say(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    say(i18n.t("levers.title", lang))
    for row in rows:
        say(i18n.t("levers.step_line", lang, step=row["step"], name=row["name"]))
        if not row["suggestions"]:
            say("  " + i18n.t("levers.none", lang))
        for s in row["suggestions"]:
            needs = i18n.t("unit.list_sep", lang).join(
                i18n.label("capability", t, lang) for t in s["needs"]) or \
                i18n.t("levers.no_needs", lang)
            say(i18n.t("levers.item", lang, label=s["label"], needs=needs,
                       action=i18n.label("action", s["action"], lang)))
            say(i18n.t("levers.effect", lang, effect=s["effect"]))
            say(i18n.t("levers.source", lang, **s["source"]))
    return 0


def cmd_impact(args) -> int:
    from kit.domain.money import (
        impact,  # here, not at import: pandas only for commands that compute
    )

    session = store.load_session(args.dir)
    work = store.load_work(args.dir, args.group)
    figures = impact.compute(work, session.assumptions).to_dict()
    if args.json:
        from kit.domain.money import options  # options on one basis: do nothing … chosen
        figures.update(options.to_json(work, session.assumptions, args.lang or session.lang))
        from kit.domain.money import uncertainty  # P10/P50/P90: the draws every document shows
        figures["ranges"] = uncertainty.ranges(work, session.assumptions)
        say(json.dumps(figures, ensure_ascii=False, indent=1))
        return 0
    lang = args.lang or session.lang
    for key, value in figures.items():
        if not isinstance(value, (list, dict)):     # tables (years, funding): --json
            say(f"{key}: {i18n.fmt_number(value, 2) if isinstance(value, float) else value}")
    say(f"({i18n.t('report.figures_note', lang)})")
    return 0


_SAME = ("revision", "updated_at", "schema_version", "steps", "saved_by", "updated_by")
_WHO = ("saved_by", "updated_by", "author")     # who saved, when a version records it


def _label(prefix: str, name: str, lang: str) -> str:
    for key in (f"{prefix}.{name}", f"field.{name}", f"col.{name}"):
        text = i18n.t(key, lang)
        if text != key:
            return text
    return name


def _changes(old: dict | None, new: dict, lang: str) -> str:
    """What changed between two versions' JSON: 「手順3 所要時間(分)、年間件数」."""
    if old is None:
        return i18n.t("clerk.history_first", lang)
    sep = i18n.t("clerk.history_sep", lang)
    parts: list[str] = []
    before = {step.get("id"): step for step in old.get("steps", [])}
    after_ids = [step.get("id") for step in new.get("steps", [])]
    for n, step in enumerate(new.get("steps", []), start=1):
        was = before.get(step.get("id"))
        if was is None:
            parts.append(i18n.t("clerk.history_added", lang, n=n, name=step.get("name", "")))
            continue
        fields = [_label("col", k, lang) for k in dict.fromkeys([*step, *was])
                  if k != "id" and step.get(k) != was.get(k)]
        if fields:
            parts.append(i18n.t("clerk.history_step", lang, n=n, fields=sep.join(fields)))
    for step_id, step in before.items():
        if step_id not in after_ids:
            parts.append(i18n.t("clerk.history_removed", lang, name=step.get("name", "")))
    kept = [i for i in after_ids if i in before]
    if not parts and kept != [i for i in before if i in after_ids]:
        parts.append(i18n.t("clerk.history_order", lang))
    parts += [_label("field", k, lang) for k in sorted(set(new) | set(old))
              if k not in _SAME and new.get(k) != old.get(k)]
    return sep.join(parts) if parts else i18n.t("clerk.history_same", lang)


def cmd_history(args) -> int:
    from kit.exceptions import InputError

    lang = args.lang or cli_lang()
    if not store.path("work", args.dir, args.group).is_file():
        raise InputError(*i18n.both("err.no_group", value=args.group))      # exit 2
    previous = None
    for row in store.history(args.dir, args.group):
        try:
            data = json.loads(Path(row["file"]).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        who = next((str(data[k]) for k in _WHO if data.get(k)), "")
        say(i18n.t("clerk.history_line", lang, revision=row["revision"],
                   updated_at=row["updated_at"], steps=row["steps"],
                   who=i18n.t("clerk.history_who", lang, who=who) if who else "",
                   pinned=i18n.t("clerk.history_pinned", lang, reason=row.get("reason") or "-")
                   if row.get("pinned") else "",
                   changes=_changes(previous, data, lang)))
        previous = data
    return 0


def cmd_restore(args) -> int:
    lang = args.lang or cli_lang()
    saved = store.restore(args.dir, args.group, args.version)
    say(i18n.t("clerk.restored", lang, group=args.group, version=args.version,
               revision=saved.revision))
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

    sg = st.add_parser("suggest", help="levers per step, with published cases and sources")
    sg.add_argument("dir")
    sg.add_argument("group")
    sg.add_argument("--json", action="store_true")
    sg.add_argument("--lang", choices=i18n.LANGS, default=None)
    sg.set_defaults(func=cmd_steps_suggest)

    im = sub.add_parser("impact", help="print a group's impact figures")
    im.add_argument("dir")
    im.add_argument("group")
    im.add_argument("--json", action="store_true")
    im.add_argument("--lang", choices=i18n.LANGS, default=None)
    im.set_defaults(func=cmd_impact)

    h = sub.add_parser("history", help="list the kept versions of a group's workspace")
    h.add_argument("dir")
    h.add_argument("group")
    h.add_argument("--lang", choices=i18n.LANGS, default=None)
    h.set_defaults(func=cmd_history)

    rs = sub.add_parser("restore", help="restore a kept version as the newest")
    rs.add_argument("dir")
    rs.add_argument("group")
    rs.add_argument("version", type=int)
    rs.add_argument("--lang", choices=i18n.LANGS, default=None)
    rs.set_defaults(func=cmd_restore)

