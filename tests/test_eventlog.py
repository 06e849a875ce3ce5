"""``kit log import``: a generated log with known medians, rows shuffled, CP932 and Excel."""

import csv
import datetime as dt
import random

import openpyxl
import pandas as pd
import pytest

from kit.cli import main
from kit.domain.frontyard import eventlog
from kit.domain.model import GroupWork, Step
from kit.io import store

RECEPTION = "受付・本人確認"
FEE = "手数料の収納（現金）と証明書の交付"
TICKET = "番号札発券"          # no step of g04 has this name
# case: (ticket time, wait before reception, reception minutes, fee minutes)
CASES = {"c1": ("2026/04/01 09:00:00", 1, 2, 1), "c2": ("2026/04/01 09:10:00", 3, 4, 1),
         "c3": ("2026/04/01 10:05:00", 5, 6, 2), "c4": ("2026/04/02 09:30:00", 7, 8, 2),
         "c5": ("2026/04/02 14:00:00", 9, 10, 3)}
HEADER = ["受付番号", "業務", "開始日時", "終了日時"]
ROLES = dict(zip(("case", "activity", "start", "end"), HEADER, strict=True))


def _fmt(t: dt.datetime) -> str:
    return t.strftime("%Y/%m/%d %H:%M:%S")


def log_rows(seed: int = 3) -> list[list[str]]:
    rows = []
    for case, (ticket, wait, reception, fee) in CASES.items():
        t0 = dt.datetime.strptime(ticket, "%Y/%m/%d %H:%M:%S")
        t1 = t0 + dt.timedelta(minutes=wait)
        t2 = t1 + dt.timedelta(minutes=reception)
        t3 = t2 + dt.timedelta(minutes=fee)
        rows += [[case, TICKET, _fmt(t0), _fmt(t0)], [case, RECEPTION, _fmt(t1), _fmt(t2)],
                 [case, FEE, _fmt(t2), _fmt(t3)]]
    random.Random(seed).shuffle(rows)            # rows in any order
    return rows


def write_csv(path, rows, encoding="cp932"):
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    return path


def _import(session, path, *extra):
    return main(["log", "import", str(session), "g04", str(path), "--case", "受付番号",
                 "--activity", "業務", "--start", "開始日時", "--end", "終了日時", *extra])


def test_log_import_sets_medians_arrivals_and_measured_figures(demo_copy, tmp_path, capsys):
    path = write_csv(tmp_path / "log.csv", log_rows())
    assert _import(demo_copy, path) == 0
    out = capsys.readouterr().out
    assert TICKET in out.split("手順と一致しなかった作業")[1]     # listed as unmatched
    work = store.load_work(demo_copy, "g04")
    minutes = {s.name: s.minutes for s in work.steps}
    assert minutes[RECEPTION] == pytest.approx(6)     # median of 2, 4, 6, 8, 10
    assert minutes[FEE] == pytest.approx(2)           # median of 1, 1, 2, 2, 3
    profile = work.counter
    # April: c1, c2, c4 arrive in hour 9, c3 in hour 10, c5 in hour 14; 2 open days
    assert profile.log_arrivals[3][9] == pytest.approx(1.5)
    assert profile.log_arrivals[3][10] == pytest.approx(0.5)
    assert profile.log_arrivals[3][14] == pytest.approx(0.5)
    assert sum(map(sum, profile.log_arrivals)) == pytest.approx(2.5)   # 5 cases / 2 days
    assert profile.open_days_per_month == 2          # 2 days with arrivals in 1 month
    m = profile.measured["asis"]
    assert m.cases == 5
    assert m.mean_wait_minutes == pytest.approx(5)              # (1+3+5+7+9)/5
    # stay = wait + reception + fee: 4, 8, 13, 17, 22 → 64/5
    assert m.time_in_office_minutes == pytest.approx(12.8)
    assert m.service_minutes == pytest.approx(7.8)              # (3+5+8+10+13)/5
    assert m.visitors_per_year == pytest.approx(5 * 365.25 / 2)  # 2 days covered


