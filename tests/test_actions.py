"""Action plans: overdue rule, dates as Japanese sheets write them, the sheet, `kit actions`."""

import datetime as dt
import json

import openpyxl
import pytest

from kit.cli import main
from kit.domain.after import actions
from kit.domain.after.plan import ActionItem
from kit.domain.dates import to_iso_date
from kit.domain.model import GroupWork, Session
from kit.exceptions import InputError
from kit.io import store
from kit.io.actions import read_actions, write_actions

D = dt.date


def work(gid="g1", items=()) -> GroupWork:
    return GroupWork.parse({
        "group_id": gid, "theme": "児童手当",
        "steps": [{"id": "a", "name": "受付", "minutes": 10}, {"id": "b", "name": "入力",
                                                              "minutes": 9}],
        "actions": list(items)})


@pytest.fixture()
def session(tmp_path):
    store.create_session(tmp_path / "s", Session(name="t"), [work("g1"), work("g2")])
    return tmp_path / "s"


@pytest.mark.parametrize("status,due,as_of,late,days", [
    ("todo", "2027-04-01", D(2027, 4, 2), True, 1),      # open, one day past due
    ("doing", "2027-04-01", D(2027, 5, 1), True, 30),    # 30 days in April
    ("todo", "2027-04-01", D(2027, 4, 1), False, 0),     # due today: not yet overdue
    ("done", "2027-04-01", D(2027, 5, 1), False, 0),     # done: never overdue
    ("dropped", "2027-04-01", D(2027, 5, 1), False, 0),  # dropped: never overdue
    ("todo", "", D(2030, 1, 1), False, 0),               # no due date: never overdue
])
def test_overdue_rule(status, due, as_of, late, days):
    item = ActionItem(title="x", status=status, due=due)
    assert actions.is_overdue(item, as_of) is late
    assert actions.days_overdue(item, as_of) == days


@pytest.mark.parametrize("text,iso", [
    ("2027/4/1", "2027-04-01"), ("２０２７／４／１", "2027-04-01"),
    ("2027年4月1日", "2027-04-01"), ("令和9年4月1日", "2027-04-01"), ("R9.4.1", "2027-04-01"),
    ("平成31年4月30日", "2019-04-30"), ("令和元年5月1日", "2019-05-01"),
    (46478, "2027-04-01"),                  # Excel serial: 1899-12-30 + 46,478 days
    ("2027-04-01T00:00:00", "2027-04-01"),  # an Excel date cell as the sheet reader gives it
    (dt.date(2027, 4, 1), "2027-04-01"),
])
def test_dates_as_sheets_write_them(text, iso):
    assert to_iso_date(text) == iso


@pytest.mark.parametrize("text", ["来年", "2027/2/30", "4/1", "3.5"])
def test_bad_dates_are_refused(text):
    with pytest.raises(InputError) as err:
        ActionItem.parse({"title": "x", "due": text})
    assert text in err.value.message_ja and "期限" in err.value.message_ja


def test_sheet_round_trip(tmp_path):
    src = tmp_path / "a.csv"
    src.write_text("対応,担当,期限,状況,手順\n様式の見直し,佐藤,2027/4/1,進行中,受付\n"
                   "RPA,鈴木,令和9年6月1日,,2; 受付\n", encoding="cp932")
    w = work()
    items = read_actions(src, w)
    assert [(i.title, i.owner, i.due, i.status.value, i.steps) for i in items] == [
        ("様式の見直し", "佐藤", "2027-04-01", "doing", ["a"]),
        ("RPA", "鈴木", "2027-06-01", "todo", ["b", "a"])]
    w = w.model_copy(update={"actions": items})
    for name in ("out.xlsx", "out.csv"):
        write_actions(w, tmp_path / name, lang="en")
        again = read_actions(tmp_path / name, w)
        assert [i.model_dump(exclude={"id"}) for i in again] == \
            [i.model_dump(exclude={"id"}) for i in items]
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    assert [c.value for c in sheet[1]][:4] == ["action", "owner", "due", "status"]


def test_import_refuses_the_whole_file(session, tmp_path, capsys):
    before = store.path("work", session, "g1").read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text("action,owner,due,status,steps\nok,a,2027-04-01,todo,\n"
                   "x,b,2027-05-01,todo,決裁\n", encoding="utf-8")
    assert main(["actions", "import", str(session), "g1", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "3行目" in err and "決裁" in err and err.count("\n") == 1
    bad.write_text("対応,状況\nx,保留\n", encoding="utf-8")
    assert main(["actions", "import", str(session), "g1", str(bad)]) == 2
    assert "保留" in capsys.readouterr().err
    assert store.path("work", session, "g1").read_bytes() == before


def test_cli_lists_every_group_with_overdue(session, tmp_path, capsys):
    sheet = tmp_path / "g2.csv"
    sheet.write_text("対応,担当,期限,状況\n窓口の案内,山田,2027/3/1,未着手\n"
                     "様式,田中,2027/3/1,完了\n電子申請,林,2027/12/1,進行中\n",
                     encoding="utf-8")
    assert main(["actions", "import", str(session), "g2", str(sheet)]) == 0
    capsys.readouterr()
    assert main(["actions", str(session), "--as-of", "2027/4/1", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["group"], r["action"], r["owner"], r["due"], r["overdue"]) for r in rows] == [
        ("g2", "窓口の案内", "山田", "2027-03-01", True),     # open, 31 days past due
        ("g2", "様式", "田中", "2027-03-01", False),           # done
        ("g2", "電子申請", "林", "2027-12-01", False)]          # not yet due
    assert rows[0]["days_overdue"] == 31
    assert main(["actions", str(session), "--as-of", "来月"]) == 2
    assert main(["actions", "import", str(session), "g2"]) == 2


def test_no_chromium_is_a_clear_message(monkeypatch):
    from kit.exceptions import RenderError
    from kit.render import pdf

    monkeypatch.setattr(pdf, "DEBIAN", "/nonexistent/chromium")
    monkeypatch.delenv("KIT_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(RenderError) as err:
        pdf.find_chromium()
    assert "apt-get install chromium" in str(err.value) and "KIT_CHROMIUM" in str(err.value)
