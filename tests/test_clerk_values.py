"""Values as clerks type them: time cells, 1時間半, 10〜15, 約8, role names (docs/inputs.md).

Real .xlsx files are built with openpyxl the way a city hall makes them (a title row, a
two-line header, h:mm time cells, a 小計 row) and imported with ``kit steps import``.
"""

import datetime as dt
import json

import openpyxl
import pytest

from kit.cli import main
from kit.domain.values import one_line, read_range, to_minutes, to_number
from kit.io import store

HEADER = ["手順", "担当", "所要時間\n（分）", "対象割合", "見直し", "見直し後\n（分）"]


def _sheet(path, rows, header=HEADER):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "業務フロー"
    sheet.append(["住民票の写しの交付　業務フロー（令和6年度）"])
    sheet.append(["市民課", None, "作成日", dt.date(2024, 5, 1)])
    sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, dt.time):
                cell.number_format = "h:mm"
            elif isinstance(cell.value, dt.timedelta):
                cell.number_format = "[h]:mm"
    book.save(path)
    return path


@pytest.fixture
def group(demo_copy):
    work = store.load_work(demo_copy, "g01")
    store.save_work(demo_copy, work.model_copy(update={"annual_cases": 1200, "uptake": 0}))
    return demo_copy


def _import(session, file, capsys, *extra):
    code = main(["steps", "import", str(session), "g01", str(file), *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_clerks_sheet_gives_the_hand_computed_hours(group, tmp_path, capsys):
    file = _sheet(tmp_path / "flow.xlsx", [
        ["受付", "窓口職員", dt.time(0, 10), None, "簡素化", 5],
        ["審査", "係員", "1時間半", None, "自動化", "10〜15"],
        ["決裁", "係長", "約8", "50%", None, None],
        ["小計", None, "=SUM(C5:C7)", None, None, None],
        ["入力", "職　員", "10-15", None, None, None],
        ["郵送", "担当者", "8分くらい", None, "排除", None],
    ])
    code, out, err = _import(group, file, capsys)
    assert code == 0, err
    work = store.load_work(group, "g01")
    steps = {s.name: s for s in work.steps}
    assert [s.actor.value for s in work.steps] == [
        "counter", "back_office", "approver", "back_office", "back_office"]
    assert steps["受付"].minutes == 10 and steps["審査"].minutes == 90
    assert steps["決裁"].minutes == 8 and steps["決裁"].share == 0.5
    assert steps["入力"].minutes == 12.5 and steps["郵送"].minutes == 8
    assert (steps["審査"].minutes_after, steps["審査"].minutes_after_low,
            steps["審査"].minutes_after_high) == (12.5, 10, 15)
    # by hand: 1200 cases × (10 + 90 + 8×0.5 + 12.5 + 8) min / 60 = 2490 h As-Is;
    # To-Be 1200 × (5 + 12.5 + 4 + 12.5 + 0) / 60 = 680 h
    assert main(["impact", str(group), "g01", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["hours_asis"] == pytest.approx(2490)
    assert figures["hours_tobe"] == pytest.approx(680)
    # every reading listed: row, column on one line, as written → as read
    for line in ("5行目「所要時間(分)」: 「0:10」→ 10分",
                 "6行目「所要時間(分)」: 「1時間半」→ 90分",
                 "6行目「見直し後(分)」: 「10〜15」→ 10〜15",
                 "7行目「所要時間(分)」: 「約8」→ 8",
                 "9行目「所要時間(分)」: 「10-15」→ 12.5（範囲を中央の値に",
                 "10行目「所要時間(分)」: 「8分くらい」→ 8",
                 "8行目（小計）は合計・注記の行として読み飛ばしました"):
        assert line in out, (line, out)
    assert "係長 → 管理職（7行目）" in out and "窓口職員 → 窓口（5行目）" in out
    assert "roles.yaml" in out
    assert "所要時間\n" not in out and "確認してください" not in out


def test_the_output_in_english(group, tmp_path, capsys):
    file = _sheet(tmp_path / "flow.xlsx", [["受付", "窓口職員", dt.time(1, 30), None, None, None]])
    code, out, _ = _import(group, file, capsys, "--lang", "en")
    assert code == 0
    assert "row 5, '所要時間(分)': '1:30' → 90 min" in out
    assert "窓口職員 → counter (row 5)" in out


def test_a_ten_oclock_cell_is_600_minutes_and_warned(group, tmp_path, capsys):
    file = _sheet(tmp_path / "flow.xlsx", [
        ["受付", "窓口", dt.time(10, 0), None, None, None],
        ["長い審査", "担当", dt.timedelta(hours=25, minutes=30), None, None, None],
        ["普通", "担当", 240, None, None, None],
    ])
    code, out, err = _import(group, file, capsys)
    assert code == 0, err
    minutes = [s.minutes for s in store.load_work(group, "g01").steps]
    assert minutes == [600, 1530, 240]
    assert "5行目「所要時間(分)」: 600分（10時間）は1件で4時間を超えています。確認してください" in out
    assert "6行目「所要時間(分)」: 1,530分" in out
    assert "7行目" not in out                        # 240 minutes is not over 4 hours


def test_an_unknown_role_is_refused_naming_the_table(group, tmp_path, capsys):
    before = store.load_work(group, "g01")
    file = _sheet(tmp_path / "flow.xlsx", [
        ["受付", "窓口職員", 10, None, None, None],
        ["審査", "主査", 20, None, None, None],
        ["決裁", "係長補佐代理", 5, None, None, None],
    ])
    code, _, err = _import(group, file, capsys)
    assert code == 2
    assert "6行目" in err and "主査" in err and "7行目" in err and "係長補佐代理" in err
    assert "roles.yaml" in err and "session.yaml の roles:" in err
    assert "住民/窓口/担当/管理職" in err
    assert store.load_work(group, "g01").revision == before.revision     # nothing saved


def test_a_role_is_matched_on_the_whole_cell_never_a_substring(group, tmp_path, capsys):
    file = _sheet(tmp_path / "flow.xlsx", [["審査", "係長代理の職員", 20, None, None, None]])
    code, _, err = _import(group, file, capsys)
    assert code == 2 and "係長代理の職員" in err


def test_the_session_adds_role_names(group, tmp_path, capsys):
    session = store.load_session(group)
    store.save_session(group, session.model_copy(update={"roles": {"主査": "担当",
                                                                   "ＢＰＯ": "external"}}))
    file = _sheet(tmp_path / "flow.xlsx", [["審査", "主 査", 20, None, None, None],
                                           ["入力", "bpo", 5, None, None, None]])
    code, out, err = _import(group, file, capsys)
    assert code == 0, err
    assert [s.actor.value for s in store.load_work(group, "g01").steps] == [
        "back_office", "external"]
    assert "session.yaml の roles:" in out


@pytest.mark.parametrize("text, minutes", [
    ("0:10", 10), ("1:30", 90), ("10:00", 600), ("00:10:00", 10), ("1時間", 60),
    ("1時間半", 90), ("1時間30分", 90), ("１時間３０分", 90), ("1.5時間", 90), ("10〜15", 12.5),
    ("10-15", 12.5), ("10～15", 12.5), ("10分〜15分", 12.5), ("約8", 8), ("8程度", 8),
    ("8分くらい", 8), ("およそ８分", 8), ("15分", 15), ("1,200", 1200)])
def test_minutes_as_typed(text, minutes):
    assert to_minutes(text) == minutes


@pytest.mark.parametrize("text, value", [
    ("-5", -5.0), ("ー3", -3.0), ("50%", 0.5), ("10-20%", 0.15), ("約8", 8.0),
    ("2024-05-01", "2024-05-01"), ("2024-05", "2024-05"), ("15-10", "15-10"),
    ("1時間半", "1時間半"), ("abc", "abc")])
def test_numbers_keep_negatives_dates_and_shares(text, value):
    assert to_number(text) == value
    assert read_range("-5") is None and read_range("2024-05-01") is None


def test_headers_print_on_one_line():
    assert one_line("所要時間\n（分）") == "所要時間（分）"
    assert one_line("Minutes\nper case") == "Minutes per case"


def test_history_says_what_changed_and_restore_answers_in_the_readers_language(
        demo_copy, capsys, monkeypatch):
    work = store.load_work(demo_copy, "g02")
    steps = list(work.steps)
    steps[2] = steps[2].model_copy(update={"minutes": steps[2].minutes + 1})
    store.save_work(demo_copy, work.model_copy(update={"steps": steps,
                                                       "annual_cases": work.annual_cases + 1}))
    assert main(["history", str(demo_copy), "g02"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("（最初の版）")
    assert out[-1].endswith("手順3 所要時間(分)、年間件数")
    monkeypatch.setenv("KIT_LANG", "en")
    assert main(["history", str(demo_copy), "g02"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith("step 3 minutes, annual cases")
    assert main(["restore", str(demo_copy), "g02", "1"]) == 0
    assert "version 1 restored as revision" in capsys.readouterr().out
    assert main(["restore", str(demo_copy), "g02", "1", "--lang", "ja"]) == 0
    assert "版 1 を戻し" in capsys.readouterr().out


def test_history_of_an_unknown_group_is_refused(demo_copy, capsys):
    assert main(["history", str(demo_copy), "nosuch"]) == 2
    assert "nosuch" in capsys.readouterr().err
