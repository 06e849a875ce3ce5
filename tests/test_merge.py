"""The three-way merge of group workspaces (kit/io/merge.py) and ``store.save_work(merge=True)``.

Four members edit one group document at once: edits to different places are all kept, the
same change twice counts once, and both sides changing one value differently is refused
with every clash named (path, base, mine, theirs) and nothing written.
"""

import pickle

import pytest

from kit.cli import main
from kit.domain.model import FundingSource, GroupWork, Session, Step, SystemOption
from kit.exceptions import ConflictError, StoreError
from kit.io import store
from kit.io.merge import ABSENT, Clash, MergeClash, merge

GROUP = "g01"


# --- merge(): hand-written documents --------------------------------------------------------
def _steps(*ids, **minutes):
    return [{"id": i, "name": i.upper(), "minutes": minutes.get(i, 10)} for i in ids]


def test_both_add_a_step_both_kept_theirs_first():
    base = {"steps": _steps("a", "b")}
    theirs = {"steps": _steps("a", "b", "t1")}
    mine = {"steps": _steps("a", "b", "m1")}
    assert merge(base, mine, theirs) == {"steps": _steps("a", "b", "t1", "m1")}


def test_additions_go_after_the_item_preceding_them():
    base = {"steps": _steps("a", "b")}
    theirs = {"steps": _steps("t0", "a", "b", "t1", "t2")}
    mine = {"steps": _steps("m0", "a", "m1", "b", "m2")}
    assert [s["id"] for s in merge(base, mine, theirs)["steps"]] == \
        ["t0", "m0", "a", "m1", "b", "t1", "t2", "m2"]


def test_one_adds_while_another_removes_a_different_step():
    base = {"steps": _steps("a", "b", "c")}
    theirs = {"steps": _steps("b", "c")}
    mine = {"steps": _steps("a", "b", "m1", "c")}
    assert merge(base, mine, theirs) == {"steps": _steps("b", "m1", "c")}


def test_same_step_different_fields_and_different_steps():
    base = {"steps": _steps("a", "b")}
    mine = {"steps": [{"id": "a", "name": "A", "minutes": 5},
                      {"id": "b", "name": "B", "minutes": 10}]}
    theirs = {"steps": [{"id": "a", "name": "受付", "minutes": 10},
                        {"id": "b", "name": "B", "minutes": 30, "pain": "紙"}]}
    assert merge(base, mine, theirs) == {"steps": [
        {"id": "a", "name": "受付", "minutes": 5},
        {"id": "b", "name": "B", "minutes": 30, "pain": "紙"}]}


def test_dicts_merge_key_by_key_added_and_removed_keys():
    base = {"scores": {"sysA": {"integration": 3, "staff": 2}}, "weights": {"cost": 1, "old": 2}}
    mine = {"scores": {"sysA": {"integration": 4, "staff": 2}},
            "weights": {"cost": 1, "old": 2, "ease": 3}}
    theirs = {"scores": {"sysA": {"integration": 3, "staff": 2}, "sysB": {"integration": 5}},
              "weights": {"cost": 2}}
    assert merge(base, mine, theirs) == {
        "scores": {"sysA": {"integration": 4, "staff": 2}, "sysB": {"integration": 5}},
        "weights": {"cost": 2, "ease": 3}}


def test_an_object_created_on_both_sides_merges_key_by_key():
    base = {"scores": {}, "counter": None}
    mine = {"scores": {"sysA": {"integration": 4}}, "counter": {"desks": 2}}
    theirs = {"scores": {"sysA": {"staff": 5}}, "counter": {"hours": 8}}
    assert merge(base, mine, theirs) == {"scores": {"sysA": {"staff": 5, "integration": 4}},
                                         "counter": {"hours": 8, "desks": 2}}