def _summary():
    frame = pd.DataFrame(log_rows(), columns=HEADER, index=range(2, 17))   # header = row 1
    return eventlog.analyse(frame, ROLES)


def test_log_statistics_by_hand():
    s = _summary()
    r = s.activities.loc[RECEPTION]
    # 2, 4, 6, 8, 10: P10 at position 0.4 → 2 + 0.4·2 = 2.8; P90 at 3.6 → 8 + 0.6·2 = 9.2
    assert (r["count"], r["p10"], r["median"], r["p90"]) == pytest.approx((5, 2.8, 6, 9.2))
    w = s.waits.loc[(TICKET, RECEPTION)]
    assert (w["count"], w["median"], w["p90"]) == pytest.approx((5, 5, 8.2))
    assert s.waits.loc[(RECEPTION, FEE), "median"] == 0
    assert s.first_day == "2026-04-01" and s.last_day == "2026-04-02"


def test_unchanged_step_gets_the_measured_range():
    work = GroupWork(group_id="g", theme="t", steps=[
        Step(name=RECEPTION, actor="counter", channel="counter", minutes=3),
        Step(name=FEE, actor="counter", channel="counter", minutes=1, action="eliminate")])
    s = _summary()
    new = eventlog.apply(work, s, "log.csv", "asis")
    kept, gone = new.steps
    assert (kept.minutes, kept.minutes_after_low, kept.minutes_after_high) == \
        pytest.approx((6, 2.8, 9.2))                 # To-Be = As-Is: its range is P10–P90
    assert gone.minutes == 2 and gone.minutes_after_low is None


def test_log_import_as_actuals_records_follow_up(demo_copy, tmp_path):
    path = write_csv(tmp_path / "log.csv", log_rows(), encoding="utf-8")
    assert _import(demo_copy, path, "--as", "actuals") == 0
    work = store.load_work(demo_copy, "g04")
    ids = {s.name: s.id for s in work.steps}
    assert work.actuals.minutes[ids[RECEPTION]] == pytest.approx(6)
    assert work.actuals.measured_on == "2026-04-02"
    assert {s.name: s.minutes for s in work.steps}[RECEPTION] == 2     # As-Is untouched
    assert work.counter.measured["actuals"].mean_wait_minutes == pytest.approx(5)


def test_log_import_from_excel(demo_copy, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in log_rows():
        sheet.append([row[0], row[1], dt.datetime.strptime(row[2], "%Y/%m/%d %H:%M:%S"),
                      dt.datetime.strptime(row[3], "%Y/%m/%d %H:%M:%S")])
    book.save(tmp_path / "log.xlsx")
    assert _import(demo_copy, tmp_path / "log.xlsx") == 0
    work = store.load_work(demo_copy, "g04")
    assert {s.name: s.minutes for s in work.steps}[RECEPTION] == pytest.approx(6)


@pytest.mark.parametrize("change, message", [
    (lambda rows: rows[4].__setitem__(2, "2026/13/45 25:00:00"), "日時を読めません"),
    (lambda rows: rows[4].__setitem__(3, "2020/01/01 00:00:00"), "終了日時が開始日時より前"),
])
def test_bad_rows_are_named_and_nothing_is_saved(demo_copy, tmp_path, capsys, change, message):
    rows = log_rows()
    change(rows)
    before = store.load_work(demo_copy, "g04").revision
    assert _import(demo_copy, write_csv(tmp_path / "log.csv", rows)) == 2
    err = capsys.readouterr().err
    assert message in err and "6行目" in err and err.count("\n") == 1   # header = row 1
    assert store.load_work(demo_copy, "g04").revision == before


def test_missing_column_is_named(demo_copy, tmp_path, capsys):
    path = write_csv(tmp_path / "log.csv", log_rows())
    assert main(["log", "import", str(demo_copy), "g04", str(path), "--case", "番号",
                 "--activity", "業務", "--start", "開始日時", "--end", "終了日時"]) == 2
    err = capsys.readouterr().err
    assert "番号" in err and "受付番号" in err
