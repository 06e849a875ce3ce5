"""Every text a reader sees, in Japanese (default) and English: lookup code; the catalogues
are data (``kit/i18n/<lang>/<topic>.yaml``).

``t(key, lang, **values)`` looks a message up and fills it in; ``label(kind, value, lang)``
names an enum member (``labels.yaml``); ``fmt_*`` (:mod:`kit.i18n.formats`) write numbers the
Japanese way (comma groups, 円, 時間, 年月日). A key lives in exactly one topic file; every
language has the same keys (a test checks both).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from kit.i18n.formats import (  # noqa: F401 - re-exported: i18n.fmt_yen(...) everywhere
    DEFAULT_LANG,
    LANGS,
    _lang,
    fmt_date,
    fmt_hours,
    fmt_number,
    fmt_percent,
    fmt_yen,
)

CATALOGUE_DIR = Path(__file__).resolve().parent
LABEL_FILE = "labels.yaml"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """(labels, messages) of one language; a key defined in two files is an error."""
    labels: dict[str, str] = {}
    messages: dict[str, str] = {}
    for file in sorted((CATALOGUE_DIR / lang).glob("*.yaml")):
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=_Loader) or {}
        target = labels if file.name == LABEL_FILE else messages
        twice = sorted(set(data) & (set(labels) | set(messages)))
        if twice:
            raise ValueError(f"{file}: keys already defined in another file: {twice[:5]}")
        target.update({str(k): str(v) for k, v in data.items()})
    return labels, messages


LABELS: dict[str, dict[str, str]] = {}
MESSAGES: dict[str, dict[str, str]] = {}
for _code in LANGS:
    LABELS[_code], MESSAGES[_code] = _load(_code)


def t(key: str, lang: str | None = DEFAULT_LANG, **values: object) -> str:
    """The message ``key`` in ``lang`` with ``values`` filled in."""
    catalogue = MESSAGES[_lang(lang)]
    text = catalogue.get(key) or LABELS[_lang(lang)].get(key) or key
    return text.format(**values) if values else text


def both(key: str, **values: object) -> tuple[str, str]:
    """The message in Japanese and in English, for an exception."""
    return t(key, "ja", **values), t(key, "en", **values)


def label(kind: str, value: object, lang: str | None = DEFAULT_LANG) -> str:
    """The display name of an enum value: ``label("actor", "resident") == "住民"``."""
    raw = getattr(value, "value", value)
    if isinstance(raw, bool):
        raw = str(raw).lower()
    key = f"{kind}.{raw}"       # labels.yaml, else a kind a topic file adds (finance.yaml)
    return LABELS[_lang(lang)].get(key) or MESSAGES[_lang(lang)].get(key, str(raw))


def choices(kind: str, lang: str | None = DEFAULT_LANG) -> list[tuple[str, str]]:
    """``[(display name, value)]`` of an enum kind, for dropdowns."""
    prefix = kind + "."
    found = [(text, key[len(prefix):]) for key, text in LABELS[_lang(lang)].items()
             if key.startswith(prefix)]
    if found:
        return found
    return [(text, key[len(prefix):]) for key, text in MESSAGES[_lang(lang)].items()
            if key.startswith(prefix)]          # a kind a topic file adds (e.g. finance.yaml)
