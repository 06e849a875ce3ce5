"""Property tests (hypothesis): whatever a sheet or a widget holds, the steps importer and the
model either give a valid model or raise the kit's InputError — never another exception."""

import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kit import i18n
from kit.domain.model import GroupWork, Step
from kit.exceptions import InputError
from kit.io import steps as tables

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
HEADERS = [i18n.t(f"col.{col}", lang) for _, col in tables.STEP_COLUMNS for lang in i18n.LANGS]
LABELS = [text for kind in ("actor", "channel", "value", "action", "phase", "bool")
          for lang in i18n.LANGS for text, _ in i18n.choices(kind, lang)]
STEP_FIELDS = list(Step.model_fields)
WORK_FIELDS = list(GroupWork.model_fields)

# what real cells hold: numbers with units, full-width digits, percents, labels, junk
cell = st.one_of(
    st.just(""),
    st.sampled_from(LABELS),
    st.integers(-10**7, 10**7).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.tuples(st.integers(0, 999), st.sampled_from(["分", "件", "%", "％", "日", ""]))
      .map(lambda t: str(t[0]).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
           + t[1]),
    st.sampled_from(["=1+2", "'=cmd", "<script>alert(1)</script>", "1,200件", "２０％", "-0",
                     "1e400", "NaN", "\x00", "\x7f", "はい", "いいえ", "たぶん", " "]),
    st.text(max_size=30),
)
scalar = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                   st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40), cell)
value = st.one_of(scalar, st.lists(scalar, max_size=3), st.dictionaries(st.text(max_size=5),
                                                                        scalar, max_size=2))
name = st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]),
               min_size=1, max_size=30)
GOOD = {    # plausible values per Step field, so that many examples load
    "name": name,
    "minutes": st.one_of(st.floats(0, 1e5), st.integers(0, 600).map(lambda n: f"{n}分")),
    "share": st.one_of(st.floats(0, 1), st.integers(0, 100).map(lambda n: f"{n}%")),
    "wait_days": st.floats(0, 3650),
    "minutes_after": st.one_of(st.none(), st.floats(0, 1e5)),
    "pain": st.text(max_size=50),
    **{field: st.sampled_from([m.value for m in enum]) for field, enum in
       tables._ENUMS.items()},
    **{field: st.sampled_from(["はい", "いいえ", True, False, 0, 1]) for field in tables._BOOLS},
}
good_step = st.fixed_dictionaries({"name": name}, optional={
    f: GOOD[f] for f in STEP_FIELDS if f in GOOD and f != "name"})
step_data = st.one_of(good_step, st.fixed_dictionaries(
    {"name": st.one_of(GOOD["name"], value)},
    optional={f: st.one_of(GOOD.get(f, value), value) for f in STEP_FIELDS if f != "name"}))


@st.composite
def sheet(draw):
    """A plausible steps sheet: known headers (ja/en) and cells that mostly fit them."""
    fields = draw(st.lists(st.sampled_from([f for f, _ in tables.STEP_COLUMNS]), unique=True,
                           max_size=6))
    fields = ["name", *[f for f in fields if f != "name"]]
    lang = draw(st.sampled_from(i18n.LANGS))
    header = [i18n.t(f"col.{dict(tables.STEP_COLUMNS)[f]}", lang) for f in fields]
    texts = {**{f: GOOD[f].map(str) for f in GOOD},
             **{f: st.sampled_from([t for t, _ in i18n.choices(f, lang)])
                for f in tables._ENUMS},
             **{f: st.sampled_from(["はい", "いいえ", "yes", ""]) for f in tables._BOOLS}}
    mostly_good = [st.one_of(*[texts.get(f, cell)] * 8, cell) for f in fields]
    rows = draw(st.lists(st.tuples(*mostly_good), min_size=1, max_size=5))
    return header, [list(r) for r in rows]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("prop")


def _write(folder: Path, data: bytes) -> Path:
    path = folder / "steps.csv"
    path.write_bytes(data)
    return path


def _valid_steps(steps) -> None:
    for step in steps:
        again = Step.model_validate(step.model_dump())     # round-trips as a valid model
        assert again == step
        assert 0 <= step.minutes <= 100_000 and 0 <= step.share <= 1
        assert math.isfinite(step.minutes) and step.name.strip() == step.name != ""


@SETTINGS
@given(table=st.one_of(sheet(), sheet(), st.tuples(
    st.lists(st.one_of(st.sampled_from(HEADERS), st.text(max_size=8)), min_size=1, max_size=6),
    st.lists(st.lists(cell, max_size=7), max_size=5))),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp932"]))
def test_read_steps_on_any_csv_gives_steps_or_input_error(folder, table, encoding):
    header, rows = table
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    path = _write(folder, buffer.getvalue().encode(encoding, errors="replace"))
    try:
        steps = tables.read_steps(path)
    except InputError as exc:
        assert exc.message_ja and exc.message_en
        event("InputError")
        return
    event("loaded")
    assert steps
    _valid_steps(steps)


@SETTINGS
@given(data=st.binary(max_size=300))
def test_read_steps_on_any_bytes_gives_steps_or_input_error(folder, data):
    try:
        _valid_steps(tables.read_steps(_write(folder, data)))
        event("loaded")
    except InputError:
        event("InputError")


@SETTINGS
@given(data=st.one_of(step_data, step_data, st.dictionaries(
    st.one_of(st.sampled_from(STEP_FIELDS), st.text(max_size=6)), value, max_size=8)))
def test_step_parse_gives_a_step_or_input_error(data):
    try:
        step = Step.parse(data)
    except InputError as exc:
        assert exc.message_ja and exc.message_en and exc.field is not None
        event("InputError")
        return
    event("loaded")
    _valid_steps([step])




@SETTINGS
@given(data=st.one_of(st.just({}), st.dictionaries(
    st.one_of(st.sampled_from(WORK_FIELDS), st.text(max_size=6)),
    st.one_of(value, st.lists(step_data, max_size=3)), max_size=3)),
    steps=st.lists(step_data, max_size=4),
    group_id=st.one_of(st.sampled_from(["g01", "g-02", "../x", "", "g" * 41]),
                       st.text(max_size=8)),
    theme=st.one_of(name, cell))
def test_groupwork_parse_gives_a_work_or_input_error(data, steps, group_id, theme):
    data = {"group_id": group_id, "theme": theme, "steps": steps, **data}
    try:
        work = GroupWork.parse(data)
    except InputError as exc:
        assert exc.message_ja and exc.message_en
        event("InputError")
        return
    event("loaded")
    assert GroupWork.model_validate(work.model_dump()) == work
    assert work.group_id not in ("", "../x") and "/" not in work.group_id
    _valid_steps(work.steps)
