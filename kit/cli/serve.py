"""``kit app``, ``kit lab``, ``kit hub``: serving notebooks to a group or a room."""

from __future__ import annotations

import json
from pathlib import Path

from kit import i18n
from kit.cli.common import cli_lang, say


def _stopping() -> None:
    say(i18n.t("deploy.server_stopping", cli_lang()))


def cmd_app(args) -> int:
    from kit.render import notebooks
    from kit.render.params import STAGES
    from kit.serve import access, app

    token = access.checked_secret(args.ip, args.token)      # before anything is written
    stage = args.stage or STAGES[1]
    if stage in STAGES:         # the group's page, opened at this stage
        notebook = notebooks.prepare_notebook(args.dir, args.group, notebooks.PAGE,
                                              lang=args.lang or "", stage=stage)
    else:                       # one of the notebooks on its own (e.g. 05_follow_up)
        notebook = notebooks.prepare_notebook(args.dir, args.group, stage,
                                              lang=args.lang or "")
    url = f"http://{access.browser_host(args.ip)}:{args.port}/?token={token}"
    say(i18n.t("deploy.app_url", cli_lang(), url=url))
    return app.serve(app.voila_command(notebook, args.port, token, ip=args.ip,
                                       pool=app.POOL_SIZE if args.pool is None else args.pool),
                     on_stop=_stopping)


def cmd_lab(args) -> int:
    from kit.serve import process
    from kit.serve.lab import lab_argv, lab_url

    argv = lab_argv(args.dir, ip=args.ip, port=args.port, token=args.token)
    token = next(a for a in argv if a.startswith("--IdentityProvider.token=")).split("=", 1)[1]
    say(lab_url(args.ip, args.port, token))
    if args.dry_run:
        say(" ".join(argv))
        return 0
    return process.run_foreground(argv, on_stop=_stopping)


def cmd_hub(args) -> int:
    from kit.serve import hub

    lang = cli_lang()
    if args.sub == "roster":
        from kit.io import store
        from kit.serve import logins, sysusers

        names = hub.roster(args.dir, args.members)
        ids = sysusers.pod_ids(store.load_session(args.dir).groups)
        text = hub.roster_json(args.session_path or Path(args.dir).resolve(), names,
                               ids={g: list(pair) for g, pair in ids.items()})
        if args.logins:
            rows = logins.make(names, hub.people(args.dir, names))
            logins.write_file(args.logins, rows)
            say(i18n.t("deploy.logins_written", lang, path=args.logins, count=len(rows)))
        if args.out:
            Path(args.out).write_text(text + "\n", encoding="utf-8")
            say(i18n.t("deploy.roster_written", lang, path=args.out, count=len(names)))
        else:
            say(text)
        return 0
    if args.sub == "stop":
        stopped = hub.stop(args.dir)
        say(i18n.t("hub.stopped" if stopped else "hub.not_running", lang, session=args.dir))
        return 0
    if args.sub == "logins":
        return _logins(args, lang)
    if args.sub == "volume":
        from kit.io import store
        from kit.serve import sysusers

        ids = sysusers.pod_ids(store.load_session(args.dir).groups)
        sysusers.apply(args.dir, ids)
        say(i18n.t("deploy.volume_owned", lang, session=args.dir, groups=", ".join(
            f"{g}={uid}" for g, (uid, _) in ids.items())))
        return 0
    if args.sub == "cleanup":
        removed = hub.cleanup(args.dir)
        say(i18n.t("hub.cleaned", lang, users=", ".join(removed)) if removed
            else i18n.t("hub.nothing_to_clean", lang, session=args.dir))
        return 0
    state = hub.start(args.dir, ip=args.ip, port=args.port, password=args.password,
                      members=args.members, idle_min=args.idle_minutes,
                      trusted_room=args.trusted_room)
    say(i18n.t("hub.started", lang, url=state["url"]))
    if state["password"]:
        say(i18n.t("hub.roster", lang, password=state["password"]))
        for line in hub.roster_lines(state["members"]):
            say(line)
    else:
        _logins(args, lang)
    say(i18n.t("hub.admin", lang, name=state["admin"], password=state["admin_password"]))
    if state["system_users"]:
        say(i18n.t("hub.isolated", lang, count=len(state["system_users"]), session=args.dir))
    elif state["trusted_room"]:
        say(i18n.t("hub.trusted", lang))
    if args.prestart:
        ready = hub.prestart(state)
        say(i18n.t("hub.prestarted", lang, count=len(ready),
                    seconds=max(ready.values(), default=0)))
    say(i18n.t("hub.stop_hint", lang, session=args.dir))
    return 0


