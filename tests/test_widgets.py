"""Headless tests of the section editors: set widgets like a browser, check the disk and
the figures a participant reads (hand-computed)."""

from __future__ import annotations

import io
import time

import numpy as np
import pytest
from editing import STEPS, figure, on_disk, three_steps  # noqa: F401 - shared editor helpers
from PIL import Image

from kit.io import store
from kit.render import notebooks
from kit.widgets.as_is import AsIsEditor
from kit.widgets.assumptions import ImpactEditor
from kit.widgets.basics import SAMPLES, BasicsExercise
from kit.widgets.common import Debouncer
from kit.widgets.selection import SelectionEditor
from kit.widgets.to_be import ToBeEditor


@pytest.fixture
def session(demo_copy):
    return three_steps(demo_copy)      # 400 As-Is staff hours (tests/editing.py)


def test_as_is_minutes_edit_updates_figures_then_saves(session):
    ed = AsIsEditor(session, "g01", "ja", debounce_s=60)
    assert figure(ed, "hours_asis") == "400.0時間／年"
    rev = on_disk(session)["revision"]
    ed.rows[1].minutes.value = "30"          # 1200 × (10 + 0.5 × 30) / 60 = 500 h
    assert figure(ed, "hours_asis") == "500.0時間／年"
    assert ed.debouncer.pending and on_disk(session)["revision"] == rev   # not yet saved
    ed.flush()
    data = on_disk(session)
    assert data["revision"] == rev + 1 and data["steps"][1]["minutes"] == 30
    assert "保存しました" in ed.status.value
    again = AsIsEditor(session, "g01", "ja")              # reopening shows what was saved
    assert again.rows[1].minutes.value == "30" and figure(again, "hours_asis") == "500.0時間／年"


def test_as_is_bad_value_shows_message_and_keeps_saved_state(session):
    ed = AsIsEditor(session, "g01", "en", debounce_s=None)
    ed.rows[1].minutes.value = "-5"             # the message is beside the field (its row)
    shown = ed.rows[1].message.value
    assert "step 2" in shown and "minutes" in shown and "-5" in shown
    assert on_disk(session)["steps"][1]["minutes"] == 20
    ed.rows[1].name.value = ""
    ed.rows[1].minutes.value = "25"
    assert "required" in ed.rows[1].message.value
    ed.rows[1].name.value = "入力（修正）"
    assert ed.rows[1].message.value == "" and ed.error.value == ""
    assert on_disk(session)["steps"][1] | {} and on_disk(session)["steps"][1]["minutes"] == 25


def test_as_is_structure_edits(session):
    ed = AsIsEditor(session, "g01", "ja", debounce_s=None)
    ed.add_button.click()
    assert [s["name"] for s in on_disk(session)["steps"]][-1] == "新しい手順4"
    ed.rows[0].buttons[2].click()                              # move "受付" down
    assert [s["id"] for s in on_disk(session)["steps"]][:2] == ["b", "a"]
    ed.rows[0].buttons[0].click()                              # insert below "入力"
    assert len(on_disk(session)["steps"]) == 5
    ed.rows[1].buttons[3].click()                              # delete the inserted one
    assert [s["id"] for s in on_disk(session)["steps"]][:3] == ["b", "a", "c"]
    assert len(ed.rows) == 4


def test_as_is_import_sheet_and_bad_sheet(session):
    ed = AsIsEditor(session, "g01", "ja", debounce_s=None)
    sheet = "手順,担当,所要時間(分)\n受付,窓口,12\n審査,担当,30\n".encode("cp932")
    ed.import_file("steps.csv", sheet)
    assert [s["minutes"] for s in on_disk(session)["steps"]] == [12, 30]
    assert figure(ed, "hours_asis") == "840.0時間／年"           # 1200 × 42 / 60
    ed.import_file("steps.csv", "手順,担当,所要時間(分)\n受付,窓口,-3\n".encode())
    assert "所要時間" in ed.error.value
    assert len(on_disk(session)["steps"]) == 2


