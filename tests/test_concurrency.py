"""Two participants (two real processes) save the same group: no update is ever lost.

Under the group's file lock with the revision check, a save made on a stale revision is
either merged three-way against the revision it was loaded from (``merge=True``: edits to
different fields or different steps, matched by id) or refused with ConflictError asking to
reload. Interleavings are made deterministic with events: both load, A saves, then B saves.
"""

import multiprocessing as mp
import random
import time

import pytest

from kit.domain.model import GroupWork, Session, Step
from kit.exceptions import ConflictError
from kit.io import store

CTX = mp.get_context("fork")
GROUP = "g01"


def _steps(work, index, **changes):
    steps = list(work.steps)
    steps[index] = steps[index].model_copy(update=changes)
    return work.model_copy(update={"steps": steps})


EDITS = {   # name -> how a participant changes the work they loaded
    "step0_minutes": lambda w: _steps(w, 0, minutes=99),
    "step0_minutes_other": lambda w: _steps(w, 0, minutes=42),
    "step1_pain": lambda w: _steps(w, 1, pain="紙の申請書を転記している"),
    "step0_pain": lambda w: _steps(w, 0, pain="窓口が混む"),
    "theme": lambda w: w.model_copy(update={"theme": "児童手当の認定請求（電子化）"}),
    "add_step": lambda w: w.model_copy(update={"steps": [*w.steps, Step(id="new1",
                                                                         name="電子申請の確認")]}),
    "drop_step2": lambda w: w.model_copy(update={"steps": w.steps[:2]}),
    "step2_minutes": lambda w: _steps(w, 2, minutes=1),
    "reverse": lambda w: w.model_copy(update={"steps": w.steps[::-1]}),
    "swap01": lambda w: w.model_copy(update={"steps": [w.steps[1], w.steps[0],
                                                       *w.steps[2:]]}),
}


def participant(session, edit, merge, loaded, go, results):
    """Load, wait for the go, apply ``edit``, save; report the revision or the conflict."""
    work = store.load_work(session, GROUP)
    loaded.set()
    go.wait(10)
    try:
        saved = store.save_work(session, EDITS[edit](work), work.revision, merge=merge)
        results.put((edit, "saved", saved.revision))
    except ConflictError as exc:
        results.put((edit, "conflict", exc.message_ja + " / " + exc.message_en))


@pytest.fixture
def workspace(tmp_path):
    s = tmp_path / "s"
    steps = [Step(id="a", name="受付", minutes=10), Step(id="b", name="入力", minutes=15),
             Step(id="c", name="決裁", minutes=5)]
    store.create_session(s, Session(name="同時編集"),
                         [GroupWork(group_id=GROUP, theme="児童手当", steps=steps)])
    return s


def race(session, first: str, second: str, merge: bool = True) -> list[tuple]:
    """Both processes load revision 1; ``first`` saves, then ``second`` saves."""
    results = CTX.Queue()
    procs = []
    for edit in (first, second):
        loaded, go = CTX.Event(), CTX.Event()
        proc = CTX.Process(target=participant,
                           args=(str(session), edit, merge, loaded, go, results))
        proc.start()
        assert loaded.wait(10)
        procs.append((proc, go))
    out = []
    for proc, go in procs:          # strictly one after the other
        go.set()
        out.append(results.get(timeout=20))
        proc.join(10)
        assert proc.exitcode == 0
    return out


@pytest.mark.parametrize("first, second", [
    ("step0_minutes", "step1_pain"),      # different steps
    ("step0_minutes", "step0_pain"),      # same step, different fields
    ("theme", "step1_pain"),              # a group field and a step
    ("add_step", "step0_minutes"),        # one adds a step, the other edits one
    ("step1_pain", "drop_step2"),         # one removes a step nobody else edited
])
def test_non_conflicting_edits_are_merged(workspace, first, second):
    out = race(workspace, first, second)
    assert out == [(first, "saved", 2), (second, "saved", 3)]
    work = store.load_work(workspace, GROUP)
    expected = EDITS[second](EDITS[first](GroupWork.parse(
        store._read_json(store.path("version", workspace, GROUP, revision=1)))))
    keep = {"revision", "updated_at"}
    assert work.model_dump(exclude=keep) == expected.model_dump(exclude=keep)
    assert work.revision == 3


@pytest.mark.parametrize("first, second", [
    ("step0_minutes", "step0_minutes_other"),   # same field of the same step
    ("drop_step2", "step2_minutes"),            # removed by one, edited by the other
    ("reverse", "swap01"),                      # both reorder the steps, differently
])
def test_overlapping_edits_are_refused_and_nothing_is_lost(workspace, first, second):
    out = race(workspace, first, second)
    assert out[0] == (first, "saved", 2)
    assert out[1][:2] == (second, "conflict")
    assert "再読み込み" in out[1][2] and "Reload" in out[1][2]
    saved_first = (workspace / "groups" / GROUP / "history" / "work.000002.json").read_bytes()
    assert (workspace / "groups" / GROUP / "work.json").read_bytes() == saved_first


def test_without_merge_any_stale_save_is_refused(workspace):
    out = race(workspace, "step0_minutes", "step1_pain", merge=False)
    assert out[0] == ("step0_minutes", "saved", 2) and out[1][1] == "conflict"
    work = store.load_work(workspace, GROUP)
    assert work.steps[0].minutes == 99 and work.steps[1].pain == ""


def increment(session, index, rounds, results):
    """A participant who adds 1 to their own step every round and, every 4th round, a line
    to the group's shared notes; a refused save is reloaded and retried."""
    merged = refused = 0
    rng = random.Random(index)
    for n in range(rounds):
        while True:
            work = store.load_work(session, GROUP)
            mine = _steps(work, index, minutes=work.steps[index].minutes + 1)
            if n % 4 == 0:
                mine = mine.model_copy(update={"notes": work.notes + f"{index}-{n};"})
            time.sleep(rng.uniform(0, 0.05))        # the participant typing
            try:
                saved = store.save_work(session, mine, work.revision, merge=True)
            except ConflictError:
                refused += 1
                continue
            merged += saved.revision > work.revision + 1
            break
    results.put((index, merged, refused))


def test_two_processes_hammering_one_group_lose_no_update(workspace, capsys):
    rounds = 32
    results = CTX.Queue()
    procs = [CTX.Process(target=increment, args=(str(workspace), i, rounds, results))
             for i in (0, 1)]
    for p in procs:
        p.start()
    stats = [results.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(10)
        assert p.exitcode == 0
    work = store.load_work(workspace, GROUP)
    assert sorted(work.notes.split(";")[:-1]) == sorted(
        f"{i}-{n}" for i in (0, 1) for n in range(0, rounds, 4))
    assert [s.minutes for s in work.steps] == [10 + rounds, 15 + rounds, 5]
    assert work.revision == 1 + 2 * rounds
    merged, refused = sum(m for _, m, _ in stats), sum(r for _, _, r in stats)
    with capsys.disabled():
        print(f"\n2 processes x {rounds} saves: {2 * rounds} saves kept, {merged} stale saves "
              f"merged, {refused} refused and retried, 0 updates lost")
