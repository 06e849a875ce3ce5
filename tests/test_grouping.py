"""Participants and groups from the survey; `kit session new --survey`; manual overrides."""

import json
from pathlib import Path

import nbformat
import pytest

from kit.cli import main
from kit.domain.survey import analysis as survey
from kit.domain.survey import grouping
from kit.exceptions import InputError
from kit.io import store
from kit.io.sheets import read_table
from kit.io.survey import load_survey
from kit.render.notebooks import prepare_notebooks
from kit.workspace.session import new_session_from_survey

SAMPLE = Path(__file__).resolve().parent.parent / "data_samples/survey/staff_survey.csv"


@pytest.fixture(scope="module")
def sample():
    return load_survey(SAMPLE)


def test_same_seed_same_groups_and_sizes(sample):
    a = grouping.form_groups(sample, seed=3, group_size=4)
    b = grouping.form_groups(sample, seed=3, group_size=4)
    assert a.members.equals(b.members) and a.themes == b.themes
    sizes = a.table()["size"]
    assert sizes.between(3, 5).all() and sizes.sum() == len(a.members) <= 12 * 4
    assert len(a.group_ids) == 12 and a.group_ids[0] == "g01"


def test_participants_are_willing_staff_of_the_most_painful_sections(sample):
    plan = grouping.form_groups(sample, top_sections=3, max_groups=30, seed=1)
    top3 = set(survey.section_table(sample)["shown_section"][:3])
    assert set(plan.members["section"]) <= top3
    people = sample.people.set_index("id")
    assert people.loc[plan.members["id"], "willing"].all()
    willing = sample.people[sample.people["willing"] & sample.people["shown_section"].isin(top3)]
    assert len(plan.members) == len(willing)          # all of them fit in 30 groups


def test_mixed_spreads_sections_and_section_mode_keeps_them(sample):
    mixed = grouping.form_groups(sample, mix="mixed", top_sections=3, seed=2)
    assert (mixed.members.groupby("group_id")["section"].nunique() >= 2).all()
    same = grouping.form_groups(sample, mix="section", top_sections=3, seed=2)
    assert (same.members.groupby("group_id")["section"].nunique() == 1).all()


def test_themes_are_distinct_tasks_while_they_last(sample):
    plan = grouping.form_groups(sample, max_groups=6, seed=0)
    themes = list(plan.themes.values())
    assert len(set(themes)) == 6 and set(themes) <= set(sample.tasks)


def test_bad_size_and_mix(sample):
    with pytest.raises(InputError, match="3〜5"):
        grouping.form_groups(sample, group_size=6)
    with pytest.raises(InputError, match="mix"):
        grouping.form_groups(sample, mix="random")


def test_manual_assignment_overrides(sample, tmp_path):
    plan = grouping.form_groups(sample, max_groups=3, seed=0)
    first = plan.members.iloc[0]
    outsider = sample.people[~sample.people["id"].isin(plan.members["id"])].iloc[0]
    sheet = tmp_path / "assign.csv"
    sheet.write_text("回答ID,グループID,テーマ\n"
                     f"{first['id']},\n{outsider['id']},g09,窓口の待ち時間\n", encoding="utf-8")
    new = grouping.apply_assignments(plan, sample, read_table(sheet))
    assert first["id"] not in set(new.members["id"])
    row = new.members.set_index("id").loc[outsider["id"]]
    assert row["group_id"] == "g09" and new.themes["g09"] == "窓口の待ち時間"
    sheet.write_text("回答ID,グループID\nR99999,g01\n", encoding="utf-8")
    with pytest.raises(InputError, match="R99999"):
        grouping.apply_assignments(plan, sample, read_table(sheet))


