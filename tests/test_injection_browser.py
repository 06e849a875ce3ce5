"""Hostile text in every free-text field stays text: in the handout HTML and in a real browser
(headless chromium: no script runs, no request leaves the file), and parameters handed to
papermill cannot become code.

ONE handout is rendered for the whole module (rendering costs several seconds).
"""

import ast
import json
import re
import shutil
from html.parser import HTMLParser

import pytest

from kit.domain.model import GroupWork
from kit.exceptions import InputError
from kit.io import store
from kit.render import pipeline as report

THEME = '"""; import os; os.system("touch PWNED") # <b>テーマ</b>'
ENUM_LIKE = {"id", "group_id", "updated_at", "system_id", "measured_on", "selected_system"}


def payload(i: int) -> str:
    """≤ 200 characters (a name's limit): script, event handler, javascript: link, markdown."""
    return (f"P{i}<script>document.title='X{i}';window.__pwned={i}</script>"
            f"<img src=x onerror=window.__pwned={i}><a href=\"javascript:window.__pwned={i}\">"
            f"a{i}</a>[m{i}](javascript:window.__pwned={i}) **b{i}**")


def inject(work: GroupWork) -> tuple[GroupWork, dict[str, str]]:
    """Put a numbered payload into every string field the model accepts as free text."""
    data = work.model_dump(mode="json")
    placed: dict[str, str] = {}

    def walk(node, where):
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(items):
            here = f"{where}.{key}" if where else str(key)
            if isinstance(value, (dict, list)):
                walk(value, here)
            elif isinstance(value, str) and key not in ENUM_LIKE and here != "theme":
                node[key] = payload(len(placed))
                try:
                    GroupWork.parse(data)
                    placed[here] = node[key]
                except InputError:          # an enum or an id: not free text
                    node[key] = value

    walk(data, "")
    data["theme"] = THEME
    return GroupWork.parse(data), placed


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, demo_session):
    """The demo session with payloads everywhere, and g01's handout rendered once."""
    base = tmp_path_factory.mktemp("inject")
    s = base / "session"
    shutil.copytree(demo_session, s)
    work = store.load_work(s, "g01")
    if not work.funding:
        work = work.model_copy(update={"funding": [{"name": "x", "rate": 0.5}]})
    work = work.model_copy(update={"members": ["山田", "佐藤"], "notes": "n",
                                   "costs": work.costs.model_copy(update={"system": "s"})})
    hostile_work, placed = inject(work)
    store.save_work(s, hostile_work)
    meta = store.load_session(s)
    store.save_session(s, meta.model_copy(update={"name": payload(999)}))
    html_file = report.render_group(s, "g01", base / "out")
    return s, placed, html_file


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.bad_attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript"):
                self.bad_attrs.append((tag, name, value))


def test_every_free_text_field_got_a_payload(hostile):
    _, placed, _ = hostile
    fields = set(placed)
    for needed in ("steps.0.name", "steps.0.pain", "members.0", "costs.system", "funding.0.name",
                   "notes"):
        assert needed in fields, sorted(fields)
    assert len(fields) >= 15, len(fields)


def test_payloads_are_escaped_text_in_the_html(hostile):
    _, placed, html_file = hostile
    text = html_file.read_text(encoding="utf-8")
    parser = _Elements()
    parser.feed(text)
    assert "script" not in parser.tags and "iframe" not in parser.tags
    assert parser.bad_attrs == []
    assert "&lt;script&gt;document.title=" in text
    for where in ("steps.0.name", "steps.0.pain", "members.0", "costs.system",
                  "funding.0.name"):
        i = list(placed).index(where)
        assert f"P{i}&lt;script&gt;" in text, where
    assert "[m0](javascript:window.__pwned=0)" in text     # markdown stays markdown text
    assert "&quot;&quot;&quot;; import os" in text or '"""; import os' in text
    assert not list(html_file.parent.glob("PWNED")) and not (hostile[0] / "PWNED").exists()


