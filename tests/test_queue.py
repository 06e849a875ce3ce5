"""Counter queues: Erlang C against values computed by hand, the calculator, the day model
and the ciw simulation against the closed form (docs/frontyard.md)."""

import json
import math

import numpy as np
import pytest

from kit.cli import main
from kit.domain.frontyard import measures as frontyard
from kit.domain.frontyard import queue, queue_sim
from kit.exceptions import InputError


def test_erlang_c_36_an_hour_5_minutes_4_counters():
    # a = 36·5/60 = 3 Erlang, ρ = 3/4. Erlang B: B1 = 3/4, B2 = 3·.75/(2+2.25) = .529412,
    # B3 = 3·.529412/(3+1.588235) = .346154, B4 = 3·.346154/(4+1.038462) = .206107;
    # C = 4·B4/(4 − 3·(1 − B4)) = .824427/1.618321 = .509434;
    # Wq = C/(cμ − λ) = .509434/(4/5 − 36/60) = .509434/0.2 = 2.5472 min; W = 2.5472 + 5.
    f = queue.mmc(36, 5, 4)
    assert f.load_erlang == pytest.approx(3.0)
    assert f.utilisation == pytest.approx(0.75)
    assert f.p_wait == pytest.approx(0.509434, abs=1e-6)
    assert f.mean_wait_minutes == pytest.approx(2.5472, abs=1e-4)
    assert f.mean_time_in_system_minutes == pytest.approx(7.5472, abs=1e-4)
    # share within 15 min: 1 − .509434·exp(−0.2·15) = 1 − .509434·.049787 = .974637
    assert f.share_within_target == pytest.approx(0.974637, abs=1e-6)


def test_erlang_c_5_counters_and_a_bigger_office():
    # 5 counters: B5 = 3·.206107/(5+.618321) = .110054; C = 5·.110054/(5 − 3·.889946)
    # = .550270/2.330162 = .236152; Wq = .236152/(1 − .6) = .5904 min
    f = queue.mmc(36, 5, 5)
    assert f.p_wait == pytest.approx(0.236152, abs=1e-6)
    assert f.mean_wait_minutes == pytest.approx(0.5904, abs=1e-4)
    # 60/h × 10 min on 12 counters: a = 10, C = .449388, Wq = .449388/(12/10 − 1) = 2.2469
    f = queue.mmc(60, 10, 12)
    assert f.p_wait == pytest.approx(0.449388, abs=1e-6)
    assert f.mean_wait_minutes == pytest.approx(2.2469, abs=1e-4)


def test_counters_needed_for_a_target():
    # 36/h, 5 min, within 15 min for 80 %: 4 counters give 97.5 % (above); 3 are overloaded
    assert queue.counters_needed(36, 5, 15, 0.8) == 4
    # within 1 min for 80 %: 4 counters give 1 − .509434·e^(−0.2) = .5829 (too few);
    # 5 counters give 1 − .236152·e^(−0.4) = .8417 → 5
    assert queue.counters_needed(36, 5, 1, 0.8) == 5
    assert queue.mmc(36, 5, 4, target_minutes=1).counters_needed == 5


@pytest.mark.parametrize("args", [(36, 5, 3), (60, 10, 10), (61, 10, 10)])
def test_overloaded_is_refused(args):
    with pytest.raises(InputError) as err:
        queue.mmc(*args)
    assert "際限なく" in err.value.message_ja and "without limit" in err.value.message_en


def test_bad_values_name_the_field():
    with pytest.raises(InputError, match="目標達成率"):
        queue.mmc(36, 5, 4, target_share=1.5)
    with pytest.raises(InputError, match="service minutes"):
        queue.mmc(36, 0, 4)
    with pytest.raises(InputError, match="1〜500"):
        queue.mmc(36, 5, 0)


