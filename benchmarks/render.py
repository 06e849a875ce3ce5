"""Render 12 groups with ``kit render`` and with the naive loop, side by side in one run.

The naive loop is what a facilitator would script by hand: per group and for the session
summary, the ``papermill`` CLI then the ``jupyter nbconvert`` CLI. Both produce the same
handouts with the same offline template; ``kit render`` renders the summary too.
Prints both times and, as its last line, ``render_ratio: <kit time / naive time>``
(target ≤ 0.10, docs/quality.md).

    .venv/bin/python benchmarks/render.py [--groups 12] [--jobs 2]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kit.io import store  # noqa: E402
from kit.render import pipeline as report  # noqa: E402
from kit.workspace.demo import build_demo  # noqa: E402

BIN = Path(sys.executable).parent


def make_session(dest: Path, n_groups: int) -> Path:
    """The demo session with its 4 groups cloned to ``n_groups`` groups."""
    build_demo(dest)
    meta, works = store.load_all(dest)
    clones = []
    for i in range(n_groups):
        base = works[i % len(works)]
        clones.append(base.model_copy(update={"group_id": f"b{i + 1:02d}", "revision": 0}))
    shutil.rmtree(dest)
    store.create_session(dest, meta, clones)
    return dest


def naive(session: Path, out: Path) -> float:
    """Per group, then for the summary: the papermill CLI, then the nbconvert CLI."""
    out.mkdir(parents=True, exist_ok=True)
    jobs = [(report.GROUP_TEMPLATE, group, ["-p", "group_id", group])
            for group in store.load_session(session).groups]
    jobs.append((report.SUMMARY_TEMPLATE, "session_summary", []))
    start = time.perf_counter()
    for template, name, extra in jobs:
        nb = out / f"{name}.ipynb"
        subprocess.run([str(BIN / "papermill"), str(template), str(nb),
                        "-p", "session_dir", str(session), *extra,
                        "-p", "lang", "ja", "--no-progress-bar"],
                       check=True, capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html",
                        f"--TemplateExporter.extra_template_basedirs={report.NBCONVERT_TEMPLATES}",
                        f"--template={report.HTML_TEMPLATE}", "--no-input",
                        "--TemplateExporter.exclude_input_prompt=True",
                        "--TemplateExporter.exclude_output_prompt=True", str(nb)],
                       check=True, capture_output=True)
    return time.perf_counter() - start


def kit_render(session: Path, out: Path, jobs: int | None) -> float:
    cmd = [str(BIN / "kit"), "render", str(session), "--out", str(out)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=12)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        session = make_session(Path(tmp) / "session", args.groups)
        t_kit = kit_render(session, Path(tmp) / "kit", args.jobs)
        n_kit = len(list((Path(tmp) / "kit").glob("b*.html")))
        n_kit += (Path(tmp) / "kit" / report.SUMMARY_FILE).is_file()
        print(f"kit render: {args.groups} groups + summary in {t_kit:.1f} s "
              f"({n_kit} files)")
        t_naive = naive(session, Path(tmp) / "naive")
        n_naive = len(list((Path(tmp) / "naive").glob("*.html")))
        print(f"naive loop: {args.groups} groups + summary in {t_naive:.1f} s "
              f"({n_naive} files)")
    print(f"render_ratio: {t_kit / t_naive:.3f}")


if __name__ == "__main__":
    main()
