"""The As-Is step editor (workshops/01_as_is.ipynb).

One row per step, every column of the steps sheet that describes today: name, actor,
channel, minutes, share, wait days, value class, unit cost (単価), procedure (手続), pain,
and buttons to insert, move and delete. The message line of a row is directly under it.
Annual cases and an Excel/CSV import above. Live: key figures, minutes by step, hours by
actor. The To-Be fields of a step are kept untouched (02 edits them).

Every field is made by :class:`kit.widgets.fields.Fields` under its path in the workspace
(``("steps", <id>, "minutes")``) with an accessible name in the words the messages use
(「手順3 所要時間(分)」). Numbers are typed as text and read by the model (「50%」 → 0.5,
「１５分」 → 15); anything else is refused with a message beside the field.

The row fits a 1366 px screen: the name and the pain are flexible text areas that wrap
(a long step name is never cut), the other columns have fixed widths shared with the
header row, so the header stays aligned.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import ipywidgets as W

from kit import i18n
from kit.domain import checks
from kit.domain.model import GroupWork, Step
from kit.exceptions import InputError, KitError
from kit.io import store
from kit.widgets.common import Editor, checks_html, esc, message_html

log = logging.getLogger(__name__)

# Shared by the step editors (01 and 02): row and header layout, the accessible names.
STEPS_CSS = """<style>
.kit-step-row, .kit-step-head, .kit-change-row, .kit-change-head {
  align-items:flex-start; border-top:1px solid #e3e3e3; padding-top:3px; }
.kit-step-head, .kit-change-head { border-top:none; position:sticky; top:0; z-index:2;
  background:#fff; border-bottom:2px solid #2c5aa0; }
.kit-step-head .widget-html-content, .kit-change-head .widget-html-content {
  white-space:normal; line-height:1.2; font-size:12px; font-weight:bold; }
.kit-wrap textarea { resize:vertical; field-sizing:content; min-height:2.2em;
  line-height:1.3; }
.kit-step-no .widget-html-content { font-weight:bold; text-align:right; padding-right:4px; }
.kit-step-label .widget-html-content { white-space:normal; line-height:1.3; }
.kit-why .widget-html-content { white-space:normal; }
.kit-why:empty { display:none; }
.kit-step-buttons .jupyter-button { padding:0; }
</style>"""

NO_WIDTH = "2.4em"
NAME_LAYOUT = {"flex": "3 1 0%", "min_width": "9em", "width": "auto"}
PAIN_LAYOUT = {"flex": "2 1 0%", "min_width": "8em", "width": "auto"}
# (model field, column width or flexible layout) in row order; header text: head.* / col.*
COLUMNS = (("name", NAME_LAYOUT), ("actor", "7em"), ("channel", "7em"), ("minutes", "4.6em"),
           ("share", "4.6em"), ("wait_days", "4.6em"), ("value", "6.5em"),
           ("unit_cost_yen", "5.2em"), ("procedure", "7em"), ("pain", PAIN_LAYOUT))
NUMBERS = ("minutes", "share", "wait_days", "unit_cost_yen")
CHOICES = ("actor", "channel", "value")
ROW_FIELDS = tuple(name for name, _ in COLUMNS)
BUTTON_WIDTH = "2.4em"
_COLUMN_KEY = {"name": "step"}          # the sheet's column key of a model field


def layout(spec) -> W.Layout:
    """A column's layout: a fixed width ("5em") or a flexible one (dict)."""
    return W.Layout(**spec) if isinstance(spec, dict) else W.Layout(width=spec, flex="0 0 auto")


def column_label(field: str, lang: str) -> str:
    """A step field's label as messages write it (the steps sheet's column: 所要時間(分))."""
    key = "steps.col.name" if field == "name" else f"col.{_COLUMN_KEY.get(field, field)}"
    return i18n.t(key, lang)


def header_label(field: str, lang: str) -> str:
    """A column header: the short heading (head.*) where there is one, else the label."""
    key = f"head.{_COLUMN_KEY.get(field, field)}"
    return i18n.t(key, lang) if i18n.t(key, lang) != key else column_label(field, lang)


def field_name(editor: Editor, index: int, field: str) -> str:
    """The accessible name of a step's field: 「手順3 所要時間(分)」."""
    return i18n.t("steps.field_name", editor.lang, step=editor.t("unit.step_n", n=index + 1),
                  field=column_label(field, editor.lang))


def header_row(cells: list[tuple[str, object]], css: str) -> W.HBox:
    """The header: one cell per column with the column's own layout (aligned)."""
    head = W.HBox([W.HTML(esc(text), layout=layout(spec)) for text, spec in cells],
                  layout=W.Layout(flex_flow="row wrap", width="100%"))
    head.add_class(css)
    return head


def text_area(editor: Editor, path: tuple, value: str, name: str, spec) -> W.Textarea:
    """A wrapping text field (a step name or a pain is never cut), registered like
    ``Fields.text`` (its value, refresh and message handling are those of a text field)."""
    box = W.Textarea(value=value or "", rows=1 if len(value or "") <= 14 else 2,
                     continuous_update=False, layout=layout(spec))
    box.add_class("kit-wrap")
    return editor.fields._register(path, box, "text", name, True)


def number_value(text: str, default):
    """A number box's text for the model: blank is the field's default (as in the sheet)."""
    text = (text or "").strip()
    return default if text == "" else text


class StepRow:
    """The widgets of one As-Is step: the fields in one line, its message line under it."""

    def __init__(self, editor: Editor, step: Step, index: int):
        fields = editor.fields
        self.id = step.id
        self.number = W.HTML(f"{index + 1}", layout=layout(NO_WIDTH))
        self.number.add_class("kit-step-no")
        widths = dict(COLUMNS)
        for f in ROW_FIELDS:
            path, name, spec = ("steps", step.id, f), field_name(editor, index, f), widths[f]
            value = getattr(step, f)
            if f in NUMBERS:
                box = fields.number(path, value, name, width=spec)
                box.layout = layout(spec)
            elif f in CHOICES:
                box = fields.choice(path, f, value, name, width=spec)
                box.layout = layout(spec)
            else:
                box = text_area(editor, path, value, name, spec)
            setattr(self, f, editor.watch(box))
        self.buttons = []
        for icon, key, action in (("plus", "ui.insert_step", editor.insert_after),
                                  ("arrow-up", "ui.move_up", editor.move_up),
                                  ("arrow-down", "ui.move_down", editor.move_down),
                                  ("trash", "ui.delete", editor.delete)):
            b = W.Button(icon=icon, tooltip=f"{editor.t('unit.step_n', n=index + 1)}: "
                         f"{editor.t(key)}", layout=W.Layout(width=BUTTON_WIDTH))
            b.on_click(lambda _b, a=action, sid=step.id: a(sid))
            self.buttons.append(b)
        tools = W.HBox(self.buttons, layout=W.Layout(flex="0 0 auto"))
        tools.add_class("kit-step-buttons")
        self.line = W.HBox([self.number] + [getattr(self, f) for f in ROW_FIELDS] + [tools],
                           layout=W.Layout(flex_flow="row wrap", width="100%"))
        self.line.add_class("kit-step-row")
        self.message = fields.slot(("steps", step.id))
        self.widget = W.VBox([self.line, self.message], layout=W.Layout(width="100%"))

    def values(self) -> dict:
        data = {f: getattr(self, f).value for f in ROW_FIELDS}
        for f in NUMBERS:
            data[f] = number_value(data[f], Step.model_fields[f].default)
        return data


class AsIsEditor(Editor):
    KEYS = ("hours_asis", "resident_hours_saved", "waste_share", "lead_time")
    CHARTS = ("flow_asis", "minutes_by_step", "hours_by_actor")

    def build(self) -> None:
        work = self.work
        self.rows = [StepRow(self, s, i) for i, s in enumerate(work.steps)]
        self.cases = self.watch(self.fields.number(
            ("annual_cases",), work.annual_cases, self.t("field.annual_cases"), width="20em",
            hidden=False))
        cases_message = self.fields.slot(("annual_cases",))
        self.add_button = W.Button(description=self.t("ui.add_step"), icon="plus",
                                   layout=W.Layout(width="auto"))
        self.add_button.on_click(lambda _b: self.add_step())
        self.upload = W.FileUpload(accept=".csv,.xlsx", multiple=False,
                                   description=self.t("ui.import"),
                                   layout=W.Layout(width="auto"))
        self.upload.observe(self._on_upload, names="value")
        if not hasattr(self, "import_note"):       # kept over rebuilds: the last import
            self.import_note = W.HTML()
            self.import_note.add_class("kit-import-note")
        header = header_row([(self.t("ui.no"), NO_WIDTH)] +
                            [(header_label(f, self.lang), spec) for f, spec in COLUMNS] +
                            [("", f"calc({BUTTON_WIDTH} * 4 + 8px)")], "kit-step-head")
        self.todos = W.HTML()
        self.body.children = [W.HTML(STEPS_CSS),
                              W.HBox([self.cases, self.upload],
                                     layout=W.Layout(flex_flow="row wrap")),
                              cases_message, self.import_note, self.todos, header] + \
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
            steps.append(self.parse_step(data, i))
        data = self.saved.model_dump()
        data.update(annual_cases=number_value(self.cases.value, 0.0),
                    steps=[s.model_dump() for s in steps])
        return self.parse_work(data)

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
        """Replace the steps by those of an Excel/CSV sheet; a bad sheet changes nothing.

        The message names the file, the steps read, the rows skipped (合計/小計, ※ notes)
        and the steps replaced; the version before is pinned (kept for good) so a
        facilitator can bring it back by its 保存番号."""
        shown = upload_name(name)
        try:
            report = read_upload(shown, content)
        except InputError as exc:
            self.import_note.value = ""
            self.show_error(self.t("steps.import.failed", file=shown,
                                   message=exc.message(self.lang)))
            return
        self.flush()                          # a pending edit is saved (and kept) first
        before, revision = self.work, self.saved.revision
        pinned = self._pin(revision, shown)
        self.apply(before.model_copy(update={"steps": report.steps}), rebuild=True)
        self.import_note.value = import_html(self, shown, report, len(before.steps),
                                             revision, pinned)

    def _pin(self, revision: int, file: str) -> bool:
        """Keep the version before an import for good (when the store can)."""
        if revision < 1 or not hasattr(store, "pin"):
            return False
        try:
            store.pin(self.session_dir, self.group_id, revision,
                      self.t("steps.import.pin_reason", file=file))
        except (KitError, OSError):
            log.exception("pinning revision %s before an import failed", revision)
            return False
        return True


def upload_name(name: str) -> str:
    """The uploaded file's own name (a browser may send a path); never empty or '..'."""
    base = Path(str(name or "").replace("\\", "/")).name.strip()
    if base in ("", ".", "..") or "\x00" in base:
        base = "steps" + Path(str(name or "")).suffix.lower()
    return base


def read_upload(name: str, content: bytes):
    """Read an uploaded steps sheet under its own name (messages name the file the
    participant chose, not a temp file)."""
    from kit.io.steps import read_steps_report

    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / name
        try:
            file.write_bytes(content)
        except OSError:                 # a name this file system refuses (too long, ...)
            file = Path(tmp) / ("steps" + Path(name).suffix.lower()[:8])
            file.write_bytes(content)
        return read_steps_report(file)


def import_html(editor: Editor, file: str, report, replaced: int, revision: int,
                pinned: bool) -> str:
    """What an import did: file, steps read, rows skipped and why, steps replaced, how to
    get the version before back."""
    t = editor.t
    skipped = len(report.table.skipped)
    head = [t("steps.import.read", file=file, count=len(report.steps))]
    head.append(t("steps.import.skipped", count=skipped) if skipped
                else t("steps.import.none_skipped"))
    head.append(t("steps.import.replaced", count=replaced))
    if revision >= 1:
        head.append(t("steps.import.pinned" if pinned else "steps.import.in_history",
                      revision=revision))
    notes = report.messages(editor.lang)
    items = "".join(f"<li>{esc(n)}</li>" for n in notes)
    return (message_html(" ".join(head), "ok") +
            (f'<ul class="kit-import-notes" style="margin:2px 0 6px 1em">{items}</ul>'
             if items else ""))
