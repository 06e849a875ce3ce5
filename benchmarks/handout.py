"""One demo group's handout in a warm kernel (docs/quality.md: target ≤ 1.0 s).

Times what ``kit render`` does per group once its worker's kernel is warm: papermill runs
``group_report.ipynb`` through kit's warm-kernel engine (namespace reset, 14 cells, the
handout computed and its charts drawn) and nbconvert exports the executed notebook to the
offline HTML. Kernel start-up and first imports are excluded by one warm-up run. Also prints,
in this process, the time of each handout section (``Handout.section_html``) and of export.
Prints the median of several runs; the last line is ``handout_s: <seconds>``.

    .venv/bin/python benchmarks/handout.py [--runs 7] [--group g01]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import papermill  # noqa: E402,F401  (first: papermill loads kit's engine entry point)

from kit.render import pipeline  # noqa: E402
from kit.render.engine import shutdown  # noqa: E402
from kit.workspace.demo import build_demo  # noqa: E402


def sections(session: Path, group: str, runs: int) -> dict[str, float]:
    """Median seconds per handout section, computed in this process (after a warm-up)."""
    from kit.documents.handout import Handout

    Handout(session, group).html()
    times: dict[str, list[float]] = {}
    for _ in range(runs):
        start = time.perf_counter()
        doc = Handout(session, group)
        times.setdefault("open", []).append(time.perf_counter() - start)
        for name in doc.SECTIONS:
            start = time.perf_counter()
            doc.section_html(name)
            times.setdefault(name, []).append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def warm_render(session: Path, group: str, runs: int) -> tuple[float, float, float]:
    """Median (execute, export, total) seconds through the warm engine, after a warm-up."""
    params = {"session_dir": str(session), "group_id": group, "lang": "ja"}
    pipeline.export_html(pipeline.execute(pipeline.GROUP_TEMPLATE, params), lang="ja",
                         title="warm-up")
    execute, export, total = [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        nb = pipeline.execute(pipeline.GROUP_TEMPLATE, params)
        t1 = time.perf_counter()
        pipeline.export_html(nb, lang="ja", title=group)
        t2 = time.perf_counter()
        execute.append(t1 - t0)
        export.append(t2 - t1)
        total.append(t2 - t0)
    return statistics.median(execute), statistics.median(export), statistics.median(total)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--group", default="g01")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        session = Path(tmp) / "session"
        build_demo(session)
        parts = sections(session, args.group, args.runs)
        print("in this process (median s): " + ", ".join(f"{k} {v:.3f}"
                                                         for k, v in parts.items()))
        print(f"in this process, all sections: {sum(parts.values()):.3f} s")
        try:
            execute, export, total = warm_render(session, args.group, args.runs)
        finally:
            shutdown()
    print(f"warm kernel: execute {execute:.3f} s, export {export:.3f} s")
    print(f"handout_s: {total:.3f}")


if __name__ == "__main__":
    main()
