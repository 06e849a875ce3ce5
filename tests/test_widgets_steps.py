"""The step editors 01 (As-Is) and 02 (To-Be) as a participant uses them: every field found
by its accessible name, numbers typed as clerks type them, a bad value shown beside its
field, capabilities as labelled check boxes, why a change does not count yet, the import's
message. Figures are hand-computed."""

from __future__ import annotations

import pytest
from editing import STEPS, figure, on_disk, three_steps  # noqa: F401 - shared editor helpers

from kit.domain.model import SystemOption
from kit.io import store
from kit.io.steps import STEP_COLUMNS
from kit.widgets.as_is import AsIsEditor
from kit.widgets.to_be import ToBeEditor

RPA = SystemOption(system_id="rpa", name="RPA", enables="rpa")
ONLINE = SystemOption(system_id="online_form", name="電子申請", enables="online;e_payment")


def _session(demo_copy, systems=()):
    return three_steps(demo_copy, systems)      # 400 As-Is staff hours (tests/editing.py)


@pytest.fixture
def session(demo_copy):
    """The three steps, no system chosen and no cost (nothing delivers a redesign)."""
    return _session(demo_copy)


def field(editor, name: str):
    """The field a screen reader (or a test) finds by its accessible name."""
    (path,) = [p for p, n in editor.fields.names.items() if n == name]
    return editor.fields.widgets[path]


def invalid(widget) -> bool:
    return "kit-invalid" in widget._dom_classes


# --- names ----------------------------------------------------------------------------------
def test_every_step_field_has_a_unique_accessible_name(session):
    as_is = AsIsEditor(session, "g01", "ja", debounce_s=None)
    to_be = ToBeEditor(session, "g01", "ja", debounce_s=None)
    to_be.add_button.click()                            # a step the redesign adds: 手順4
    ids = [s["id"] for s in on_disk(session)["steps"]]
    edited: set[str] = set()
    for ed in (as_is, to_be):
        names = ed.fields.names
        assert len(set(names.values())) == len(names)                  # unique
        for path, name in names.items():
            assert name.strip()
            if path[0] == "steps":
                assert name.startswith(f"手順{ids.index(path[1]) + 1} ")
                edited.add(path[2])
            widget = ed.fields.widgets[path]
            said = (getattr(widget, "description", ""), getattr(widget, "tooltip", ""),
                    getattr(widget, "name", ""))      # label, or tooltip (check boxes)
            assert name in said
    assert field(as_is, "手順3 所要時間(分)").value == "30"
    assert field(as_is, "手順3 担当").value == "resident"
    assert field(as_is, "年間件数").value == "1200"
    assert field(to_be, "手順2 見直し後(分)").value == ""           # blank: As-Is minutes
    assert field(to_be, "手順4 手順名").value == "新しい手順4"
    # every column of the steps sheet is editable in 01 or 02 (share/wait after: sheet only)
    sheet = {name for name, _ in STEP_COLUMNS} - {"share_after", "wait_days_after", "is_new"}
    assert sheet <= edited


def test_header_is_aligned_with_the_columns(session):
    ed = AsIsEditor(session, "g01", "ja", debounce_s=None)
    header = next(w for w in ed.body.children if "kit-step-head" in w._dom_classes)
    cells, line = header.children, ed.rows[0].line.children
    assert len(cells) == len(line)
    for cell, widget in list(zip(cells, line, strict=True))[:-1]:     # the buttons: no header
        assert (cell.layout.width, cell.layout.flex, cell.layout.min_width) == \
            (widget.layout.width, widget.layout.flex, widget.layout.min_width)
    assert ed.rows[0].message in ed.rows[0].widget.children          # the slot: under the row
    assert ed.rows[0].widget.children.index(ed.rows[0].message) == 1


