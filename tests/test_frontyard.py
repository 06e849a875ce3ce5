"""A group's counter queue, life events and front-yard measures, computed by hand
(docs/frontyard.md)."""

import numpy as np
import pytest

from kit.charts import queue as queue_charts
from kit.cli import main
from kit.documents.handout import Handout
from kit.domain.frontyard import lifeevents, queue
from kit.domain.frontyard import measures as frontyard
from kit.domain.frontyard.counter import CounterProfile
from kit.domain.model import Assumptions, GroupWork, Step
from kit.exceptions import InputError
from kit.io import store
from kit.io.steps import read_steps, write_steps


def _counter_work(wait_action="eliminate", **profile) -> GroupWork:
    wait = {"action": wait_action} | ({"minutes_after": 5} if wait_action != "eliminate" else {})
    return GroupWork(group_id="g", theme="t", annual_cases=10_000, uptake=0.3, steps=[
        Step(name="順番待ち", actor="resident", channel="counter", minutes=20,
             uptake_dependent=True, **wait),
        Step(name="受付", actor="counter", channel="counter", minutes=10, minutes_after=2,
             uptake_dependent=True, action="simplify"),
        Step(name="交付", actor="counter", channel="paper", minutes=5, share=0.4,
             minutes_after=3, action="simplify"),
        Step(name="電話", actor="counter", channel="phone", minutes=4),      # not at the counter
        Step(name="審査", actor="back_office", channel="system", minutes=30)],
        counter=CounterProfile(counter_share=0.9, **profile))


def test_service_minutes_and_visitors_when_online_cases_stay_away():
    d = frontyard.counter_demand(_counter_work(), 0.3)
    assert d.online_leaves                     # the waiting step goes for online cases
    assert d.visitors_asis == pytest.approx(9000)              # 10,000 × 0.9
    assert d.visitors_tobe == pytest.approx(6300)              # 9,000 × (1 − 0.3)
    assert d.service_asis == pytest.approx(12)                 # 10 + 0.4·5
    assert d.service_tobe == pytest.approx(11.2)               # offline: 10 (As-Is) + 0.4·3


def test_service_minutes_when_online_cases_still_come():
    d = frontyard.counter_demand(_counter_work("simplify"), 0.3)
    assert not d.online_leaves and d.visitors_tobe == pytest.approx(9000)
    # offline 11.2, online 2 + 0.4·3 = 3.2: 0.7·11.2 + 0.3·3.2 = 8.8
    assert d.service_tobe == pytest.approx(8.8)


def test_arrivals_by_month_and_hour():
    p = CounterProfile(open_hour=9, close_hour=12, month_weights=[2] + [1] * 11,
                       hour_weights=[1, 2, 1], open_days_per_month=20)
    grid = frontyard.arrivals_grid(p, 13_000)
    # January: 13,000 · 2/13 / 20 days = 100 a day; 10:00–10:59 takes 2/4 of them
    assert grid[0, 10] == pytest.approx(50)
    assert grid[1, 9] == pytest.approx(13_000 / 13 / 20 / 4)     # 12.5
    assert grid[:, :9].sum() == 0 and grid[:, 12:].sum() == 0
    assert grid.sum() * 20 == pytest.approx(13_000)              # a year's visitors


def test_queue_views_peak_month_and_counters_needed():
    work = _counter_work(counters=3, counters_after=4, open_hour=9, close_hour=12,
                         month_weights=[1, 1, 3] + [1] * 9, hour_weights=[1, 2, 1])
    views = frontyard.counter_queue(work, Assumptions())
    a, b = views["asis"], views["tobe"]
    assert a.peak_month == 2 and (a.counters, b.counters) == (3, 4)
    # March 10:00: 9,000 · 3/14 / 20 / 2 = 48.2 an hour of 12 minutes: 9.6 Erlang ≥ 3
    assert a.peak_arrivals_per_hour == pytest.approx(9000 * 3 / 14 / 20 / 2)
    assert a.overloaded[2, 10] and a.wait[2, 10] > 30
    assert a.peak_hour_wait_minutes == a.wait[2].max() and a.peak_hour == int(a.wait[2].argmax())
    assert a.counters_needed == queue.counters_needed(a.peak_arrivals_per_hour, 12, 15, 0.8)
    # 48.2/h × 12 min = 9.64 Erlang: 10 counters call 44 % within 15 min, 11 call 89 % ≥ 80 %
    assert a.counters_needed == 11
    assert b.mean_wait_minutes < a.mean_wait_minutes
    assert a.time_in_office_minutes == pytest.approx(a.mean_wait_minutes + 12)
    assert a.visitors_per_year == pytest.approx(9000)


