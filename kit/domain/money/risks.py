"""Risks of a group's proposal (the handout's risk table, the budget request 財政課 files).

A risk has its text, its owner (担当) and what would show it early (早期の兆候). The typical
risks come from a catalogue shipped as data (``data_samples/risks/risks.yaml``, read by
:mod:`kit.documents.risks`); a group adds its own (``GroupWork.risks``). The optimism-bias
sentence names the Green Book uplift :func:`kit.domain.money.uncertainty.optimism_bias` gives.

Types and pure functions only (no files, no HTML).
"""

from __future__ import annotations

from pydantic import Field

from kit.domain.fields import Name, Text, _Model


class Risk(_Model):
    """One risk: what may go wrong, who watches it, and the early sign."""

    text: Name
    owner: Text = ""            # 担当
    early_sign: Text = ""       # 早期の兆候


class CatalogueRisk(_Model):
    """A typical risk of the catalogue, in every language of the kit."""

    risk_id: str = Field(pattern=r"^[a-z0-9_]{1,40}$")
    text: dict[str, str]
    owner: dict[str, str] = Field(default_factory=dict)
    early_sign: dict[str, str] = Field(default_factory=dict)
    applies: str = "always"     # "always" or "system" (only with a chosen system)

    def risk(self, lang: str) -> Risk:
        def pick(d: dict[str, str]) -> str:
            return d.get(lang) or d.get("ja") or next(iter(d.values()), "")
        return Risk(text=pick(self.text), owner=pick(self.owner),
                    early_sign=pick(self.early_sign))


def parse_catalogue(data: dict) -> list[CatalogueRisk]:
    """The catalogue file's content (``{"risks": [...]}``) as typed risks."""
    return [CatalogueRisk.model_validate(r) for r in (data or {}).get("risks", [])]


def risk_rows(catalogue: list[CatalogueRisk], own: list[Risk], lang: str,
              has_system: bool = True) -> list[tuple[Risk, bool]]:
    """The rows of the table: the catalogue's typical risks (``False``: not the group's own;
    ``applies: system`` ones only when the group chose a system), then the group's own."""
    rows = [(c.risk(lang), False) for c in catalogue
            if c.applies != "system" or has_system]
    return rows + [(r, True) for r in own]
