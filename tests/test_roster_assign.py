"""Groups from a survey, ready to work (issue 22): the roster carries テーマ and 年間件数 back
into the groups with `--assign`, and the draw spreads places over the willing sections
(docs/survey.md "Groups"). Every expected number below is worked out by hand."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from kit.cli import main
from kit.domain.survey import grouping
from kit.exceptions import InputError
from kit.io import store
from kit.io.roster import write_roster
from kit.io.survey import load_survey

# --- a Microsoft Forms export of 137 answers ------------------------------------------------
SECTION_Q = "あなたの所属（課）を選んでください"
PAPER_Q = "紙の申請書をシステムに手入力している"
PHONE_Q = "電話での問い合わせ対応に追われている"
TASK_Q = "最も負担に感じている定型業務を教えてください。"
HOURS_Q = "その業務に月に何時間くらいかかっていますか。"
JOIN_Q = "BPRワークショップへの参加を希望しますか"
HEADERS = ["ID", "開始時刻", "完了時刻", "メール", "名前", "最終変更時刻", SECTION_Q, "職種",
           PAPER_Q, PHONE_Q, TASK_Q, HOURS_Q, JOIN_Q]
# section, respondents, answer to both pain questions (→ the section's mean pain), willing
SECTIONS = [("市民課", 40, "とてもそう思う", 30),        # pain 5, weight 5 × 30 = 150
            ("税務課", 35, "そう思う", 25),              # pain 4, weight 4 × 25 = 100
            ("福祉課", 25, "どちらともいえない", 10),     # pain 3, weight 3 × 10 = 30
            ("保険年金課", 20, "あまりそう思わない", 10),  # pain 2, weight 2 × 10 = 20
            ("子育て支援課", 12, "あまりそう思わない", 5),  # pain 2, weight 2 × 5 = 10
            ("総務課", 5, "全くそう思わない", 5)]          # pain 1: 6th, not in the top 5
TASKS = ["住民票の交付", "転入届の受付", "支出伝票の入力", "窓口の電話対応", "固定資産税の照会",
         "児童手当の審査", "国保の資格確認", "介護認定の受付", "郵送物の発送", "会議録の作成",
         "保育所の入所調整", "生活保護の訪問記録", "税証明の発行", "議会答弁の作成"]
# 12 groups of 4 = 48 places over the top 5: one each (5), then 43 by pain × willing
# (total weight 310): 市民 20.806, 税務 13.871, 福祉 4.161, 保険 2.774, 子育て 1.387;
# floors 20 + 13 + 4 + 2 + 1 = 40, the 3 largest remainders .871 税務, .806 市民, .774 保険
FORMS_PLACES = {"市民課": 22, "税務課": 15, "福祉課": 5, "保険年金課": 4, "子育て支援課": 2}


def forms_export(path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    i = 0
    for section, count, pain, willing in SECTIONS:
        for k in range(count):
            i += 1
            task = TASKS[i % len(TASKS)]
            sheet.append([i, "2024/05/01 9:00:00", "2024/05/01 9:05:00",
                          f"p{i}@city.example.lg.jp", f"職員 {i:03d}号", "2024/05/01 9:05:00",
                          section, "一般事務" if k % 2 else "保健師", pain, pain, task,
                          str(4 + i % 7), "はい" if k < willing else "いいえ"])
    assert i == 137
    book.save(path)
    return path


@pytest.fixture(scope="module")
def forms(tmp_path_factory):
    return forms_export(tmp_path_factory.mktemp("forms") / "forms.xlsx")


@pytest.fixture(scope="module")
def session(forms, tmp_path_factory):
    """`kit session new --survey` with the Forms export: the session and its roster."""
    folder = tmp_path_factory.mktemp("ws") / "ws"
    assert main(["session", "new", str(folder), "--survey", str(forms), "--seed", "1",
                 "--name", "窓口改善WS"]) == 0
    return folder, folder.with_name("ws_roster.xlsx")


# --- the draw ------------------------------------------------------------------------------
def test_places_by_hand():
    # 12 places: one each, then 9 by 45 : 20 : 6 → 5.70, 2.54, 0.76; floors 5 + 2 + 0, the 2
    # largest remainders .76 and .70 → 1 + 5 + 1 = 7, 1 + 2 = 3, 1 + 0 + 1 = 2
    assert grouping.allocate([45, 20, 6], [10, 5, 2], 12) == [7, 3, 2]
    # a section takes no more than its willing staff: 9 left, 90 / 110 × 9 = 7.4 ≥ room 2 →
    # it takes 3 in all; 7 left shared 10 : 10 → 3.5 each, the tie to the more painful
    assert grouping.allocate([90, 10, 10], [3, 10, 10], 12) == [3, 5, 4]
    # fewer places than sections: the most painful sections with a willing person
    assert grouping.allocate([50, 40, 30, 20], [5, 0, 5, 5], 2) == [1, 0, 1, 0]
    # everyone fits: everyone comes
    assert grouping.allocate([5, 1], [3, 2], 10) == [3, 2]


def small_survey(path):
    """A課 8 (pain 5, all willing), B課 6 (pain 5,5,4,4,3,3 → 4.0; the last one unwilling),
    C課 5 (pain 2, 3 willing), D課 5 (pain 1: not in the top 3)."""
    rows = ([("A課", 5, "はい")] * 8 +
            [("B課", p, w) for p, w in [(5, "はい"), (5, "はい"), (4, "はい"), (4, "はい"),
                                       (3, "はい"), (3, "いいえ")]] +
            [("C課", 2, "はい")] * 3 + [("C課", 2, "いいえ")] * 2 + [("D課", 1, "はい")] * 5)
    lines = ["回答ID,氏名,所属,職種,参加希望,紙の転記が多い,電話対応に追われる"]
    lines += [f"R{i:02d},職員 {i:02d},{s},一般事務,{w},{p},{p}"
              for i, (s, p, w) in enumerate(rows, start=1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_small_survey_places_per_section_by_hand(tmp_path):
    survey = load_survey(small_survey(tmp_path / "s.csv"))
    plan = grouping.form_groups(survey, top_sections=3, max_groups=3, group_size=4, seed=5)
    # weights A 5 × 8 = 40, B 4 × 5 = 20, C 2 × 3 = 6; 12 places: one each, then 9 →
    # 5.45, 2.73, 0.82: floors 5 + 2 + 0, remainders .82 C and .73 B → A 6, B 4, C 2
    # (the old draw, top section first: A 8, B 4, C 0)
    assert plan.members["section"].value_counts().to_dict() == {"A課": 6, "B課": 4, "C課": 2}
    # B: the four most painful willing staff, not R13 (pain 3); never the unwilling R14
    b = set(plan.members.loc[plan.members["section"] == "B課", "id"])
    assert b == {"R09", "R10", "R11", "R12"}
    again = grouping.form_groups(survey, top_sections=3, max_groups=3, group_size=4, seed=5)
    assert again.members.equals(plan.members)


def test_forms_137_answers_twelve_groups_spread_with_named_themes(forms):
    survey = load_survey(forms)
    plan = grouping.form_groups(survey, group_size=4, max_groups=12, top_sections=5, seed=1)
    assert plan.members["section"].value_counts().to_dict() == FORMS_PLACES
    assert len(plan.group_ids) == 12 and (plan.table()["size"] == 4).all()
    # mixed groups: with 22 市民課 of 48, every group has a second section
    assert (plan.members.groupby("group_id")["section"].nunique() >= 2).all()
    themes = list(plan.themes.values())
    assert len(set(themes)) == 12 and set(themes) <= set(TASKS)


def test_cli_session_from_forms_has_named_themes(session):
    folder, _ = session
    groups = store.load_session(folder).groups
    assert len(groups) == 12
    themes = [store.load_work(folder, g).theme for g in groups]
    assert all(t in TASKS for t in themes) and len(set(themes)) == 12
    sections = {m.section for g in groups for m in store.load_work(folder, g).members_detail}
    assert sections == set(FORMS_PLACES)


# --- the roster: テーマ and 年間件数 back into the groups -----------------------------------
def _edit(roster, edits: dict[tuple[str, int], dict[int, object]], out):
    """Edit the roster: ``{(group, nth row of the group): {column index: value}}``."""
    book = openpyxl.load_workbook(roster)
    sheet = book.active
    seen: dict[str, int] = {}
    for row in sheet.iter_rows(min_row=2):
        gid = row[0].value
        nth = seen[gid] = seen.get(gid, -1) + 1
        for col, value in edits.get((gid, nth), {}).items():
            row[col].value = value
    book.save(out)
    return out


def _again(forms, roster, folder) -> int:
    return main(["session", "new", str(folder), "--survey", str(forms), "--seed", "1",
                 "--name", "窓口改善WS", "--assign", str(roster)])


def test_roster_has_annual_cases_blank_at_creation(session):
    _, roster = session
    sheet = openpyxl.load_workbook(roster).active
    assert [c.value for c in sheet[1]] == ["グループID", "テーマ", "年間件数", "回答ID", "氏名",
                                           "所属", "職種", "ログイン名"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 48 and all(r[2] in (None, "") for r in rows)


def test_annual_cases_and_theme_from_the_roster_reach_the_handout(forms, session, tmp_path,
                                                                  capsys):
    from kit.documents.handout import Handout
    from kit.domain.model import Step

    _, roster = session
    edited = _edit(roster, {("g02", 1): {2: "1,200件"},                  # one row; others blank
                            ("g03", 0): {2: "１２００", 1: "窓口の待ち時間"},
                            ("g03", 2): {2: 1200}},                       # the same number
                   tmp_path / "edited.xlsx")
    ws = tmp_path / "ws2"
    assert _again(forms, edited, ws) == 0
    capsys.readouterr()
    g01, g02, g03 = (store.load_work(ws, g) for g in ("g01", "g02", "g03"))
    assert (g02.annual_cases, g03.annual_cases, g01.annual_cases) == (1200.0, 1200.0, 0.0)
    assert g03.theme == "窓口の待ち時間"
    # a 10-minute staff step: 10 × 1,200 / 60 = 200.0 hours a year in g02's handout, 0.0 in g01
    step = Step.parse({"name": "申請書の確認", "minutes": 10})
    for work in (g01, g02):
        store.save_work(ws, work.model_copy(update={"steps": [step]}))
    assert "200.0" in Handout(ws, "g02").as_is_html()
    assert "200.0" not in Handout(ws, "g01").as_is_html()
    # `kit session set` reads the number the same way
    assert main(["session", "set", str(ws), "g01", "--annual-cases", "1,200件"]) == 0
    assert store.load_work(ws, "g01").annual_cases == g02.annual_cases


def test_two_values_in_one_group_name_group_column_and_values(forms, session, tmp_path, capsys):
    _, roster = session
    edited = _edit(roster, {("g02", 0): {2: "1,200件"}, ("g02", 1): {2: "900"}},
                   tmp_path / "two.xlsx")
    assert _again(forms, edited, tmp_path / "ws3") == 2
    err = capsys.readouterr().err
    assert all(w in err for w in ("g02", "年間件数", "「1,200件」", "「900」", "annual_cases"))
    assert not (tmp_path / "ws3").exists()                  # nothing written
    edited = _edit(roster, {("g04", 0): {1: "窓口の待ち時間"}, ("g04", 3): {1: "証明書の郵送"}},
                   tmp_path / "themes.xlsx")
    assert _again(forms, edited, tmp_path / "ws4") == 2
    err = capsys.readouterr().err
    assert all(w in err for w in ("g04", "テーマ", "窓口の待ち時間", "証明書の郵送", "theme"))


@pytest.mark.parametrize("typed", ["abc", "-5", "−１２"])
def test_bad_annual_cases_are_refused_naming_field_and_value(forms, typed):
    survey = load_survey(forms)
    plan = grouping.form_groups(survey, seed=1)
    frame = plan.roster().astype(object)
    frame["annual_cases"] = ""
    frame.loc[frame["group_id"] == "g05", "annual_cases"] = typed
    frame = frame.rename(columns={"group_id": "グループID", "annual_cases": "年間件数",
                                  "id": "回答ID"})[["グループID", "年間件数", "回答ID"]]
    with pytest.raises(InputError) as info:
        grouping.apply_assignments(plan, survey, frame)
    ja, en = info.value.args[:2]
    assert "g05" in ja and "年間件数" in ja and typed in ja
    assert "annual_cases" in en and typed in en
    assert info.value.field == "annual_cases"


def test_english_roster_round_trip_and_a_known_number_is_written(forms, tmp_path):
    survey = load_survey(forms)
    plan = grouping.form_groups(survey, seed=1)
    plan.cases["g01"] = 1200.0
    path = write_roster(plan.roster(), tmp_path / "en.xlsx", lang="en")
    sheet = openpyxl.load_workbook(path).active
    assert [c.value for c in sheet[1]] == ["group_id", "theme", "annual_cases", "id", "name",
                                           "section", "role", "login"]
    cases = {r[0]: r[2] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert cases["g01"] == 1200 and cases["g02"] in (None, "")
    frame = pd.read_excel(path, dtype=str).fillna("")
    frame.loc[frame["group_id"] == "g02", "annual_cases"] = "350件"
    works = {w.group_id: w for w in grouping.apply_assignments(plan, survey, frame).works()}
    assert (works["g01"].annual_cases, works["g02"].annual_cases) == (1200.0, 350.0)


def test_the_roster_names_each_persons_login_as_the_room_gives_it(session):
    """The slips: the roster's ログイン名 is the login `kit hub start` gives that person, and
    `kit hub logins` names the same person for it."""
    from kit.serve import hub

    folder, roster = session
    rows = list(openpyxl.load_workbook(roster).active.iter_rows(min_row=2, values_only=True))
    by_login = {r[7]: r for r in rows}
    assert len(by_login) == 48
    first = [r for r in rows if r[0] == rows[0][0]]
    assert [r[7] for r in first] == [f"{rows[0][0]}-{c}" for c in "abcd"]
    people = hub.people(folder, hub.roster(folder))
    assert set(people) == set(by_login)
    assert all(people[login] == (row[4] or row[3]) for login, row in by_login.items())
