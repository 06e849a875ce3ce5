"""Steps sheets as clerks make them: a title merged over row 1, section and date
on row 2, a blank row, the header on row 4, 担当 merged down, a 合計 row with =SUM formulas
whose values Excel saved, a note row, an extra 備考 column; misspelled headers; every problem
of a file in one report; contradictions warned; nothing saved unless the file is accepted."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kit.cli import main
from kit.domain.checks import step_warnings
from kit.domain.model import Actor, Assumptions, GroupWork, Step
from kit.domain.money import impact
from kit.exceptions import InputError, ProblemsError
from kit.io import store
from kit.io.groups import read_groups
from kit.io.steps import read_steps, read_steps_report

HEADER = ["手順", "担当", "手段", "所要時間(分)", "区分", "見直し", "見直し後(分)", "備考"]
# 7 steps; 担当 of rows 6-8 is one cell merged down (B6:B8 = 窓口)
STEPS = [
    ["申請書を記入する", "住民", "紙", 10, "必要", None, None, "記入例を見ながら"],
    ["申請書を受け付ける", "窓口", "窓口", 5, "必要", None, None, None],
    ["本人確認をする", None, "窓口", 3, "必要", None, None, None],
    ["住民票を入力する", None, "システム", 8, "必要", None, None, None],
    ["内容を審査する", "担当", "紙", 6, "付加価値", "自動化", 2, None],
    ["決裁する", "管理職", "紙", 2, "ムダ", None, None, None],
    ["交付する", "窓口", "窓口", 4, "必要", None, None, None],
]
TOTAL_MINUTES = 10 + 5 + 3 + 8 + 6 + 2 + 4          # 38, saved by Excel in D12


def set_cached(path: Path, values: dict[str, object], sheet_no: int = 1) -> Path:
    """Write the values Excel would have saved for formula cells (openpyxl saves none)."""
    part = f"xl/worksheets/sheet{sheet_no}.xml"
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts[part].decode()
    for coordinate, value in values.items():
        xml, n = re.subn(rf'(<c r="{coordinate}"[^>]*>)(<f>[^<]*</f>)<v\s*/>',
                         rf"\g<1>\g<2><v>{value}</v>", xml)
        assert n == 1, coordinate
    parts[part] = xml.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def clerk_sheet(path: Path, header=HEADER, steps=STEPS, *, cached=True, cover=False,
                title="転入届 業務フロー（現状）") -> Path:
    """The clerk-made layout, as Excel saves it (formula results included when cached)."""
    book = openpyxl.Workbook()
    if cover:
        book.active.title = "表紙"
        book.active["A1"] = "業務改革ワークショップ 資料"
        sheet = book.create_sheet("業務フロー")
    else:
        sheet = book.active
        sheet.title = "業務フロー"
    last = openpyxl.utils.get_column_letter(len(header))
    sheet["A1"] = title
    sheet.merge_cells(f"A1:{last}1")
    sheet["A2"], sheet["D2"] = "市民課 窓口係", "作成日 2024年4月1日"
    for c, text in enumerate(header, start=1):
        sheet.cell(row=4, column=c, value=text)
    for r, row in enumerate(steps, start=5):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=r, column=c, value=value)
    sheet.merge_cells("B6:B8")
    end = 4 + len(steps)
    total = end + 1
    sheet.cell(row=total, column=1, value="合計")
    sheet.merge_cells(f"A{total}:C{total}")
    sheet.cell(row=total, column=4, value=f"=SUM(D5:D{end})")
    sheet.cell(row=total + 1, column=1, value="※ 所要時間は1件あたりの平均（分）")
    book.save(path)
    if cached:
        set_cached(path, {f"D{total}": TOTAL_MINUTES}, sheet_no=2 if cover else 1)
    return path


@pytest.fixture
def room(demo_session, tmp_path):
    shutil.copytree(demo_session, tmp_path / "s")
    return tmp_path


def test_clerk_sheet_reads_seven_steps_and_skips_the_total(tmp_path):
    found = read_steps_report(clerk_sheet(tmp_path / "flow.xlsx"))
    assert [s.name for s in found.steps] == [row[0] for row in STEPS]       # 7, not 8
    assert found.table.header_row == 4 and found.table.sheet == "業務フロー"
    assert found.rows == [5, 6, 7, 8, 9, 10, 11]
    assert found.table.skipped == [(12, "合計"), (13, "※ 所要時間は1件あたりの平均（分）")]
    # 担当 merged over B6:B8 belongs to each of the three rows
    assert [s.actor for s in found.steps[1:4]] == [Actor.counter] * 3
    notes = " ".join(ja for ja, _ in found.notes)
    assert "12行目（合計）" in notes and "列「備考」は使いません" in notes
    # As-Is staff minutes 5+3+8+6+2+4 = 28 (住民 10 is the resident's time):
    # 12,000 cases × 28 / 60 = 5,600 h; saved 12,000 × (6 − 2) / 60 = 800 h
    work = GroupWork(group_id="g01", theme="転入届", annual_cases=12000, steps=found.steps)
    m = impact.compute(work, Assumptions())
    assert m.hours_asis == pytest.approx(5600)
    assert m.hours_saved == pytest.approx(800)


def test_first_sheet_with_the_headers_and_sheet_by_name(tmp_path):
    path = clerk_sheet(tmp_path / "book.xlsx", cover=True)
    assert len(read_steps(path)) == 7                    # the cover sheet has no headers
    assert len(read_steps(path, sheet="業務フロー")) == 7
    with pytest.raises(InputError) as info:
        read_steps(path, sheet="手順")
    assert "手順" in info.value.message_ja and "表紙, 業務フロー" in info.value.message_en


def test_total_formula_without_saved_value_is_skipped_but_a_data_formula_is_refused(tmp_path):
    assert len(read_steps(clerk_sheet(tmp_path / "a.xlsx", cached=False))) == 7
    steps = [row[:] for row in STEPS]
    steps[4][3] = "=3+3"                                 # D9, never calculated
    with pytest.raises(InputError) as info:
        read_steps(clerk_sheet(tmp_path / "b.xlsx", steps=steps))
    assert "業務フロー!D9" in info.value.message_ja and "formula" in info.value.message_en


@pytest.mark.parametrize("typo, meant", [("所用時間(分)", "所要時間(分)"),
                                         ("時間(分)", "所要時間(分)"), ("担当者", "担当")])
def test_a_header_close_to_a_known_one_is_refused_naming_it(tmp_path, typo, meant):
    header = [typo if h == meant else h for h in HEADER]
    with pytest.raises(InputError) as info:
        read_steps(clerk_sheet(tmp_path / "t.xlsx", header=header))
    err = info.value
    assert f"列「{typo}」" in err.message_ja and f"「{meant}」" in err.message_ja
    assert f"'{typo}'" in err.message_en and "misspelling" in err.message_en


def test_every_problem_of_the_file_in_one_report(room, capsys):
    steps = [row[:] for row in STEPS]
    steps[2][3] = -3                  # row 7
    steps[5][1] = "課長さん"           # row 10
    header = ["所用時間(分)" if h == "所要時間(分)" else h for h in HEADER]
    path = clerk_sheet(room / "bad.xlsx", header=header, steps=steps)
    with pytest.raises(ProblemsError) as info:
        read_steps(path)
    err = info.value
    assert len(err.problems) == 2     # the misspelled header, and 課長さん (minutes unread)
    steps[2][3] = -3
    path = clerk_sheet(room / "bad2.xlsx", steps=steps)
    with pytest.raises(ProblemsError) as info:
        read_steps(path)
    assert [p[0][:4] for p in info.value.problems] == ["7行目:", "10行目"]
    before = (room / "s/groups/g01/work.json").read_bytes()
    assert main(["steps", "import", str(room / "s"), "g01", str(path)]) == 2
    err_text = capsys.readouterr().err
    assert "問題が2件" in err_text and "2 problems" in err_text
    assert "7行目" in err_text and "-3" in err_text and "row 10" in err_text
    assert "課長さん" in err_text and "Traceback" not in err_text
    assert (room / "s/groups/g01/work.json").read_bytes() == before


def test_kit_steps_import_says_what_it_skipped(room, capsys):
    path = clerk_sheet(room / "flow.xlsx")
    assert main(["steps", "import", str(room / "s"), "g01", str(path)]) == 0
    out = capsys.readouterr().out
    assert "7件の手順を取り込みました" in out
    assert "12行目（合計）は合計・注記の行として読み飛ばしました" in out
    assert "列「備考」は使いません" in out
    assert len(store.load_work(room / "s", "g01").steps) == 7


def test_contradictions_are_warned_in_the_import(room, capsys):
    steps = [row[:] for row in STEPS]
    steps[1][5:7] = ["維持", 4]          # row 6: keep, but 5 -> 4
    steps[5][5:7] = ["排除", 2]          # row 10: eliminated, but 2 minutes after
    steps[6][5:7] = ["簡素化", 6]        # row 11: 4 -> 6 without a reason
    path = clerk_sheet(room / "c.xlsx", steps=steps)
    found = read_steps_report(path)
    assert [(w.kind, found.rows[w.index]) for w in found.warnings] == [
        ("keep_changed", 6), ("eliminate_minutes", 10), ("longer_without_reason", 11)]
    assert main(["steps", "import", str(room / "s"), "g01", str(path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "row 6: '申請書を受け付ける' is set to keep" in out
    assert "row 10: '決裁する' is eliminated" in out and "row 11" in out


def test_step_warnings_rules():
    keep_same = Step(name="a", minutes=5, minutes_after=5)
    keep_diff = Step(name="b", minutes=5, minutes_after=4)
    longer_with_reason = Step(name="c", minutes=4, action="simplify", minutes_after=6,
                              pain="二重確認を加えるため")
    eliminated = Step(name="d", minutes=4, action="eliminate", minutes_after=0)
    new = Step(name="e", is_new=True, minutes_after=9)
    assert step_warnings([keep_same, longer_with_reason, eliminated, new]) == []
    (w,) = step_warnings([keep_same, keep_diff])
    assert w.kind == "keep_changed" and w.index == 1
    assert w.text("ja").startswith("手順2:")


def test_groups_list_with_title_rows_and_case_insensitive_ids(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "ワークショップ グループ一覧"
    sheet.merge_cells("A1:D1")
    sheet.append([])
    sheet.append(["グループID", "テーマ", "年間件数", "メンバー", "備考"])
    sheet.append(["g01", "転入届", 1200, "山田、佐藤", "午前"])
    sheet.append(["G01", "児童手当", 800, "田中", ""])
    sheet.append(["g02", "転出届", "-5", "鈴木", ""])
    book.save(tmp_path / "groups.xlsx")
    with pytest.raises(ProblemsError) as info:
        read_groups(tmp_path / "groups.xlsx")
    ja = info.value.message_ja
    assert "5行目" in ja and "「G01」は「g01」と大文字・小文字だけが違います" in ja
    assert "6行目" in ja and "-5" in ja
    sheet.delete_rows(5, 2)
    book.save(tmp_path / "ok.xlsx")
    (group,) = read_groups(tmp_path / "ok.xlsx")
    assert group["members"] == ["山田", "佐藤"] and group["annual_cases"] == 1200


def test_editors_show_contradictions_and_to_dos(room):
    from kit.widgets.as_is import AsIsEditor
    from kit.widgets.to_be import ToBeEditor

    s = room / "s"
    work = store.load_work(s, "g01")
    store.save_work(s, work.model_copy(update={"annual_cases": 0}))
    as_is = AsIsEditor(s, "g01", "ja", debounce_s=None)
    assert "年間件数が未入力" in as_is.todos.value
    ed = ToBeEditor(s, "g01", "ja", debounce_s=None)
    row = next(r for r in ed.rows if not r.is_new)
    row.action.value = "eliminate"
    row.minutes_after.value = "2"
    assert "「排除」なのに、見直し後(分)が2分です" in ed.warnings.value
