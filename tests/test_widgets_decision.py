"""The decision editors (03 system selection, 04 impact), headless: set widgets as a browser
does, check the disk, the message beside the field and the numbers the handout shows."""

from __future__ import annotations

import re

import pytest
from editing import STEPS, figure, on_disk, three_steps  # noqa: F401 - shared editor helpers

from kit.documents.handout import Handout
from kit.widgets.assumptions import ImpactEditor
from kit.widgets.selection import SelectionEditor

ASCII_WORD = re.compile(r"[A-Za-z_]{2,}")


@pytest.fixture
def session(demo_copy):
    return three_steps(demo_copy)   # as in test_widgets: no To-Be change (tests/editing.py)


def text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def slot(editor, *path) -> str:
    return text(editor.fields.slots[path].value)


def marked(editor, *path) -> bool:
    return "kit-invalid" in editor.fields.widgets[path]._dom_classes


# -- 03 system selection -------------------------------------------------------------------
def choose_two(ed):
    """online_form (initial 3,000,000円) and rpa (2,000,000円) as candidates; integration
    weighted 3, initial cost 1 (0.75 / 0.25); integration scored 5 and 1; online_form chosen."""
    for sid in list(ed.pick):
        ed.pick[sid].value = sid in ("online_form", "rpa")
    for c in list(ed.weights):
        ed.weights[c].value = {"integration": 3.0, "initial_cost": 1.0}.get(c, 0.0)
    ed.scores[("online_form", "integration")].value = 5
    ed.scores[("rpa", "integration")].value = 1
    for sid in list(ed.selected.boxes):
        ed.selected.boxes[sid].value = sid == "online_form"


def test_selection_shows_key_figures_ranking_win_shares_and_flip_as_the_handout(session):
    ed = SelectionEditor(session, "g01", "ja", debounce_s=None)
    choose_two(ed)
    saved = on_disk(session)
    assert [o["system_id"] for o in saved["candidates"]] == ["online_form", "rpa"]
    assert {sid for sid, _ in ed.scores} == {"online_form", "rpa"}     # score rows follow
    ed.pick["chatbot"].value = True                                 # out of scope, added
    assert ("chatbot", "integration") in ed.scores
    ed.pick["chatbot"].value = False
    assert {sid for sid, _ in ed.scores} == {"online_form", "rpa"}
    assert [o["system_id"] for o in saved["systems"]] == ["online_form"]
    # key figures: a table with numbers, not an empty caption
    assert '<table class="kit-key-figures">' in ed.figures.value
    assert figure(ed, "initial_cost") == "3,000,000円"
    assert figure(ed, "general_fund") == "12,000,000円（5年）"       # 3,000,000 + 5 × 1,800,000
    # NPV at 4 %: −3,000,000 − 1,800,000 × (1 − 1.04⁻⁵)/0.04 = −3,000,000 − 8,013,280
    assert figure(ed, "npv") == "-11,013,280円（5年）"
    assert figure(ed, "hours_saved") == "0.0時間／年"
    # ranking: online_form 0.75·1 + 0.25·0 = 75; rpa 0.75·0 + 0.25·1 = 25 (cheapest = 1)
    rows = re.findall(r"<tr><td>(\d)</td><td>([^<]+)</td><td>(\d+)</td><td>([^<]+)</td></tr>",
                      ed.ranking.value)
    assert rows == [("1", "オンライン申請システム（汎用電子申請）", "75", "100%"),
                    ("2", "RPA（定型入力の自動化）", "25", "0%")]
    # flip: initial cost x: online 1 − x, rpa x; they tie at x = 50 %
    flip = text(ed.flip.value)
    assert ("「初期費用」の重みを25%から50%まで変えると、1位が「オンライン申請システム"
            "（汎用電子申請）」から「RPA（定型入力の自動化）」に入れ替わります。") in flip
    # the same as the handout rendered from the saved workspace
    handout = Handout(session, "g01", "ja").selection_html()
    ranking = re.search(r'<table class="ranking">.*?</table>', handout).group(0)
    assert re.search(r"<tbody>.*</tbody>", ranking).group(0) == \
        re.search(r"<tbody>.*</tbody>", ed.ranking.value).group(0)
    assert re.search(r"<p>(.*?)</p>", handout).group(1) in ed.flip.value


def test_selection_scores_and_weights_have_accessible_names(session):
    ed = SelectionEditor(session, "g01", "ja", debounce_s=None)
    choose_two(ed)
    assert ed.fields.names[("scores", "rpa", "integration")] == \
        "RPA（定型入力の自動化） 既存システムとの連携"
    assert ed.scores[("rpa", "integration")].description.endswith("既存システムとの連携")
    assert ed.weights["initial_cost"].description == "初期費用"
    assert "主要な数値" in ed.figures.value and "<tr>" in ed.figures.value