# --- numbers as clerks type them ------------------------------------------------------------
def test_shares_and_minutes_typed_with_units_and_full_width(session):
    ed = AsIsEditor(session, "g01", "ja", debounce_s=None)
    share = field(ed, "手順1 対象割合")
    share.value = "50%"                  # 1200 × (0.5 × 10 + 0.5 × 20) / 60 = 300 h
    assert on_disk(session)["steps"][0]["share"] == 0.5
    assert figure(ed, "hours_asis") == "300.0時間／年"
    share.value = "1"
    assert figure(ed, "hours_asis") == "400.0時間／年"
    share.value = "５０％"               # full-width, as typed with a Japanese IME
    assert on_disk(session)["steps"][0]["share"] == 0.5
    assert figure(ed, "hours_asis") == "300.0時間／年"
    field(ed, "手順2 所要時間(分)").value = "１５分"   # 1200 × (0.5 × 10 + 0.5 × 15) / 60 = 250 h
    assert on_disk(session)["steps"][1]["minutes"] == 15
    assert figure(ed, "hours_asis") == "250.0時間／年"
    field(ed, "手順1 単価(円)").value = "110円"
    field(ed, "手順1 手続").value = "転入;国保"
    field(ed, "年間件数").value = "1,500件"          # 1500 × 12.5 / 60 = 312.5 h
    data = on_disk(session)
    assert data["steps"][0]["unit_cost_yen"] == 110 and data["steps"][0]["procedure"] == "転入;国保"
    assert data["annual_cases"] == 1500 and figure(ed, "hours_asis") == "312.5時間／年"


def test_text_in_a_number_field_is_shown_beside_it_and_nothing_is_saved(session):
    ed = AsIsEditor(session, "g01", "ja", debounce_s=None)
    minutes = field(ed, "手順2 所要時間(分)")
    minutes.value = "25"
    assert "保存しました" in ed.status.value
    rev = on_disk(session)["revision"]
    minutes.value = "abc"
    assert invalid(minutes)
    slot = ed.rows[1].message.value
    assert "手順2" in slot and "所要時間(分)" in slot and "abc" in slot and 'role="alert"' in slot
    assert ed.rows[0].message.value == ed.rows[2].message.value == ""   # only that row
    assert ed.error.value == ""                                         # not under the editor
    assert "保存しました" not in ed.status.value and "赤い枠" in ed.status.value
    assert on_disk(session)["revision"] == rev and on_disk(session)["steps"][1]["minutes"] == 25
    minutes.value = "30"                                                # fixed: saved, unmarked
    assert not invalid(minutes) and ed.rows[1].message.value == ""
    assert on_disk(session)["steps"][1]["minutes"] == 30 and "保存しました" in ed.status.value
    cases = field(ed, "年間件数")
    cases.value = "たくさん"
    assert invalid(cases) and "たくさん" in ed.fields.slots[("annual_cases",)].value
    assert on_disk(session)["annual_cases"] == 1200


# --- 02: the change of each step ------------------------------------------------------------
def test_to_be_needs_realised_as_and_costs(session):
    ed = ToBeEditor(session, "g01", "ja", debounce_s=None)
    needs = field(ed, "手順2 必要な機能")
    labels = {key: box.description for key, box in needs.boxes.items()}
    assert labels["rpa"] == "RPA（自動入力）" and labels["online"] == "オンライン申請"
    needs.boxes["rpa"].value = True
    needs.boxes["online"].value = True
    assert on_disk(session)["steps"][1]["needs"] == "online;rpa"
    realised = field(ed, "手順2 効果の出方")
    assert realised.value == "" and realised.label == "会の既定（再配置）"
    realised.value = "overtime"
    assert on_disk(session)["steps"][1]["realised_as"] == "overtime"
    realised.value = ""
    assert on_disk(session)["steps"][1]["realised_as"] is None
    cost = field(ed, "手順2 見直し後単価(円)")
    cost.value = "８０円"
    assert on_disk(session)["steps"][1]["unit_cost_after_yen"] == 80
    cost.value = ""                                        # blank: unchanged
    assert on_disk(session)["steps"][1]["unit_cost_after_yen"] is None
    field(ed, "手順2 見直し後(分)・低").value = "4"
    field(ed, "手順2 見直し後(分)").value = "5"
    field(ed, "手順2 見直し後(分)・高").value = "8"
    step = on_disk(session)["steps"][1]
    assert (step["minutes_after_low"], step["minutes_after"], step["minutes_after_high"]) == \
        (4, 5, 8)
    field(ed, "手順2 見直し後(分)・低").value = "6"            # above the likely 5: refused
    assert "手順2" in ed.rows[1].message.value and on_disk(session)["steps"][1][
        "minutes_after_low"] == 4


