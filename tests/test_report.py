"""Rendering handouts: self-contained, no code, escaped, the right numbers, failures isolated."""

import re
from html.parser import HTMLParser

import pytest

from kit import i18n
from kit.cli import main
from kit.domain.money import impact
from kit.io import store
from kit.render import pipeline as report

pytestmark = pytest.mark.slow
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.urls = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "action", "poster", "data") and value:
                self.urls.append(value)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, demo_session):
    import shutil

    base = tmp_path_factory.mktemp("render")
    s = base / "session"
    shutil.copytree(demo_session, s)
    work = store.load_work(s, "g02")
    steps = list(work.steps)
    steps[0] = steps[0].model_copy(update={"name": PAYLOAD, "pain": "[x](javascript:alert(1))"})
    store.save_work(s, work.model_copy(update={"steps": steps, "members": [PAYLOAD]}))
    (s / "groups/g04/work.json").write_text("{broken", encoding="utf-8")
    code = main(["render", str(s), "--out", str(base / "out"), "--jobs", "2"])
    return s, base / "out", code


def test_one_failure_does_not_stop_the_others(rendered, capsys):
    s, out, code = rendered
    assert code == 1
    assert sorted(p.name for p in out.glob("*.html")) == ["g01.html", "g02.html", "g03.html",
                                                          "session_summary.html"]


def test_handout_is_self_contained_and_has_no_code(rendered):
    _, out, _ = rendered
    for file in out.glob("*.html"):
        text = file.read_text(encoding="utf-8")
        parser = _Collector()
        parser.feed(text)
        assert "script" not in parser.tags and "link" not in parser.tags
        assert all(u.startswith("data:") for u in parser.urls), parser.urls[:3]
        assert not re.search(r"https?://", text.replace("http://www.w3.org", ""))
        assert "Handout.open" not in text and "h.show" not in text and "session_dir" not in text
        assert "In&nbsp;[" not in text and "input_area" not in text
        assert file.stat().st_size < 2_000_000
        assert "@page" in text and "Yu Gothic" in text


def test_user_text_is_escaped(rendered):
    _, out, _ = rendered
    text = (out / "g02.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text   # as esc() wrote it
    assert "<script>alert" not in text and "<img src=x" not in text
    assert 'href="javascript' not in text


def test_numbers_and_labels_match_the_workspace(rendered):
    s, out, _ = rendered
    session = store.load_session(s)
    work = store.load_work(s, "g01")
    m = impact.compute(work, session.assumptions)
    text = (out / "g01.html").read_text(encoding="utf-8")
    for label in ("主要な数値", "削減できる職員時間", "一般財源負担", "すぐできる改善", work.theme):
        assert label in text
    # headlines are the deterministic figures with the P10–P90 range of the seeded Monte Carlo
    # (kit.domain.money.uncertainty) beside them; the median only in the uncertainty table
    from kit.documents import decision as handout_decision
    from kit.domain.money import uncertainty
    f = uncertainty.monte_carlo(work, session.assumptions, n=handout_decision.DRAWS,
                                seed=handout_decision.SEED)
    p10, p50, p90 = f.p("hours_saved")
    assert i18n.fmt_hours(m.hours_saved) + " " in text and i18n.fmt_hours(p90) in text
    assert i18n.fmt_hours(p50) + "</td>" in text
    assert i18n.fmt_yen(m.general_fund_yen) in text
    assert i18n.fmt_yen(m.npv_yen) in text and i18n.fmt_yen(f.p("npv_yen")[1]) in text
    assert i18n.fmt_yen(m.subsidy_yen) in text
    assert text.count("data:image/svg+xml;base64,") >= 11     # 11 charts, vector
    assert "data:image/png" not in text
    for title in ("手順別の所要時間（分/件）", "業務フロー（現状）", "業務フロー（見直し後）"):
        assert f'alt="{title}"' in text                 # every chart says what it shows


def test_english_switch(demo_session, tmp_path):
    path = report.render_group(demo_session, "g01", tmp_path, lang="en")
    text = path.read_text(encoding="utf-8")
    assert "Key figures" in text and "Staff hours saved" in text and 'lang="en"' in text
    assert "主要な数値" not in text


def test_export_is_nbconvert_html_without_the_soup_pass():
    """kit's exporter skips nbconvert's BeautifulSoup pass over the page (80 % of the export
    time): the page is the same document as nbconvert's own exporter makes, an image without
    alt text still gets one, and escaped user text stays escaped."""
    import nbformat
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    html = ('<section><h2>見出し</h2><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'
            '<img src="data:image/svg+xml;base64,PHN2Zy8+"/>'
            '<figure class="chart"><img alt="図" src="data:image/svg+xml;base64,PHN2Zy8+"/>'
            '</figure><table><tr><td>1</td></tr></table></section>')
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "show()", outputs=[nbformat.v4.new_output("display_data", {"text/html": html})])])
    ours = report.export_html(nb, lang="ja", title="t")
    stock = HTMLExporter(template_name=report.HTML_TEMPLATE,
                         extra_template_basedirs=[str(report.NBCONVERT_TEMPLATES)],
                         exclude_input=True, exclude_input_prompt=True,
                         exclude_output_prompt=True, embed_images=True)
    theirs, _ = stock.from_notebook_node(nb, resources={"handout_lang": "ja",
                                                        "handout_title": "t"})
    # the same document as nbconvert's, except the alt text it adds speaks the reader's language
    theirs = theirs.replace("No description has been provided for this image",
                            i18n.t("report.no_alt", "ja"))
    assert str(BeautifulSoup(ours, features="html.parser")) == theirs
    assert ours.count("<img") == 2 and ours.count("alt=") == 2
    assert 'alt="図"' in ours and "&lt;script&gt;" in ours and "<script>" not in ours