def test_funding_rows_by_funding_id_or_by_name():
    base = {"funding": [{"funding_id": "f1", "name": "デジ田", "rate": 0.5}]}
    mine = {"funding": [{"funding_id": "f1", "name": "デジ田", "rate": 0.75},
                        {"funding_id": "", "name": "県補助", "rate": 0.25}]}
    theirs = {"funding": [{"funding_id": "f1", "name": "デジ田交付金", "rate": 0.5},
                          {"funding_id": "f2", "name": "特別交付税", "rate": 0.3}]}
    assert merge(base, mine, theirs) == {"funding": [
        {"funding_id": "f1", "name": "デジ田交付金", "rate": 0.75},
        {"funding_id": "f2", "name": "特別交付税", "rate": 0.3},
        {"funding_id": "", "name": "県補助", "rate": 0.25}]}


def test_a_list_without_identities_is_one_value():
    """Rows without an identity (two alike) are one value; distinct names merge as a set."""
    base = {"members": ["山田"], "funding": [{"funding_id": "", "name": "x"}] * 2}
    mine = {"members": ["山田", "佐藤"], "funding": base["funding"]}
    theirs = {"members": ["山田", "鈴木"], "funding": [{"funding_id": "", "name": "x"}]}
    assert merge(base, mine, theirs) == \
        {"members": ["山田", "鈴木", "佐藤"], "funding": [{"funding_id": "", "name": "x"}]}
    other = [{"funding_id": "", "name": "y"}]
    with pytest.raises(MergeClash) as err:
        merge(base, {**mine, "funding": other}, theirs)
    assert err.value.clashes == [Clash(("funding",), base["funding"], other, theirs["funding"])]


def test_order_one_side_reordered_is_taken_both_reordered_is_a_clash():
    base = {"steps": _steps("a", "b", "c")}
    reversed_ = {"steps": _steps("c", "b", "a")}
    added = {"steps": _steps("a", "b", "c", "new1")}
    assert [s["id"] for s in merge(base, added, reversed_)["steps"]] == ["c", "new1", "b", "a"]
    assert [s["id"] for s in merge(base, reversed_, added)["steps"]] == ["c", "new1", "b", "a"]
    with pytest.raises(MergeClash) as err:
        merge(base, {"steps": _steps("b", "a", "c")}, reversed_)
    assert err.value.clashes == [Clash(("steps", "#order"), ["a", "b", "c"], ["b", "a", "c"],
                                       ["c", "b", "a"])]


def test_every_clash_is_collected_and_removed_vs_edited_is_one():
    base = {"theme": "児童手当", "steps": _steps("a", "b")}
    mine = {"theme": "児童手当（電子）", "steps": _steps("a", "b", a=42, b=1)}
    theirs = {"theme": "児童手当（窓口）", "steps": _steps("a", a=99)}
    with pytest.raises(MergeClash) as err:
        merge(base, mine, theirs)
    assert err.value.clashes == [
        Clash(("theme",), "児童手当", "児童手当（電子）", "児童手当（窓口）"),
        Clash(("steps", "a", "minutes"), 10, 42, 99),
        Clash(("steps", "b"), {"id": "b", "name": "B", "minutes": 10},
              {"id": "b", "name": "B", "minutes": 1}, ABSENT)]


def test_same_change_counts_once_revision_and_time_are_theirs():
    base = {"revision": 1, "updated_at": "t1", "theme": "a", "steps": _steps("a")}
    mine = {"revision": 1, "updated_at": "t1", "theme": "b", "steps": _steps("a", a=5)}
    theirs = {"revision": 7, "updated_at": "t7", "theme": "b", "steps": _steps("a", a=5)}
    assert merge(base, mine, theirs) == theirs
    assert merge(base, {**base, "revision": 99}, {**base, "revision": 3})["revision"] == 3


