"""Forms-tool survey exports read as they are, the mapping sheet, one report of
every problem, and the privacy floor of 5 at its boundary (4 hidden and unnamed, 5 shown)."""

from __future__ import annotations

import csv
import inspect
import unicodedata

import openpyxl
import pytest

from kit.cli import main
from kit.domain.survey import analysis as survey
from kit.exceptions import InputError, ProblemsError
from kit.io.survey import load_survey

SECTION_Q = "あなたの所属（課）を選んでください"
SECTION_READ = unicodedata.normalize("NFKC", SECTION_Q)     # headers are read after NFKC
PAPER_Q = "紙の申請書をシステムに手入力している"
PHONE_Q = "電話での問い合わせ対応に追われている"
CERT_Q = "証明書の交付に月何時間かかっていますか"
INPUT_Q = "申請書の入力に1か月あたり何時間かかっていますか"
JOIN_Q = "BPRワークショップへの参加を希望しますか"
RPA_Q = "RPAを使ったことがありますか"
FREE_Q = "日頃の業務で困っていることを自由にお書きください"
MS_FORMS = ["ID", "開始時刻", "完了時刻", "メール", "名前", "最終変更時刻", SECTION_Q, "職種",
            PAPER_Q, PHONE_Q, CERT_Q, INPUT_Q, JOIN_Q, RPA_Q, FREE_Q]
# 市民課: exactly 5 respondents (shown); 税務課: exactly 4 (hidden, never named)
PEOPLE = [  # section, name, paper, phone, cert h, input h, join, free text
    ("市民課", "山田 太郎", "とてもそう思う", "4", "10", "5時間", "はい",
     "申請書の転記に時間がかかる。連絡は taro@city.example.lg.jp まで"),
    ("市民課", "佐藤 花子", "そう思う", "4", "20", "", "いいえ", "山田さんしか分からない業務がある"),
    ("市民課", "鈴木 一郎", "5", "どちらともいえない", "0", "2", "はい", ""),
    ("市民課", "高橋 次郎", "3", "2", "5", "3", "はい", "窓口が混む"),
    ("市民課", "田中 三郎", "4", "あまりそう思わない", "", "1", "いいえ", ""),
    ("税務課", "伊藤 四郎", "1", "1", "30", "", "はい", "税務課は繁忙期に残業が続く"),
    ("税務課", "渡辺 五郎", "1", "2", "0", "", "はい", ""),
    ("税務課", "山本 六子", "2", "1", "0", "", "はい", ""),
    ("税務課", "中村 七子", "2", "2", "0", "", "はい", ""),
]
SECRETS = ["税務課", "taro@city", "山田", "太郎", "佐藤 花子", "伊藤", "2024/05/0",
           "p1@city.example.lg.jp"]


