"""What every ``kit`` subcommand shares: the message language and printing."""

from __future__ import annotations

import os

from kit import i18n


def cli_lang() -> str:
    """The language of command-line messages (``KIT_LANG``, default Japanese)."""
    value = os.environ.get("KIT_LANG", "ja")
    return value if value in i18n.LANGS else "ja"


def say(text: object) -> None:
    print(text, flush=True)


def safe_console() -> None:
    """Never crash on a character the console cannot show (a Windows console in CP932 and
    a name with, say, an emoji): it is printed as ``?`` instead."""
    import sys

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError, OSError):       # not a text stream we can change
            pass
