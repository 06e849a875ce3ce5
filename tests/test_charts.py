"""kit.charts.impact: figures from a hand-computed group, drawn with warnings as errors (a missing
Japanese glyph is a ``UserWarning: Glyph ... missing from font(s)``, so tofu fails a test)."""

from __future__ import annotations

import subprocess
import sys
import time
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from kit import i18n
from kit.charts import impact as charts
from kit.charts import style as charts_style
from kit.domain.model import Assumptions, Costs, FundingSource, GroupWork, Step
from kit.domain.money import impact

ROOT = Path(__file__).resolve().parents[1]
V = 1200.0
LONG = "窓口での申請内容の確認と本人確認書類の照合および受付印の押印"
SCRIPT = "<script>alert(1)</script>"
DOLLAR = "審査・システム入力（手数料$3と$5）"
TITLE_KEYS = {
    "minutes_by_step": "chart.minutes_by_step",
    "hours_by_actor": "chart.hours_by_actor",
    "savings_waterfall": "chart.waterfall",
    "cost_funding": "chart.cost_funding",
    "lead_vs_processing": "chart.lead_time",
}


def make_work(**changes) -> GroupWork:
    steps = [
        Step(id="s1", name="来庁・申請書の記入", actor="resident", channel="counter",
             minutes=30),
        Step(id="s2", name=LONG, actor="counter", channel="counter", minutes=10,
             action="simplify", minutes_after=5, phase="quick_win"),
        Step(id="s3", name=SCRIPT, actor="back_office", minutes=20, share=0.5, wait_days=3,
             action="eliminate", phase="quick_win"),
        Step(id="s4", name=DOLLAR, actor="back_office", minutes=15, wait_days=5,
             action="automate", minutes_after=3, wait_days_after=1, phase="redesign",
             uptake_dependent=True),
        Step(id="s5", name="決裁", actor="approver", minutes=5, wait_days=2),
        Step(id="s6", name="オンライン申請の到達確認", actor="back_office", channel="online",
             minutes=0, minutes_after=2, is_new=True, phase="redesign", uptake_dependent=True),
        Step(id="s7", name="通知書の自動発行", actor="system", channel="system", minutes=1),
    ]
    data = dict(group_id="g1", theme="児童手当の認定請求", annual_cases=V, steps=steps,
                costs=Costs(initial_cost_yen=5_000_000, annual_cost_yen=600_000),
                funding=[FundingSource(name="デジタル田園都市国家構想交付金", rate=0.5,
                                       cap_yen=2_000_000)])
    data.update(changes)
    return GroupWork(**data)


@pytest.fixture
def work() -> GroupWork:
    return make_work()


@pytest.fixture
def assumptions() -> Assumptions:
    a = Assumptions()
    assert (a.uptake, a.labour_cost_yen_per_hour, a.horizon_years) == (0.3, 3000.0, 5)
    return a