def test_why_a_redesign_does_not_count_yet(demo_copy):
    session = _session(demo_copy)
    ed = ToBeEditor(session, "g01", "ja", debounce_s=None)
    row = ed.rows[1]
    field(ed, "手順2 見直し").value = "automate"
    field(ed, "手順2 見直し後(分)").value = "5"
    assert ed.rows[1].why.value == ""                      # a quick win counts: no note
    # B: 1200 × 0.5 × (20 − 5) / 60 = 150 h saved as a quick win
    assert figure(ed, "hours_saved") == "150.0時間／年"
    field(ed, "手順2 段階").value = "redesign"
    assert "システムが未選択のため、まだ効果に数えていません（「3. システム選定」で選びます）" \
        in row.why.value
    assert figure(ed, "hours_saved") == "0.0時間／年"       # not delivered: reverted
    field(ed, "手順2 必要な機能").boxes["rpa"].value = True
    assert "システムが未選択のため" in row.why.value            # tagged, still no system
    work = store.load_work(session, "g01")                 # 03: the online form is chosen
    store.save_work(session, work.model_copy(update={"systems": [ONLINE]}))
    ed = ToBeEditor(session, "g01", "ja", debounce_s=None)
    assert "選んだシステムに『RPA（自動入力）』がないため数えていません" in ed.rows[1].why.value
    assert "rpa" not in ed.rows[1].why.value
    assert ed.rows[0].why.value == ""
    work = store.load_work(session, "g01")                 # RPA added: it counts
    store.save_work(session, work.model_copy(update={"systems": [ONLINE, RPA]}))
    ed = ToBeEditor(session, "g01", "ja", debounce_s=None)
    assert ed.rows[1].why.value == "" and figure(ed, "hours_saved") == "150.0時間／年"


def test_to_be_follows_another_members_save_in_place(session):
    ed = ToBeEditor(session, "g01", "ja", debounce_s=60)
    needs, realised = field(ed, "手順2 必要な機能"), field(ed, "手順2 効果の出方")
    other = store.load_work(session, "g01")
    steps = [s.model_copy(update={"needs": "ocr", "realised_as": "contract"})
             if s.id == "b" else s for s in other.steps]
    store.save_work(session, other.model_copy(update={"steps": steps}))
    assert ed.poll_workspace()
    assert field(ed, "手順2 必要な機能") is needs                 # not rebuilt
    assert needs.value == ("ocr",) and realised.value == "contract"
    other = store.load_work(session, "g01")
    steps = [s.model_copy(update={"realised_as": None}) if s.id == "b" else s
             for s in other.steps]
    store.save_work(session, other.model_copy(update={"steps": steps}))
    assert ed.poll_workspace() and realised.value == ""          # the session default again


# --- import in the browser ------------------------------------------------------------------
SHEET = ("手順,担当,所要時間(分)\n"
         "受付,窓口,12\n"
         "審査,担当,30\n"
         "合計,,42\n"
         "※ 時間は1件あたりの平均\n")


def test_import_names_the_file_counts_skipped_rows_and_pins_the_steps_before(session):
    ed = AsIsEditor(session, "g01", "ja", debounce_s=None)
    before = on_disk(session)["revision"]
    ed.import_file("C:\\Users\\clerk\\窓口の手順.csv", SHEET.encode("cp932"))
    data = on_disk(session)
    assert [s["minutes"] for s in data["steps"]] == [12, 30]
    assert figure(ed, "hours_asis") == "840.0時間／年"           # 1200 × 42 / 60
    note = ed.import_note.value
    assert "「窓口の手順.csv」から手順を2件読み込みました" in note
    assert "2行を読み飛ばしました" in note
    assert "4行目（合計）" in note and "5行目（※ 時間は1件あたりの平均）" in note
    assert "これまでの手順3件を置き換えました" in note
    assert f"ファシリテーターに保存番号 {before} を伝えると元に戻せます" in note
    pinned = [r for r in store.history(session, "g01") if r["pinned"]]
    assert [r["revision"] for r in pinned] == [before] and "窓口の手順.csv" in pinned[0]["reason"]
    assert [r.id for r in ed.rows] == [s["id"] for s in data["steps"]]     # rows redrawn


def test_import_error_names_the_uploaded_file_and_changes_nothing(session):
    ed = AsIsEditor(session, "g01", "ja", debounce_s=None)
    rev = on_disk(session)["revision"]
    ed.import_file("課の手順.csv", "手順,担当,所要時間(分)\n受付,窓口,-3\n".encode())
    assert "課の手順.csv" in ed.error.value and "steps.csv" not in ed.error.value
    assert "所要時間" in ed.error.value and "2行目" in ed.error.value
    assert on_disk(session)["revision"] == rev and len(on_disk(session)["steps"]) == 3
    ed.import_file("手順.txt", b"x")                        # a file the import cannot read
    assert "「手順.txt」を取り込めませんでした" in ed.error.value
    assert not [r for r in store.history(session, "g01") if r["pinned"]]
