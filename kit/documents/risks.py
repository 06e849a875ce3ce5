"""The risk table of the handout (and of the A3 sheet): typical risks from the catalogue shipped
as data (``data_samples/risks/risks.yaml``) and the group's own (``GroupWork.risks``), each
with its owner (担当) and early sign (早期の兆候); under it, in plain words, whether the P10–P90
ranges carry the optimism-bias correction and with which Green Book category and uplift.

A mixin of :class:`kit.documents.handout.Handout` (needs ``work``, ``lang``, ``t``,
``option_rows``). The arithmetic is in :mod:`kit.domain.money.risks` / :mod:`kit.domain.money.uncertainty`.
"""

from __future__ import annotations

import functools

import yaml

from kit import i18n, resources
from kit.documents.fragments import esc
from kit.documents.fragments import table as _table
from kit.domain.money import options as opts
from kit.domain.money import risks, uncertainty


@functools.lru_cache(maxsize=1)
def catalogue() -> tuple[risks.CatalogueRisk, ...]:
    """The bundled catalogue of typical risks."""
    path = resources.file("samples", "risks", "risks.yaml")
    return tuple(risks.parse_catalogue(yaml.safe_load(path.read_text(encoding="utf-8"))))


def optimism_bias_text(enabled: bool, lang: str = i18n.DEFAULT_LANG) -> str:
    """「楽観バイアスの補正: 適用なし」 or 「適用（… 上乗せ …）」 (escaped text)."""
    ob = uncertainty.optimism_bias(enabled)
    if ob is None:
        return i18n.t("risk.ob.off", lang)
    return i18n.t("risk.ob.on", lang, **{k: i18n.fmt_percent(v) for k, v in ob.items()})


class RiskSections:
    """``risks_html``: the risk table and the optimism-bias sentence."""

    def risk_rows(self) -> list[list[str]]:
        has_system = opts.find(self.option_rows, opts.CHOSEN).has_system
        rows = risks.risk_rows(list(catalogue()), self.work.risks, self.lang, has_system)
        return [[esc(r.text), esc(r.owner) or "—", esc(r.early_sign) or "—",
                 self.t("risk.source.own" if own else "risk.source.catalogue")]
                for r, own in rows]

    def risks_table(self) -> str:
        headers = [self.t(f"risk.col.{k}") for k in ("risk", "owner", "early_sign", "source")]
        return _table(headers, self.risk_rows(), "risks")

    def optimism_bias_html(self) -> str:
        return (f'<p class="optimism-bias">'
                f'{optimism_bias_text(bool(self.work.optimism_bias), self.lang)}</p>')

    def risks_html(self) -> str:
        none = "" if self.work.risks else f'<p class="note">{self.t("risk.none_own")}</p>'
        return (f'<section class="risks"><h2>{self.t("risk.heading")}</h2>'
                f'{self.risks_table()}{none}{self.optimism_bias_html()}</section>')
