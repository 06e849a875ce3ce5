"""Levers suggested per step (kit.domain.levers): the bundled catalogue is complete and
cited, a hand-labelled set of clerk-written steps is recalled, the flow rules look at the
steps around, a session extends the catalogue, and ``kit steps suggest --json`` has its shape."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from kit import i18n
from kit.cli import main
from kit.domain import levers as L
from kit.domain.model import GroupWork, Step
from kit.domain.money import bundle
from kit.exceptions import InputError
from kit.io.levers import SESSION_FILE, bundled_file, load_catalogue

CASES = Path(__file__).resolve().parent / "data" / "lever_cases.yaml"
ACTIONS = {"eliminate", "combine", "rearrange", "simplify", "automate"}


@pytest.fixture(scope="module")
def catalogue() -> L.Catalogue:
    return load_catalogue()


def _cases() -> list[dict]:
    return yaml.safe_load(CASES.read_text(encoding="utf-8"))


def _step(case: dict) -> Step:
    return Step(**{k: v for k, v in case.items() if k != "expect"})


# --- the catalogue ---------------------------------------------------------------------
def test_catalogue_has_20_to_30_cited_levers(catalogue):
    assert 20 <= len(catalogue.levers) <= 30
    for lever in catalogue.levers:
        assert lever.label.ja and lever.label.en, lever.id
        assert lever.effect.ja and lever.effect.en, lever.id
        assert lever.action.value in ACTIONS, lever.id
        src = lever.source
        assert src.title and src.publisher and 1990 <= src.year <= 2100, lever.id
        assert re.match(r"^https?://\S+$", src.url), lever.id
        dt.date.fromisoformat(src.checked)


def test_every_needed_capability_has_a_label_in_both_languages(catalogue):
    for lever in catalogue.levers:
        for tag in lever.needs:
            for lang in i18n.LANGS:
                assert bundle.capability_label(tag, lang) != tag, (lever.id, tag, lang)


def test_effects_are_cases_not_rates_to_apply(catalogue):
    """An effect names where (a city, ward, prefecture or the national guidance)."""
    for lever in catalogue.levers:
        assert re.search(r"[市区町村県省府]|国|政府|規制改革|情報連携|ネットワーク",
                         lever.effect.ja), lever.id


def test_bundled_catalogue_is_found_as_a_resource():
    assert bundled_file().is_file()


# --- recall on clerk-written steps -------------------------------------------------------
def test_hand_labelled_set_is_recalled(catalogue):
    cases = _cases()
    assert len(cases) >= 40
    expected = found = 0
    for case in cases:
        got = [x.id for x in L.suggest_step([_step(case)], 0, catalogue)]
        assert len(got) <= L.MAX_PER_STEP
        expected += len(case["expect"])
        found += sum(e in got for e in case["expect"])
    assert found / expected >= 0.9, f"recall {found}/{expected}"


def test_value_adding_steps_of_the_set_get_nothing(catalogue):
    value_adding = [c for c in _cases() if c.get("value") == "value_adding"]
    assert len(value_adding) >= 5
    for case in value_adding:
        assert L.suggest_step([_step(case)], 0, catalogue) == [], case["name"]


def test_variants_and_full_width_text_match(catalogue):
    for name in ("ハンコをもらう", "はんこをもらう", "押なつ", "ｈａｎｋｏ 押印"):
        assert "seal_review" in [x.id for x in L.suggest_step([Step(name=name)], 0, catalogue)]


def test_pain_text_counts(catalogue):
    step = Step(name="受付", pain="記入漏れが多く差し戻しになる", actor="counter")
    assert L.suggest_step([step], 0, catalogue)[0].id == "form_validation"


# --- flow-aware rules ------------------------------------------------------------------
def _ids(steps: list[Step], catalogue) -> list[list[str]]:
    work = GroupWork(group_id="g01", theme="t", steps=steps)
    return [[x.id for x in found] for found in L.suggest(work, catalogue)]


def test_online_form_then_rekeying_suggests_rpa_first(catalogue):
    ids = _ids([Step(name="申請を受け付ける", channel="online", actor="system"),
                Step(name="申請内容を確認して台帳へ", actor="back_office", channel="paper",
                     pain="取り込み作業が毎日ある")], catalogue)
    assert ids[1][0] == "rpa"
    # the same step after a paper step: no flow rule, and no word names RPA
    ids = _ids([Step(name="窓口で受け取る", channel="paper", actor="counter"),
                Step(name="申請内容を確認して台帳へ", actor="back_office", channel="paper")],
               catalogue)
    assert "rpa" not in ids[1]


def test_certificate_check_after_a_resident_record_step_suggests_linkage(catalogue):
    ids = _ids([Step(name="市民課で住民票を取ってきてもらう", actor="resident"),
                Step(name="提出書類の確認", actor="back_office", channel="paper")], catalogue)
    assert ids[1][0] == "info_link"
    ids = _ids([Step(name="申請を受け付ける", actor="counter"),
                Step(name="提出書類の確認", actor="back_office", channel="paper")], catalogue)
    assert "info_link" not in ids[1]


def test_counter_steps_in_a_row_suggest_one_stop(catalogue):
    steps = [Step(name="市民課で届出", actor="counter", channel="counter"),
             Step(name="保険の手続", actor="counter", channel="counter"),
             Step(name="審査", actor="back_office", channel="system")]
    ids = _ids(steps, catalogue)
    assert "one_stop" in ids[0] and "one_stop" in ids[1]
    assert "one_stop" not in ids[2]
    alone = _ids([Step(name="保険の手続", actor="counter", channel="counter")], catalogue)
    assert "one_stop" not in alone[0]


def test_flow_rules_skip_a_value_adding_step(catalogue):
    ids = _ids([Step(name="窓口で申請を聞き取る", actor="counter", channel="counter"),
                Step(name="支援方針の相談", actor="counter", channel="counter",
                     value="value_adding")], catalogue)
    assert ids[1] == []


def test_value_adding_step_with_its_own_trigger_words_gets_them(catalogue):
    ids = _ids([Step(name="決裁を受けて支給を判断", actor="approver",
                     value="value_adding")], catalogue)
    assert ids[0][0] == "e_approval"


def test_at_most_three_per_step(catalogue):
    step = Step(name="来庁して手書きで記入し押印、現金で手数料を納付し順番待ち",
                actor="resident", channel="counter", pain="電話で問い合わせも多い")
    assert len(L.suggest_step([step], 0, catalogue)) == 3


# --- a session's own levers --------------------------------------------------------------
def test_session_levers_override_and_add(tmp_path):
    base = load_catalogue()
    seal = base.by_id()["seal_review"].model_dump(mode="json")
    seal["effect"] = {"ja": "当市（2025年）：独自の見直し", "en": "Our city (2025): own review"}
    mine = dict(seal, id="my_lever", triggers=["ふせん"])
    (tmp_path / SESSION_FILE).write_text(
        yaml.safe_dump({"levers": [seal, mine]}, allow_unicode=True), encoding="utf-8")
    merged = load_catalogue(tmp_path)
    assert len(merged.levers) == len(base.levers) + 1
    assert merged.by_id()["seal_review"].effect.ja.startswith("当市")
    assert [x.id for x in L.suggest_step([Step(name="ふせんを貼る")], 0, merged)] == \
        ["my_lever"]
    assert load_catalogue(tmp_path / "none").levers == base.levers


def test_a_bad_catalogue_is_an_input_error():
    lever = load_catalogue().levers[0].model_dump(mode="json")
    with pytest.raises(InputError):
        L.parse_catalogue({"levers": [dict(lever, source={"title": "x"})]})
    with pytest.raises(InputError):
        L.parse_catalogue({"levers": [lever, lever]})


# --- the command ---------------------------------------------------------------------------
def test_cli_json_shape(demo_session, capsys):
    assert main(["steps", "suggest", str(demo_session), "g01", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    work = GroupWork.parse(json.loads((demo_session / "groups" / "g01" / "work.json")
                                      .read_text(encoding="utf-8")))
    assert [r["step"] for r in rows] == list(range(1, len(work.steps) + 1))
    assert [r["name"] for r in rows] == [s.name for s in work.steps]
    some = [s for r in rows for s in r["suggestions"]]
    assert some
    for s in some:
        assert set(s) == {"lever", "label", "action", "needs", "effect", "source"}
        assert isinstance(s["needs"], list) and s["action"] in ACTIONS
        assert set(s["source"]) == {"title", "publisher", "year", "url", "checked"}


def test_cli_text_is_japanese_by_default_and_english_on_request(demo_session, capsys):
    assert main(["steps", "suggest", str(demo_session), "g01"]) == 0
    out = capsys.readouterr().out
    assert "出典" in out and "事例" in out
    assert main(["steps", "suggest", str(demo_session), "g01", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Source:" in out and "出典" not in out


# --- taking and dismissing; the handout; the 02 editor ---------------------------------------
def test_taking_a_lever_sets_action_needs_phase_and_uptake(catalogue):
    by_id = catalogue.by_id()
    step = Step(name="来庁して申請書を提出", actor="resident", channel="counter", needs="rpa")
    update = L.applied(step, by_id["online_application"])
    assert update == {"action": by_id["online_application"].action, "needs": "rpa;online",
                      "phase": L.Phase.redesign, "uptake_dependent": True}
    update = L.applied(step, by_id["seal_review"])      # needs no system: phase untouched
    assert set(update) == {"action", "needs"}


def test_review_marks_taken_dismissed_and_open(catalogue):
    step = Step(id="s1", name="平日に窓口へ来て手続", pain="仕事を休んで来庁", actor="resident",
                channel="counter", action="rearrange", needs="online")
    work = GroupWork(group_id="g01", theme="t", steps=[step],
                     dismissed_levers=[L.dismiss_key("s1", "post_submission")])
    states = {x.id: state for _, _, x, state in L.review(work, catalogue)}
    assert states["online_application"] == "taken"
    assert states["post_submission"] == "dismissed"
    assert "open" in states.values() or len(states) == 2
    assert all(x.id not in ("online_application", "post_submission")
               for x in L.open_suggestions(work, catalogue)[0])


def test_handout_section_lists_taken_and_not_taken_without_addresses(demo_copy):
    from kit.documents.handout import Handout
    from kit.io import store

    work = store.load_work(demo_copy, "g01")
    found = L.suggest(work, load_catalogue(demo_copy))
    i = next(n for n, f in enumerate(found) if f)
    step = work.steps[i]
    steps = list(work.steps)
    steps[i] = step.model_copy(update=L.applied(step, found[i][0]))
    store.save_work(demo_copy, work.model_copy(update={"steps": steps}))
    for lang, taken_title in (("ja", "採用した候補"), ("en", "Suggestions taken")):
        html = Handout(demo_copy, "g01", lang).section_html("levers")
        assert taken_title in html and found[i][0].label.get(lang) in html
        assert not re.search(r"https?://", html)
        assert found[i][0].source.cited(lang)["publisher"] in html


def test_to_be_editor_offers_chips_that_take_or_dismiss(demo_copy):
    from kit.widgets.to_be import ToBeEditor

    editor = ToBeEditor(demo_copy, "g01")
    row = next(r for r in editor.rows if r.chips.children)
    first = editor.catalogue.by_id()
    labels = [c.children[0].description for c in row.chips.children]
    lever = next(x for x in first.values() if x.label.ja == labels[0])
    assert lever.effect.ja in row.chips.children[0].children[0].tooltip
    editor.take_lever(row.id, lever.id)
    step = next(s for s in editor.work.steps if s.id == row.id)
    assert step.action == lever.action and set(lever.needs) <= set(step.needs_tags)
    row = next(r for r in editor.rows if r.id == step.id)
    assert lever.label.ja not in [c.children[0].description for c in row.chips.children]
    if row.chips.children:
        other = row.chips.children[0].children[0].description
        other_id = next(x.id for x in first.values() if x.label.ja == other)
        editor.dismiss_lever(row.id, other_id)
        assert L.dismiss_key(row.id, other_id) in editor.work.dismissed_levers
        row = next(r for r in editor.rows if r.id == step.id)
        assert other not in [c.children[0].description for c in row.chips.children]
