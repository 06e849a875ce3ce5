"""Staff survey: loading (encodings, headers), hand-checked analysis, privacy on the HTML."""

import csv
import re

import openpyxl
import pytest

from kit import resources
from kit.documents.survey_report import SurveyReport
from kit.domain.survey import analysis as survey
from kit.domain.survey import text as survey_text
from kit.exceptions import InputError
from kit.io.survey import load_survey

HEADER = ["氏名", "所属", "職種", "参加希望", "紙の転記が多い", "電話対応に追われる",
          "業務時間:証明書の交付", "自由記述（困っていること）"]
# section A: 6 people, B: 5 people, 秘密課: 2 people (must be merged and hidden)
ROWS = [
    ["山田 太郎", "A課", "一般事務", "はい", "とてもそう思う", "4", "10", "申請書の転記が大変。"],
    ["佐藤 花子", "A課", "係長", "いいえ", "そう思う", "4", "20", "申請書の転記が大変。"],
    ["鈴木 一郎", "A課", "一般事務", "はい", "5", "どちらともいえない", "", "連絡は taro@city.example.lg.jp まで"],
    ["高橋 次郎", "A課", "技術職", "はい", "5", "3", "5", "電話 0467-70-1234 か 内線 321 へ"],
    ["田中 三郎", "A課", "一般事務", "はい", "4", "3", "5", "山田さんに聞かないと分からない"],
    ["伊藤 四郎", "A課", "一般事務", "いいえ", "4", "3", "", ""],
    ["渡辺 五郎", "B課", "一般事務", "はい", "2", "あまりそう思わない", "1", "<script>alert(1)</script>"],
    ["山本 六子", "B課", "一般事務", "はい", "2", "2", "", "秘密課との調整が大変"],
    ["中村 七子", "B課", "保健師", "はい", "全くそう思わない", "2", "", ""],
    ["小林 八子", "B課", "一般事務", "はい", "1", "2", "", ""],
    ["加藤 九子", "B課", "一般事務", "はい", "1", "2", "", ""],
    ["吉田 十子", "秘密課", "一般事務", "はい", "5", "5", "30", "秘密課は人が少ない"],
    ["木村 百子", "秘密課", "一般事務", "はい", "5", "5", "", ""],
]
SECRETS = ["秘密課", "taro@city", "0467-70-1234", "内線 321", "山田", "太郎", "佐藤 花子",
           "吉田", "<script>alert"]


