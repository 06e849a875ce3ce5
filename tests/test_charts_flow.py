"""The swimlane flow chart: one lane per actor present, one box per step, readable glyphs."""

import warnings

from matplotlib.patches import FancyBboxPatch

from kit.charts import style as charts_style
from kit.charts.flow import signature, swimlane
from kit.domain.model import Assumptions, GroupWork

WORK = GroupWork.parse({
    "group_id": "g1", "theme": "児童手当", "annual_cases": 100,
    "steps": [
        {"name": "来庁", "actor": "resident", "channel": "counter", "minutes": 30,
         "value": "waste", "action": "eliminate"},
        {"name": "<script>alert(1)</script> 受付", "actor": "counter", "minutes": 10},
        {"name": "入力$3$", "actor": "back_office", "minutes": 9, "wait_days": 2},
        {"name": "照会", "actor": "external", "minutes": 0, "wait_days": 7},
        {"name": "電子申請の確認", "actor": "back_office", "minutes": 3, "is_new": True},
    ],
})


def _texts(fig):
    return [t.get_text() for t in fig.axes[0].texts]


def test_lanes_and_boxes_as_is_and_to_be():
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # a missing Japanese glyph would fail here
        asis = swimlane(WORK, Assumptions(), "ja")
        tobe = swimlane(WORK, Assumptions(), "ja", view="tobe")
        png = charts_style.figure_to_png_bytes(asis)
        charts_style.figure_to_png_bytes(tobe)
    assert png[:4] == b"\x89PNG"
    texts = _texts(asis)
    assert texts[:4] == ["住民", "窓口", "担当", "外部"]          # lanes in a fixed order
    boxes = [p for p in asis.axes[0].patches if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == 4                                    # the new step is To-Be only
    assert "待2日" in texts and "待7日" in texts
    assert "<script>alert(1)</script> 受付" in texts            # text, never markup
    tobe_boxes = [p for p in tobe.axes[0].patches if isinstance(p, FancyBboxPatch)]
    assert len(tobe_boxes) == 5
    assert tobe_boxes[0].get_hatch() == "//"                  # eliminated
    assert tobe_boxes[4].get_linestyle() == "--"              # added by the redesign
    assert any(t.startswith("排除: 来庁") for t in _texts(tobe))


def test_english_and_redraw_signature():
    fig = swimlane(WORK, Assumptions(), "en")
    assert _texts(fig)[:4] == ["resident", "counter", "back office", "external"]
    charts_style.close(fig)
    faster = WORK.model_copy(update={"steps": [WORK.steps[0].model_copy(update={"minutes": 5})]
                                     + WORK.steps[1:]})
    assert signature(faster) == signature(WORK)               # minutes: no redraw needed
    renamed = WORK.model_copy(update={"steps": [WORK.steps[0].model_copy(update={"name": "x"})]
                                      + WORK.steps[1:]})
    assert signature(renamed) != signature(WORK)