def _life_work() -> GroupWork:
    return GroupWork(group_id="g", theme="転入", annual_cases=100, steps=[
        Step(name="転入届の記入", actor="resident", channel="paper", minutes=10,
             action="simplify", minutes_after=2, needs="counter_form", procedure="転入"),
        Step(name="国保の申請書", actor="resident", channel="paper", minutes=8, share=0.5,
             procedure="国保"),
        Step(name="児童手当の申請書", actor="resident", channel="paper", minutes=6, share=0.2,
             action="eliminate", procedure="児童手当"),
        Step(name="窓口で待つ", actor="resident", channel="counter", minutes=30,
             action="simplify", minutes_after=10, procedure="転入;国保;児童手当"),
        Step(name="国保窓口へ移動して待つ", actor="resident", channel="counter", minutes=20,
             share=0.5, action="eliminate", procedure="国保"),
        Step(name="受付", actor="counter", channel="counter", minutes=15, minutes_after=20,
             action="combine", procedure="転入")])


def test_life_events_by_hand():
    df = lifeevents.life_event_table(_life_work(), 0.3)
    assert list(df.index) == ["転入", "国保", "児童手当", ""]
    t = df.loc["転入"]      # 転入届 prepared by staff (counter_form); 10 + 30 + 15 → 2 + 10 + 20
    assert (t.visits_asis, t.visits_tobe, t.forms_asis, t.forms_tobe) == (1, 1, 1, 0)
    assert (t.office_minutes_asis, t.office_minutes_tobe) == pytest.approx((55, 32))
    assert (t.kakanai_asis, t.kakanai_tobe) == (0, 1)
    k = df.loc["国保"]      # two counter steps, one trip: 1 → 1; office 0.5·8 + 30 + 0.5·20 = 44
    assert (k.visits_asis, k.visits_tobe) == pytest.approx((1, 1))       # → 4 + 10
    assert (k.forms_asis, k.forms_tobe, k.kakanai_tobe) == (0.5, 0.5, 0)
    assert (k.office_minutes_asis, k.office_minutes_tobe) == pytest.approx((44, 14))
    c = df.loc["児童手当"]  # the form is eliminated: 0.2 → 0; 0.2·6 + 30 = 31.2 → 10
    assert (c.forms_asis, c.forms_tobe, c.kakanai_tobe) == pytest.approx((0.2, 0, 1))
    assert (c.office_minutes_asis, c.office_minutes_tobe) == pytest.approx((31.2, 10))
    total = df.loc[""]      # every step once: forms 1 + 0.5 + 0.2 = 1.7 → 0.5
    assert (total.forms_asis, total.forms_tobe) == pytest.approx((1.7, 0.5))
    assert total.kakanai_tobe == pytest.approx(1 - 0.5 / 1.7)            # 70.6 %
    assert (total.office_minutes_asis, total.office_minutes_tobe) == pytest.approx((70.2, 36))
    assert lifeevents.kakanai_rates(_life_work(), 0.3) == pytest.approx((0, 1 - 0.5 / 1.7))


def test_a_signature_only_form_is_not_written():
    work = GroupWork(group_id="g", theme="t", steps=[
        Step(name="署名", actor="resident", channel="paper", minutes=4, action="simplify",
             minutes_after=1, procedure="転入")])
    assert lifeevents.kakanai_rates(work, 0.3) == (0, 1)


def test_procedure_column_round_trips(tmp_path):
    steps = [Step(name="記入", actor="resident", channel="paper", minutes=5,
                  procedure="転入;国保")]
    path = write_steps(steps, tmp_path / "steps.csv")
    assert "手続" in path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert read_steps(path)[0].procedure == "転入;国保"


def test_counter_profile_is_validated():
    with pytest.raises(InputError, match="閉庁時刻"):
        GroupWork.parse({"group_id": "g", "theme": "t",
                         "counter": {"open_hour": 12, "close_hour": 9}})
    with pytest.raises(InputError, match="窓口数"):
        GroupWork.parse({"group_id": "g", "theme": "t", "counter": {"counters": 0}})


