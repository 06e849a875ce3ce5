"""Catalogues by default (the kit's general systems and funding catalogues) and capability
tags shown as their labels, never raw."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import tomllib
from reading import visible  # the visible text of a page (tests/reading.py)

from kit import i18n
from kit.cli import main
from kit.domain.model import Session
from kit.domain.money import bundle
from kit.io import store
from kit.io.catalogue import load_funding, load_systems
from kit.workspace.session import bundled_catalogue, catalogue_files, new_session_from_survey

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data_samples/demo"
SURVEY = ROOT / "data_samples/survey/staff_survey.csv"
ENGLISH_WORDS = {"online", "booking"}       # tags that are also plain English words


def _groups(tmp_path: Path, system: str = "", funding: str = "") -> Path:
    file = tmp_path / "groups.csv"
    file.write_text("group_id,theme,annual_cases,members,system,funding\n"
                    f"g01,児童手当の認定請求,1200,山田;佐藤,{system},{funding}\n",
                    encoding="utf-8")
    return file


def _all_tags() -> set[str]:
    tags = set()
    for folder in (bundled_catalogue("systems").parent, DEMO):
        tags |= {t for o in load_systems(folder / "systems.csv").values()
                 for t in o.enables_tags}
    return tags


# --- catalogues by default ------------------------------------------------------------
def test_session_from_groups_alone_has_the_bundled_catalogues(tmp_path, capsys):
    s = tmp_path / "s"
    assert main(["session", "new", str(s), "--groups", str(_groups(tmp_path, "rpa", "dx_kofukin")),
                 "--name", "x", "--lang", "ja"]) == 0
    out = capsys.readouterr().out
    assert "同梱の一般カタログ" in out and "仮定" in out
    assert "--systems / --funding" in out
    session = store.load_session(s)
    ids = [o.system_id for o in session.systems]
    assert ids == list(load_systems(bundled_catalogue("systems")))
    assert {"online_form", "cashless", "kakanai", "rpa", "ai_ocr", "e_kessai", "yoyaku",
            "chatbot", "conveni"} <= set(ids)
    for o in session.systems:
        assert "仮定" in o.source and "要確認" in o.source, o.system_id
        assert o.enables_tags and o.initial_cost_yen > 0
    assert len(session.funding_sources) >= 3
    for f in session.funding_sources:
        assert f.assumption and "仮定" in f.source and "要確認" in f.source, f.funding_id
    work = store.load_work(s, "g01")    # the groups list names bundled ids
    assert [o.system_id for o in work.systems] == ["rpa"]
    assert [f.funding_id for f in work.funding] == ["dx_kofukin"]


def test_given_catalogues_are_used_and_nothing_said(tmp_path, capsys):
    s = tmp_path / "s"
    assert main(["session", "new", str(s), "--groups", str(_groups(tmp_path)), "--name", "x",
                 "--lang", "en", "--systems", str(DEMO / "systems.csv"),
                 "--funding", str(DEMO / "funding.csv")]) == 0
    assert "bundled" not in capsys.readouterr().out
    session = store.load_session(s)
    assert [o.system_id for o in session.systems] == list(load_systems(DEMO / "systems.csv"))
    assert ([f.funding_id for f in session.funding_sources]
            == list(load_funding(DEMO / "funding.csv")))


def test_one_catalogue_given_the_other_bundled(tmp_path, capsys):
    assert main(["session", "new", str(tmp_path / "s"), "--groups", str(_groups(tmp_path)),
                 "--name", "x", "--lang", "en",
                 "--systems", str(DEMO / "systems.csv")]) == 0
    out = capsys.readouterr().out
    assert "bundled general catalogue for funding sources" in out
    assert "candidate systems" not in out
    systems, funding, bundled = catalogue_files(DEMO / "systems.csv", None)
    assert systems == DEMO / "systems.csv" and funding == bundled_catalogue("funding")
    assert bundled == ["funding"]


def test_session_from_survey_has_the_bundled_catalogues(tmp_path):
    s = new_session_from_survey(tmp_path / "s", SURVEY, group_size=5, seed=4, max_groups=2)
    assert [o.system_id for o in s.systems] == list(load_systems(bundled_catalogue("systems")))
    assert s.funding_sources


def test_the_wheel_ships_the_bundled_catalogues():
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "kit.samples.catalogues" in tool["packages"]
    assert "*.csv" in tool["package-data"]["kit.samples.catalogues"]
    assert bundled_catalogue("systems").is_file() and bundled_catalogue("funding").is_file()


# --- capability labels ----------------------------------------------------------------
def test_every_catalogue_tag_has_a_label_in_both_languages():
    tags = _all_tags()
    assert {"online", "e_payment", "counter_form", "one_stop", "rpa", "ocr", "e_approval",
            "booking", "faq", "convenience_store"} <= tags
    for tag in tags:
        for lang in i18n.LANGS:
            assert f"capability.{tag}" in i18n.MESSAGES[lang], (tag, lang)
            assert bundle.capability_label(tag, lang) != tag
    assert bundle.capability_label("counter_form") == "書かない窓口（申請書の自動作成）"
    assert bundle.capability_label("rpa", "en") == "RPA (automated data entry)"
    assert bundle.capability_label("my_own_tag", "ja") == "my_own_tag"


def test_capability_choices_known_then_the_sessions_own():
    known = bundle.capability_choices("en")
    assert ("Online payment", "e_payment") in known
    assert [t for _, t in known] == bundle.known_capabilities()
    session = Session.parse({"name": "x", "systems": [
        {"system_id": "a", "name": "A", "enables": "rpa;gis"}]})
    choices = bundle.capability_choices("ja", session, extra=["legacy", "rpa"])
    assert choices[: len(known)] == bundle.capability_choices("ja")
    assert choices[len(known):] == [("gis", "gis"), ("legacy", "legacy")]


# --- no raw tag where a capability is named --------------------------------------------
def _raw_tags(html: str, lang: str) -> list[str]:
    text = visible(html)
    tags = _all_tags() - (ENGLISH_WORDS if lang == "en" else set())
    return [m.group(0) + " …" + text[max(0, m.start() - 40):m.end() + 20]
            for tag in sorted(tags)
            for m in re.finditer(rf"(?<![A-Za-z0-9_]){re.escape(tag)}(?![A-Za-z0-9_])", text)]


@pytest.fixture(scope="module")
def lacking(tmp_path_factory, demo_session):
    """The demo with g01 keeping only its online form: its RPA change is not delivered."""
    s = tmp_path_factory.mktemp("lacking") / "session"
    shutil.copytree(demo_session, s)
    work = store.load_work(s, "g01")
    store.save_work(s, work.model_copy(update={
        "systems": [o for o in work.systems if o.system_id != "rpa"]}))
    return s


@pytest.mark.slow
@pytest.mark.parametrize("lang", i18n.LANGS)
def test_handouts_name_capabilities_by_label(demo_session, lacking, lang):
    from kit.documents.a3 import A3Sheet
    from kit.documents.handout import Handout
    from kit.documents.summary import Summary

    for group in store.load_session(demo_session).groups:
        for doc in (Handout(demo_session, group, lang), A3Sheet(demo_session, group, lang)):
            assert not _raw_tags(doc.html(), lang), (group, type(doc).__name__)
    assert not _raw_tags(Summary(demo_session, lang).html(), lang)
    handout = Handout(lacking, "g01", lang).html()
    assert not _raw_tags(handout, lang)
    assert bundle.capability_label("rpa", lang) in handout       # the not-delivered table
    assert bundle.capability_label("counter_form", lang) in Handout(demo_session, "g02",
                                                                    lang).html()


def test_impact_json_keeps_the_tags(lacking, capsys):
    assert main(["impact", str(lacking), "g01", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert [d["missing"] for d in figures["not_delivered"]] == [["rpa"]]
