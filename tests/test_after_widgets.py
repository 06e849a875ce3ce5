"""The charter, action-plan and follow-up-snapshot editors: edits saved, bad values refused."""

import pytest

from kit.domain.model import GroupWork, Session
from kit.io import store
from kit.widgets.charter import ActionsEditor, CharterEditor
from kit.widgets.follow_up import FollowUpEditor


@pytest.fixture()
def session(tmp_path):
    w = GroupWork.parse({"group_id": "g1", "theme": "t", "annual_cases": 100, "steps": [
        {"id": "a", "name": "受付", "actor": "counter", "minutes": 10, "action": "simplify",
         "minutes_after": 5}]})
    store.create_session(tmp_path / "s", Session(name="t"), [w])
    return tmp_path / "s"


def test_charter_editor(session):
    ed = CharterEditor(session, "g1", "ja", debounce_s=None)
    ed.boxes["sponsor"].value = "市民課長"
    ed.boxes["go_live"].value = "令和9年4月1日"
    ed.add_measure()
    n, u, b, t = ed.rows[0][0]
    b.value, t.value, u.value = "１２０", "60", "時間"
    c = store.load_work(session, "g1").charter
    assert (c.sponsor, c.go_live) == ("市民課長", "2027-04-01")
    assert (c.measures[0].baseline, c.measures[0].target, c.measures[0].unit) == (120, 60, "時間")
    ed.boxes["go_live"].value = "いつか"
    assert "いつか" in ed.error.value
    assert store.load_work(session, "g1").charter.go_live == "2027-04-01"


def test_actions_editor(session):
    ed = ActionsEditor(session, "g1", "ja", debounce_s=None)
    ed.add_action()
    _, cells, _ = ed.rows[0]
    cells["title"].value = "様式の見直し"
    cells["due"].value = "2027/5/1"
    cells["status"].value = "doing"
    cells["steps"].value = ("a",)
    item = store.load_work(session, "g1").actions[0]
    assert (item.title, item.due, item.status.value, item.steps) == \
        ("様式の見直し", "2027-05-01", "doing", ["a"])
    cells["due"].value = "5月頃"
    assert "5月頃" in ed.error.value
    assert store.load_work(session, "g1").actions[0].due == "2027-05-01"
    ed.error.value = ""
    cells["due"].value = "2027-05-01"
    ed.remove_action(item.id)
    assert store.load_work(session, "g1").actions == []


def test_follow_up_editor_keeps_several_snapshots(session):
    ed = FollowUpEditor(session, "g1", "ja", debounce_s=None)
    ed.date.value = "2027/5/1"
    ed.measures["uptake"].value = "20%"
    ed.picker.value = ""                       # a new measurement
    ed.date.value = "2027-08-01"
    ed.measures["uptake"].value = "35%"
    snaps = store.load_work(session, "g1").snapshots
    assert [(a.measured_on, a.uptake) for a in snaps] == [("2027-05-01", 0.2),
                                                          ("2027-08-01", 0.35)]
    ed.picker.value = "2027-05-01"             # correct the first one
    assert ed.measures["uptake"].value == "0.2"
    ed.measures["uptake"].value = "25%"
    ed.date.value = "2027-08-01"               # clashes with the other measurement
    assert "2027-08-01" in ed.error.value
    snaps = store.load_work(session, "g1").snapshots
    assert [(a.measured_on, a.uptake) for a in snaps] == [("2027-05-01", 0.25),
                                                          ("2027-08-01", 0.35)]