def ms_forms(path, people=PEOPLE):
    """A Microsoft Forms export (.xlsx) as it is downloaded: metadata first, questions."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(MS_FORMS)
    for i, (sec, name, paper, phone, cert, inp, join, free) in enumerate(people, start=1):
        sheet.append([i, f"2024/05/0{i} 9:00:00", f"2024/05/0{i} 9:05:00",
                      f"p{i}@city.example.lg.jp", name, f"2024/05/0{i} 9:05:00", sec,
                      "一般事務", paper, phone, cert, inp, join, "いいえ", free])
    book.save(path)
    return path


def test_microsoft_forms_export_reads_without_renaming(tmp_path):
    s = load_survey(ms_forms(tmp_path / "forms.xlsx"))
    read = {c.header: (c.kind, c.label) for c in s.columns}
    assert read["ID"][0] == "id" and read["メール"][0] == "email" and read["名前"][0] == "name"
    assert {read[h][0] for h in ("開始時刻", "完了時刻", "最終変更時刻")} == {"meta"}
    assert read[SECTION_READ][0] == "section" and read["職種"][0] == "role"
    assert read[PAPER_Q][0] == read[PHONE_Q][0] == "likert"
    assert read[CERT_Q] == ("hours", "証明書の交付") and read[INPUT_Q] == ("hours", "申請書の入力")
    assert read[JOIN_Q][0] == "willing" and read[RPA_Q][0] == "ignore"
    assert read[FREE_Q][0] == "free_text"
    assert list(s.people["id"]) == [str(i) for i in range(1, 10)]
    a = survey.analyse(s)
    # 市民課 person means (5+4)/2, (4+4)/2, (5+3)/2, (3+2)/2, (4+2)/2 = 4.5+4+4+2.5+3 = 18 -> 3.6
    assert list(a.sections["shown_section"]) == ["市民課"]
    assert a.sections.iloc[0]["pain"] == pytest.approx(18 / 5)
    assert a.sections.iloc[0]["willing"] == 3
    tasks = a.tasks.set_index("task")
    # (10 + 20 + 0 + 5 + 30) h a month × 12 = 780 h a year; 4 people report > 0
    assert tasks.loc["証明書の交付", "hours_per_year"] == 780
    assert tasks.loc["証明書の交付", "respondents"] == 4
    assert tasks.loc["申請書の入力", "hours_per_year"] == (5 + 2 + 3 + 1) * 12     # 132
    text = " ".join(s.free_text)
    assert "taro@city" not in text and "山田" not in text and "税務課" not in text


def test_google_forms_csv_and_kit_survey_says_how_it_read_each_column(tmp_path, capsys,
                                                                      monkeypatch):
    path = tmp_path / "google.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["タイムスタンプ", "メールアドレス", SECTION_Q, PAPER_Q, CERT_Q, FREE_Q])
        for i, p in enumerate(PEOPLE):
            w.writerow([f"2024/05/01 9:0{i}:00", f"x{i}@city.example.lg.jp", p[0], p[2], p[4],
                        p[7]])
    s = load_survey(path)
    assert [c.kind for c in s.columns] == ["meta", "email", "section", "likert", "hours",
                                           "free_text"]
    from kit.render import pipeline
    monkeypatch.setattr(pipeline, "render_survey", lambda f, out, lang: tmp_path / "r.html")
    assert main(["survey", str(path), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "列「タイムスタンプ」→ 回答の記録（日時など。集計に使いません）（見出しから）" in out
    assert f"列「{CERT_Q}」→ 1か月の業務時間「証明書の交付」（回答から判断）" in out


def test_mapping_sheet_beside_the_survey(tmp_path):
    path = tmp_path / "s.csv"
    rows = [[p[0], p[2], str(i % 3 + 1)] for i, p in enumerate(PEOPLE)]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["所属", PAPER_Q, "窓口対応（月あたり）"]] + rows)
    assert load_survey(path).columns[2].kind == "likert"     # 1-3, no word of time
    (tmp_path / "s_mapping.csv").write_text(
        "列,種類,名前\n窓口対応（月あたり）,月の時間,窓口対応\n", encoding="utf-8")
    s = load_survey(path)
    assert (s.columns[2].kind, s.columns[2].label, s.columns[2].by) == \
        ("hours", "窓口対応", "mapping")
    # hours 1,2,3 repeating over 9 people: 3 × (1 + 2 + 3) = 18 a month -> 216 a year
    assert survey.task_table(s).iloc[0]["hours_per_year"] == 216
    (tmp_path / "s_mapping.csv").write_text("列,種類\n窓口対応（月あたり）,時給\n",
                                            encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_survey(path)
    assert "時給" in info.value.message_ja and "月の時間" in info.value.message_ja


def test_every_problem_of_the_survey_in_one_report(tmp_path, capsys):
    people = [list(p) for p in PEOPLE]
    people[1][2] = "たぶん"          # row 3, a scale answer that is not one
    people[3][4] = "-3"              # row 5, hours out of 0-744
    people[6][0] = ""                # row 8, no section
    path = ms_forms(tmp_path / "bad.xlsx", people)
    with pytest.raises(ProblemsError) as info:
        load_survey(path)
    lines = [ja for ja, _ in info.value.problems]
    assert len(lines) == 3
    assert lines[0].startswith("8行目") and SECTION_READ in lines[0]
    assert lines[1].startswith("3行目") and "たぶん" in lines[1]
    assert lines[2].startswith("5行目") and "-3" in lines[2]
    assert main(["survey", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "問題が3件" in err and "たぶん" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_privacy_floor_cannot_be_lowered(tmp_path):
    s = load_survey(ms_forms(tmp_path / "f.xlsx"))
    assert s.min_respondents == survey.MIN_RESPONDENTS == 5
    with pytest.raises(AttributeError):
        s.min_respondents = 3
    for fn in (load_survey, survey.survey_from_table):
        assert "min_respondents" not in inspect.signature(fn).parameters
    with pytest.raises(TypeError):
        load_survey(tmp_path / "f.xlsx", min_respondents=3)
    assert s.hidden_sections == ["税務課"]                       # exactly 4: hidden
    assert list(survey.section_table(s)["shown_section"]) == ["市民課"]   # exactly 5: shown


@pytest.mark.slow
def test_rendered_report_at_the_privacy_boundary(tmp_path):
    from kit.render.pipeline import render_survey

    html = render_survey(ms_forms(tmp_path / "f.xlsx"), tmp_path / "out").read_text(
        encoding="utf-8")
    assert "市民課" in html                       # 5 respondents: shown and named
    for secret in SECRETS:                         # 4 respondents: neither shown nor named
        assert secret not in html, secret
