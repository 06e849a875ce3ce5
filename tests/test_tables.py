"""Reading and writing step sheets and group lists (kit.io.sheets)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit import i18n
from kit.domain.model import Action, Actor, Channel, Phase, Step, ValueClass
from kit.exceptions import InputError
from kit.io.groups import read_groups
from kit.io.sheets import read_table
from kit.io.steps import read_steps, write_steps, write_steps_template

ROOT = Path(__file__).resolve().parents[1]

JA_SHEET = """手順,担当,手段,所要時間(分),対象割合,待ち日数,区分,見直し,見直し後(分),段階,オンライン依存,課題
申請書を受け付ける,窓口,窓口,１５,1,0,必要,簡素化,5,すぐできる,いいえ,記入漏れが多い
内容を審査する,担当,紙,30分,20%,2,付加価値,自動化,,全体見直し,はい,
決裁する,管理職,システム,"1,200",,,ムダ,排除,,,,
"""

EN_SHEET = """step,actor,channel,minutes,share,wait_days,value,action,minutes_after,phase,uptake_dependent,pain
申請書を受け付ける,counter,counter,15,1,0,necessary,simplify,5,quick win,no,記入漏れが多い
内容を審査する,back office,paper,30 min,0.2,2 days,value-adding,automate,,workflow redesign,yes,
決裁する,approver,system,1200,,,waste,eliminate,,,,
"""


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _dump(steps: list[Step]) -> list[dict]:
    return [step.model_dump(exclude={"id"}) for step in steps]


def _error(path: Path, reader=read_steps) -> InputError:
    with pytest.raises(InputError) as info:
        reader(path)
    return info.value


def _xlsx(path: Path, rows: list[list], merge: str | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    book.save(path)
    return path


def _full_steps() -> list[Step]:
    return [
        Step(name="申請書を受け付ける", actor="counter", channel="counter", minutes=15,
             value="necessary", action="simplify", minutes_after=7.5, pain="記入漏れ, 多い"),
        Step(name="=HYPERLINK(\"http://x\")", actor="resident", channel="online", minutes=0.1,
             share=0.2, wait_days=3, value="value_adding", action="automate",
             share_after=0.05, wait_days_after=1, phase="redesign", uptake_dependent=True,
             pain="-改行\nあり"),
        Step(name="#N/A", actor="external", channel="mail", action="eliminate", is_new=True),
        Step(name="承認", actor="approver", channel="system", value="waste",
             action="rearrange", minutes=1200),
    ]


# --- encodings, headers, numbers ----------------------------------------------------------
def test_utf8_bom_and_cp932_load_identically(tmp_path):
    plain = read_steps(_write(tmp_path / "a.csv", JA_SHEET, "utf-8"))
    bom = read_steps(_write(tmp_path / "b.csv", JA_SHEET, "utf-8-sig"))
    sjis = read_steps(_write(tmp_path / "c.csv", JA_SHEET, "cp932"))
    assert _dump(plain) == _dump(bom) == _dump(sjis)
    assert len(plain) == 3
    assert read_table(tmp_path / "b.csv").columns[0] == "手順"    # BOM not in the header


def test_japanese_and_english_headers_give_the_same_steps(tmp_path):
    ja = read_steps(_write(tmp_path / "ja.csv", JA_SHEET))
    en = read_steps(_write(tmp_path / "en.csv", EN_SHEET))
    assert _dump(ja) == _dump(en)


def test_values_read_as_the_model_reads_them(tmp_path):
    first, second, third = read_steps(_write(tmp_path / "a.csv", JA_SHEET))
    assert first.minutes == 15 and first.actor is Actor.counter
    assert first.channel is Channel.counter and first.action is Action.simplify
    assert first.minutes_after == 5 and first.uptake_dependent is False
    assert second.minutes == 30 and second.share == pytest.approx(0.2)
    assert second.wait_days == 2 and second.value is ValueClass.value_adding
    assert second.phase is Phase.redesign and second.uptake_dependent is True
    assert second.minutes_after is None and second.minutes_tobe == 30
    assert third.minutes == 1200 and third.action is Action.eliminate
    assert third.share == 1 and third.wait_days == 0 and third.minutes_tobe == 0


def test_full_width_header_and_mixed_languages(tmp_path):
    text = "手順 ,actor,所要時間（分）, Share \n受付,住民,１５分,２０％\n"
    (step,) = read_steps(_write(tmp_path / "a.csv", text))
    assert step.actor is Actor.resident and step.minutes == 15
    assert step.share == pytest.approx(0.2)


def test_blank_rows_are_ignored_and_rows_keep_their_numbers(tmp_path):
    text = JA_SHEET + ",,,,\n , ,\n\n"
    assert len(read_steps(_write(tmp_path / "a.csv", text))) == 3
    frame = read_table(tmp_path / "a.csv")
    assert list(frame.index) == [2, 3, 4]
    gap = "手順,所要時間(分)\n受付,5\n,\n審査,-3\n,\n"
    err = _error(_write(tmp_path / "b.csv", gap))
    assert err.row == 4                       # the blank row 3 still counts
    xlsx = _xlsx(tmp_path / "c.xlsx", [["手順", "所要時間(分)"], ["受付", 5], [None, None],
                                       ["審査", 10], [None, None], [" ", None]])
    assert [s.minutes for s in read_steps(xlsx)] == [5, 10]
    assert list(read_table(xlsx).index) == [2, 4]


def test_script_text_is_kept_verbatim(tmp_path):
    text = "手順,課題\n<script>alert(1)</script>,\"<b>&amp;</b>\"\n"
    (step,) = read_steps(_write(tmp_path / "a.csv", text))
    assert step.name == "<script>alert(1)</script>"
    assert step.pain == "<b>&amp;</b>"


def test_unknown_columns_are_ignored(tmp_path):
    text = "No.,手順,備考,所要時間(分)\n1,受付,メモ,5\n"
    (step,) = read_steps(_write(tmp_path / "a.csv", text))
    assert step.name == "受付" and step.minutes == 5


# --- errors naming row, column and value --------------------------------------------------
def test_negative_minutes_names_row_column_and_value(tmp_path):
    text = "手順,所要時間(分)\n受付,5\n審査,-15\n"
    err = _error(_write(tmp_path / "a.csv", text))
    assert err.row == 3 and err.field == "minutes"
    for message in (err.message_ja, err.message_en):
        assert "3" in message and "-15" in message and "所要時間(分)" in message
    assert err.message_ja.startswith("3行目")
    assert err.message_en.startswith("row 3")


def test_error_names_the_english_header_as_written(tmp_path):
    err = _error(_write(tmp_path / "a.csv", "step,minutes\nA,abc\n"))
    assert err.row == 2 and err.field == "minutes"
    assert "minutes" in err.message_ja and "abc" in err.message_ja
    assert "minutes" in err.message_en and "abc" in err.message_en


def test_unknown_actor_lists_the_labels(tmp_path):
    text = "手順,担当,所要時間(分)\n受付,窓口,5\n審査,課長さん,5\n"
    err = _error(_write(tmp_path / "a.csv", text))
    assert err.row == 3 and err.field == "actor"
    assert "3行目" in err.message_ja and "課長さん" in err.message_ja
    assert "住民" in err.message_ja and "管理職" in err.message_ja and "担当" in err.message_ja
    assert "row 3" in err.message_en and "課長さん" in err.message_en
    assert "resident" in err.message_en and "back office" in err.message_en


def test_blank_step_name_is_required(tmp_path):
    err = _error(_write(tmp_path / "a.csv", "手順,所要時間(分)\n受付,5\n,10\n"))
    assert err.row == 3 and err.field == "name" and "手順" in err.message_ja


def test_missing_step_column(tmp_path):
    err = _error(_write(tmp_path / "a.csv", "担当,所要時間(分)\n住民,5\n"))
    assert "手順" in err.message_ja and "担当" in err.message_ja
    assert "step" in err.message_en


@pytest.mark.parametrize("header", ["手順,所要時間(分),手順", "手順,step,所要時間(分)",
                                    "minutes,step,所要時間（分）"])
def test_duplicate_column(tmp_path, header):
    err = _error(_write(tmp_path / "a.csv", f"{header}\na,1,2\n"))
    assert "2回以上" in err.message_ja and "more than once" in err.message_en


def test_empty_sheet(tmp_path):
    for name, text in (("header.csv", "手順,所要時間(分)\n,\n"), ("nothing.csv", "")):
        err = _error(_write(tmp_path / name, text))
        assert name in err.message_ja and name in err.message_en
    err = _error(_xlsx(tmp_path / "empty.xlsx", [["手順", "担当"]]))
    assert "empty.xlsx" in err.message_en


def test_wrong_suffix_and_too_large(tmp_path):
    err = _error(_write(tmp_path / "steps.txt", JA_SHEET))
    assert "steps.txt" in err.message_ja and ".xlsx" in err.message_en
    big = _write(tmp_path / "big.csv", JA_SHEET + "追加,窓口\n" * 3000)
    with pytest.raises(InputError) as info:
        read_steps(big, max_mb=0.01)
    assert "big.csv" in info.value.message_ja and "0.01" in info.value.message_en
    with pytest.raises(InputError):
        write_steps([], tmp_path / "out.json")


def test_missing_file(tmp_path):
    err = _error(tmp_path / "nowhere.csv")
    assert "nowhere.csv" in err.message_ja


@pytest.mark.parametrize("data", [b"step\ncaf\xe9 cr\xe8me\n", b"step\n\x80\xff\x80\xff\n"])
def test_undecodable_bytes_give_the_encoding_error(tmp_path, data):
    path = tmp_path / "latin.csv"
    path.write_bytes(data)
    err = _error(path)
    assert err.message_ja == i18n.t("err.encoding", "ja", value="latin.csv")
    assert "latin.csv" in err.message_en and "CP932" in err.message_en


# --- xlsx ----------------------------------------------------------------------------------
def test_xlsx_formula_without_cached_value(tmp_path):
    path = _xlsx(tmp_path / "f.xlsx", [["手順", "所要時間(分)"], ["受付", "=10+5"]])
    err = _error(path)
    assert "B2" in err.message_ja and "B2" in err.message_en and "f.xlsx" in err.message_en


def test_xlsx_formula_with_cached_value_reads_the_result(tmp_path):
    path = _xlsx(tmp_path / "f.xlsx", [["手順", "所要時間(分)"], ["受付", "=10+5"]])
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    assert "<f>10+5</f><v />" in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace("<f>10+5</f><v />",
                                                      "<f>10+5</f><v>15</v>").encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    (step,) = read_steps(path)
    assert step.minutes == 15


def test_xlsx_merged_cells_down_fill_and_across_are_refused(tmp_path):
    rows = [["手順", "担当"], ["受付", "窓口"], ["審査", None]]
    first, second = read_steps(_xlsx(tmp_path / "down.xlsx", rows, merge="B2:B3"))
    assert first.actor is Actor.counter and second.actor is Actor.counter
    err = _error(_xlsx(tmp_path / "m.xlsx", rows, merge="A3:B3"))
    assert "A3:B3" in err.message_ja and "A3:B3" in err.message_en


def test_truncated_xlsx_is_unreadable(tmp_path):
    whole = write_steps(_full_steps(), tmp_path / "whole.xlsx")
    data = whole.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    err = _error(cut)
    assert "cut.xlsx" in err.message_ja and "cut.xlsx" in err.message_en
    renamed = _write(tmp_path / "fake.xlsx", JA_SHEET)
    assert "fake.xlsx" in _error(renamed).message_en


def test_xlsx_numbers_and_text_cells(tmp_path):
    rows = [["手順", "所要時間(分)", "対象割合", "オンライン依存"],
            ["受付", 15, 0.2, True], ["審査", "１５分", "20%", "はい"]]
    first, second = read_steps(_xlsx(tmp_path / "n.xlsx", rows))
    assert first.model_dump(exclude={"id", "name"}) == second.model_dump(exclude={"id", "name"})
    assert first.minutes == 15 and first.share == pytest.approx(0.2)
    assert first.uptake_dependent is True


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_xlsx_round_trip(tmp_path, lang):
    steps = _full_steps()
    path = write_steps(steps, tmp_path / "steps.xlsx", lang=lang)
    assert _dump(read_steps(path)) == _dump(steps)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet["A1"].value == i18n.t("col.step", lang) and sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet["A3"].data_type == "s"       # "=HYPERLINK(...)" stays text, not a formula
    lists = [rule.formula1 for rule in sheet.data_validations.dataValidation]
    assert any(i18n.label("actor", "resident", lang) in formula for formula in lists)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_csv_round_trip(tmp_path, lang):
    steps = _full_steps()
    path = write_steps(steps, tmp_path / "steps.csv", lang=lang)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert _dump(read_steps(path)) == _dump(steps)
    text = path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].split(",")[0] == i18n.t("col.step", lang)
    assert "'=HYPERLINK" in text            # Excel shows it as text, not a live formula
    assert i18n.label("actor", "resident", lang) in text


def test_apostrophe_before_formula_text_round_trips(tmp_path):
    steps = [Step(name="'=x"), Step(name="'plain"), Step(name="@mention")]
    path = write_steps(steps, tmp_path / "s.csv")
    assert [s.name for s in read_steps(path)] == ["'=x", "'plain", "@mention"]


def test_template(tmp_path):
    path = write_steps_template(tmp_path / "t.xlsx", lang="ja")
    book = openpyxl.load_workbook(path)
    steps_sheet, example = book.worksheets
    assert [c.value for c in steps_sheet[1]][:2] == ["手順", "担当"]
    assert steps_sheet.max_row == 1 and steps_sheet.data_validations.dataValidation
    assert example.max_row == 3
    with pytest.raises(InputError):       # the input sheet is empty until filled in
        read_steps(path)
    # the examples are valid rows: moved to the first sheet, they read as two steps
    rows = [[c.value for c in row] for row in example.iter_rows()]
    assert len(read_steps(_xlsx(tmp_path / "ex.xlsx", rows))) == 2
    en = write_steps_template(tmp_path / "en.xlsx", lang="en")
    assert openpyxl.load_workbook(en).worksheets[0]["A1"].value == "step"


def test_committed_template_exists():
    path = ROOT / "templates" / "steps_template.xlsx"
    assert path.is_file()
    assert openpyxl.load_workbook(path).worksheets[0]["A1"].value == "手順"


# --- groups --------------------------------------------------------------------------------
def test_read_groups(tmp_path):
    text = ("グループID,テーマ,年間件数,メンバー,オンライン利用率,システム,財源\n"
            "g1,転入届,\"1,200件\",佐藤、鈴木、 高橋,30%,kintone,digital-den;local\n"
            "g2,児童手当,800,田中；伊藤，渡辺,,,\n")
    first, second = read_groups(_write(tmp_path / "groups.csv", text, "cp932"))
    assert first == {"group_id": "g1", "theme": "転入届", "annual_cases": 1200.0,
                     "members": ["佐藤", "鈴木", "高橋"], "uptake": pytest.approx(0.3),
                     "system": ["kintone"], "funding": ["digital-den", "local"]}
    assert second["members"] == ["田中", "伊藤", "渡辺"]
    assert second["uptake"] is None and second["system"] == [] and second["funding"] == []


def test_read_groups_english_headers_without_optional_columns(tmp_path):
    text = "group_id,theme,annual_cases,members\nA-1,Moving in,100,a;b\n"
    (group,) = read_groups(_write(tmp_path / "g.csv", text))
    assert group["members"] == ["a", "b"] and group["uptake"] is None


def test_read_groups_bad_id(tmp_path):
    text = "group_id,theme,annual_cases,members\ng1,転入,1,a\n../x,転出,1,b\n"
    err = _error(_write(tmp_path / "g.csv", text), reader=read_groups)
    assert err.row == 3
    assert "../x" in err.message_ja and "../x" in err.message_en and "3行目" in err.message_ja


def test_read_groups_bad_funding_id_and_duplicates(tmp_path):
    text = "group_id,theme,annual_cases,members,funding\ng1,転入,1,a,ok;bad id\n"
    err = _error(_write(tmp_path / "f.csv", text), reader=read_groups)
    assert "bad id" in err.message_en and "funding" in err.message_en and err.row == 2
    text = "group_id,theme,annual_cases,members\ng1,転入,1,a\ng1,転出,1,b\n"
    err = _error(_write(tmp_path / "d.csv", text), reader=read_groups)
    assert err.row == 3 and "g1" in err.message_ja
    err = _error(_write(tmp_path / "m.csv", "group_id,theme\ng1,x\n"), reader=read_groups)
    assert "annual_cases" in err.message_en


# --- property: any cell text is read or refused with an InputError -------------------------
_cell = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(minutes=_cell, actor=_cell, share=_cell)
def test_any_cell_text_reads_or_raises_input_error(tmp_path, minutes, actor, share):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["手順", "担当", "所要時間(分)", "対象割合"])
    writer.writerow(["受付", actor, minutes, share])
    path = tmp_path / "p.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    try:
        steps = read_steps(path)
    except InputError as exc:
        assert exc.message_ja and exc.message_en
    else:
        assert len(steps) == 1 and steps[0].name == "受付"
