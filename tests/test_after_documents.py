"""The after-workshop sections of the handout and the session summary (no kernel)."""

import datetime as dt
import re

import pytest

from kit.documents.handout import Handout
from kit.documents.summary import Summary
from kit.domain.model import Assumptions, GroupWork, Session
from kit.io import store
from kit.workspace.followup import record_actuals

A = Assumptions(labour_cost_yen_per_hour=3000, horizon_years=5, discount_rate=0.0, uptake=0.3)


def work(gid: str, minutes_after: float) -> GroupWork:
    return GroupWork.parse({
        "group_id": gid, "theme": f"手続{gid}", "annual_cases": 600, "uptake": 0.5,
        "steps": [{"id": "a", "name": "受付<b>", "actor": "counter", "minutes": 10,
                   "action": "simplify", "minutes_after": minutes_after}],
        "charter": {"start": "申請書の受付", "end": "認定通知の発送", "sponsor": "こども家庭課長",
                    "in_scope": "窓口と郵送", "out_of_scope": "制度の変更",
                    "go_live": "2027/4/1",
                    "measures": [{"name": "職員の作業時間", "unit": "時間", "baseline": 100,
                                  "target": 60}]},
        "actions": [{"title": "様式の見直し", "owner": "佐藤", "due": "2027-05-01",
                     "status": "doing", "steps": ["a"]},
                    {"title": "電子申請", "owner": "鈴木", "due": "2027-05-01",
                     "status": "done"}]})


@pytest.fixture()
def session(tmp_path):
    # g1 proposes 600 × (10 − 4)/60 = 60 h; g2 600 × (10 − 8)/60 = 20 h
    store.create_session(tmp_path / "s", Session(name="t", assumptions=A),
                         [work("g1", 4), work("g2", 8)])
    return tmp_path / "s"


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]+"', "",
                                                                 fragment)))


def test_charter_and_actions_in_the_handout(session):
    h = Handout(session, "g1")
    h.as_of = dt.date(2027, 5, 11)
    charter = _text(h.charter_html())
    assert "申請書の受付 → 認定通知の発送" in charter and "こども家庭課長" in charter
    assert "2027年4月1日" in charter and "-40%" in charter          # (60 − 100) / 100
    assert h.SECTIONS.index("charter") == 1
    acts = _text(h.actions_html())
    # doing, due 1 May, as of 11 May: 10 days overdue; the done one is not
    assert acts.count("期限切れ 10日") == 1 and "受付<b>" not in h.actions_html()
    assert "受付&lt;b&gt;" in h.actions_html()
    assert Handout(session, "g2", lang="en").charter_html().count("Sponsor") == 1


def test_follow_up_schedule_and_summary(session):
    record_actuals(session, "g1", measured_on="2027-05-03", minutes={"a": 6})   # day 32
    h = Handout(session, "g1")
    h.as_of = dt.date(2027, 7, 15)
    text = _text(h.follow_up_html())
    # 600 × (10 − 6)/60 = 40 h of 60 h: 67 %
    assert "実現率 67%" in text and "40.0時間／見込み 60.0時間" in text
    assert "稼働30日後 2027年5月1日" in text and "測定済み（2027年5月3日）" in text
    assert text.count("未測定（時期が来ています）") == 2             # days 60 and 90
    s = Summary(session)
    s.as_of = dt.date(2027, 5, 11)
    real = _text(s.realisation_html())
    # city: only g1 measured: 40 / 60 = 67 %; g2 is listed as not measured
    assert "未測定" in real and real.count("67%") == 2
    over = _text(s.overdue_html())
    assert "期限切れの対応: 2件" in over and over.count("様式の見直し") == 2
    s.as_of = dt.date(2027, 5, 1)                                    # due today: none yet
    assert "期限切れの対応: 0件" in _text(s.overdue_html())
