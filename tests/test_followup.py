"""Follow-up actuals (store, comparison, widget) and the decision sections of the handout."""

import re

import pytest

from kit.documents.handout import Handout
from kit.domain.after import followup
from kit.domain.model import Assumptions, GroupWork, Session, SystemOption
from kit.exceptions import InputError
from kit.io import store
from kit.workspace.followup import record_actuals

A = Assumptions(labour_cost_yen_per_hour=3000, horizon_years=5, discount_rate=0.0, uptake=0.3)


def work() -> GroupWork:
    return GroupWork.parse({
        "group_id": "g1", "theme": "児童手当", "annual_cases": 1000, "uptake": 0.5,
        "steps": [
            {"id": "a", "name": "受付", "actor": "counter", "minutes": 10,
             "action": "simplify", "minutes_after": 6, "minutes_after_low": 5,
             "minutes_after_high": 8},
            {"id": "b", "name": "入力", "actor": "back_office", "minutes": 9,
             "action": "automate", "minutes_after": 0, "uptake_dependent": True,
             "phase": "redesign", "needs": "online"},
            {"id": "c", "name": "決裁", "actor": "approver", "minutes": 5},
        ],
        "costs": {"initial_cost_yen": 2_000_000, "annual_cost_yen": 100_000},
        # the chosen system enables "online": step b's change counts (kit.domain.money.bundle)
        "systems": [{"system_id": "form", "name": "電子申請", "enables": "online"}],
        "funding": [{"name": "交付金", "rate": 0.5, "cap_yen": 800_000},
                    {"name": "県補助", "rate": 0.1, "assumption": False}],
    })


@pytest.fixture()
def session(tmp_path):
    systems = [SystemOption(system_id="form", name="電子申請", enables="online",
                            initial_cost_yen=2_000_000, annual_cost_yen=100_000),
               SystemOption(system_id="ocr", name="AI-OCR", enables="ocr",
                            initial_cost_yen=500_000, integration=2)]
    store.create_session(tmp_path / "s", Session(name="test", assumptions=A, systems=systems),
                         [work()])
    return tmp_path / "s"


def test_record_and_compare_by_hand(session):
    before = store.load_work(session, "g1").revision
    saved = record_actuals(session, "g1", measured_on="2027-10-01",
                           minutes={"a": 7}, annual_cases=1200, uptake=0.4)
    assert saved.revision == before + 1 and store.load_work(session, "g1").actuals.minutes == {"a": 7}
    saved = record_actuals(session, "g1", minutes={"b": 1})     # merged, not replaced
    assert saved.actuals.minutes == {"a": 7, "b": 1} and saved.actuals.uptake == 0.4
    totals = followup.compare_totals(saved, A)
    # forecast: 1000·4/60 + 0.5·1000·9/60 = 141.667 h
    assert totals.loc["hours_saved", "forecast"] == pytest.approx(1000 * 4 / 60 + 75)
    # actual: 1200·3/60 + 0.4·1200·8/60 = 60 + 64 = 124 h
    assert totals.loc["hours_saved", "actual"] == pytest.approx(124)
    assert totals.loc["annual_cases", "diff"] == 200
    steps = followup.compare_steps(saved, A).set_index("id")
    assert steps.loc["a", "diff_minutes"] == 1 and steps.loc["a", "within_range"] == 1
    assert steps.loc["b", "within_range"] == 0          # no range: 1 min != forecast 0
    assert steps.loc["c", "actual_minutes"] != steps.loc["c", "actual_minutes"]   # NaN


def test_bad_actuals_keep_the_file(session):
    before = store.path("work", session, "g1").read_bytes()
    with pytest.raises(InputError) as err:
        record_actuals(session, "g1", minutes={"zzz": 3})
    assert "zzz" in err.value.message_ja
    with pytest.raises(InputError):
        record_actuals(session, "g1", measured_on="来年")
    with pytest.raises(InputError):
        record_actuals(session, "g1", uptake=1.5)
    assert store.path("work", session, "g1").read_bytes() == before


def test_widget_saves_and_refuses(session):
    from kit.widgets.follow_up import FollowUpEditor
    ed = FollowUpEditor(session, "g1", "ja", debounce_s=None)
    ed.measures["uptake"].value = "40%"
    ed.minutes["a"].value = "７"            # full-width digit
    disk = store.load_work(session, "g1").actuals
    assert disk.uptake == pytest.approx(0.4) and disk.minutes == {"a": 7.0}
    assert "124" not in ed.figures.value and "kit-follow-up" in ed.figures.value
    ed.measures["annual_cases"].value = "たくさん"
    assert "たくさん" in ed.error.value
    assert store.load_work(session, "g1").actuals.annual_cases is None


# --- handout fragments (no kernel) ----------------------------------------------------------
def _text(fragment: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]+"', "", fragment))


def test_key_figures_show_ranges(session):
    h = Handout(session, "g1")
    text = _text(h.key_figures_html())
    assert text.count("P10〜P90") >= 5
    # step a has a range 5–8 min around 6: hours saved P10 < P50 < P90 around 141.7 h
    p10, p50, p90 = h.forecast.p("hours_saved")
    assert p10 < p50 < p90 and p10 < 1000 * 4 / 60 + 75 < p90
    # costs have no range: P10 = P50 = P90 = 2,000,000 + 5 × 100,000 − 1,000,000
    assert "1,500,000円" in text and "（幅の入力なし）" not in text     # one note, not per figure


def test_funding_section_by_hand(session):
    text = _text(Handout(session, "g1").funding_html())
    # 0.5 × 2,000,000 = 1,000,000 capped at 800,000; 0.1 × 2,000,000 = 200,000
    assert "800,000円 (上限額で頭打ち)" in text and "200,000円" in text
    # general fund over 5 years: 2,000,000 + 5 × 100,000 − 1,000,000
    assert "1,500,000円" in text and "要確認" in text and "交付要綱" in text


def test_roadmap_and_selection_sections(session):
    h = Handout(session, "g1", lang="en")
    roadmap = _text(h.roadmap_html())
    assert roadmap.index("Phase 1") < roadmap.index("Phase 2")
    # phase 1: step a, 1000 × 4 / 60 = 66.7 h likely, with a range (5–8 min around 6):
    # the table shows the likely 66.7 h with its P10–P90; phase 2 has no range: exactly 75.0 h
    p10, _, p90 = h.forecast.p("quick_win_hours_saved")
    assert p10 < 1000 * 4 / 60 < p90
    assert f"{p10:,.1f} h" in roadmap and f"{p90:,.1f} h" in roadmap
    assert re.search(r"66\.7 h\s+\(P10", roadmap)
    assert re.search(r"75\.0 h(?!\s*\(P10)", roadmap)          # exactly, no range shown
    sel = _text(h.selection_html())
    assert "chance of ranking first" in sel and "no system (quick wins only)" in sel
    assert "Other municipalities' adoption" in sel
    assert h.follow_up_html() == ""
    assert "No input has a low/high range" not in _text(h.uncertainty_html())


def test_follow_up_section(session):
    record_actuals(session, "g1", measured_on="2027-10-01", minutes={"a": 9})
    text = _text(Handout(session, "g1").follow_up_html())
    assert "2027年10月1日" in text and "見込みの幅の外" in text and "受付" in text
    # realised 1000 × (10 − 9)/60 + 0.5 × 1000 × 9/60 = 16.7 + 75 = 91.7 h of 141.7 h: 65 %;
    # step a carries 1000 × 4/60 = 66.7 h of the 141.7 h proposed: 47 %
    assert "実現率 65%" in text and "91.7時間／見込み 141.7時間" in text and "47%" in text
