"""Participants and groups from the survey; `kit session new --survey`; manual overrides."""

import json
from pathlib import Path

import nbformat
import pytest

from kit.cli import main
from kit.domain import grouping, survey
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
