"""``kit actions``: the action plans of every group — list (overdue flagged), import, export.

    kit actions DIR [--as-of YYYY-MM-DD] [--json]
    kit actions import DIR GROUP FILE
    kit actions export DIR GROUP FILE [--lang en]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json

from kit import i18n
from kit.cli.common import cli_lang, say
from kit.domain.after import actions
from kit.domain.dates import to_iso_date
from kit.exceptions import InputError
from kit.io import store


def as_of_date(text: str | None) -> _dt.date:
    """``--as-of``: today when not given; 2027-04-01, 2027/4/1 or 令和9年4月1日."""
    if not text:
        return _dt.date.today()
    iso = to_iso_date(text)
    try:
        return _dt.date.fromisoformat(iso)
    except (TypeError, ValueError):
        raise InputError(*i18n.both("act.err.date", field="--as-of", value=text),
                         field="--as-of", value=text) from None


def cmd_list(args) -> int:
    as_of = as_of_date(args.as_of)
    _, works = store.load_all(args.dir)
    rows = actions.listing(works, as_of)
    if args.json:
        say(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    lang = args.lang or cli_lang()
    for r in rows:
        flag = (i18n.t("act.cli.overdue", lang, days=r["days_overdue"]) if r["overdue"]
                else "")
        say(f"{r['group']}\t{r['due'] or i18n.t('act.no_due', lang)}\t"
            f"{actions.status_label(r['status'], lang)}\t{r['owner'] or '—'}\t{r['action']}"
            f"{flag}")
    late = sum(r["overdue"] for r in rows)
    say(i18n.t("act.cli.total", lang, count=len(rows), overdue=late,
               date=i18n.fmt_date(as_of, lang)))
    return 0


def cmd_import(args) -> int:
    from kit.io.actions import read_actions

    work = store.load_work(args.dir, args.group)
    items = read_actions(args.file, work)       # the whole file validated before saving
    saved = store.save_work(args.dir, work.model_copy(update={"actions": items}))
    say(i18n.t("act.cli.imported", args.lang or cli_lang(), group=args.group,
               count=len(items), revision=saved.revision))
    return 0


def cmd_export(args) -> int:
    from kit.io.actions import write_actions

    work = store.load_work(args.dir, args.group)
    write_actions(work, args.file, lang=args.lang or cli_lang())
    say(i18n.t("act.cli.exported", args.lang or cli_lang(), group=args.group,
               count=len(work.actions), file=args.file))
    return 0


def cmd_actions(args) -> int:
    words = args.args
    if words[0] in ("import", "export"):
        if len(words) != 4:
            raise InputError(*i18n.both("act.err.usage", command=words[0]),
                             field="actions", value=" ".join(words))
        args.dir, args.group, args.file = words[1:]
        return (cmd_import if words[0] == "import" else cmd_export)(args)
    if len(words) != 1:
        raise InputError(*i18n.both("act.err.usage", command="actions"), field="actions",
                         value=" ".join(words))
    args.dir = words[0]
    return cmd_list(args)


def register(sub) -> None:
    a = sub.add_parser(
        "actions", help="every group's actions with overdue flagged; import/export a sheet",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="kit actions DIR [--as-of YYYY-MM-DD] [--json]\n"
                    "kit actions import DIR GROUP FILE\n"
                    "kit actions export DIR GROUP FILE [--lang en]")
    a.add_argument("args", nargs="+", metavar="[import|export] DIR [GROUP FILE]")
    a.add_argument("--as-of", default=None, help="overdue on this day (default today)")
    a.add_argument("--json", action="store_true")
    a.add_argument("--lang", choices=i18n.LANGS, default=None)
    a.set_defaults(func=cmd_actions)
