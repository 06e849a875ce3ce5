"""Login slips to print and cut: one card per member with their login and own password.

``kit hub logins SESSION --slips slips.html`` writes one self-contained A4 page (no network,
the reader's Japanese system font), two cards across, cut lines between them: the session,
the group and its theme, the person the login is for, the room's address, the login name and
the password in large type, and that the password is the member's alone.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from kit import i18n

CSS = """
@page { size: A4; margin: 10mm; }
body { font-family: "Noto Sans CJK JP", "Yu Gothic", "Hiragino Sans", sans-serif; margin: 0; }
.sheet { display: grid; grid-template-columns: 1fr 1fr; }
.slip { border: 1px dashed #888; padding: 5mm 6mm; break-inside: avoid; min-height: 52mm;
        box-sizing: border-box; }
.slip h2 { font-size: 11pt; margin: 0 0 2mm; font-weight: normal; color: #333; }
.slip .who { font-size: 14pt; font-weight: bold; margin-bottom: 2mm; }
.slip dl { display: grid; grid-template-columns: auto 1fr; gap: 1mm 4mm; margin: 0; }
.slip dt { font-size: 10pt; color: #333; align-self: center; }
.slip dd { margin: 0; font-family: "DejaVu Sans Mono", "Noto Sans Mono", monospace;
           font-size: 18pt; letter-spacing: 0.08em; }
.slip dd.url { font-size: 10pt; letter-spacing: 0; word-break: break-all; }
.slip p { font-size: 9pt; margin: 2mm 0 0; }
"""


def html(rows: list[dict], *, session_name: str, themes: dict[str, str], url: str,
         lang: str) -> str:
    """The page; every value a person typed is escaped."""
    t = lambda key, **kw: escape(i18n.t(key, lang, **kw))   # noqa: E731 - local shorthand
    cards = []
    for row in rows:
        theme = themes.get(row["group"], "")
        address = f'<dt>{t("hub.slip_url")}</dt><dd class="url">{escape(url)}</dd>' if url \
            else ""
        cards.append(
            f'<section class="slip"><h2>{escape(session_name)} / {escape(row["group"])}'
            f'{" " + escape(theme) if theme else ""}</h2>'
            f'<div class="who">{escape(row.get("name") or "—")}</div>'
            f'<dl>{address}<dt>{t("hub.slip_login")}</dt><dd>{escape(row["login"])}</dd>'
            f'<dt>{t("hub.slip_password")}</dt><dd>{escape(row["password"])}</dd></dl>'
            f'<p>{t("hub.slip_private")}</p></section>')
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<title>{t("hub.slip_title")}</title><style>{CSS}</style></head>'
            f'<body><main class="sheet">{"".join(cards)}</main></body></html>')


def write(file: str | Path, rows: list[dict], **kwargs) -> Path:
    """Write the slips readable by this process's user only: they hold passwords."""
    from kit.serve.logins import write_text_private

    return write_text_private(Path(file), html(rows, **kwargs))