def test_counter_set_command(demo_copy, tmp_path, capsys):
    yaml_file = tmp_path / "counters.yaml"
    yaml_file.write_text("g01:\n  counters: 2\n  month_weights: [1,1,3,3,1,1,1,1,1,1,1,1]\n",
                         encoding="utf-8")
    assert main(["counter", "set", str(demo_copy), str(yaml_file)]) == 0
    assert "窓口の設定を保存しました: g01" in capsys.readouterr().out
    saved = store.load_work(demo_copy, "g01")
    assert saved.counter.counters == 2
    assert saved.counter.month_weights == [1, 1, 3, 3] + [1] * 8
    revision = saved.revision
    yaml_file.write_text("g99:\n  counters: 2\n", encoding="utf-8")
    assert main(["counter", "set", str(demo_copy), str(yaml_file)]) == 2
    assert "グループ「g99」はこのセッションにありません" in capsys.readouterr().err
    yaml_file.write_text("g01:\n  counters: x\n", encoding="utf-8")
    assert main(["counter", "set", str(demo_copy), str(yaml_file)]) == 2
    assert "窓口数" in capsys.readouterr().err
    assert store.load_work(demo_copy, "g01").revision == revision       # nothing saved


def test_demo_handout_front_yard_sections(demo_session):
    h = Handout(demo_session, "g02")
    html = h.section_html("counter")
    views = h.queue_views
    # the wait by month × hour is a heat table (numbers as text), the peak day a chart
    assert "窓口の平均待ち時間" in html and html.count("<img") == 1
    assert html.count('<table class="heat"') == 2
    hours, cells = queue_charts.heat_cells(views)
    a = views["asis"]
    worst = cells["asis"][a.peak_month][hours.index(a.peak_hour)]
    assert worst.text == f"{a.wait[a.peak_month, a.peak_hour]:.0f}" and worst.colour == "#ffffff"
    assert f"background:{worst.background};color:#ffffff\">{worst.text}</td>" in html
    quiet = cells["tobe"][0][0]                     # January, opening hour: a short wait
    assert float(quiet.text) < 5 and quiet.colour == "#222222"
    assert all(len(rows) == 12 and all(len(r) == len(hours) for r in rows)
               for rows in cells.values())
    assert views["asis"].counters == 3 and views["asis"].peak_month in (2, 3)   # March/April
    assert views["tobe"].peak_mean_wait_minutes < views["asis"].peak_mean_wait_minutes
    life = h.section_html("life_events")
    for name in ("転入", "国保", "児童手当", "就学"):
        assert f"<td>{name}</td>" in life
    assert "書かない率" in h.section_html("frontyard")
    empty = Handout(demo_session, "g01")        # no counter profile, no procedures
    assert empty.section_html("counter") == empty.section_html("life_events") == ""
    en = Handout(demo_session, "g04", "en").section_html("frontyard")
    assert "mean wait" in en and "分" not in en
    assert np.isfinite(views["asis"].wait).all()


def test_impact_editor_shows_and_saves_the_counter_queue(demo_copy):
    from kit.widgets.assumptions import ImpactEditor

    ed = ImpactEditor(demo_copy, "g02", "ja", debounce_s=None)
    panel = ed.counter_panel
    before = panel.figures.value
    assert "kit-fy-peak_mean_wait_minutes-asis" in before
    assert panel.heatmap.value.count('<table class="heat"') == 2     # as in the handout
    panel.counters_after.value = "5"                # two more counters after the change
    saved = store.load_work(demo_copy, "g02").counter
    assert (saved.counters, saved.counters_after) == (3, 5)
    views = frontyard.counter_queue(store.load_work(demo_copy, "g02"), ed.assumptions)
    panel = ed.counter_panel                        # (re-read: a structural edit rebuilds it)
    assert views["tobe"].counters == 5 and panel.figures.value != before
    panel.counters.value = "0"                      # refused, nothing saved
    assert "窓口数" in ed.fields.slots[("counter",)].value      # beside the counter fields
    assert store.load_work(demo_copy, "g02").counter.counters == 3
    panel.counters.value = "3"
    panel.enabled.value = False                     # the group drops its counter profile
    assert store.load_work(demo_copy, "g02").counter is None and panel.figures.value == ""
