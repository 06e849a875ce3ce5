"""Crash-safe saves: SIGKILL a process that saves in a loop, hundreds of times, at random
moments; the workspace always loads and holds one whole saved state (never a mix or a torn
file), and ``kit history`` / ``kit restore`` work afterwards.

The saving process is forked from the test process (no interpreter start-up per kill), so
300 kills take a few seconds. Each saved state is derived from its revision, so any torn or
mixed write shows up as a mismatch.
"""

import multiprocessing as mp
import os
import random
import signal
import time

import pytest

from kit.cli import main
from kit.domain.model import GroupWork, Session, Step
from kit.io import store

KILLS = 300
GROUP = "g01"


def state(revision: int, base: GroupWork) -> GroupWork:
    """The document saved as ``revision``: every field tells the revision."""
    steps = [Step(id=f"s{k}", name=f"r{revision} 手順{k}", minutes=revision % 97 + k)
             for k in range(revision % 5 + 1)]
    return base.model_copy(update={"theme": f"版 {revision}", "annual_cases": revision,
                                   "steps": steps, "notes": "メモ" * (revision % 300)})


def consistent(work: GroupWork) -> bool:
    rev = work.revision
    return (work.theme == f"版 {rev - 1}" and work.annual_cases == rev - 1
            and [s.name for s in work.steps] == [f"r{rev - 1} 手順{k}"
                                                 for k in range(len(work.steps))]
            and work.notes == "メモ" * ((rev - 1) % 300))


def save_forever(session_dir: str) -> None:
    """Child: load, then save the next state again and again until killed."""
    work = store.load_work(session_dir, GROUP)
    while True:
        work = store.save_work(session_dir, state(work.revision, work))


@pytest.fixture
def workspace(tmp_path):
    s = tmp_path / "s"
    store.create_session(s, Session(name="耐障害"),
                         [state(0, GroupWork(group_id=GROUP, theme="x"))])
    return s


def test_sigkill_during_saves_never_corrupts(workspace, capsys):
    fork = mp.get_context("fork")
    rng = random.Random(20261127)
    folder = workspace / "groups" / GROUP
    corrupted, torn_writes, last = 0, 0, 1
    started = time.perf_counter()
    for _ in range(KILLS):
        child = fork.Process(target=save_forever, args=(str(workspace),), daemon=True)
        child.start()
        time.sleep(rng.uniform(0.0, 0.08))
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        torn_writes += bool(list(folder.glob(".work.*.tmp")) +
                            list((folder / "history").glob(".work.*.tmp")))
        try:
            work = store.load_work(workspace, GROUP)
            kept = (folder / "history" / f"work.{work.revision:06d}.json").read_bytes()
            ok = (consistent(work) and work.revision >= last
                  and kept == (folder / "work.json").read_bytes())
        except Exception:  # noqa: BLE001 - any failure to load counts as corrupted
            ok = False
        corrupted += not ok
        last = work.revision if ok else last
    elapsed = time.perf_counter() - started
    assert corrupted == 0
    assert last > KILLS // 3        # the saver made progress between kills
    assert torn_writes > 0          # some kills did land inside a write

    # the facilitator's tools still work, and a later save clears the temp files
    capsys.readouterr()
    assert main(["history", str(workspace), GROUP]) == 0
    listed = [int(line.split()[0]) for line in capsys.readouterr().out.splitlines()]
    # 20 kept; one of them may be a version a kill left newer than work.json (not listed)
    assert len(listed) in (store.HISTORY_KEEP - 1, store.HISTORY_KEEP)
    assert listed == list(range(last - len(listed) + 1, last + 1))
    pick = listed[0]
    assert main(["restore", str(workspace), GROUP, str(pick)]) == 0
    restored = store.load_work(workspace, GROUP)
    assert restored.revision == last + 1 and restored.theme == f"版 {pick - 1}"
    assert not list(folder.rglob(".work.*.tmp"))
    with capsys.disabled():
        print(f"\nkills: {KILLS}, corrupted: {corrupted}, killed inside a write: {torn_writes}, "
              f"saves: {last - 1}, {elapsed:.1f} s")
