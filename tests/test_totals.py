"""Every total word is skipped and reported by the sheet import (docs/inputs.md)."""

import openpyxl
import pytest

from kit.io.steps import read_steps_report

TOTAL_WORDS = ["合計", "小計", "計", "総計", "累計", "total", "subtotal", "Total", "SUBTOTAL",
               "Grand Total", "合 計", "（小計）", "【合計】", "sum"]


def _xlsx(path, label):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["業務フロー"])
    sheet.append(["手順", "担当", "所要時間(分)"])
    sheet.append(["受付", "窓口", 10])
    sheet.append(["審査", "担当", 20])
    sheet.append([label, None, "=SUM(C3:C4)"])
    sheet.append(["決裁", "管理職", 5])
    book.save(path)
    return path


def _csv(path, label):
    path.write_text(f"手順,担当,所要時間(分)\n受付,窓口,10\n{label},,10\n決裁,管理職,5\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("word", TOTAL_WORDS)
def test_a_total_row_is_skipped_and_reported_in_xlsx(tmp_path, word):
    found = read_steps_report(_xlsx(tmp_path / "flow.xlsx", word))
    assert [s.name for s in found.steps] == ["受付", "審査", "決裁"]
    assert found.rows == [3, 4, 6]
    assert f"5行目（{word}）は合計・注記の行として読み飛ばしました。" in found.messages("ja")
    assert f"Row 5 ({word}) was skipped as a total or note row." in found.messages("en")


@pytest.mark.parametrize("word", TOTAL_WORDS)
def test_a_total_row_is_skipped_and_reported_in_csv(tmp_path, word):
    found = read_steps_report(_csv(tmp_path / "flow.csv", word))
    assert [s.name for s in found.steps] == ["受付", "決裁"]
    assert any(line.startswith(f"3行目（{word}）") for line in found.messages("ja"))


def test_a_total_in_a_later_column_after_a_blank_label(tmp_path):
    """The label may stand in the second column (手順 blank, 担当 「合計」)."""
    path = tmp_path / "flow.csv"
    path.write_text("手順,担当,所要時間(分)\n受付,窓口,10\n,合計,10\n", encoding="utf-8")
    found = read_steps_report(path)
    assert [s.name for s in found.steps] == ["受付"]
    assert "3行目（合計）は合計・注記の行として読み飛ばしました。" in found.messages("ja")


def test_a_step_named_like_a_total_word_inside_text_is_kept(tmp_path):
    path = tmp_path / "flow.csv"
    path.write_text("手順,担当,所要時間(分)\n合計額の確認,担当,10\n", encoding="utf-8")
    assert [s.name for s in read_steps_report(path).steps] == ["合計額の確認"]