def test_candidate_added_by_hand_is_saved_scored_and_chosen(session):
    ed = SelectionEditor(session, "g01", "ja", debounce_s=None)
    choose_two(ed)
    ed.new_name.value = "Kintone 申請管理"
    ed.new_initial.value = "１，２００，０００円"                  # full-width, as typed
    ed.new_annual.value = "600,000"
    ed.new_enables.value = ("online", "rpa")
    option = ed.add_candidate()
    assert option.system_id == "kintone"
    saved = {o["system_id"]: o for o in on_disk(session)["candidates"]}
    assert set(saved) == {"online_form", "rpa", "kintone"}
    assert saved["kintone"]["initial_cost_yen"] == 1_200_000
    assert saved["kintone"]["annual_cost_yen"] == 600_000
    assert saved["kintone"]["enables"] == "online;rpa"
    ed.scores[("kintone", "integration")].value = 4                 # it can be scored ...
    assert on_disk(session)["scores"]["kintone"]["integration"] == 4
    ed.selected.boxes["kintone"].value = True                      # ... and chosen
    assert "kintone" in [o["system_id"] for o in on_disk(session)["systems"]]
    assert "Kintone 申請管理" in ed.ranking.value


def test_candidate_by_hand_bad_cost_is_shown_under_the_form(session):
    ed = SelectionEditor(session, "g01", "ja", debounce_s=None)
    before = on_disk(session)
    ed.new_name.value = "独自システム"
    ed.new_initial.value = "たくさん"
    assert ed.add_candidate() is None
    message = text(ed.new_fields.slots[()].value)
    assert "初期費用（円）" in message and "たくさん" in message
    assert "kit-invalid" in ed.new_fields.widgets[("initial_cost_yen",)]._dom_classes
    assert on_disk(session)["candidates"] == before["candidates"]
    ed.new_initial.value = "0"
    option = ed.add_candidate()
    assert option.system_id.startswith("own-")                      # no ASCII in the name


# -- 04 impact -----------------------------------------------------------------------------
def test_uptake_above_one_is_marked_beside_its_field_and_not_saved(session):
    ed = ImpactEditor(session, "g01", "ja", debounce_s=None)
    ed.uptake.value = "1.5"
    assert marked(ed, "uptake")
    message = slot(ed, "uptake")
    assert "オンライン利用率" in message and "1.5" in message
    # the message line comes right after the uptake field
    children = list(ed.body.children)
    assert children[children.index(ed.uptake) + 1] is ed.fields.slots[("uptake",)]
    assert ed.error.value == ""
    assert on_disk(session)["uptake"] == 0.4                        # nothing saved
    ed.uptake.value = "30%"
    assert on_disk(session)["uptake"] == 0.3
    assert not marked(ed, "uptake") and slot(ed, "uptake") == ""


def test_session_funding_source_is_added_and_typed_numbers_read(session):
    ed = ImpactEditor(session, "g01", "ja", debounce_s=None)
    sources = {s.funding_id: s for s in ed.session.funding_sources}
    offered = dict(ed.source_choice.options)
    ed.source_choice.value = offered["県市町村DX推進補助金（仮称）"]
    ed.add_source_button.click()
    funding = on_disk(session)["funding"]
    assert [f["funding_id"] for f in funding] == ["pref_dx_hojo"]
    assert funding[0]["rate"] == sources["pref_dx_hojo"].rate == 0.33
    assert funding[0]["cap_yen"] == 3_000_000
    assert "県市町村DX推進補助金（仮称）" not in dict(ed.source_choice.options)
    ed.initial.value = "6,000,000"
    # subsidy = min(0.33 × 6,000,000, 3,000,000) = 1,980,000
    assert figure(ed, "subsidy") == "1,980,000円"
    ed.fields.widgets[("funding", "pref_dx_hojo", "rate")].value = "50%"
    assert on_disk(session)["funding"][0]["rate"] == 0.5
    assert figure(ed, "subsidy") == "3,000,000円"                   # min(3,000,000, cap)
    ed.add_funding()                                                # a row typed by hand
    ids = [f["funding_id"] for f in on_disk(session)["funding"]]
    assert ids[0] == "pref_dx_hojo" and ids[1].startswith("own-")


@pytest.mark.parametrize("path", [("costs", "initial_cost_yen"), ("costs", "annual_cost_yen"),
                                  ("ranges", "uptake_low"), ("ranges", "initial_cost_high"),
                                  ("funding", "dx_kofukin", "rate"),
                                  ("funding", "dx_kofukin", "cap_yen"),
                                  ("funding", "dx_kofukin", "eligible_share")])
def test_japanese_messages_name_fields_in_japanese(session, path):
    ed = ImpactEditor(session, "g01", "ja", debounce_s=None)
    ed.add_session_source(0)                                        # dx_kofukin
    before = on_disk(session)
    ed.fields.widgets[path].value = "たくさん"
    assert marked(ed, *path)
    message = text(ed.fields._slot_for(path).value)
    assert "たくさん" in message and "数値" in message
    assert ASCII_WORD.findall(message) == [], message              # no "funding", "costs" …
    assert on_disk(session) == before


def test_range_order_message_is_under_its_row(session):
    ed = ImpactEditor(session, "g01", "ja", debounce_s=None)
    ed.fields.widgets[("ranges", "uptake_high")].value = "20%"      # below the likely 40 %
    assert marked(ed, "ranges", "uptake_high")
    message = slot(ed, "ranges", "uptake_high")
    assert "オンライン利用率" in message and ASCII_WORD.findall(message) == []
    assert on_disk(session)["ranges"]["uptake_high"] is None


def test_impact_buttons_are_not_cut(session):
    ed = ImpactEditor(session, "g01", "ja", debounce_s=None)
    for button in (ed.render_button, ed.add_source_button):
        assert button.layout.width == "auto"
