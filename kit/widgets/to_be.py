"""The To-Be editor (workshops/02_to_be.ipynb).

Per As-Is step: an ECRS/digital action, minutes after, phase (quick win / redesign) and
whether the saving needs the online channel; steps added by the redesign have a name, an
actor and minutes of their own. Live: hours saved with quick wins first, As-Is vs To-Be
minutes side by side and where the hours are saved.
"""

from __future__ import annotations

import ipywidgets as W

from kit.documents.figures import Figures
from kit.domain import checks
from kit.domain.model import Actor, GroupWork, Step
from kit.widgets.common import Editor, checks_html, dropdown, esc, number_box

FIELDS = ("action", "minutes_after", "phase", "uptake_dependent")


class ChangeRow:
    """The widgets of one step's change (and, for a new step, its name and actor)."""

    def __init__(self, editor: Editor, step: Step, index: int):
        lang = editor.lang
        self.id, self.is_new = step.id, step.is_new
        if step.is_new:
            self.name = editor.watch(W.Text(value=step.name, continuous_update=False,
                                            layout=W.Layout(width="16em")))
            self.actor = editor.watch(dropdown("actor", step.actor, lang))
            label = [self.name, self.actor]
        else:
            text = (f"<b>{index + 1}</b> {esc(step.name)} "
                    f"<span style='color:#666'>({step.minutes:g}{editor.t('unit.minutes')})</span>")
            label = [W.HTML(text, layout=W.Layout(width="24em"))]
        self.action = editor.watch(dropdown("action", step.action, lang))
        self.minutes_after = editor.watch(number_box(step.minutes_tobe))
        self.phase = editor.watch(dropdown("phase", step.phase, lang, width="10em"))
        self.uptake_dependent = editor.watch(W.Checkbox(
            value=step.uptake_dependent, description=editor.t("head.uptake_dependent"),
            indent=False, layout=W.Layout(width="10em")))
        parts = label + [self.action, self.minutes_after, self.phase, self.uptake_dependent]
        if step.is_new:
            delete = W.Button(icon="trash", tooltip=editor.t("ui.delete"),
                              layout=W.Layout(width="2.6em"))
            delete.on_click(lambda _b, sid=step.id: editor.delete(sid))
            parts.append(delete)
        self.widget = W.HBox(parts)
        self.widget.add_class("kit-change-row")

    def values(self) -> dict:
        data = {f: getattr(self, f).value for f in FIELDS}
        if self.is_new:
            data.update(name=self.name.value, actor=self.actor.value, minutes=0.0)
        return data


class ToBeEditor(Editor):
    KEYS = ("hours_asis", "hours_tobe", "hours_saved", "fte_freed", "cost_saved",
            "cash_saved", "capacity_hours", "resident_hours_saved", "lead_time")
    NOT_DELIVERED = True
    CHARTS = ("minutes_by_step", "savings_waterfall", "flow_tobe")

    def build(self) -> None:
        work = self.work
        self.rows = [ChangeRow(self, s, i) for i, s in enumerate(work.steps)]
        self.add_button = W.Button(description=self.t("ui.add_new_step"), icon="plus")
        self.add_button.on_click(lambda _b: self.add_step())
        self.phases = W.HTML()
        header = W.HBox([W.HTML(f"<b>{esc(self.t(k))}</b>", layout=W.Layout(width=w))
                         for k, w in (("head.step", "24em"), ("head.action", "8em"),
                                      ("head.minutes_after", "7em"), ("head.phase", "10em"))])
        self.warnings = W.HTML()
        self.body.children = [header] + [r.widget for r in self.rows] + \
            [self.add_button, self.warnings, self.phases]

    def collect(self) -> GroupWork:
        old = {s.id: s.model_dump() for s in self.work.steps}
        steps = []
        for i, row in enumerate(self.rows):
            data = {**old.get(row.id, {"id": row.id, "is_new": row.is_new}), **row.values()}
            if not row.is_new and data["minutes_after"] == data.get("minutes"):
                data["minutes_after"] = None     # unchanged: follows the As-Is minutes
            steps.append(Step.parse(data, where=self.t("ui.step_n", n=i + 1)))
        return GroupWork.parse({**self.saved.model_dump(),
                                "steps": [s.model_dump() for s in steps]})

    def show_figures(self, work: GroupWork):
        m = super().show_figures(work)
        if hasattr(self, "warnings"):     # contradictions (維持 with other minutes, ...)
            self.warnings.value = checks_html(checks.step_warnings(work.steps), self.lang)
        if hasattr(self, "phases"):
            fmt = Figures(self.lang)
            self.phases.value = "".join(
                f'<div class="kit-phase"><b>{esc(self.t(label))}</b>: '
                f"{esc(fmt.figure(key, m))}</div>"
                for label, key in (("report.quick_wins", "quick_win_hours_saved"),
                                   ("report.redesign", "redesign_hours_saved")))
        return m

    def add_step(self) -> None:
        base = self.valid_edit()
        if base is None:
            return
        step = Step(name=self.t("ui.new_step_name", n=len(base.steps) + 1), is_new=True,
                    actor=Actor.back_office, minutes=0.0, minutes_after=0.0)
        self.apply(base.model_copy(update={"steps": list(base.steps) + [step]}), rebuild=True)

    def delete(self, step_id: str) -> None:
        base = self.valid_edit()
        if base is None:
            return
        steps = [s for s in base.steps if s.id != step_id]
        self.apply(base.model_copy(update={"steps": steps}), rebuild=True)
