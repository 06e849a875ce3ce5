"""``kit queue`` (the counter-queue calculator), ``kit log import`` (measured As-Is from an
event log) and ``kit counter set`` (a group's counter profile): the front yard (窓口)."""

from __future__ import annotations

import json

from kit import i18n
from kit.cli.common import cli_lang, say
from kit.domain.frontyard import queue


def cmd_queue(args) -> int:
    figures = queue.mmc(args.arrivals_per_hour, args.service_minutes, args.counters,
                        args.target_minutes, args.target_share)
    keys = ("utilisation", "p_wait", "mean_wait_minutes", "share_within_target",
            "mean_time_in_system_minutes", "counters_needed")
    if args.json:
        data = {k: getattr(figures, k) for k in keys}
        data.update(load_erlang=figures.load_erlang, target_minutes=figures.target_minutes,
                    target_share=figures.target_share)
        say(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    lang = args.lang or cli_lang()
    f = figures
    values = {"utilisation": i18n.fmt_percent(f.utilisation, 1),
              "p_wait": i18n.fmt_percent(f.p_wait, 1),
              "mean_wait_minutes": i18n.t("unit.minutes_value", lang,
                                          value=i18n.fmt_number(f.mean_wait_minutes, 2)),
              "share_within_target": i18n.fmt_percent(f.share_within_target, 1),
              "mean_time_in_system_minutes": i18n.t(
                  "unit.minutes_value", lang,
                  value=i18n.fmt_number(f.mean_time_in_system_minutes, 2)),
              "counters_needed": str(f.counters_needed)}
    say(i18n.t("fy.cli.input", lang, arrivals=f"{f.arrivals_per_hour:g}",
               service=f"{f.service_minutes:g}", counters=f.counters,
               load=i18n.fmt_number(f.load_erlang, 2)))
    target = {"minutes": f"{f.target_minutes:g}", "share": i18n.fmt_percent(f.target_share)}
    for key in keys:
        say(f"{i18n.t(f'fy.cli.{key}', lang, **target)}: {values[key]}")
    return 0


def cmd_log_import(args) -> int:
    from kit.workspace.frontyard import import_log

    columns = {"case": args.case, "activity": args.activity, "start": args.start,
               "end": args.end}
    work, summary, unmatched = import_log(args.dir, args.group, args.file, columns,
                                          getattr(args, "as"))
    lang = args.lang or cli_lang()
    say(i18n.t("fy.log.read", lang, events=f"{summary.events:,}", cases=f"{summary.cases:,}",
               first=summary.first_day, last=summary.last_day))
    head = [i18n.t(f"fy.log.col.{k}", lang) for k in ("activity", "count", "p10", "median",
                                                       "p90")]
    say("\t".join(head))
    for name, r in summary.activities.iterrows():
        say("\t".join([str(name), f"{int(r['count']):,}"] +
                      [i18n.fmt_number(r[k], 1) for k in ("p10", "median", "p90")]))
    say(i18n.t("fy.log.waits", lang))
    for (a, b), r in summary.waits.iterrows():
        say(f"{a} → {b}\t{int(r['count']):,}\t{i18n.fmt_number(r['median'], 1)}\t"
            f"{i18n.fmt_number(r['p90'], 1)}")
    matched = len(summary.activities) - len(unmatched)
    say(i18n.t(f"fy.log.applied_{getattr(args, 'as')}", lang, group=args.group,
               steps=matched, revision=work.revision))
    if unmatched:
        names = i18n.t("unit.list_sep", lang).join(unmatched)
        say(i18n.t("fy.log.unmatched", lang, names=names))
    return 0


def cmd_counter_set(args) -> int:
    from kit.workspace.frontyard import read_profiles, set_profiles

    groups = set_profiles(args.dir, read_profiles(args.file))
    say(i18n.t("fy.counter.saved", args.lang or cli_lang(), groups=", ".join(groups)))
    return 0


def register(sub) -> None:
    qp = sub.add_parser("queue", help="counter queue calculator (M/M/c, Erlang C)")
    qp.add_argument("--arrivals-per-hour", type=float, required=True)
    qp.add_argument("--service-minutes", type=float, required=True)
    qp.add_argument("--counters", type=int, required=True)
    qp.add_argument("--target-minutes", type=float, default=queue.DEFAULT_TARGET_MINUTES)
    qp.add_argument("--target-share", type=float, default=queue.DEFAULT_TARGET_SHARE)
    qp.add_argument("--json", action="store_true")
    qp.add_argument("--lang", choices=i18n.LANGS, default=None)
    qp.set_defaults(func=cmd_queue)

    lg = sub.add_parser("log", help="event logs (発券機・システムのログ)").add_subparsers(
        dest="sub", required=True)
    li = lg.add_parser("import", help="measured minutes and arrivals from an event log")
    li.add_argument("dir")
    li.add_argument("group")
    li.add_argument("file", help="CSV (UTF-8/CP932) or .xlsx, one row per activity of a case")
    for name in ("case", "activity", "start", "end"):
        li.add_argument(f"--{name}", required=True, help=f"column of the {name}")
    li.add_argument("--as", choices=("asis", "actuals"), default="asis")
    li.add_argument("--lang", choices=i18n.LANGS, default=None)
    li.set_defaults(func=cmd_log_import)

    ct = sub.add_parser("counter", help="counter profiles (窓口)").add_subparsers(
        dest="sub", required=True)
    cs = ct.add_parser("set", help="set groups' counter profiles from a YAML file")
    cs.add_argument("dir")
    cs.add_argument("file", help="YAML: {group id: {counters: 3, month_weights: [...], ...}}")
    cs.add_argument("--lang", choices=i18n.LANGS, default=None)
    cs.set_defaults(func=cmd_counter_set)