def _logins(args, lang: str) -> int:
    from kit.serve import hub, logins

    rows = logins.read(hub.state_dir(args.dir))
    if getattr(args, "slips", None):
        from kit.io import store
        from kit.serve import slips

        meta, works = store.load_all(args.dir)
        state = hub.read_state(args.dir) or {}
        slips.write(args.slips, rows, session_name=meta.name, lang=lang,
                    themes={w.group_id: w.theme for w in works}, url=state.get("url", ""))
        say(i18n.t("hub.slips_written", lang, path=args.slips, count=len(rows)))
        return 0
    if getattr(args, "json", False):
        say(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    say(i18n.t("hub.logins_title", lang, session=args.dir))
    for line in logins.slip_lines(rows, lang):
        say("  " + line)
    return 0


def register(sub) -> None:
    ap = sub.add_parser("app", help="serve a group's workshop page (Voila, no code) on "
                        "127.0.0.1")
    ap.add_argument("dir")
    ap.add_argument("group")
    ap.add_argument("stage", nargs="?", default="",
                    help="the stage to open first: 00_bpr_basics, 01_as_is (default), 02_to_be, "
                         "03_system_selection, 04_impact, 05_review (or 05_follow_up alone)")
    ap.add_argument("--pool", type=int, default=None,
                    help="pre-heated kernels kept ready (default 2; 0: start one per visit)")
    ap.add_argument("--ip", default="127.0.0.1", help="bind address (default 127.0.0.1; "
                    "any other needs --token of 32+ characters)")
    ap.add_argument("--port", type=int, default=8866)
    ap.add_argument("--token", default=None, help="default: a new random token")
    ap.add_argument("--lang", choices=i18n.LANGS, default=None)
    ap.set_defaults(func=cmd_app)

    lb = sub.add_parser("lab", help="JupyterLab on a session folder (127.0.0.1 + token)")
    lb.add_argument("dir")
    lb.add_argument("--ip", default="127.0.0.1", help="bind address (default 127.0.0.1; "
                    "any other needs --token of 32+ characters)")
    lb.add_argument("--port", type=int, default=8888)
    lb.add_argument("--token", default=None, help="default: a new random token")
    lb.add_argument("--dry-run", action="store_true", help="print the command, do not start")
    lb.set_defaults(func=cmd_lab)

    hb = sub.add_parser("hub", help="serve a workshop room with JupyterHub").add_subparsers(
        dest="sub", required=True)
    hs = hb.add_parser("start", help="start hub + proxy in the background, print URL and roster")
    hs.add_argument("dir")
    hs.add_argument("--ip", default="127.0.0.1", help="bind address (default 127.0.0.1; "
                    "any other needs --password)")
    hs.add_argument("--port", type=int, default=8000)
    hs.add_argument("--password", default=None, help="one password for every member "
                    "(>= 8 chars; only with --trusted-room; default: each member's own)")
    hs.add_argument("--trusted-room", action="store_true",
                    help="allow a shared --password and a start without root: groups are "
                         "then not separated")
    hs.add_argument("--members", type=int, default=None,
                    help="logins per group (default: the group's member count, else 4)")
    hs.add_argument("--idle-minutes", type=int, default=120, help="idle culling (>= 15)")
    hs.add_argument("--prestart", action="store_true", help="start every member's server now")
    hs.set_defaults(func=cmd_hub)
    hr = hb.add_parser("roster", help="the logins as roster.json (for Kubernetes, see "
                       "deploy/kubernetes)")
    hr.add_argument("dir")
    hr.add_argument("--members", type=int, default=None)
    hr.add_argument("--session-path", default=None,
                    help="where the servers see the session (Kubernetes: /srv/session)")
    hr.add_argument("--out", default=None, help="write to this file (default: print)")
    hr.add_argument("--logins", default=None, help="also write each member's own password "
                    "here (0600), for the hub's Secret")
    hr.set_defaults(func=cmd_hub)
    hp = hb.add_parser("stop", help="stop the hub, the proxy and every member's server")
    hp.add_argument("dir")
    hp.set_defaults(func=cmd_hub)
    hl = hb.add_parser("logins", help="each member's login, person and password (slips)")
    hl.add_argument("dir")
    hl.add_argument("--json", action="store_true",
                    help='[{"login", "group", "name", "password"}]')
    hl.add_argument("--slips", default=None, metavar="FILE.html",
                    help="write the slips to print and cut (one card per member, 0600)")
    hl.set_defaults(func=cmd_hub)
    hv = hb.add_parser("volume", help="Kubernetes set-up job (root): each group's folder to "
                       "its pods' uid/gid, session.yaml read-only")
    hv.add_argument("dir")
    hv.set_defaults(func=cmd_hub)
    hc = hb.add_parser("cleanup", help="stop the room and remove the groups' system users")
    hc.add_argument("dir")
    hc.set_defaults(func=cmd_hub)
