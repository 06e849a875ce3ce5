"""Session summary across groups and the live overview: numbers, failures, escaping."""

import re

import pytest

from kit import i18n
from kit.documents import overview
from kit.documents.summary import Summary
from kit.domain.money import impact
from kit.io import store
from kit.render import pipeline as report

PAYLOAD = '<script>alert("x")</script>'


def test_totals_are_the_sum_of_the_groups(demo_session):
    s = Summary(demo_session)
    session, works = store.load_all(demo_session)
    figures = [impact.compute(w, session.assumptions) for w in works]
    tot = s.totals()
    assert tot.hours_saved == pytest.approx(sum(m.hours_saved for m in figures))
    assert tot.general_fund_yen == pytest.approx(sum(m.general_fund_yen for m in figures))
    assert tot.subsidy_yen == pytest.approx(sum(m.subsidy_yen for m in figures))
    html = s.totals_html()
    assert i18n.fmt_hours(tot.hours_saved, "ja", 1) + "／年" in html
    assert i18n.fmt_yen(tot.general_fund_yen) in html


def test_quick_wins_first_largest_first(demo_session):
    html = Summary(demo_session).html()
    assert html.index("すぐできる改善（全グループ") < html.index("グループ別の効果")
    table = html.split("すぐできる改善（全グループ")[1].split("</table>")[0]
    hours = [float(h.replace(",", "")) for h in re.findall(r"<td>([\d,.]+)時間</td>", table)]
    assert hours and hours == sorted(hours, reverse=True)


def test_range_when_uncertainty_exists(demo_session):
    s = Summary(demo_session)
    rng = s.hours_range()
    if rng is None:
        assert "三点見積りがない" in s.totals_html()
    else:
        assert rng[0] <= s.totals().hours_saved * 1.5 and rng[0] <= rng[1]


def test_broken_group_and_escaped_theme(demo_copy):
    work = store.load_work(demo_copy, "g01")
    store.save_work(demo_copy, work.model_copy(update={"theme": PAYLOAD}))
    (demo_copy / "groups/g04/work.json").write_text("{broken", encoding="utf-8")
    s = Summary(demo_copy, "en")
    assert s.unavailable == ["g04"] and len(s.groups) == 3
    html = s.html()
    assert "g04" in html and "cannot be read" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert not re.search(r"https?://", html)
    assert all(src.startswith("data:image/svg+xml;base64,")
               for src in re.findall(r'src="([^"]+)"', html))


def test_overview_progress_from_disk(demo_copy):
    before = overview.progress(demo_copy).set_index("group_id")
    work = store.load_work(demo_copy, "g01")
    assert before.loc["g01", "steps"] == sum(1 for s in work.steps if not s.is_new)
    assert before.loc["g01", "tobe_changes"] == sum(1 for s in work.steps if s.changed)
    store.save_work(demo_copy, work.model_copy(update={"steps": work.steps[:3]}))
    (demo_copy / "groups/g03/work.json").write_text("{", encoding="utf-8")
    after = overview.progress(demo_copy).set_index("group_id")
    assert after.loc["g01", "steps"] == 3
    assert after.loc["g01", "revision"] == before.loc["g01", "revision"] + 1
    assert after.loc["g03", "status"] == "broken" and after.loc["g02", "status"] == "ok"
    assert "読込不可" in overview.progress_html(demo_copy)


def test_facilitator_panels(demo_copy, tmp_path):
    from kit.widgets.facilitator import GroupingPanel, OverviewPanel

    panel = GroupingPanel("", tmp_path / "fs")
    panel.size.value, panel.max_groups.value = 3, 2
    plan = panel.form()
    assert plan is not None and len(plan.group_ids) == 2 and "g01" in panel.groups.value
    assert panel.create() is not None and store.load_session(tmp_path / "fs").groups
    assert "g01" in OverviewPanel(demo_copy).refresh()


@pytest.mark.slow
def test_rendered_summary_is_self_contained(demo_copy, tmp_path):
    (demo_copy / "groups/g04/work.json").write_text("{broken", encoding="utf-8")
    out = report.render_summary(demo_copy, tmp_path)
    text = out.read_text(encoding="utf-8")
    assert out.name == "session_summary.html"
    assert "<script" not in text and "<link" not in text
    assert not re.search(r"https?://", text.replace("http://www.w3.org", ""))
    assert "研修全体のまとめ" in text and "Summary.open" not in text and "g04" in text


def test_impact_effort_matrix_says_where_better_is(demo_session):
    """x is the general-fund burden, y the hours saved: the best groups are top left, and the
    legend says what each colour means (g01 saves most of its hours without a system)."""
    from kit.charts.survey import impact_effort

    s = Summary(demo_session)
    points = {p["label"].split()[0]: p for p in s.matrix_points()}
    assert points["g01"]["quick_share"] >= 0.5 > points["g02"]["quick_share"]
    for lang, where in (("ja", "左上"), ("en", "top left")):
        fig = impact_effort(s.matrix_points(), lang)
        ax = fig.axes[0]
        assert where in ax.get_title("left")
        assert [t.get_text() for t in ax.get_legend().get_texts()] == [
            i18n.t("summary.chart_quick", lang), i18n.t("summary.chart_redesign", lang)]
