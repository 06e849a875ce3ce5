"""The As-Is step editor (workshops/01_as_is.ipynb).

One row per step: name, actor, channel, minutes, share, wait days, value class, pain, and
buttons to insert, move and delete. Annual cases and an Excel/CSV import above. Live: key
figures, minutes by step, hours by actor. The To-Be fields of a step are kept untouched.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import ipywidgets as W

from kit.domain import checks
from kit.domain.model import GroupWork, Step
from kit.exceptions import InputError
from kit.widgets.common import (
    Editor,
    checks_html,
    dropdown,
    esc,
    message_html,
    number_box,
)

ROW_FIELDS = ("name", "actor", "channel", "minutes", "share", "wait_days", "value", "pain")


class StepRow:
    """The widgets of one As-Is step."""

    def __init__(self, editor: Editor, step: Step, index: int):
        lang = editor.lang
        self.id = step.id
        self.number = W.HTML(f"<b>{index + 1}</b>", layout=W.Layout(width="2em"))
        self.name = W.Text(value=step.name, layout=W.Layout(width="16em"),
                           continuous_update=False)
        self.actor = dropdown("actor", step.actor, lang)
        self.channel = dropdown("channel", step.channel, lang)
        self.minutes = number_box(step.minutes)
        self.share = number_box(step.share, width="5em")
        self.wait_days = number_box(step.wait_days, width="5em")
        self.value = dropdown("value", step.value, lang)
        self.pain = W.Text(value=step.pain, layout=W.Layout(width="14em"),
                           continuous_update=False)
        for f in ROW_FIELDS:
            editor.watch(getattr(self, f))
        self.buttons = []
        for icon, key, action in (("plus", "ui.insert_step", editor.insert_after),
                                  ("arrow-up", "ui.move_up", editor.move_up),
                                  ("arrow-down", "ui.move_down", editor.move_down),
                                  ("trash", "ui.delete", editor.delete)):
            b = W.Button(icon=icon, tooltip=editor.t(key), layout=W.Layout(width="2.6em"))
            b.on_click(lambda _b, a=action, sid=step.id: a(sid))
            self.buttons.append(b)
        self.widget = W.HBox([self.number] + [getattr(self, f) for f in ROW_FIELDS] +
                             self.buttons, layout=W.Layout(flex_flow="row nowrap"))
        self.widget.add_class("kit-step-row")

    def values(self) -> dict:
        return {f: getattr(self, f).value for f in ROW_FIELDS}


class AsIsEditor(Editor):
    KEYS = ("hours_asis", "resident_hours_saved", "waste_share", "lead_time")
    CHARTS = ("flow_asis", "minutes_by_step", "hours_by_actor")

    def build(self) -> None:
        work = self.work
        self.rows = [StepRow(self, s, i) for i, s in enumerate(work.steps)]
        self.cases = self.watch(number_box(work.annual_cases, self.t("field.annual_cases"),
                                           width="18em"))
        self.cases.style.description_width = "initial"
        self.add_button = W.Button(description=self.t("ui.add_step"), icon="plus")
        self.add_button.on_click(lambda _b: self.add_step())
        self.upload = W.FileUpload(accept=".csv,.xlsx", multiple=False,
                                   description=self.t("ui.import"))
        self.upload.observe(self._on_upload, names="value")
        header = W.HBox([W.HTML(f"<b>{esc(self.t(k))}</b>",
                                layout=W.Layout(width=w)) for k, w in _HEADER])
        self.todos = W.HTML()
        self.body.children = [W.HBox([self.cases, self.upload]), self.todos, header] + \
            [r.widget for r in self.rows] + [self.add_button]

    def show_figures(self, work: GroupWork):
        m = super().show_figures(work)
        if hasattr(self, "todos"):      # 年間件数 / steps missing: a visible to-do
            self.todos.value = checks_html(checks.work_todos(work), self.lang)
        return m

    def collect(self) -> GroupWork:
        old = {s.id: s.model_dump() for s in self.work.steps}
        steps = []
        for i, row in enumerate(self.rows):
            data = {**old.get(row.id, {"id": row.id}), **row.values()}
            steps.append(Step.parse(data, where=self.t("ui.step_n", n=i + 1)))
        data = self.saved.model_dump()
        data.update(annual_cases=self.cases.value, steps=[s.model_dump() for s in steps])
        return GroupWork.parse(data)

    # -- structure edits -------------------------------------------------------------------
    def _restructure(self, change) -> None:
        """Apply a change to the step list of the current (valid) edit, then redraw rows."""
        base = self.valid_edit()
        if base is None:
            return
        steps = list(base.steps)
        change(steps)
        self.apply(base.model_copy(update={"steps": steps}), rebuild=True)

    def _index(self, steps: list[Step], step_id: str) -> int:
        return next(i for i, s in enumerate(steps) if s.id == step_id)

    def add_step(self) -> None:
        self._restructure(lambda steps: steps.append(self._new_step(len(steps))))

    def insert_after(self, step_id: str) -> None:
        def change(steps):
            i = self._index(steps, step_id)
            steps.insert(i + 1, self._new_step(i + 1))
        self._restructure(change)

    def _new_step(self, i: int) -> Step:
        return Step(name=self.t("ui.new_step_name", n=i + 1))

    def delete(self, step_id: str) -> None:
        self._restructure(lambda steps: steps.pop(self._index(steps, step_id)))

    def move_up(self, step_id: str) -> None:
        self._move(step_id, -1)

    def move_down(self, step_id: str) -> None:
        self._move(step_id, +1)

    def _move(self, step_id: str, delta: int) -> None:
        def change(steps):
            i = self._index(steps, step_id)
            j = i + delta
            if 0 <= j < len(steps):
                steps[i], steps[j] = steps[j], steps[i]
        self._restructure(change)

    # -- import ----------------------------------------------------------------------------
    def _on_upload(self, change) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        self.import_file(item["name"], bytes(item["content"]))

    def import_file(self, name: str, content: bytes) -> None:
        """Replace the steps by those of an Excel/CSV sheet; a bad sheet changes nothing."""
        from kit.io.steps import read_steps

        suffix = Path(name).suffix.lower()
        with tempfile.TemporaryDirectory() as tmp:
            file = Path(tmp) / f"steps{suffix}"
            file.write_bytes(content)
            try:
                steps = read_steps(file)
            except InputError as exc:
                self.error.value = message_html(exc.message(self.lang), "error")
                return
        self.apply(self.saved.model_copy(update={"steps": steps}), rebuild=True)
        self.status.value = message_html(self.t("ui.imported", count=len(steps)), "ok")
        self.todos.value += checks_html(checks.step_warnings(steps), self.lang)


_HEADER = (("ui.no", "2em"), ("head.step", "16em"), ("head.actor", "8em"),
           ("head.channel", "8em"), ("head.minutes", "7em"), ("head.share", "5em"),
           ("head.wait_days", "5em"), ("head.value", "8em"), ("head.pain", "14em"))