def test_cli_json(capsys):
    assert main(["queue", "--arrivals-per-hour", "36", "--service-minutes", "5",
                 "--counters", "5", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["utilisation"] == pytest.approx(0.6)          # 3 Erlang / 5
    assert data["p_wait"] == pytest.approx(0.236152, abs=1e-6)
    assert data["mean_wait_minutes"] == pytest.approx(0.5904, abs=1e-4)
    assert data["mean_time_in_system_minutes"] == pytest.approx(5.5904, abs=1e-4)
    assert data["counters_needed"] == 4                       # 4 already serve 97.5 % in 15 min
    # within 15 min on 5 counters: 1 − .236152·exp(−(5/5 − 36/60)·15) = 1 − .236152·e^−6
    # = 1 − .236152·.0024788 = .999415
    assert data["share_within_target"] == pytest.approx(0.999415, abs=1e-6)
    assert (data["load_erlang"], data["target_minutes"], data["target_share"]) == \
        pytest.approx((3.0, 15.0, 0.8))                        # 36·5/60; the defaults
    assert set(data) >= {"utilisation", "p_wait", "mean_wait_minutes", "share_within_target",
                         "mean_time_in_system_minutes", "counters_needed"}


def test_cli_text_shows_the_hand_computed_figures(capsys, monkeypatch):
    monkeypatch.delenv("KIT_LANG", raising=False)
    assert main(["queue", "--arrivals-per-hour", "36", "--service-minutes", "5",
                 "--counters", "4"]) == 0
    # 4 counters (test_erlang_c_36_an_hour_5_minutes_4_counters): ρ .75, C .509434,
    # Wq 2.5472 min, W 7.5472 min, within 15 min .974637; 4 counters already reach 80 %
    assert capsys.readouterr().out.splitlines() == [
        "入力: 1時間あたり36人、1人5分、窓口4か所（仕事量 3.00人分）",
        "窓口の稼働率: 75.0%", "待つ人の割合: 50.9%", "平均待ち時間: 2.55分",
        "15分以内に呼ばれる人の割合: 97.5%", "平均滞在時間（待ち＋対応）: 7.55分",
        "15分以内に80%の人を呼ぶのに必要な窓口数: 4"]
    assert main(["queue", "--arrivals-per-hour", "36", "--service-minutes", "5",
                 "--counters", "5", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    # 5 counters: C .236152, Wq .5904 min, W 5.5904 min, within 15 min .999415
    assert "share who wait: 23.6%" in out and "mean wait: 0.59 min" in out
    assert "mean time in the office (wait + service): 5.59 min" in out
    assert "share called within 15 min: 99.9%" in out


def test_cli_overloaded_exits_2_with_one_line(capsys):
    assert main(["queue", "--arrivals-per-hour", "36", "--service-minutes", "5",
                 "--counters", "3"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "3.00" in err


def test_grid_marks_overloaded_cells_and_empty_hours():
    g = queue.grid(np.array([0.0, 36.0, 48.0]), 5, 4)
    assert g["mean_wait_minutes"][0] == 0 and g["share_within_target"][0] == 1
    assert g["mean_wait_minutes"][1] == pytest.approx(2.5472, abs=1e-4)
    assert math.isinf(g["mean_wait_minutes"][2]) and g["overloaded"][2]   # 48·5/60 = 4 = c


def test_day_model_tends_to_erlang_c_and_stays_finite_when_overloaded():
    steady = np.full((1, 24), 36.0)                  # 24 hours at 36/h: steady state reached
    d = frontyard.day_queue(steady, 5, 4, 15)
    assert d["wait"][0, -1] == pytest.approx(2.5472, abs=1e-3)
    assert d["p_wait"][0, -1] == pytest.approx(0.509434, abs=1e-3)
    assert d["within"][0, -1] == pytest.approx(0.974637, abs=1e-3)
    # one hour at 60/h on 4 counters of 5 min (48/h capacity): about 12 left at the end of
    # the hour, so a resident arriving late waits several minutes — finite, unlike Erlang C
    burst = np.zeros((1, 24))
    burst[0, 9] = 60.0
    d = frontyard.day_queue(burst, 5, 4, 15)
    assert d["overloaded"][0, 9] and 1 < d["wait"][0, 9] < 15


def test_simulation_agrees_with_erlang_c():
    """ciw, exponential service, 20,000 residents (seeded): P(wait) and the time in the office
    within 5 % of Erlang C; the mean wait (noisier: busy periods) within 10 %."""
    r = queue_sim.simulate(36, 5, 4, customers=20_000, seed=0)
    assert r.p_wait == pytest.approx(0.509434, rel=0.05)
    assert r.mean_time_in_system_minutes == pytest.approx(7.5472, rel=0.05)
    assert r.mean_wait_minutes == pytest.approx(2.5472, rel=0.10)


def test_lognormal_service_keeps_its_mean_and_waits_less_when_less_variable():
    # lognormal σ = 0.5: CV² = e^0.25 − 1 = .284 < 1 (exponential): less variable service,
    # shorter queue; the mean service time stays 5 min
    r = queue_sim.simulate(36, 5, 4, sigma=0.5, customers=20_000, seed=0)
    assert r.mean_time_in_system_minutes - r.mean_wait_minutes == pytest.approx(5, rel=0.03)
    assert r.mean_wait_minutes < 2.5472 * 0.8


def test_hourly_schedule_simulation():
    # 3 hours at 20, 60, 20 an hour on 4 counters of 5 min (capacity 48/h): the middle hour
    # is overloaded, the queue carries into the third hour
    r = queue_sim.simulate([20.0, 60.0, 20.0], 5, 4, days=10, seed=1)
    assert len(r.wait_by_hour) == 3
    assert r.wait_by_hour[1] > r.wait_by_hour[0]
    # the first hour alone at 20/h: a = 5/3, Erlang C .10248, Wq = .10248/(4/5 − 20/60) = 0.22 min
    assert r.wait_by_hour[0] == pytest.approx(0.2196, abs=0.15)
    # the third hour also has 20/h but starts with the middle hour's queue: ten times that wait
    assert r.wait_by_hour[2] > 10 * 0.2196
    assert sum(r.arrivals_by_hour) == pytest.approx(100, rel=0.1)   # 20 + 60 + 20 a day