def draw(fn, work, assumptions, lang="ja") -> tuple[Figure, bytes]:
    """Build and render with every warning an error; the figure stays inspectable."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = fn(work, assumptions, lang)
        png = charts_style.figure_to_png_bytes(fig)
    return fig, png


def widths(container) -> list[float]:
    return [p.get_width() for p in container.patches]


def heights(container) -> list[float]:
    return [p.get_height() for p in container.patches]


def row_labels(ax) -> list[str]:
    return [t.get_text() for t in ax.texts if t.get_gid() == "row-label"]


# --- font ---------------------------------------------------------------------------------
def test_japanese_font_is_the_default():
    assert "IPAexGothic" in matplotlib.rcParams["font.family"]
    path = font_manager.findfont(font_manager.FontProperties(
        family=matplotlib.rcParams["font.family"]), fallback_to_default=False)
    assert Path(path).name == "ipaexg.ttf"


def test_figure_text_uses_the_japanese_font(work, assumptions):
    fig, _ = draw(charts.minutes_by_step, work, assumptions)
    texts = [fig._suptitle, *fig.axes[0].texts, fig.axes[0].xaxis.label]
    assert {t.get_fontname() for t in texts} == {"IPAexGothic"}


def test_font_survives_a_style_reset(work, assumptions):
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        fig, png = draw(charts.hours_by_actor, work, assumptions)
    assert png.startswith(b"\x89PNG")
    assert fig._suptitle.get_fontname() == "IPAexGothic"


def test_a_missing_glyph_would_fail_these_tests():
    """The check is real: Japanese in a Latin-only font warns, and the warning is an error."""
    fig = Figure()
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        fig.suptitle("手順別の所要時間")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(UserWarning, match="missing from font"):
                charts_style.figure_to_png_bytes(fig)


def test_name_outside_ipaexgothic_uses_the_fallback(assumptions):
    if "Noto Sans CJK JP" not in charts_style.RC["font.family"]:
        pytest.skip("Noto Sans CJK JP not installed: 𠮷 would be a tofu box")
    work = make_work(steps=[Step(id="a", name="𠮷田さんの確認", actor="counter", minutes=5)])
    _, png = draw(charts.minutes_by_step, work, assumptions)
    assert png.startswith(b"\x89PNG")


def test_tick_labels_outside_ipaexgothic_keep_the_fallback():
    """IPAexGothic alone draws the texts it covers (faster); an axis with a 𠮷 label keeps
    the fallback for its tick labels, the other axis and the title do not need it."""
    if "Noto Sans CJK JP" not in charts_style.RC["font.family"]:
        pytest.skip("Noto Sans CJK JP not installed: 𠮷 would be a tofu box")
    import pandas as pd

    from kit.charts import decision

    table = pd.DataFrame({"name": ["𠮷田の受付システム", "電子申請"], "cost": [1.0, 0.4],
                          "score": [0.8, 0.4], "rank": [1, 2]}, index=["a", "b"])
    fig = decision.ranking(table, "ja")
    ax = fig.axes[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert charts_style.figure_to_png_bytes(fig).startswith(b"\x89PNG")
    assert {tuple(t.get_family()) for t in ax.get_yticklabels()} == {
        tuple(charts_style.RC["font.family"])}
    assert {tuple(t.get_family()) for t in ax.get_xticklabels()} == {("IPAexGothic",)}
    assert ax.title.get_family() == ["IPAexGothic"]


# --- every figure -------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("name", list(charts.FIGURES))
def test_every_figure_renders_without_warnings(name, lang, work, assumptions):
    fig, png = draw(charts.FIGURES[name], work, assumptions, lang)
    assert isinstance(fig, Figure)
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    assert fig.get_suptitle() == i18n.t(TITLE_KEYS[name], lang)
    width, height = fig.get_size_inches()
    assert width == pytest.approx(7.5) and height <= 9.0


def test_all_figures_in_a_stable_order(work, assumptions):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figures = charts.all_figures(work, assumptions, "en")
        assert list(figures) == ["minutes_by_step", "hours_by_actor", "savings_waterfall",
                                 "cost_funding", "lead_vs_processing"]
        assert all(isinstance(f, Figure) for f in figures.values())
        assert figures["hours_by_actor"].get_suptitle() == "Hours per year by actor"
        for fig in figures.values():
            charts_style.figure_to_png_bytes(fig)


@pytest.mark.parametrize("name", list(charts.FIGURES))
def test_empty_workflow(name, assumptions):
    work = GroupWork(group_id="empty", theme="未入力")
    fig, png = draw(charts.FIGURES[name], work, assumptions)
    assert png.startswith(b"\x89PNG")


# --- minutes by step ----------------------------------------------------------------------
def test_minutes_by_step_bars(work, assumptions):
    fig, _ = draw(charts.minutes_by_step, work, assumptions)
    ax = fig.axes[0]
    asis, tobe = ax.containers
    assert widths(asis) == [30, 10, 20, 15, 5, 0, 1]     # new step: no As-Is time
    assert widths(tobe) == [30, 5, 0, 3, 5, 2, 1]        # eliminated step: 0
    # first step on top: y grows downwards and step 0's bars are the top-most
    bottom, top = ax.get_ylim()
    assert bottom > top
    assert asis.patches[0].get_y() < asis.patches[-1].get_y()
    # the To-Be bars of uptake-dependent steps are hatched
    assert [p.get_hatch() for p in tobe.patches] == [None, None, None, "///", None, "///", None]
    assert ax.get_xlabel() == i18n.t("chart.minutes_per_case", "ja")
    words = {t.get_text() for t in ax.texts if t.get_gid() != "row-label"}
    assert words == {"排除", "新規"}


def test_minutes_by_step_labels(work, assumptions):
    fig, _ = draw(charts.minutes_by_step, work, assumptions)
    labels = row_labels(fig.axes[0])
    assert len(labels) == 7
    assert labels[0] == "来庁・申請書の記入（住民）"
    long_name = labels[1].removesuffix("（窓口）")
    assert long_name.endswith("…") and LONG.startswith(long_name[:-1])
    assert len(long_name) <= 18
    assert labels[2] == SCRIPT + "（担当）"                 # shown as text, nothing else
    assert labels[3].count(r"\$") == 2                     # never mathtext
    legend = charts_style.legend_texts(fig)
    assert legend == ["現状", "見直し後", "見直し後（オンライン申請の場合）"]


def test_minutes_by_step_english(work, assumptions):
    fig, _ = draw(charts.minutes_by_step, work, assumptions, "en")
    labels = row_labels(fig.axes[0])
    assert labels[0] == "来庁・申請書の記入 (resident)"
    assert fig.axes[0].get_xlabel() == "minutes per case"


def test_minutes_by_step_height_grows_with_steps_and_is_capped(assumptions):
    def height(n):
        steps = [Step(id=f"s{i}", name=f"手順{i}", minutes=i + 1) for i in range(n)]
        return charts.minutes_by_step(make_work(steps=steps), assumptions).get_figheight()
    assert height(4) < height(20) <= 9.0
    assert height(60) == pytest.approx(9.0)


# --- hours by actor -----------------------------------------------------------------------
def test_hours_by_actor_bars(work, assumptions):
    fig, _ = draw(charts.hours_by_actor, work, assumptions)
    ax = fig.axes[0]
    asis, tobe = ax.containers
    u = 0.3
    # back office, As-Is: V·p·t/60 over its steps (the new step has no As-Is time)
    back_asis = V * (0.5 * 20 + 1.0 * 15) / 60
    # To-Be: eliminated -> 0; automated and uptake-dependent -> u·H' + (1-u)·H; new -> u·H'
    back_tobe = 0 + (u * V * 3 / 60 + (1 - u) * V * 15 / 60) + u * V * 2 / 60
    assert back_asis == 500 and back_tobe == pytest.approx(240)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["窓口", "担当", "管理職", "住民"]
    assert heights(asis) == pytest.approx([V * 10 / 60, back_asis, V * 5 / 60, V * 30 / 60])
    assert heights(tobe) == pytest.approx([V * 5 / 60, back_tobe, V * 5 / 60, V * 30 / 60])
    assert [t.get_text() for t in ax.texts] == ["200", "500", "100", "600",
                                                "100", "240", "100", "600"]
    assert ax.get_ylabel() == "年間の時間（時間）"


def test_hours_by_actor_skips_system_and_external(assumptions):
    steps = [Step(id="a", name="自動審査", actor="system", minutes=5),
             Step(id="b", name="外部照会", actor="external", minutes=5),
             Step(id="c", name="受付", actor="counter", minutes=6)]
    fig, _ = draw(charts.hours_by_actor, make_work(steps=steps), assumptions, "en")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["counter"]
    assert heights(ax.containers[0]) == pytest.approx([V * 6 / 60])


# --- waterfall ----------------------------------------------------------------------------
def test_savings_waterfall_bars(work, assumptions):
    fig, _ = draw(charts.savings_waterfall, work, assumptions)
    ax = fig.axes[0]
    (bars,) = ax.containers
    # staff hours: counter 200 -> 100, back office 500 -> 240, approver 100 -> 100
    # savings: <script> 200 (quick win), counter 100 (quick win), automated 72 (redesign),
    # new step -12 (redesign): largest first, the increase last
    assert widths(bars) == pytest.approx([800, 200, 100, 72, 12, 440])
    assert [p.get_x() for p in bars.patches] == pytest.approx([0, 600, 500, 428, 428, 0])
    im = impact.compute(work, assumptions)
    assert widths(bars)[-1] == pytest.approx(im.hours_tobe)
    assert widths(bars)[0] == pytest.approx(im.hours_asis)
    colours = [to_hex(p.get_facecolor()) for p in bars.patches]
    assert colours == [to_hex(c) for c in (charts_style.TOTAL, charts_style.QUICK, charts_style.QUICK,
                                           charts_style.REDESIGN, charts_style.REDESIGN, charts_style.TOTAL)]
    assert bars.patches[4].get_hatch() == "xx"
    labels = row_labels(ax)
    assert labels[0] == "現状" and labels[-1] == "見直し後"
    assert labels[1] == SCRIPT + "（担当）"
    legend = charts_style.legend_texts(fig)
    assert legend[:2] == [i18n.label("phase", "quick_win"), i18n.label("phase", "redesign")]
    assert "時間が増える手順" in legend
    bar_texts = [t.get_text() for t in ax.texts if t.get_gid() != "row-label"]
    assert bar_texts == ["800", "−200", "−100", "−72", "+12", "440"]


def test_savings_waterfall_groups_small_steps_as_others(assumptions):
    steps = [Step(id=f"s{i}", name=f"手順{i}", actor="back_office", minutes=10 + i,
                  action="simplify", minutes_after=5, phase="redesign" if i % 2 else "quick_win")
             for i in range(12)]
    work = make_work(steps=steps)
    fig, _ = draw(charts.savings_waterfall, work, assumptions, "en")
    (bars,) = fig.axes[0].containers
    labels = row_labels(fig.axes[0])
    assert len(labels) == 1 + 8 + 1 + 1
    assert labels[-2] == "others (4 steps)"
    saved = [V * (10 + i - 5) / 60 for i in range(12)]
    assert widths(bars)[1:9] == pytest.approx(sorted(saved, reverse=True)[:8])
    assert widths(bars)[9] == pytest.approx(sum(sorted(saved)[:4]))
    assert widths(bars)[-1] == pytest.approx(impact.compute(work, assumptions).hours_tobe)


# --- cost and funding ---------------------------------------------------------------------
def test_cost_funding_bars_in_man_yen(work, assumptions):
    fig, _ = draw(charts.cost_funding, work, assumptions)
    ax = fig.axes[0]
    subsidy, general, saving = ax.containers
    years = np.arange(1, 6)
    s = min(0.5 * 5_000_000, 2_000_000)
    assert heights(subsidy) == pytest.approx([s / 1e4] * 5)
    assert heights(general) == pytest.approx((5_000_000 + years * 600_000 - s) / 1e4)
    assert [p.get_y() for p in general.patches] == pytest.approx([s / 1e4] * 5)  # stacked
    hours_saved = 800 - 440                          # per year, uptake flat at 30 %
    assert heights(saving) == pytest.approx(years * hours_saved * 3000 / 1e4)
    im = impact.compute(work, assumptions)
    assert heights(general)[-1] * 1e4 == pytest.approx(im.general_fund_yen)
    assert (heights(subsidy)[-1] + heights(general)[-1]) * 1e4 == pytest.approx(
        im.total_cost_yen)
    assert ax.get_ylabel() == "金額（万円）"
    legend = charts_style.legend_texts(fig)
    assert legend == ["補助金・交付金：200万円", "一般財源負担：600万円",
                      "人件費換算の削減額（累計）：540万円"]
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"{y}年目" for y in years]


def test_cost_funding_english_in_yen(work, assumptions):
    fig, _ = draw(charts.cost_funding, work, assumptions, "en")
    subsidy, general, saving = fig.axes[0].containers
    assert heights(general)[-1] == pytest.approx(6_000_000)
    legend = charts_style.legend_texts(fig)
    assert legend[1] == "general-fund burden: ¥6,000,000"
    assert charts_style.tick_text(6_000_000) == "6,000,000"


def test_cost_funding_follows_the_uptake_ramp(work, assumptions):
    work = make_work(uptake_by_year=[0.2, 0.5])
    fig, _ = draw(charts.cost_funding, work, assumptions)
    saving = fig.axes[0].containers[2]
    yearly = [row["saving_yen"] for row in impact.compute(work, assumptions).yearly]
    assert heights(saving) == pytest.approx(np.cumsum(yearly) / 1e4)


def test_cost_funding_long_horizon(work):
    fig, _ = draw(charts.cost_funding, work, Assumptions(horizon_years=20))
    assert len(fig.axes[0].containers[0].patches) == 20
    assert fig.axes[0].get_xlabel() == "経過年数（年目）"


# --- lead time ----------------------------------------------------------------------------
def test_lead_vs_processing_bars(work, assumptions):
    fig, _ = draw(charts.lead_vs_processing, work, assumptions)
    ax = fig.axes[0]
    (bars,) = ax.containers
    asis = 0.5 * 3 + 5 + 2                  # share · wait days over existing steps
    tobe = 0 + (0.3 * 1 + 0.7 * 5) + 2      # eliminated; uptake-dependent; kept
    assert heights(bars) == pytest.approx([asis, tobe])
    im = impact.compute(work, assumptions)
    assert heights(bars) == pytest.approx([im.lead_time_asis_days, im.lead_time_tobe_days])
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    # staff minutes per case: 10 + 0.5·20 + 15 + 5 = 40; To-Be 5 + 0 + 11.4 + 5 + 0.6 = 22
    assert ticks == ["現状\n職員の作業 40分/件", "見直し後\n職員の作業 22分/件"]
    assert [t.get_text() for t in ax.texts] == ["8.5日", "5.8日"]


# --- helpers and housekeeping -------------------------------------------------------------
def test_short_label():
    assert charts_style.short_label("決裁") == "決裁"
    assert charts_style.short_label("あ" * 18) == "あ" * 18
    assert charts_style.short_label("あ" * 19) == "あ" * 17 + "…"
    assert charts_style.short_label("a" * 36) == "a" * 36
    assert charts_style.short_label("a" * 40) == "a" * 34 + "…"
    assert charts_style.short_label("受付\n　と\t確認") == "受付 と 確認"   # U+3000 too
    assert charts_style.short_label("$5 and $6") == r"\$5 and \$6"


def test_figure_to_png_bytes_closes_pyplot_figures(work, assumptions):
    import matplotlib.pyplot as plt
    before = set(plt.get_fignums())
    figures = charts.all_figures(work, assumptions)
    assert set(plt.get_fignums()) == before          # never registered with pyplot
    for fig in figures.values():
        charts_style.figure_to_png_bytes(fig)
    fig = plt.figure()
    assert fig.number in plt.get_fignums()
    assert charts_style.figure_to_png_bytes(fig, dpi=50).startswith(b"\x89PNG")
    assert fig.number not in plt.get_fignums()


def test_documents_get_svg_with_texts_as_text(work, assumptions):
    """The handout's charts are SVG: texts stay text (in the reader's Japanese system font),
    user text is escaped, nothing is fetched from outside, and the same chart gives the same
    bytes (ids salted with a constant)."""
    import re
    import xml.etree.ElementTree as ET

    svg = charts_style.figure_to_svg(charts.minutes_by_step(work, assumptions)).decode("utf-8")
    root = ET.fromstring(svg)                                  # well-formed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "手順別の所要時間（分/件）" in texts
    assert any(SCRIPT in (t or "") for t in texts)          # the step name, as text …
    assert "<script" not in svg and "&lt;script&gt;" in svg  # … escaped in the file
    fonts = set(re.findall(r"font-family: ([^;\"]*)", svg))
    assert fonts == {charts_style.SVG_FONTS} and "'Yu Gothic'" in charts_style.SVG_FONTS
    refs = re.findall(r'(?:xlink:)?href="([^"]*)"', svg)
    assert refs and all(ref.startswith("#") for ref in refs)   # only its own clip paths
    assert "<image" not in svg                                 # no raster inside
    again = charts_style.figure_to_svg(charts.minutes_by_step(work, assumptions))
    assert again == svg.encode("utf-8")


def test_import_is_headless_and_does_not_load_pyplot():
    code = ("import sys, kit.charts.impact, matplotlib; "
            "assert 'matplotlib.pyplot' not in sys.modules; "
            "print(matplotlib.get_backend())")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(ROOT), "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr


def test_chart_keys_in_both_languages():
    ja = {k for k in i18n.MESSAGES["ja"] if k.startswith("chart.")}
    en = {k for k in i18n.MESSAGES["en"] if k.startswith("chart.")}
    assert ja == en
    assert set(TITLE_KEYS.values()) <= ja


def test_forty_steps_are_fast_enough(assumptions):
    """A loose guard against pathological slowness (a few hundred ms expected)."""
    steps = [Step(id=f"s{i}", name=f"手順{i}：申請書類の受付と内容確認および台帳への登録",
                  actor=("counter", "back_office", "approver", "resident")[i % 4],
                  minutes=5 + i, action=("keep", "simplify", "eliminate")[i % 3],
                  minutes_after=3, uptake_dependent=i % 5 == 0) for i in range(40)]
    work = make_work(steps=steps)
    charts_style.figure_to_png_bytes(charts.minutes_by_step(work, assumptions))   # warm caches
    for fn in charts.FIGURES.values():
        start = time.process_time()
        charts_style.figure_to_png_bytes(fn(work, assumptions))
        assert time.process_time() - start < 3.0, fn.__name__