def test_conflict_is_reported_not_overwritten_and_reload_shows_disk(session):
    ed = AsIsEditor(session, "g01", "ja", debounce_s=None)
    other = store.load_work(session, "g01")                     # another member's kernel
    steps = [s.model_copy(update={"minutes": 15}) if s.id == "a" else s for s in other.steps]
    store.save_work(session, other.model_copy(update={"steps": steps}))
    ed.rows[1].minutes.value = "40"             # another field: merged with theirs
    assert not ed.conflict
    assert [s["minutes"] for s in on_disk(session)["steps"][:2]] == [15, 40]
    assert ed.rows[0].minutes.value == "15"     # their value shown in place
    other = store.load_work(session, "g01")     # the same field: a real clash
    steps = [s.model_copy(update={"minutes": 50}) if s.id == "b" else s for s in other.steps]
    store.save_work(session, other.model_copy(update={"steps": steps}))
    ed.rows[1].minutes.value = "45"
    assert ed.conflict and "他のメンバー" in ed.status.value and ed.clash_box.children
    assert on_disk(session)["steps"][1]["minutes"] == 50         # never overwritten
    ed.reload_button.click()
    assert ed.rows[1].minutes.value == "50" and not ed.conflict
    ed.rows[1].minutes.value = "45"
    assert on_disk(session)["steps"][1]["minutes"] == 45


def test_to_be_changes_and_phases(session):
    ed = ToBeEditor(session, "g01", "ja", debounce_s=None)
    row = ed.rows[1]
    row.action.value = "automate"
    row.minutes_after.value = "5"
    row.phase.value = "redesign"
    row.uptake_dependent.value = True
    # B: As-Is 1200 × 0.5 × 20 / 60 = 200 h; To-Be full 50 h; at uptake 0.4:
    #    0.4 × 50 + 0.6 × 200 = 140 h -> staff 200 + 140 = 340 h, saved 60 h
    assert figure(ed, "hours_tobe") == "340.0時間／年"
    assert figure(ed, "hours_saved") == "60.0時間／年"
    assert "60.0時間" in ed.phases.value.split("</div>")[1]         # redesign phase
    steps = on_disk(session)["steps"]
    assert steps[1]["action"] == "automate" and steps[1]["minutes_after"] == 5
    assert steps[0]["minutes_after"] is None                        # untouched: follows As-Is
    ed.add_button.click()
    assert on_disk(session)["steps"][-1]["is_new"] is True
    ed.rows[-1].minutes_after.value = "6"      # new back-office step: +1200 × 6 / 60 = 120 h
    assert figure(ed, "hours_tobe") == "460.0時間／年"


def test_impact_costs_funding_and_ramp(session):
    ed = ImpactEditor(session, "g01", "ja", debounce_s=None)
    ed.initial.value = "2,000,000"                          # numbers are typed as text
    ed.add_funding()
    ed.funding_rows[0].rate.value = "50%"
    ed.funding_rows[0].cap_yen.value = "500,000"
    assert figure(ed, "subsidy") == "500,000円"             # min(0.5 × 2,000,000, 500,000)
    assert figure(ed, "general_fund") == "1,500,000円（5年）"     # the handout's unit: over the 5-year horizon
    ed.ramp.widget.value = "30%, 60%"
    assert on_disk(session)["uptake_by_year"] == [0.3, 0.6]
    ed.ramp.widget.value = "30%, abc"
    assert "年度別オンライン利用率" in ed.fields.slots[("uptake_by_year",)].value   # under it
    assert on_disk(session)["uptake_by_year"] == [0.3, 0.6]
    assert on_disk(session)["funding"][0]["cap_yen"] == 500000
    assert "3,000円" in ed.body.children[0].value           # session-wide, read-only


@pytest.mark.slow
def test_impact_renders_handout_in_subprocess(session):
    ed = ImpactEditor(session, "g01", "ja", debounce_s=None)
    ed.render_now(wait=True)
    assert (session / "handouts" / "g01.html").is_file()
    assert "data:text/html;base64," in ed.render_out.value