def _workshop(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('session_dir = ""\ngroup_id = ""\nlang = "ja"')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, nbformat.v4.new_code_cell("print(group_id)")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    folder.mkdir()
    nbformat.write(nb, folder / "01_as_is.ipynb")
    nbformat.write(nb, folder / "99_other.ipynb")      # not a workshop notebook: not copied
    return folder


def test_session_from_survey_with_parameterized_notebooks(tmp_path):
    workshops = _workshop(tmp_path / "workshops")
    s = new_session_from_survey(tmp_path / "sess", SAMPLE, group_size=5, seed=4,
                                max_groups=3)
    prepare_notebooks(tmp_path / "sess", s.groups, lang=s.lang, workshops_dir=workshops)
    assert s.groups == ["g01", "g02", "g03"]
    work = store.load_work(tmp_path / "sess", "g02")
    assert 3 <= len(work.members) <= 5 and work.theme
    copies = sorted((tmp_path / "sess/groups/g02/notebooks").iterdir())
    assert [c.name for c in copies] == ["01_as_is.ipynb"]
    nb = json.loads(copies[0].read_text(encoding="utf-8"))
    injected = "".join(nb["cells"][1]["source"])
    assert "injected-parameters" in nb["cells"][1]["metadata"]["tags"]
    assert 'group_id = "g02"' in injected and str((tmp_path / "sess").resolve()) in injected
    assert "outputs" not in nb["cells"][2] or not nb["cells"][2]["outputs"]  # not executed


def test_cli_session_new_survey(tmp_path):
    assert main(["session", "new", str(tmp_path / "s"), "--survey", str(SAMPLE),
                 "--group-size", "4", "--seed", "7", "--mix", "section",
                 "--max-groups", "2"]) == 0
    assert store.load_session(tmp_path / "s").groups == ["g01", "g02"]
    assert main(["session", "new", str(tmp_path / "t"), "--survey", str(SAMPLE),
                 "--group-size", "6"]) == 2
    assert main(["session", "new", str(tmp_path / "u")]) == 2


# --- groups from a survey: members keep section and id, a roster to edit, distinct themes ------------
SMALL_HEADER = ["回答ID", "氏名", "所属", "職種", "参加希望", "紙の転記が多い", "電話対応に追われる",
                "業務時間:証明書の交付"]
SMALL_ROWS = (  # two different people named 山田 花子 (A課 R02, B課 R08)
    [[f"R{i:02d}", name, "A課", "一般事務", "はい", "5", "4", h] for i, (name, h) in
     enumerate([("佐藤 一", "10"), ("山田 花子", "20"), ("鈴木 二", ""), ("高橋 三", "5"),
                ("田中 四", ""), ("伊藤 五", "")], start=1)] +
    [[f"R{i:02d}", name, "B課", "保健師", "はい", "3", "2", ""] for i, name in
     enumerate(["渡辺 六", "山田 花子", "山本 七", "中村 八", "小林 九"], start=7)])


@pytest.fixture
def small_survey(tmp_path):
    path = tmp_path / "survey.csv"
    lines = [",".join(SMALL_HEADER)] + [",".join(r) for r in SMALL_ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_members_keep_section_and_respondent_id(small_survey, tmp_path):
    s = new_session_from_survey(tmp_path / "ws", small_survey, group_size=3, max_groups=4,
                                name="転入手続き改善WS")
    details = [m for g in s.groups for m in store.load_work(tmp_path / "ws", g).members_detail]
    yamada = sorted((m.respondent_id, m.section) for m in details if m.name == "山田 花子")
    assert yamada == [("R02", "A課"), ("R08", "B課")]
    assert len(details) == 11 and s.name == "転入手続き改善WS"


def test_themes_are_never_repeated(small_survey):
    sample = load_survey(small_survey)
    plan = grouping.form_groups(sample, group_size=3, max_groups=4,
                                fallback_themes=list(survey.analyse(sample).candidates["theme"]))
    themes = list(plan.themes.values())
    # 11 people in round(11 / 3) = 4 groups; 1 task + 2 pain items = 3 themes, then a to-do
    assert len(plan.group_ids) == 4 and len(set(themes)) == 4
    assert set(themes) - {"証明書の交付", "紙の転記が多い", "電話対応に追われる"} == \
        {f"テーマ未定（{plan.group_ids[-1]}）"}


def test_roster_printed_saved_edited_and_fed_back(small_survey, tmp_path, capsys):
    import openpyxl

    assert main(["session", "new", str(tmp_path / "ws"), "--survey", str(small_survey),
                 "--group-size", "3", "--max-groups", "4"]) == 0
    out = capsys.readouterr().out
    assert "山田 花子（A課・R02）" in out and "山田 花子（B課・R08）" in out
    roster = tmp_path / "ws_roster.xlsx"
    assert f"--assign {roster}" in out
    # no --name and no terminal: a dated default, never the folder's name
    assert store.load_session(tmp_path / "ws").name.startswith("業務改革ワークショップ ")
    book = openpyxl.load_workbook(roster)
    sheet = book.active
    assert [c.value for c in sheet[1]] == ["グループID", "テーマ", "年間件数", "回答ID", "氏名",
                                           "所属", "職種", "ログイン名"]
    rows = {r[3].value: r for r in sheet.iter_rows(min_row=2)}
    assert all(r[2].value in (None, "") for r in rows.values())   # 年間件数 blank: not known
    assert len(rows) == 11
    moved_to = "g01" if rows["R08"][0].value != "g01" else "g02"
    rows["R08"][0].value = moved_to.upper()        # case does not make a new group
    rows["R01"][0].value = None                    # left out
    rows["R03"][1].value = "窓口の待ち時間"          # one row renames its group's theme
    renamed = rows["R03"][0].value
    book.save(roster)
    assert main(["session", "new", str(tmp_path / "ws2"), "--survey", str(small_survey),
                 "--group-size", "3", "--max-groups", "4", "--assign", str(roster)]) == 0
    works = {g: store.load_work(tmp_path / "ws2", g)
             for g in store.load_session(tmp_path / "ws2").groups}
    where = {m.respondent_id: g for g, w in works.items() for m in w.members_detail}
    assert where["R08"] == moved_to and "R01" not in where and len(where) == 10
    assert works[renamed].theme == "窓口の待ち時間"


def test_an_existing_session_folder_gets_its_own_message(small_survey, tmp_path, capsys):
    args = ["session", "new", str(tmp_path / "ws"), "--survey", str(small_survey),
            "--group-size", "3", "--max-groups", "4"]
    assert main(args) == 0
    capsys.readouterr()
    assert main(args) == 3
    err = capsys.readouterr().err
    assert "既にセッションがあります" in err and "already holds a session" in err
    assert "group_id" not in err


def test_empty_work_is_visible(small_survey, tmp_path, capsys, monkeypatch):
    from kit.documents.handout import Handout
    from kit.render import pipeline

    new_session_from_survey(tmp_path / "ws", small_survey, group_size=3, max_groups=4,
                            name="WS")
    handout = Handout(tmp_path / "ws", "g01")
    assert "手順が未入力です" in handout.as_is_html()
    figures = handout.key_figures_html()
    assert "費用が未入力のため計算しません" in figures and "0.0年" not in figures
    monkeypatch.setattr(pipeline, "render_session", lambda *a, **k: [])
    assert main(["render", str(tmp_path / "ws"), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "注意 g01: 手順が未入力です" in out and "注意 g04: 年間件数が未入力" in out
