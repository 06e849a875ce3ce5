"""The risk table of the handout: the catalogue's typical risks and the group's own, each with
owner and early sign, and the optimism-bias sentence for both settings (no kernel)."""

from __future__ import annotations

import re

import pytest

from kit.documents.handout import Handout
from kit.documents.risks import catalogue, optimism_bias_text
from kit.domain.model import Assumptions, GroupWork, Session
from kit.exceptions import InputError
from kit.io import store

A = Assumptions(labour_cost_yen_per_hour=3000, horizon_years=5, discount_rate=0.0, uptake=0.3)
OWN = {"text": "窓口<担当>の異動", "owner": "こども家庭課長", "early_sign": "4月の引継ぎ漏れ"}


def work(gid: str, *, system: bool, optimism_bias: bool, own: bool) -> GroupWork:
    data = {"group_id": gid, "theme": "児童手当", "annual_cases": 600, "uptake": 0.5,
            "optimism_bias": optimism_bias,
            "steps": [{"id": "a", "name": "受付", "actor": "counter", "minutes": 10,
                       "action": "simplify", "minutes_after": 4}],
            "risks": [OWN] if own else []}
    if system:
        data["systems"] = [{"system_id": "e", "name": "電子申請", "initial_cost_yen": 1_000_000,
                            "annual_cost_yen": 200_000}]
    return GroupWork.parse(data)


@pytest.fixture()
def session(tmp_path):
    store.create_session(tmp_path / "s", Session(name="t", assumptions=A),
                         [work("g1", system=True, optimism_bias=True, own=True),
                          work("g2", system=False, optimism_bias=False, own=False)])
    return tmp_path / "s"


def rows(html: str) -> list[list[str]]:
    body = re.search(r'<table class="risks">.*?<tbody>(.*?)</tbody>', html).group(1)
    return [re.findall(r"<td>(.*?)</td>", tr) for tr in re.findall(r"<tr>(.*?)</tr>", body)]


def test_catalogue_has_the_typical_risks_with_owner_and_early_sign():
    ids = [c.risk_id for c in catalogue()]
    assert ids == ["uptake_below_plan", "hours_not_released", "vendor_lock_in",
                   "standardisation", "schedule"]
    for c in catalogue():
        for lang in ("ja", "en"):
            r = c.risk(lang)
            assert r.text and r.owner and r.early_sign


def test_risk_table_rows_typical_then_own(session):
    h = Handout(session, "g1")
    got = rows(h.risks_html())
    assert got == [
        ["オンライン申請などの利用率が計画を下回る", "所管課（窓口担当）",
         "稼働後30日・60日の利用率が計画の年次目標を下回る", "典型"],
        ["時間が削減されても人員・時間外が減らない（効果が予算に表れない）", "所管課長・人事課",
         "時間外勤務の実績が前年同月から減らない／定数・配置の見直し案が出ない", "典型"],
        ["ベンダーロックイン（特定事業者に依存し、改修・更新の費用が下がらない）",
         "情報政策担当課", "改修見積が1社のみ／データの出力形式・仕様が開示されない", "典型"],
        ["自治体情報システムの標準化（標準準拠システムへの移行）と時期・仕様が重なる",
         "情報政策担当課・標準化移行の担当",
         "標準準拠システムの移行日程・仕様書の変更／連携項目が未確定のまま", "典型"],
        ["稼働の遅れ（調達・改修・研修が計画どおり進まない）", "所管課長（取組の責任者）",
         "対応計画の期限切れ（期限を過ぎた未完了の対応）が出る", "典型"],
        ["窓口&lt;担当&gt;の異動", "こども家庭課長", "4月の引継ぎ漏れ", "グループ"],
    ]
    assert "risks" in h.SECTIONS and "主なリスクと早期の兆候" in h.html()


def test_no_system_no_vendor_lock_in_and_no_own_risks_said(session):
    html = Handout(session, "g2").risks_html()
    texts = [r[0] for r in rows(html)]
    assert len(texts) == 4 and not any("ベンダーロックイン" in t for t in texts)
    assert "グループ独自のリスクはまだありません" in html


def test_optimism_bias_sentence_for_both_settings(session):
    on = Handout(session, "g1").risks_html()
    off = Handout(session, "g2").risks_html()
    assert ("楽観バイアスの補正: 適用（英国財務省 Green Book の補足指針"
            "「設備・開発型（equipment/development）」の上限値として、幅（P10〜P90）の計算で"
            "初期費用に200%を上乗せ。下限値は10%、工期の上限54%は参考として記載のみ）。") in on
    assert "楽観バイアスの補正: 適用なし（幅（P10〜P90）は入力した見込みのまま）。" in off
    assert "適用なし" not in on and "上乗せ" not in off


def test_optimism_bias_figure_is_the_one_the_ranges_use():
    from kit.domain.money import uncertainty

    assert uncertainty.optimism_bias(False) is None
    assert uncertainty.optimism_bias(True)["capex"] == uncertainty.OPTIMISM_BIAS_CAPEX == 2.0
    assert optimism_bias_text(True, "en").startswith("Optimism bias correction: applied")
    assert "equipment/development" in optimism_bias_text(True, "en")
    assert optimism_bias_text(False, "en").startswith("Optimism bias correction: not applied")


def test_english_handout_table(session):
    html = Handout(session, "g1", "en").risks_html()
    assert "Uptake (e.g. online applications) stays below plan" in html
    assert "Overdue actions in the action plan" in html


def test_own_risk_needs_text():
    with pytest.raises(InputError):
        GroupWork.parse({"group_id": "g1", "theme": "x", "risks": [{"owner": "a"}]})


def test_same_keys_in_both_languages():
    import yaml

    from kit import i18n, resources

    base = resources.module_dir(i18n.__file__)
    ja = yaml.safe_load((base / "ja" / "risks.yaml").read_text(encoding="utf-8"))
    en = yaml.safe_load((base / "en" / "risks.yaml").read_text(encoding="utf-8"))
    assert set(ja) == set(en)
    for other in (base / "ja").glob("*.yaml"):
        if other.name != "risks.yaml":
            keys = yaml.safe_load(other.read_text(encoding="utf-8")) or {}
            assert not set(keys) & set(ja), other.name
