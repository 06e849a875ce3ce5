"""``kit queue`` (the counter-queue calculator), ``kit log import`` (measured As-Is from an
event log) and ``kit counter set`` (a group's counter profile): the front yard (窓口)."""

from __future__ import annotations

import json

from kit import i18n
from kit.cli.common import cli_lang, say
from kit.domain import queue


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