@pytest.mark.browser
def test_browser_runs_no_script_and_makes_no_request(hostile, browser):
    _, placed, html_file = hostile
    url = html_file.as_uri()
    requests = []
    context = browser.new_context()
    try:
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(url, wait_until="load")
        page.wait_for_timeout(300)
        state = page.evaluate("""() => ({
            pwned: window.__pwned === undefined ? null : window.__pwned,
            title: document.title,
            scripts: document.scripts.length,
            handlers: [...document.querySelectorAll('*')].flatMap(e =>
                [...e.attributes].filter(a => a.name.startsWith('on')).map(a => a.name)),
            jsLinks: [...document.querySelectorAll('[href]')].filter(e =>
                e.getAttribute('href').trim().toLowerCase().startsWith('javascript')).length,
            body: document.body.innerText})""")
        for link in page.query_selector_all("a"):     # clicking any link runs nothing
            link.click(no_wait_after=True)
        pwned_after_clicks = page.evaluate("window.__pwned === undefined")
    finally:
        context.close()
    assert state["pwned"] is None and pwned_after_clicks and dialogs == []
    assert not re.fullmatch(r"X\d+", state["title"]) and "<script>" in state["title"]
    assert state["scripts"] == 0 and state["handlers"] == [] and state["jsLinks"] == 0
    assert requests == [url], requests
    body = state["body"]
    for where in ("steps.0.name", "steps.0.pain", "members.0", "costs.system",
                  "funding.0.name"):
        assert payload(list(placed).index(where)) in body, where
    assert THEME in body


# --- parameters handed to papermill -------------------------------------------------------
@pytest.fixture
def no_papermill(monkeypatch):
    calls = []

    def fake_execute(template, parameters, output=None):
        calls.append(dict(parameters))
        raise AssertionError("papermill must not be reached")

    monkeypatch.setattr(report, "execute", fake_execute)
    return calls


@pytest.mark.parametrize("group, lang", [
    ('g01"\nimport os', None),
    ("g01'; import os #", None),
    ("../g01", None),
    ("/etc/passwd", None),
    ("g" * 300, None),
    ("g01\x00", None),
    ("g01", 'ja"\nimport os\nos.system("id")\n"'),
    ("g01", "fr"),
    ("g01", "ja\n"),
])
def test_group_id_and_lang_with_code_are_rejected_before_papermill(demo_session, tmp_path,
                                                                   no_papermill, group, lang):
    with pytest.raises(InputError):
        report.render_group(demo_session, group, tmp_path, lang=lang)
    assert no_papermill == []


def test_other_parameters_with_line_breaks_are_rejected(tmp_path, no_papermill):
    with pytest.raises(InputError) as err:
        report.render_notebook(report.GROUP_TEMPLATE,
                               {"session_dir": '/tmp/x"\nimport os\n"', "group_id": "g01"},
                               tmp_path / "x.html", lang="ja", title="t", group="g01")
    assert "session_dir" in err.value.message_en
    assert no_papermill == []


def test_theme_with_code_is_never_a_parameter_and_stays_a_literal(hostile, tmp_path,
                                                                  no_papermill):
    s, _, _ = hostile
    assert store.load_work(s, "g01").theme == THEME
    with pytest.raises(AssertionError):
        report.render_group(s, "g01", tmp_path)
    assert set(no_papermill[0]) == {"session_dir", "group_id", "lang"}    # no user text
    assert THEME not in json.dumps(no_papermill[0], ensure_ascii=False)
    # even if such text were a parameter, papermill writes it as one string literal
    from papermill.translators import PythonTranslator

    cell = PythonTranslator.codify({"theme": THEME, "x": 'a"""\nimport os\n"""'})
    tree = ast.parse(cell)
    assigns = [n for n in tree.body if isinstance(n, ast.Assign)]
    assert len(assigns) == 2 and len(tree.body) == 2
    assert [ast.literal_eval(a.value) for a in assigns] == [THEME, 'a"""\nimport os\n"""']
