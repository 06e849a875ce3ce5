"""The ``kit`` command: a thin layer that parses arguments and calls the package.

Bad input exits non-zero with a one-line message (Japanese / English), never a traceback.
Exit codes: 0 ok, 1 some handouts failed, 2 bad input or usage, 3 workspace problem.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

from . import i18n, impact, report, store
from .exceptions import ConflictError, InputError, KitError, StoreError


def _lang() -> str:
    lang = os.environ.get("KIT_LANG", "ja")
    return lang if lang in i18n.LANGS else "ja"


def _say(text: str) -> None:
    print(text, flush=True)


# --- commands -----------------------------------------------------------------------------
DEMO_MARKER = ".kit-demo"


def cmd_demo(args) -> int:
    from .demo import build_demo

    out = Path(args.out).resolve()
    session_dir = out / "session"
    marker = session_dir / DEMO_MARKER
    if session_dir.exists():
        if not marker.is_file():        # never delete a folder the demo did not make
            raise InputError(*i18n.both("err.demo_exists", value=str(session_dir)),
                             field="--out", value=str(out))
        shutil.rmtree(session_dir)
    build_demo(session_dir, lang=args.lang)
    marker.write_text("made by `kit demo`; `kit demo` replaces this folder\n", encoding="utf-8")
    _say(f"session: {session_dir}")
    code = _render(session_dir, out / "handouts", args.jobs, args.lang)
    _say(i18n.t("msg.demo_next", args.lang or _lang(), session=session_dir))
    return code


def cmd_session_new(args) -> int:
    from .session import new_session, new_session_from_survey

    if bool(args.groups) == bool(args.survey):
        print("error: --groups か --survey のどちらか一方を指定してください / "
              "give either --groups or --survey", file=sys.stderr)
        return 2
    if args.survey:
        session = new_session_from_survey(
            args.dir, args.survey, group_size=args.group_size, seed=args.seed, mix=args.mix,
            top_sections=args.top_sections, max_groups=args.max_groups,
            assign_file=args.assign, name=args.name, lang=args.lang,
            settings_file=args.settings)
        _say(f"session: {Path(args.dir).resolve()} ({len(session.groups)} groups: "
             f"{', '.join(session.groups)})")
        return 0
    session = new_session(args.dir, args.groups, name=args.name, lang=args.lang,
                          labour_cost_yen=args.labour_cost_yen, settings_file=args.settings,
                          systems_file=args.systems, funding_file=args.funding,
                          steps_dir=args.steps_dir)
    _say(f"session: {Path(args.dir).resolve()} ({len(session.groups)} groups: "
         f"{', '.join(session.groups)})")
    return 0


def cmd_steps_import(args) -> int:
    from .tables import read_steps

    work = store.load_work(args.dir, args.group)
    steps = read_steps(args.file)            # everything validated before anything is saved
    saved = store.save_work(args.dir, work.model_copy(update={"steps": steps}))
    _say(f"{args.group}: {len(steps)} steps imported (revision {saved.revision})")
    return 0


def cmd_steps_export(args) -> int:
    from .tables import write_steps

    work = store.load_work(args.dir, args.group)
    write_steps(work.steps, args.file, lang=args.lang or _lang())
    _say(f"{args.group}: {len(work.steps)} steps -> {args.file}")
    return 0


def cmd_impact(args) -> int:
    session = store.load_session(args.dir)
    work = store.load_work(args.dir, args.group)
    figures = impact.compute(work, session.assumptions).to_dict()
    if args.json:
        _say(json.dumps(figures, ensure_ascii=False, indent=1))
        return 0
    lang = args.lang or session.lang
    for key, value in figures.items():
        if key != "yearly":
            _say(f"{key}: {i18n.fmt_number(value, 2) if isinstance(value, float) else value}")
    _say(f"({i18n.t('report.figures_note', lang)})")
    return 0


def _render(session_dir, out, jobs, lang, groups=None) -> int:
    results = report.render_session(session_dir, out, jobs=jobs, lang=lang, groups=groups,
                                    progress=sys.stderr.isatty())
    ok = [r for r in results if r.ok]
    for r in ok:
        _say(r.path)
    msg_lang = lang or _lang()
    _say(i18n.t("msg.rendered", msg_lang, count=len(ok), path=Path(out).resolve()))
    failed = [r for r in results if not r.ok]
    for r in failed:
        _say(f"FAILED {r.group}: {r.error_en if msg_lang == 'en' else r.error}")
    if failed:
        _say(i18n.t("msg.render_failures", msg_lang, count=len(failed)))
        return 1
    return 0


def cmd_survey(args) -> int:
    from .survey import load_survey

    load_survey(args.file)          # bad input: exit 2 with the field, before any kernel
    lang = args.lang or _lang()
    path = report.render_survey(args.file, args.out, lang=lang)
    _say(i18n.t("survey.rendered", lang, path=path))
    return 0


def cmd_render(args) -> int:
    out = args.out or str(Path(args.dir) / "handouts")
    return _render(args.dir, out, args.jobs, args.lang, getattr(args, "group", None))


def cmd_app(args) -> int:
    import secrets

    from .widgets import app

    notebook = app.prepare_notebook(args.dir, args.group, args.notebook, lang=args.lang or "")
    token = args.token or secrets.token_hex(16)
    _say(f"http://127.0.0.1:{args.port}/?token={token}")
    return app.serve(app.voila_command(notebook, args.port, token))


def cmd_history(args) -> int:
    for row in store.history(args.dir, args.group):
        _say(f"{row['revision']:>5}  {row['updated_at']}  steps={row['steps']}")
    return 0


def cmd_restore(args) -> int:
    saved = store.restore(args.dir, args.group, args.version)
    _say(f"{args.group}: version {args.version} restored as revision {saved.revision}")
    return 0


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def lab_argv(session_dir: str | Path, *, ip: str = "127.0.0.1", port: int = 8888,
             token: str | None = None) -> list[str]:
    """The JupyterLab command for a session folder: loopback and a random token by default.

    An empty token (no login) is always refused; so is a non-loopback address with a short
    token. To serve a whole room, use JupyterHub (see the README).
    """
    import secrets

    store.load_session(session_dir)              # a session folder, or StoreError
    token = secrets.token_urlsafe(32) if token is None else token
    if len(token) < (8 if ip in LOOPBACK else 32):
        raise InputError(*i18n.both("err.invalid", field="--token", value="*" * len(token),
                                    detail="min 8 (127.0.0.1) / 32 characters"),
                         field="token", value="")
    return [sys.executable, "-m", "jupyterlab", "--no-browser", f"--ServerApp.ip={ip}",
            f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={Path(session_dir).resolve()}"]


def cmd_lab(args) -> int:
    import subprocess

    argv = lab_argv(args.dir, ip=args.ip, port=args.port, token=args.token)
    token = argv[6].split("=", 1)[1]
    _say(f"http://{args.ip}:{args.port}/lab?token={token}")
    if args.dry_run:
        _say(" ".join(argv))
        return 0
    return subprocess.call(argv)


def cmd_hub(args) -> int:
    from . import hub

    lang = _lang()
    if args.sub == "stop":
        stopped = hub.stop(args.dir)
        _say(i18n.t("hub.stopped" if stopped else "hub.not_running", lang, session=args.dir))
        return 0
    state = hub.start(args.dir, ip=args.ip, port=args.port, password=args.password,
                      members=args.members, idle_min=args.idle_minutes)
    _say(i18n.t("hub.started", lang, url=state["url"]))
    _say(i18n.t("hub.roster", lang, password=state["password"]))
    for line in hub.roster_lines(state["members"]):
        _say(line)
    _say(i18n.t("hub.admin", lang, name=state["admin"], password=state["admin_password"]))
    if args.prestart:
        ready = hub.prestart(state)
        _say(i18n.t("hub.prestarted", lang, count=len(ready),
                    seconds=max(ready.values(), default=0)))
    _say(i18n.t("hub.stop_hint", lang, session=args.dir))
    return 0


# --- parser -------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kit", description="BPR workshop kit")
    sub = p.add_subparsers(dest="command", required=True)

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
    n.add_argument("--assign", default=None, help="manual assignments: 回答ID/氏名, グループID")
    n.set_defaults(func=cmd_session_new)

    st = sub.add_parser("steps", help="import/export a group's steps sheet").add_subparsers(
        dest="sub", required=True)
    for name, func in (("import", cmd_steps_import), ("export", cmd_steps_export)):
        c = st.add_parser(name)
        c.add_argument("dir")
        c.add_argument("group")
        c.add_argument("file")
        c.add_argument("--lang", choices=i18n.LANGS, default=None)
        c.set_defaults(func=func)

    im = sub.add_parser("impact", help="print a group's impact figures")
    im.add_argument("dir")
    im.add_argument("group")
    im.add_argument("--json", action="store_true")
    im.add_argument("--lang", choices=i18n.LANGS, default=None)
    im.set_defaults(func=cmd_impact)

    r = sub.add_parser("render", help="render every group's handout (in parallel)")
    r.add_argument("dir")
    r.add_argument("--out", default=None)
    r.add_argument("--jobs", type=int, default=None)
    r.add_argument("--lang", choices=i18n.LANGS, default=None)
    r.add_argument("--group", action="append", default=None,
                   help="render only this group (repeatable)")
    r.set_defaults(func=cmd_render)

    sv = sub.add_parser("survey", help="render the pre-workshop staff survey report")
    sv.add_argument("file", help="survey export (CSV UTF-8/BOM/CP932 or .xlsx)")
    sv.add_argument("--out", default=".")
    sv.add_argument("--lang", choices=i18n.LANGS, default=None)
    sv.set_defaults(func=cmd_survey)

    ap = sub.add_parser("app", help="serve a group's notebook with Voila (no code) on 127.0.0.1")
    ap.add_argument("dir")
    ap.add_argument("group")
    ap.add_argument("notebook", help="e.g. 01_as_is")
    ap.add_argument("--port", type=int, default=8866)
    ap.add_argument("--token", default=None)
    ap.add_argument("--lang", choices=i18n.LANGS, default=None)
    ap.set_defaults(func=cmd_app)


    h = sub.add_parser("history", help="list the kept versions of a group's workspace")
    h.add_argument("dir")
    h.add_argument("group")
    h.set_defaults(func=cmd_history)

    rs = sub.add_parser("restore", help="restore a kept version as the newest")
    rs.add_argument("dir")
    rs.add_argument("group")
    rs.add_argument("version", type=int)
    rs.set_defaults(func=cmd_restore)

    lb = sub.add_parser("lab", help="JupyterLab on a session folder (127.0.0.1 + token)")
    lb.add_argument("dir")
    lb.add_argument("--ip", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    lb.add_argument("--port", type=int, default=8888)
    lb.add_argument("--token", default=None, help="default: a new random token")
    lb.add_argument("--dry-run", action="store_true", help="print the command, do not start")
    lb.set_defaults(func=cmd_lab)

    hb = sub.add_parser("hub", help="serve a workshop room with JupyterHub").add_subparsers(
        dest="sub", required=True)
    hs = hb.add_parser("start", help="start hub + proxy in the background, print URL and roster")
    hs.add_argument("dir")
    hs.add_argument("--ip", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    hs.add_argument("--port", type=int, default=8000)
    hs.add_argument("--password", default=None, help="shared workshop password (>= 8 chars; "
                    "default: a new random one)")
    hs.add_argument("--members", type=int, default=None,
                    help="logins per group (default: the group's member count, else 4)")
    hs.add_argument("--idle-minutes", type=int, default=120, help="idle culling (>= 15)")
    hs.add_argument("--prestart", action="store_true", help="start every member's server now")
    hs.set_defaults(func=cmd_hub)
    hp = hb.add_parser("stop", help="stop the hub, the proxy and every member's server")
    hp.add_argument("dir")
    hp.set_defaults(func=cmd_hub)
    return p


def _check_argv(argv: list[str]) -> None:
    """A NUL or other control character in an argument never reaches a path."""
    for arg in argv:
        if any(ord(ch) < 32 for ch in arg):
            raise InputError(*i18n.both("err.text_control", field="argument", value=repr(arg)),
                             field="argument", value=arg)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        _check_argv(argv)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (ConflictError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except KitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"error: ファイルが見つかりません / file not found: {exc.filename}",
              file=sys.stderr)
        return 2
    except OSError as exc:      # e.g. a name too long, no permission: one line, no traceback
        print(f"error: ファイルを読み書きできません / cannot read or write: {exc.filename} "
              f"({exc.strerror})", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
