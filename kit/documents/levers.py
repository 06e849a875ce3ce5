"""The handout's suggestions section: per step, the levers suggested (kit.domain.levers), taken
or not (dismissed, or not yet considered), each with the case a municipality published and its
source (publisher, title, year, date checked; the address is in ``kit steps suggest``: a
handout holds no external address).

A mixin of :class:`kit.documents.handout.Handout` (needs ``work``, ``session_dir``, ``lang``,
``t``, ``label``).
"""

from __future__ import annotations

from kit.documents.fragments import esc
from kit.documents.fragments import table as _table
from kit.domain import levers
from kit.io.levers import load_catalogue

STATES = {"dismissed": "levers.state.dismissed", "open": "levers.state.open"}


class LeverSections:
    """``levers_html``: the suggestions taken, then those not taken."""

    def lever_review(self) -> list[tuple[int, object, levers.Lever, str]]:
        return levers.review(self.work, load_catalogue(self.session_dir))

    def _lever_row(self, n: int, step, lever: levers.Lever, state: str) -> list[str]:
        src = lever.source.cited(self.lang)
        cells = [f"{n}. {esc(step.name)}", esc(lever.label.get(self.lang)),
                 esc(self.label("action", lever.action)), esc(lever.effect.get(self.lang)),
                 esc(self.t("levers.source_cell", **src))]
        if state != "taken":
            cells.append(self.t(STATES[state]))
        return cells

    def levers_html(self) -> str:
        rows = self.lever_review()
        cols = [self.t(f"levers.col.{k}") for k in ("step", "lever", "action", "effect", "source")]
        parts = [f'<section class="levers"><h2>{self.t("levers.heading")}</h2>',
                 f'<p class="note">{self.t("levers.intro")}</p>']
        for title, pick, extra in (("levers.taken", lambda s: s == "taken", []),
                                   ("levers.not_taken", lambda s: s != "taken",
                                    [self.t("levers.col.state")])):
            chosen = [self._lever_row(n, s, x, st) for n, s, x, st in rows if pick(st)]
            parts.append(f"<h3>{self.t(title)}</h3>")
            parts.append(_table(cols + extra, chosen, "levers") if chosen
                         else f'<p class="note">{self.t("levers.none")}</p>')
        parts.append("</section>")
        return "".join(parts)