# --- store.save_work(merge=True), end to end ------------------------------------------------
@pytest.fixture
def session(tmp_path):
    s = tmp_path / "s"
    steps = [Step(id="a", name="受付", minutes=10), Step(id="b", name="入力", minutes=15),
             Step(id="c", name="決裁", minutes=5)]
    work = GroupWork(group_id=GROUP, theme="児童手当", annual_cases=1200, steps=steps,
                     candidates=[SystemOption(system_id="sysA", name="A"),
                                 SystemOption(system_id="sysB", name="B")],
                     scores={"sysA": {"integration": 3}}, weights={"integration": 1},
                     funding=[FundingSource(funding_id="f1", name="デジ田", rate=0.5)])
    store.create_session(s, Session(name="同時編集"), [work])
    return s


def _edit(work: GroupWork, **fields) -> GroupWork:
    """``work`` with whole fields replaced or (``field__key=value``) one key of an object set."""
    data = work.model_dump(mode="json")
    for name, value in fields.items():
        if "__" in name:
            outer, inner = name.split("__")
            data[outer] = {**data[outer], inner: value}
        else:
            data[name] = value
    return GroupWork.parse(data)


def _step(work, sid, **changes):
    return [s.model_copy(update=changes) if s.id == sid else s for s in work.steps]


def _race(session, theirs_edit, mine_edit) -> GroupWork:
    """Both load revision 1; theirs saves, then mine saves with merge=True."""
    loaded = store.load_work(session, GROUP)
    store.save_work(session, theirs_edit(loaded))
    return store.save_work(session, mine_edit(loaded), merge=True)


def _dump(work, *fields):
    data = work.model_dump(mode="json")
    return {f: data[f] for f in fields}


def test_store_two_members_add_a_step_at_once(session):
    saved = _race(session,
                  lambda w: _edit(w, steps=[*w.steps, Step(id="t1", name="確認")]),
                  lambda w: _edit(w, steps=[w.steps[0], Step(id="m1", name="照合"), *w.steps[1:]]))
    assert saved.revision == 3
    assert [s.id for s in saved.steps] == ["a", "m1", "b", "c", "t1"]
    assert store.load_work(session, GROUP) == saved


def test_store_one_adds_while_another_removes(session):
    saved = _race(session, lambda w: _edit(w, steps=w.steps[1:]),
                  lambda w: _edit(w, steps=[*w.steps, Step(id="m1", name="照合")]))
    assert [s.id for s in saved.steps] == ["b", "c", "m1"]


def test_store_same_step_different_fields_and_different_steps(session):
    saved = _race(session, lambda w: _edit(w, steps=_step(w, "a", pain="窓口が混む")),
                  lambda w: _edit(w, steps=_step(_edit(w, steps=_step(w, "a", minutes=7)),
                                                 "c", minutes=2)))
    assert [(s.id, s.minutes, s.pain) for s in saved.steps] == \
        [("a", 7, "窓口が混む"), ("b", 15, ""), ("c", 2, "")]


def test_store_scores_and_weights(session):
    saved = _race(session,
                  lambda w: _edit(w, scores__sysB={"integration": 5, "staff_usability": 2},
                                  weights__integration=2),
                  lambda w: _edit(w, scores__sysA={"integration": 4}, weights__cost=3))
    assert _dump(saved, "scores", "weights") == {
        "scores": {"sysA": {"integration": 4.0}, "sysB": {"integration": 5.0,
                                                          "staff_usability": 2.0}},
        "weights": {"integration": 2.0, "cost": 3.0}}


def test_store_costs_ranges_charter_and_funding(session):
    def theirs(w):
        w = _edit(w, costs__initial_cost_yen=3_000_000, ranges__annual_cases_high=1500,
                  charter__start="申請書の受付")
        return _edit(w, funding=[*w.model_dump(mode="json")["funding"],
                                 {"funding_id": "f2", "name": "特別交付税", "rate": 0.3}])

    def mine(w):
        w = _edit(w, costs__annual_cost_yen=400_000, ranges__annual_cases_low=1000,
                  charter__sponsor="子育て支援課長")
        return _edit(w, funding=[*w.model_dump(mode="json")["funding"],
                                 {"funding_id": "", "name": "県補助", "rate": 0.25}])

    saved = _race(session, theirs, mine)
    assert (saved.costs.initial_cost_yen, saved.costs.annual_cost_yen) == (3_000_000, 400_000)
    assert (saved.ranges.annual_cases_low, saved.ranges.annual_cases_high) == (1000, 1500)
    assert (saved.charter.start, saved.charter.sponsor) == ("申請書の受付", "子育て支援課長")
    assert [(f.funding_id, f.name, f.rate) for f in saved.funding] == [
        ("f1", "デジ田", 0.5), ("f2", "特別交付税", 0.3), ("", "県補助", 0.25)]


