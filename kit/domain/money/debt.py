"""Funding as a budget books it, and the fiscal year (docs/formulas.md, "Funding as budgets
book it"): pure helpers, no model.

- :class:`FundingKind`: ``subsidy`` (国・県の補助金・交付金, 特定財源), ``bond`` (地方債) or
  ``allocation_tax`` (特別交付税措置 and the like: stays in 一般財源, lowers the net burden).
- :func:`debt_service`: a bond's yearly payments (元利償還金) after its year of issue: ``grace``
  years of interest only ``P·r``, then ``n`` level payments (元利均等) ``A = P·r/(1−(1+r)^−n)``
  (``P/n`` at 0 %), vectorised over draws.
- :func:`fiscal_year_of`: the fiscal year (April to March) of a date; :func:`era_year`: its
  令和/平成 year (令和元年 = 2019).
"""

from __future__ import annotations

import datetime as _dt
import enum
import unicodedata
from typing import Any

import numpy as np

from kit import i18n


class FundingKind(str, enum.Enum):
    subsidy = "subsidy"                 # 補助金・交付金（特定財源）
    bond = "bond"                       # 地方債
    allocation_tax = "allocation_tax"   # 交付税措置（一般財源のまま、実質負担を減らす）


# words a budget sheet uses for a kind, besides the catalogue's labels (kind.* in fiscal.yaml)
_ALIASES = {"補助金": "subsidy", "交付金": "subsidy", "補助": "subsidy", "国庫補助金": "subsidy",
            "県補助金": "subsidy", "特定財源": "subsidy", "地方債": "bond", "起債": "bond",
            "交付税": "allocation_tax", "特別交付税": "allocation_tax",
            "特別交付税措置": "allocation_tax", "交付税措置": "allocation_tax",
            "普通交付税": "allocation_tax", "allocation tax": "allocation_tax",
            "grant": "subsidy", "loan": "bond", "municipal bond": "bond"}


def parse_kind(value: Any) -> Any:
    """A funding kind from its key, its label in either language or a budget word; blank:
    None (not given: treated as a subsidy, and the handout says so); else unchanged."""
    if value is None or isinstance(value, FundingKind):
        return value
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return None
    for lang in i18n.LANGS:
        for label, key in i18n.choices("kind", lang):
            if text == unicodedata.normalize("NFKC", label):
                return key
    return _ALIASES.get(text, _ALIASES.get(text.lower(), text))


def level_payment(principal, rate: float, years: int):
    """``A = P·r / (1 − (1+r)^−n)``; ``P / n`` when ``r = 0``."""
    principal = np.asarray(principal, dtype=float)
    if rate == 0:
        return principal / years
    return principal * rate / (1 - (1 + rate) ** -years)


def debt_service(principal, rate: float, grace: int, years: int, span: int) -> np.ndarray:
    """Draws × ``span`` payments in the years 1..span after the year of issue: interest only
    ``P·r`` in years 1..grace, then ``A`` in years grace+1..grace+n, then nothing."""
    principal = np.atleast_1d(np.asarray(principal, dtype=float))
    out = np.zeros((len(principal), span))
    out[:, :min(grace, span)] = (principal * rate)[:, None]
    first, last = min(grace, span), min(grace + years, span)
    out[:, first:last] = level_payment(principal, rate, years)[:, None]
    return out


def fiscal_year_of(day: _dt.date | str) -> int:
    """The fiscal year (年度, April to March) a date falls in: 2026-12-06 → 2026,
    2027-03-31 → 2026, 2027-04-01 → 2027."""
    if isinstance(day, str):
        day = _dt.date.fromisoformat(day)
    return day.year if day.month >= 4 else day.year - 1


def default_start(day: _dt.date | str | None = None) -> int:
    """The fiscal year after the one ``day`` (default: today) falls in: the first budget a
    proposal made that day can enter."""
    return fiscal_year_of(day or _dt.date.today()) + 1


def era_year(year: int) -> tuple[str, int]:
    """``("reiwa", 9)`` for 2027, ``("reiwa", 1)`` for 2019 (令和元年), ``("heisei", 30)`` for
    2018: the era key (``era.*`` in the catalogue) and the year within it."""
    era, base = ("reiwa", 2018) if year >= 2019 else ("heisei", 1988)
    return era, year - base
