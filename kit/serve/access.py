"""Who can reach a server the kit starts: one rule for `kit lab`, `kit app` and `kit hub`.

- Bound to a loopback address (127.0.0.0/8, ::1, localhost: the default), only this
  machine reaches it. The secret (a token for lab/app, the shared password for the hub) may
  be generated; a given one must not be empty or short.
- Bound to any other address (``--ip 0.0.0.0`` or the machine's address), the room's network
  reaches it: the secret must be given explicitly (``--token`` of 32+ characters for lab/app,
  ``--password`` for the hub), so nobody opens a room by accident with a secret they have
  not chosen, and it must be long enough.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from kit import i18n
from kit.exceptions import InputError

LOOPBACK_NAMES = ("localhost",)


@dataclass(frozen=True)
class SecretRule:
    option: str                  # the command-line option that gives the secret
    min_loopback: int            # shortest accepted on a loopback address
    min_open: int                # shortest accepted on any other address
    generate: Callable[[], str]  # a fresh secret for a loopback server


TOKEN = SecretRule("--token", 8, 32, lambda: secrets.token_urlsafe(32))


def is_loopback(ip: str) -> bool:
    if ip in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return False


def checked_secret(ip: str, secret: str | None, rule: SecretRule = TOKEN) -> str:
    """The secret to use for a server bound to ``ip``, or an InputError naming the option."""
    loopback = is_loopback(ip)
    if secret is None:
        if not loopback:
            raise InputError(*i18n.both("deploy.open_needs_secret", ip=ip, option=rule.option,
                                        minimum=rule.min_open), field=rule.option, value=ip)
        return rule.generate()
    minimum = rule.min_loopback if loopback else rule.min_open
    if len(secret) < minimum:
        raise InputError(*i18n.both("deploy.secret_too_short", option=rule.option, ip=ip,
                                    minimum=minimum, length=len(secret)),
                         field=rule.option, value="*" * len(secret))
    return secret


def browser_host(ip: str) -> str:
    """The host to put in a printed URL (a wildcard address is reached as 127.0.0.1)."""
    if ip in ("", "0.0.0.0", "::"):
        return "127.0.0.1"
    return f"[{ip}]" if ":" in ip else ip