def test_store_four_members_save_at_once(session):
    loaded = store.load_work(session, GROUP)
    edits = [_edit(loaded, steps=[*loaded.steps, Step(id="m1", name="照合")]),
             _edit(loaded, steps=[Step(id="m2", name="予約"), *loaded.steps]),
             _edit(loaded, scores__sysB={"integration": 4}),
             _edit(loaded, steps=_step(loaded, "b", minutes=8), charter__end="通知の発送")]
    for n, mine in enumerate(edits, start=2):
        assert store.save_work(session, mine, merge=True, base=loaded).revision == n
    work = store.load_work(session, GROUP)
    assert [(s.id, s.minutes) for s in work.steps] == [("m2", 0), ("a", 10), ("b", 8),
                                                       ("c", 5), ("m1", 0)]
    assert work.scores == {"sysA": {"integration": 3}, "sysB": {"integration": 4}}
    assert work.charter.end == "通知の発送"


def test_store_same_change_on_both_sides_is_no_clash(session):
    saved = _race(session, lambda w: _edit(w, steps=_step(w, "b", minutes=20)),
                  lambda w: _edit(w, steps=_step(w, "b", minutes=20), theme="児童手当（電子）"))
    assert saved.steps[1].minutes == 20 and saved.theme == "児童手当（電子）"


def test_store_save_30_versions_late_with_base(session):
    base = store.load_work(session, GROUP)
    other = base
    for i in range(30):                     # others keep saving other fields
        other = store.save_work(session, _edit(other, notes=f"n{i}",
                                               steps=_step(other, "b", minutes=16 + i)))
    mine = _edit(base, steps=[*_step(base, "a", minutes=3), Step(id="m1", name="照合")],
                 scores__sysB={"integration": 2})
    assert not store.path("version", session, GROUP, revision=1).exists()   # pruned
    with pytest.raises(ConflictError) as err:          # without base: history has no rev 1
        store.save_work(session, mine, merge=True)
    assert err.value.clashes == []
    saved = store.save_work(session, mine, merge=True, base=base)
    assert saved.revision == 32 and saved.notes == "n29"
    assert [(s.id, s.minutes) for s in saved.steps] == [("a", 3), ("b", 45), ("c", 5),
                                                        ("m1", 0)]
    assert saved.scores == {"sysA": {"integration": 3}, "sysB": {"integration": 2}}
    # the base may also be given as the dict the editor loaded
    again = store.save_work(session, _edit(base, theme="児童手当（電子）"), merge=True,
                            base=base.model_dump(mode="json"))
    assert again.revision == 33 and again.theme == "児童手当（電子）" and again.notes == "n29"


def test_store_same_field_clash_names_both_values_and_writes_nothing(session):
    loaded = store.load_work(session, GROUP)
    store.save_work(session, _edit(loaded, steps=_step(loaded, "a", minutes=99)))
    work_json = store.path("work", session, GROUP)
    before = work_json.read_bytes()
    mine = _edit(loaded, steps=_step(loaded, "a", minutes=42), theme="児童手当（電子）")
    with pytest.raises(ConflictError) as err:
        store.save_work(session, mine, merge=True, base=loaded)
    assert err.value.clashes == [Clash(("steps", "a", "minutes"), 10.0, 42.0, 99.0)]
    assert (err.value.disk_revision, err.value.expected_revision) == (2, 1)
    assert "再読み込み" in err.value.message_ja and "Reload" in err.value.message_en
    assert work_json.read_bytes() == before
    assert not store.path("version", session, GROUP, revision=3).exists()
    copy = pickle.loads(pickle.dumps(err.value))      # reports render in worker processes
    assert copy.clashes == err.value.clashes and copy.disk_revision == 2


