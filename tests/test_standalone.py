"""The handouts stand alone: an appendix of formulas, and no reader text that points outside
the handout (a repository path, a command, a library, a raw capability tag); the demo shows the
whole cycle (charter, action plan with an overdue action, follow-ups) without moving the
forecast."""

from __future__ import annotations

import datetime as _dt
import re
import shutil

import pytest
from reading import visible  # the visible text of a page (tests/reading.py)

from kit import i18n
from kit.domain.money import impact
from kit.io import store

pytestmark = pytest.mark.slow

TAGS = ("online", "e_payment", "counter_form", "one_stop", "rpa", "ocr")
WORDS = ("docs/", ".md", "ciw", "janome", "matplotlib", "papermill")
ENGLISH_WORDS = {"online"}     # a tag that is also a plain English word ("online uptake")


def _command() -> re.Pattern:
    """``kit <subcommand>`` as a reader would type it (「BPR workshop kit from …」 is prose)."""
    from kit.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.choices and isinstance(a.choices, dict))
    names = "|".join(sorted(sub.choices, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9_])kit (?:{names}|-)")
CYCLE_GROUPS = ("g01", "g02")


def pointers_outside(html: str, lang: str = "ja") -> list[str]:
    text = visible(html)
    hits = [text[max(0, i - 40):i + 30] for w in WORDS
            for i in (m.start() for m in re.finditer(re.escape(w), text, re.IGNORECASE))]
    hits += [text[max(0, m.start() - 40):m.end() + 30] for m in _command().finditer(text)]
    tags = [t for t in TAGS if not (lang == "en" and t in ENGLISH_WORDS)]
    hits += [m.group(0) + " …" + text[max(0, m.start() - 40):m.end() + 20] for tag in tags
             for m in re.finditer(rf"(?<![A-Za-z0-9_]){tag}(?![A-Za-z0-9_])", text)]
    return hits


def _session_date(session) -> _dt.date:
    return _dt.date.fromisoformat(str(session.date))


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_handouts_and_summary_point_nowhere_else(demo_session, lang):
    from kit.documents.a3 import A3Sheet
    from kit.documents.handout import Handout
    from kit.documents.summary import Summary

    session = store.load_session(demo_session)
    for group in session.groups:
        doc = Handout(demo_session, group, lang)
        html = doc.html()
        assert not pointers_outside(html, lang), (group, lang, pointers_outside(html, lang)[:5])
        assert 'class="appendix"' in html and i18n.t("app.title", lang) in html
        assert "V × p × t ÷ 60" in html
        a = session.assumptions
        values = doc.appendix_values()            # the group's own assumptions filled in
        assert doc.yen(a.labour_cost_yen_per_hour) in values
        assert i18n.fmt_percent(a.discount_rate, 1) in values
        assert i18n.t("app.years", lang, years=a.horizon_years) in values
        a3 = A3Sheet(demo_session, group, lang).html()
        assert not pointers_outside(a3, lang), (group, lang, pointers_outside(a3, lang)[:5])
    summary = Summary(demo_session, lang).html()
    assert not pointers_outside(summary, lang), pointers_outside(summary, lang)[:5]


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_demo_shows_the_whole_cycle(demo_session, lang):
    from kit.documents.a3 import A3Sheet
    from kit.documents.handout import Handout

    session = store.load_session(demo_session)
    day = _session_date(session)
    for group in CYCLE_GROUPS:
        work = store.load_work(demo_session, group)
        c = work.charter
        assert c.start and c.end and c.in_scope and c.sponsor and c.go_live and c.measures
        assert all(m.baseline is not None and m.target is not None for m in c.measures)
        from kit.domain.after import actions
        late = [a for a in work.actions if actions.is_overdue(a, day)]
        assert len(late) == 1
        assert {a.status.value for a in work.actions} >= {"done", "doing", "todo"}
        assert len(work.snapshots) == 2
        assert all(s.measured_on > c.go_live for s in work.snapshots)
        assert all(s.uptake is not None and s.annual_cases and s.minutes for s in work.snapshots)

        doc = Handout(demo_session, group, lang)
        doc.as_of = day
        html = doc.html()
        assert i18n.t("aft.charter", lang) in html and 'class="charter"' in html
        assert i18n.t("aft.overdue", lang, days=actions.days_overdue(late[0], day)) in html
        assert late[0].title in html
        assert 'class="follow-up"' in html
        assert doc.realisation_text() and doc.realisation_text() in html
        a3 = A3Sheet(demo_session, group, lang)
        a3.as_of = day
        sheet = a3.html()
        assert i18n.t("a3.no_actions", lang) not in sheet
        assert i18n.t("a3.no_charter", lang) not in sheet


def test_follow_ups_leave_the_forecast_alone(demo_session, tmp_path):
    """The key figures of every group are those of the demo without its after-cycle data."""
    from kit import resources
    from kit.workspace.demo import build_demo

    source = tmp_path / "source"
    shutil.copytree(resources.demo_source(), source)
    (source / "after.yaml").unlink()
    plain = tmp_path / "plain"
    build_demo(plain, source)
    session = store.load_session(demo_session)
    for group in session.groups:
        with_cycle = impact.compute(store.load_work(demo_session, group), session.assumptions)
        without = impact.compute(store.load_work(plain, group), session.assumptions)
        for key in ("hours_asis", "hours_saved", "cost_saved_yen", "cash_saved_yen",
                    "resident_hours_saved", "general_fund_yen", "npv_yen", "payback_years"):
            assert getattr(with_cycle, key) == getattr(without, key), (group, key)
