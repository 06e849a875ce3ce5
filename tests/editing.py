"""What the editor tests share: the three-step workspace and how they read the result.

Annual cases 1200; staff: A 10 min (all cases) + B 20 min (half the cases); C is the
resident. As-Is staff hours = 1200 × (1.0 × 10 + 0.5 × 20) / 60 = 400 h.
"""

from __future__ import annotations

import json
from pathlib import Path

from kit.domain.model import Step
from kit.io import store

STEPS = [Step(id="a", name="受付", actor="counter", minutes=10),
         Step(id="b", name="入力", actor="back_office", minutes=20, share=0.5, value="waste"),
         Step(id="c", name="来庁", actor="resident", channel="counter", minutes=30)]


def three_steps(session: Path, systems=None) -> Path:
    """g01 of ``session`` with the three steps, uptake 0.4, no funding and no cost;
    ``systems``: the chosen systems (None: the demo's stay)."""
    work = store.load_work(session, "g01")
    update = {"annual_cases": 1200, "steps": STEPS, "uptake": 0.4, "uptake_by_year": [],
              "funding": [], "costs": {"initial_cost_yen": 0, "annual_cost_yen": 0}}
    if systems is not None:
        update["systems"] = list(systems)
    store.save_work(session, work.model_copy(update=update))
    return session


def on_disk(session: Path) -> dict:
    return json.loads((session / "groups" / "g01" / "work.json").read_text(encoding="utf-8"))


def figure(editor, key: str) -> str:
    """The text of key figure ``key`` as the editor shows it."""
    html = editor.figures.value
    start = html.index(f"kit-fig-{key}")
    return html[html.index(">", start) + 1:html.index("</td>", start)]