def test_selection_weights_scores_and_choice(session):
    ed = SelectionEditor(session, "g01", "ja", debounce_s=None)
    ids = list(ed.pick)
    for sid in ids:
        ed.pick[sid].value = sid in ids[:2]
    assert {o["system_id"] for o in on_disk(session)["candidates"]} == set(ids[:2])
    for c, slider in ed.weights.items():
        slider.value = 1.0 if c == "integration" else 0.0
    assert ed.shares["integration"].value == "100%"
    assert on_disk(session)["weights"]["integration"] == 1.0
    ed.scores[(ids[1], "integration")].value = 5
    ed.scores[(ids[0], "integration")].value = 1
    assert on_disk(session)["scores"][ids[1]]["integration"] == 5
    first = ed.ranking.value.split("<tr>")[2]              # the top row: score (5-1)/4 = 1
    assert ed.catalogue[1].name in first and "<td>100</td>" in first   # as the handout: 100点
    for sid in ids:                                        # a bundle (check boxes): costs add up
        ed.selected.boxes[sid].value = sid in ids[:2]
    saved = on_disk(session)
    assert [o["system_id"] for o in saved["systems"]] == [ids[0], ids[1]]
    assert saved["costs"]["initial_cost_yen"] == (ed.catalogue[0].initial_cost_yen
                                                  + ed.catalogue[1].initial_cost_yen)
    ed.weights["integration"].value = 0.0                   # every weight 0: refused
    assert "重み" in ed.fields.slots[("weights",)].value   # under the sliders
    assert on_disk(session)["weights"]["integration"] == 1.0


def test_live_chart_fast_update_matches_full_redraw(session):
    ed = AsIsEditor(session, "g01", "ja", debounce_s=None)
    ed.rows[0].minutes.value = "12"
    ed.rows[1].minutes.value = "18"
    chart = ed.charts["minutes_by_step"]
    assert chart.fast_redraws == 2 and chart.full_redraws == 1
    fast = np.asarray(Image.open(io.BytesIO(chart.image.value))).astype(int)
    ed.charts.update(ed.saved, ed.assumptions, force=True)
    full = np.asarray(Image.open(io.BytesIO(chart.image.value))).astype(int)
    assert fast.shape == full.shape
    assert (np.abs(fast - full) > 40).any(axis=2).mean() < 0.002


def test_debouncer_runs_last_call_once():
    calls = []
    d = Debouncer(0.05)
    d.schedule(lambda: calls.append(1))
    d.schedule(lambda: calls.append(2))
    deadline = time.monotonic() + 10           # a loaded CI machine may start the timer late
    while not calls and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.1)                            # room for a (wrong) second call to show up
    assert calls == [2] and not d.pending


def test_basics_exercise_feedback():
    ex = BasicsExercise("en")
    for (value, action, _), (_key, values, actions) in zip(ex.rows, SAMPLES, strict=True):
        value.value, action.value = sorted(values)[0], sorted(actions)[0]
    ex.rows[0][1].value = "keep"
    ex.check_button.click()
    assert ex.summary.value == f"{len(SAMPLES) - 1} of {len(SAMPLES)} right"
    assert "✗" in ex.rows[0][2].value and "✓" in ex.rows[1][2].value


def test_app_prepares_group_notebook_and_voila_command(session):
    import nbformat

    from kit.serve import app

    nb_file = notebooks.prepare_notebook(session, "g02", "01_as_is")
    nb = nbformat.read(nb_file, as_version=4)
    injected = "".join(c.source for c in nb.cells if "injected-parameters" in c.metadata.tags)
    assert "g02" in injected and str(session.resolve()) in injected
    cmd = app.voila_command(nb_file, 8899, "tok")
    assert "--Voila.ip=127.0.0.1" in cmd and "--strip_sources=True" in cmd
    with pytest.raises(Exception, match="notebook"):
        notebooks.notebook_source("../../etc/passwd")


def test_impact_ranges_saved_and_checked(session):
    ed = ImpactEditor(session, "g01", "ja", debounce_s=None)
    cases = on_disk(session)["annual_cases"]                 # demo g01: 1,200 a year
    rows = {r.name: r for r in ed.range_rows}
    rows["annual_cases"].low.value = "１，０００件"            # full-width, as typed in Japan
    rows["annual_cases"].high.value = "1500"
    assert on_disk(session)["ranges"]["annual_cases_low"] == 1000
    assert on_disk(session)["ranges"]["annual_cases_high"] == 1500
    rows["annual_cases"].low.value = str(cases + 1)          # above the likely value
    message = ed.fields.slots[("ranges", "annual_cases_low")].value     # under its row
    assert "年間件数" in message and "低 ≦ 見込み ≦ 高" in message
    assert "kit-invalid" in ed.fields.widgets[("ranges", "annual_cases_low")]._dom_classes
    assert on_disk(session)["ranges"]["annual_cases_low"] == 1000   # last valid state kept
    rows["annual_cases"].low.value = ""                      # blank: no lower bound
    assert on_disk(session)["ranges"]["annual_cases_low"] is None