def write_csv(path, rows=ROWS, header=HEADER, encoding="cp932"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture
def small(tmp_path):
    return write_csv(tmp_path / "survey.csv")


def test_cp932_load_and_hand_computed_pain(small):
    s = load_survey(small)
    assert s.hidden_sections == ["秘密課"]
    assert set(s.people["shown_section"]) == {"A課", "B課", "その他"}
    a = survey.analyse(s)
    # その他 has 2 respondents: no breakdown at all
    assert list(a.sections["shown_section"]) == ["A課", "B課"]
    pain = a.sections.set_index("shown_section")["pain"]
    # A: person means (5+4)/2, (4+4)/2, (5+3)/2, (5+3)/2, (4+3)/2, (4+3)/2 -> 23.5/6
    assert pain["A課"] == pytest.approx(23.5 / 6)
    assert pain["B課"] == pytest.approx((2 + 2 + 1.5 + 1.5 + 1.5) / 5)
    assert a.pain_matrix.loc["A課", "紙の転記が多い"] == pytest.approx(27 / 6)
    assert a.sections.set_index("shown_section")["willing"]["A課"] == 4
    # hours a month x 12, everyone counted (also hidden sections, which are not named)
    task = a.tasks.iloc[0]
    assert task["task"] == "証明書の交付" and task["hours_per_year"] == (10 + 20 + 5 + 5 + 1 + 30) * 12
    assert task["respondents"] == 6 and task["top_section"] == "A課"
    assert a.items.iloc[0]["item"] == "紙の転記が多い"


def test_masking_of_free_text(small):
    s = load_survey(small)
    text = " ".join(s.free_text)
    for secret in ("秘密課", "taro@city", "0467-70-1234", "321", "山田"):
        assert secret not in text
    assert text.count(survey_text.MASK) >= 5
    assert "申請書の転記が大変。" in text          # ordinary text untouched


def test_masker_unit():
    m = survey_text.Masker(["山田 太郎", "林 一"], hidden=["秘密課"])
    assert m("山田太郎さんと山田さん、太郎さん") == "＊＊＊さんと＊＊＊さん、＊＊＊さん"
    assert m("０３－１２３４－５６７８へ") == "＊＊＊へ"          # full-width digits
    assert m("09012345678 / a.b+c@x.lg.jp") == "＊＊＊ / ＊＊＊"
    assert m("林業と月20時間、2024年") == "林業と月20時間、2024年"  # 1-char name part kept


def test_rendered_html_hides_small_sections_names_contacts(small):
    html = SurveyReport(small).html()
    for secret in SECRETS:
        assert secret not in html, secret
    assert "&lt;script&gt;" in html
    assert "A課" in html and "B課" in html
    assert not re.search(r"https?://", html)


def test_themes_are_compound_nouns_by_respondent(small):
    a = survey.analyse(load_survey(small))
    counts = dict(zip(a.themes["term"], a.themes["respondents"], strict=True))
    assert counts["申請書"] == 2 and counts["転記"] == 2
    assert "こと" not in counts and survey_text.MASK not in counts


def test_utf8_bom_english_headers_and_xlsx(tmp_path):
    header = ["name", "section", "role", "willing", "paper work", "free_text_1"]
    rows = [[f"N{i}", "Tax", "clerk", "yes", "strongly agree" if i % 2 else "2", "ok"]
            for i in range(6)]
    s = load_survey(write_csv(tmp_path / "en.csv", rows, header, "utf-8-sig"))
    assert s.likert["paper work"].tolist() == [2.0, 5.0, 2.0, 5.0, 2.0, 5.0]
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for row in ROWS:
        book.active.append(row)
    book.save(tmp_path / "s.xlsx")
    x = load_survey(tmp_path / "s.xlsx")
    assert x.people["pain"].round(3).tolist()[:2] == [4.5, 4.0]


def test_bad_likert_and_missing_section(tmp_path):
    rows = [r[:] for r in ROWS]
    rows[3][4] = "たぶん"
    with pytest.raises(InputError) as exc:
        load_survey(write_csv(tmp_path / "bad.csv", rows))
    assert "紙の転記が多い" in str(exc.value) and "たぶん" in str(exc.value)
    assert "5行目" in exc.value.message_ja and exc.value.row == 5
    with pytest.raises(InputError) as exc:
        load_survey(write_csv(tmp_path / "nosec.csv", [r[2:] for r in ROWS], HEADER[2:]))
    assert "所属" in str(exc.value)


def test_sample_survey_is_cp932_with_hidden_sections():
    path = resources.survey_sample()
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    s = load_survey(path)
    assert 250 <= len(s.people) <= 350 and s.people["section"].nunique() >= 15
    assert s.hidden_sections


@pytest.mark.slow
def test_kit_survey_renders_offline_report(tmp_path, small):
    from kit.cli import main

    assert main(["survey", str(small), "--out", str(tmp_path / "out")]) == 0
    html = (tmp_path / "out" / "survey_report.html").read_text(encoding="utf-8")
    for secret in SECRETS:
        assert secret not in html, secret
    assert "<script" not in html and "<link" not in html
    assert not re.search(r"https?://", html.replace("http://www.w3.org", ""))
    assert "職員アンケート分析" in html and "SurveyReport" not in html
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["survey_report.html"]
    assert main(["survey", str(tmp_path / "missing.csv"), "--out", str(tmp_path)]) == 2
