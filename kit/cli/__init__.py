"""The ``kit`` command: a thin layer that parses arguments and calls the package.

Bad input exits non-zero with a one-line message (Japanese / English), never a traceback.
Exit codes: 0 ok, 1 some handouts failed, 2 bad input or usage, 3 workspace problem.
"""

from __future__ import annotations

import argparse
import sys

from kit import i18n
from kit.cli import actions, frontyard, serve, workflow, workspace
from kit.cli.common import safe_console
from kit.exceptions import ConflictError, InputError, KitError, StoreError

# each module adds its subcommands with ``register(subparsers)``
COMMANDS = (workflow, workspace, serve, actions, frontyard)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kit", description="BPR workshop kit")
    sub = p.add_subparsers(dest="command", required=True)
    for module in COMMANDS:
        module.register(sub)
    return p


def _check_argv(argv: list[str]) -> None:
    """A NUL or other control character in an argument never reaches a path."""
    for arg in argv:
        if any(ord(ch) < 32 for ch in arg):
            raise InputError(*i18n.both("err.text_control", field="argument", value=repr(arg)),
                             field="argument", value=arg)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    safe_console()
    try:
        _check_argv(argv)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ConflictError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except KitError as exc:             # InputError and the rest: bad input
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
