"""The ``kit`` command, run in-process, with its exit codes."""

import json

import pytest

from kit.cli import main
from kit.io import store


def test_impact_json_has_the_documented_keys(demo_session, capsys):
    assert main(["impact", str(demo_session), "g01", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    for key in ("hours_asis", "hours_tobe", "hours_saved", "fte_freed", "cost_saved_yen",
                "resident_hours_saved", "subsidy_yen", "general_fund_yen", "npv_yen",
                "payback_years"):
        assert key in figures
    assert figures["hours_saved"] == pytest.approx(figures["hours_asis"] - figures["hours_tobe"])
    assert figures["cost_saved_yen"] == pytest.approx(figures["hours_saved"] * 3000)


def test_impact_recomputed_by_hand_from_the_workspace(demo_session, capsys):
    """Every figure can be recomputed from work.json with the formulas of docs/formulas.md."""
    main(["impact", str(demo_session), "g03", "--json"])
    figures = json.loads(capsys.readouterr().out)
    work = json.loads((demo_session / "groups/g03/work.json").read_text(encoding="utf-8"))
    V, u = work["annual_cases"], work["uptake"]
    staff = {"counter", "back_office", "approver"}
    asis = tobe = 0.0
    for s in work["steps"]:
        if s["actor"] not in staff:
            continue
        h = 0 if s["is_new"] else V * s["share"] * s["minutes"] / 60
        after = 0 if s["action"] == "eliminate" else (
            s["minutes"] if s["minutes_after"] is None else s["minutes_after"])
        share = s["share"] if s["share_after"] is None else s["share_after"]
        h2 = V * share * after / 60
        asis += h
        tobe += u * h2 + (1 - u) * h if s["uptake_dependent"] else h2
    assert figures["hours_asis"] == pytest.approx(asis)
    assert figures["hours_tobe"] == pytest.approx(tobe)


def test_session_new_and_steps_round_trip(tmp_path, capsys):
    groups = tmp_path / "groups.csv"
    groups.write_text("group_id,theme,annual_cases,members,uptake\n"
                      "g01,児童手当の認定請求,1200,山田;佐藤,0.4\n"
                      "g02,粗大ごみ,\"10,000件\",鈴木、田中,\n", encoding="cp932")
    s = tmp_path / "s"
    assert main(["session", "new", str(s), "--groups", str(groups),
                 "--labour-cost-yen", "3500"]) == 0
    meta = store.load_session(s)
    assert meta.groups == ["g01", "g02"]
    assert meta.assumptions.labour_cost_yen_per_hour == 3500
    assert store.load_work(s, "g02").annual_cases == 10000
    assert store.load_work(s, "g02").members == ["鈴木", "田中"]
    sheet = tmp_path / "steps.csv"
    sheet.write_text("手順,担当,所要時間(分),見直し,見直し後(分),オンライン依存\n"
                     "入力,担当,９分,自動化,0,はい\n", encoding="utf-8-sig")
    assert main(["steps", "import", str(s), "g01", str(sheet)]) == 0
    assert main(["impact", str(s), "g01", "--json"]) == 0
    out = capsys.readouterr().out
    figures = json.loads(out[out.index("{"):])
    assert figures["hours_saved"] == pytest.approx(1200 * 9 / 60 * 0.4)
    xlsx = tmp_path / "out.xlsx"
    assert main(["steps", "export", str(s), "g01", str(xlsx)]) == 0
    assert xlsx.stat().st_size > 0


def test_bad_import_exits_2_and_keeps_the_workspace(demo_copy, tmp_path, capsys):
    work_file = demo_copy / "groups/g01/work.json"
    before = work_file.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text("手順,担当,所要時間(分)\n受付,窓口,10\n入力,担当,-5\n", encoding="utf-8")
    assert main(["steps", "import", str(demo_copy), "g01", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "3" in err and "-5" in err and "\n" == err[-1] and err.count("\n") == 1
    assert "Traceback" not in err
    assert work_file.read_bytes() == before


@pytest.mark.parametrize("argv, code", [
    (["impact", "{s}", "../x", "--json"], 2),
    (["impact", "{s}", "nosuch", "--json"], 3),
    (["render", "{tmp}/nowhere"], 3),
    (["steps", "import", "{s}", "g01", "{tmp}/missing.csv"], 2),
])
def test_bad_arguments_exit_non_zero_with_one_line(demo_session, tmp_path, capsys, argv, code):
    argv = [a.format(s=demo_session, tmp=tmp_path) for a in argv]
    assert main(argv) == code
    err = capsys.readouterr().err
    assert err.startswith("error:") and err.count("\n") == 1


def test_history_and_restore(demo_copy, capsys):
    work = store.load_work(demo_copy, "g02")
    store.save_work(demo_copy, work.model_copy(update={"annual_cases": 1}))
    assert main(["history", str(demo_copy), "g02"]) == 0
    assert main(["restore", str(demo_copy), "g02", "1"]) == 0
    assert store.load_work(demo_copy, "g02").annual_cases == work.annual_cases


def test_demo_never_deletes_a_folder_it_did_not_make(tmp_path, capsys):
    mine = tmp_path / "session"
    mine.mkdir()
    (mine / "precious.txt").write_text("keep", encoding="utf-8")
    assert main(["demo", "--out", str(tmp_path)]) == 2
    assert (mine / "precious.txt").read_text(encoding="utf-8") == "keep"
    assert "kit demo" in capsys.readouterr().err