def test_store_removed_vs_edited_is_a_clash(session):
    loaded = store.load_work(session, GROUP)
    store.save_work(session, _edit(loaded, steps=loaded.steps[:2]))
    with pytest.raises(ConflictError) as err:
        store.save_work(session, _edit(loaded, steps=_step(loaded, "c", minutes=1)), merge=True)
    [clash] = err.value.clashes
    assert clash.path == ("steps", "c") and clash.theirs is ABSENT
    assert (clash.base["minutes"], clash.mine["minutes"]) == (5.0, 1.0)
    assert [s.id for s in store.load_work(session, GROUP).steps] == ["a", "b"]


def test_store_without_merge_refuses_with_no_clashes(session):
    loaded = store.load_work(session, GROUP)
    store.save_work(session, _edit(loaded, notes="x"))
    with pytest.raises(ConflictError) as err:
        store.save_work(session, _edit(loaded, theme="y"), base=loaded)
    assert err.value.clashes == []


def test_merged_document_that_is_invalid_is_a_conflict(session):
    loaded = store.load_work(session, GROUP)
    store.save_work(session, _edit(loaded, ranges__annual_cases_low=1100))
    with pytest.raises(ConflictError) as err:        # each valid; together low > cases
        store.save_work(session, _edit(loaded, annual_cases=1000), merge=True)
    assert err.value.clashes == []
    assert store.load_work(session, GROUP).annual_cases == 1200


# --- pinned versions ------------------------------------------------------------------------
def test_pinned_version_is_never_pruned_and_restores(session, capsys):
    work = store.load_work(session, GROUP)
    pinned = store.pin(session, GROUP, 1, reason="before import: steps.xlsx")
    assert pinned == session / "groups" / GROUP / "history" / "pinned" / "work.000001.json"
    assert pinned.read_bytes() == store.path("version", session, GROUP, revision=1).read_bytes()
    for i in range(25):
        work = store.save_work(session, _edit(work, annual_cases=i))
    rows = store.history(session, GROUP)
    assert [r["revision"] for r in rows] == [1, *range(7, 27)]
    assert rows[0]["pinned"] and rows[0]["reason"] == "before import: steps.xlsx"
    assert rows[0]["file"] == str(pinned) and not any(r["pinned"] for r in rows[1:])
    assert main(["history", str(session), GROUP]) == 0
    out = capsys.readouterr().out
    assert "固定: before import: steps.xlsx" in out.splitlines()[0]     # pinned, in Japanese
    restored = store.restore(session, GROUP, 1)
    assert restored.revision == 27 and restored.annual_cases == 1200
    assert pinned.is_file()
    with pytest.raises(StoreError):
        store.pin(session, GROUP, 2, reason="gone")


def test_pinning_a_version_still_in_history_marks_its_row(session):
    store.pin(session, GROUP, 1, reason="a")
    store.pin(session, GROUP, 1, reason="b")             # again: the new reason
    [row] = store.history(session, GROUP)
    assert (row["revision"], row["pinned"], row["reason"]) == (1, True, "b")
    assert row["file"].endswith("history/work.000001.json")


def test_lists_of_distinct_texts_merge_as_sets():
    """Two members dismiss different suggestions at once: both stay dismissed; a removal on
    one side is kept too."""
    base = {"dismissed_levers": ["a:rpa", "b:faq"]}
    mine = {"dismissed_levers": ["a:rpa", "b:faq", "c:ocr"]}
    theirs = {"dismissed_levers": ["b:faq", "d:seal_review"]}          # removed a:rpa
    assert merge(base, mine, theirs) == {"dismissed_levers": ["b:faq", "d:seal_review",
                                                              "c:ocr"]}
