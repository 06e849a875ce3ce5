"""A task question followed by 「その業務に月に何時間…」 (Microsoft Forms): each respondent's
hours go to the task they named; themes are the costliest named tasks; `kit session set`."""

from __future__ import annotations

import csv

import pytest

from kit.cli import main
from kit.domain.survey.analysis import analyse
from kit.exceptions import InputError
from kit.io import store
from kit.io.survey import load_survey

TASK_Q = "最も負担に感じている定型業務を教えてください。"
HOURS_Q = "その業務に月に何時間くらいかかっていますか。"
PAIN_Q = "紙の申請書をシステムに手入力している"
JOIN_Q = "BPRワークショップへの参加を希望しますか"
HEADERS = ["回答日時", "所属", TASK_Q, HOURS_Q, PAIN_Q, JOIN_Q]
SLIP, CERT, PHONE = "支出伝票の入力", "住民票の交付", "窓口の電話対応"
ROWS = [  # section, task as typed (widths, spaces, a full stop), hours a month, willing
    ("市民課", "住民票の交付", "20", "はい"),
    ("市民課", "住民票の 交付", "15", "はい"),
    ("市民課", "住民票の　交付", "10", "いいえ"),      # full-width space
    ("市民課", "住民票の交付。", "5", "はい"),
    ("市民課", "窓口の電話対応", "8", "はい"),
    ("市民課", "窓口の電話対応", "12", "いいえ"),
    ("市民課", " 窓口の電話対応 ", "4", "はい"),
    ("市民課", "支出伝票の入力", "3", "いいえ"),
    ("市民課", "支出伝票の入力", "2.5", "はい"),
    ("市民課", "", "", "いいえ"),
    ("税務課", "支出伝票の入力", "30", "はい"),
    ("税務課", "支出伝票の入力", "25", "はい"),
    ("税務課", "支出伝票の入力", "10", "いいえ"),
    ("税務課", "窓口の電話対応", "6", "はい"),
    ("税務課", "住民票の交付", "1", "いいえ"),
    ("税務課", "窓口の電話対応", "10", "はい"),
    ("税務課", "支出伝票の入力", "5", "はい"),
    ("税務課", "住民票の交付", "", "いいえ"),
    ("税務課", "窓口の電話対応", "0", "はい"),
    ("税務課", "支出伝票の入力", "7", "いいえ"),
]
# by hand: hours a month per named task, and respondents with hours > 0
MONTH = {SLIP: 3 + 2.5 + 30 + 25 + 10 + 5 + 7,        # 82.5
         CERT: 20 + 15 + 10 + 5 + 1,                   # 51
         PHONE: 8 + 12 + 4 + 6 + 10 + 0}               # 40
RESPONDENTS = {SLIP: 7, CERT: 5, PHONE: 5}
PAINS = ("とてもそう思う", "そう思う", "どちらともいえない", "4", "5")


def forms_csv(path, headers=HEADERS, order=None):
    rows = []
    for i, (section, task, hours, join) in enumerate(ROWS):
        cells = {"回答日時": f"2024/5/{i + 1} 9:00:00", "所属": section, TASK_Q: task,
                 HOURS_Q: hours, PAIN_Q: PAINS[i % 5], JOIN_Q: join}
        rows.append([cells[h if h in cells else order[h]] for h in headers])
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([headers, *rows])
    return path


def test_hours_go_to_the_task_each_respondent_named(tmp_path):
    survey = load_survey(forms_csv(tmp_path / "forms.csv"))
    kinds = {c.header: (c.kind, c.of) for c in survey.columns}
    assert kinds[TASK_Q][0] == "task" and kinds[HOURS_Q] == ("hours", TASK_Q)
    tasks = analyse(survey).tasks
    assert list(tasks["task"]) == [SLIP, CERT, PHONE]             # costliest first
    for t in tasks.itertuples():
        assert t.hours_per_month == pytest.approx(MONTH[t.task])
        assert t.hours_per_year == pytest.approx(MONTH[t.task] * 12)
        assert t.respondents == RESPONDENTS[t.task]
    assert tasks["hours_per_month"].sum() == pytest.approx(173.5)


def test_question_wording_never_becomes_a_task_or_theme(tmp_path):
    a = analyse(load_survey(forms_csv(tmp_path / "forms.csv")))
    words = set(a.tasks["task"]) | set(a.candidates["theme"]) | set(a.themes["term"])
    assert not any("その業務" in w or "教えて" in w for w in words)
    task_candidates = a.candidates[a.candidates["kind"] == "task"]
    assert list(task_candidates["theme"]) == [SLIP, CERT, PHONE]


def test_mapping_pairs_questions_in_another_order(tmp_path):
    hours_q = "それに月に何時間かかりますか"
    order = {hours_q: HOURS_Q}
    path = forms_csv(tmp_path / "forms.csv", ["回答日時", "所属", hours_q, PAIN_Q, TASK_Q, JOIN_Q],
                     order)
    with pytest.raises(InputError) as err:          # no task question before it
        load_survey(path)
    assert "hours_of" in str(err.value)
    (tmp_path / "forms_mapping.csv").write_text(
        f"列,種類\n{hours_q},hours_of:{TASK_Q}\n", encoding="utf-8")
    tasks = analyse(load_survey(path)).tasks
    assert dict(zip(tasks["task"], tasks["hours_per_month"], strict=True)) == MONTH


def test_mapping_naming_a_missing_column_is_refused(tmp_path):
    path = forms_csv(tmp_path / "forms.csv")
    (tmp_path / "forms_mapping.csv").write_text(
        f"列,種類\n{HOURS_Q},hours_of:ない列\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_survey(path)
    assert "ない列" in str(err.value)


def test_session_themes_are_the_named_tasks_and_kit_session_set(tmp_path, capsys):
    survey = forms_csv(tmp_path / "forms.csv")
    s = tmp_path / "s"
    assert main(["session", "new", str(s), "--survey", str(survey), "--seed", "1",
                 "--name", "test"]) == 0
    groups = store.load_session(s).groups
    assert len(groups) == 3                             # 12 willing, groups of 4
    themes = [store.load_work(s, g).theme for g in groups]
    assert sorted(themes) == sorted(MONTH)              # the three named tasks, each once

    capsys.readouterr()
    assert main(["session", "set", str(s), "g01", "--theme", "窓口業務の見直し",
                 "--annual-cases", "1,200"]) == 0
    work = store.load_work(s, "g01")
    assert (work.theme, work.annual_cases) == ("窓口業務の見直し", 1200)
    assert "窓口業務の見直し" in capsys.readouterr().out

    assert main(["session", "set", str(s), "g01", "--annual-cases", "abc"]) == 2
    err = capsys.readouterr().err
    assert "abc" in err and ("年間件数" in err or "annual_cases" in err)
    after = store.load_work(s, "g01")
    assert (after.annual_cases, after.revision) == (1200, work.revision)   # nothing written
    assert main(["session", "set", str(s), "g01"]) == 2                   # nothing to set


@pytest.mark.slow
def test_report_shows_hours_per_named_task(tmp_path):
    from kit.render.pipeline import render_survey

    html = render_survey(forms_csv(tmp_path / "forms.csv"), tmp_path / "out").read_text(
        encoding="utf-8")
    assert SLIP in html and "990" in html            # 82.5 h a month × 12
    assert "その業務" not in html
