"""The To-Be editor (workshops/02_to_be.ipynb).

Per As-Is step, on one line: the change (見直し: ECRS/digital), minutes after (with an
optional low/high range), phase (quick win / redesign), whether the saving needs the online
channel, how the saving is realised (効果の出方; the session's default unless chosen) and the
unit cost after (blank: unchanged). Under it, a collapsible detail: the capabilities the
change needs from a system (check boxes with their labels, stored as ``online;rpa``) and the
procedure (手続). Steps added by the redesign have a name, an actor and minutes of their own.

Beside a change that does not count yet, the row says why in plain words (no system chosen,
or the chosen systems lack a capability, by its label): :func:`kit.domain.money.bundle.not_delivered`
via the key figures' :class:`kit.domain.money.impact.Impact`. Live: hours saved with quick wins
first, As-Is vs To-Be minutes side by side and where the hours are saved.

Under each step's line, its open suggestions (:mod:`kit.domain.levers`) as chips: the label,
the cited case as tooltip; a click takes the lever (action, needs, and for a system redesign,
for an online lever uptake-dependent), the × dismisses it (``GroupWork.dismissed_levers``).
"""

from __future__ import annotations

import ipywidgets as W

from kit import i18n
from kit.documents.figures import Figures
from kit.domain import checks, levers
from kit.domain.model import Action, Actor, GroupWork, Step
from kit.domain.money import bundle
from kit.exceptions import InputError
from kit.io.levers import load_catalogue
from kit.widgets.as_is import (
    NO_WIDTH,
    STEPS_CSS,
    field_name,
    header_label,
    header_row,
    layout,
    number_value,
    text_area,
)
from kit.widgets.common import Editor, checks_html, esc
from kit.widgets.fields import value_text

LABEL_LAYOUT = {"flex": "1 1 0%", "min_width": "12em", "width": "auto"}
# (model field, width) of the first line, after the step's number and name
LINE = (("action", "7em"), ("minutes_after", "4.6em"), ("minutes_after_low", "4.2em"),
        ("minutes_after_high", "4.2em"), ("phase", "8.6em"), ("uptake_dependent", "9em"),
        ("realised_as", "11em"), ("unit_cost_after_yen", "5.6em"))
NUMBERS = ("minutes_after", "minutes_after_low", "minutes_after_high", "unit_cost_after_yen")
OPTIONAL = NUMBERS      # blank = None: follows the As-Is (minutes, unit cost), no range
DEFAULT = ""            # the 効果の出方 option "session default" (stored as None)
FIELDS = tuple(f for f, _ in LINE) + ("needs", "procedure")
_HEAD_KEYS = {"minutes_after_low": "steps.head.low", "minutes_after_high": "steps.head.high"}


class ChangeRow:
    """The widgets of one step's change (and, for a new step, its name and actor)."""

    def __init__(self, editor: ToBeEditor, step: Step, index: int, choices):
        lang, fields, sid = editor.lang, editor.fields, step.id
        self.id, self.is_new = sid, step.is_new
        self.number = W.HTML(f"{index + 1}", layout=layout(NO_WIDTH))
        self.number.add_class("kit-step-no")

        def name(f: str) -> str:
            return field_name(editor, index, f)

        if step.is_new:
            self.name = editor.watch(text_area(editor, ("steps", sid, "name"), step.name,
                                               name("name"), LABEL_LAYOUT))
            self.name.placeholder = editor.t("steps.new_step")
            self.actor = editor.watch(fields.choice(("steps", sid, "actor"), "actor",
                                                    step.actor, name("actor"), width="7em"))
            self.actor.layout = layout("7em")
            self.label = None
            head = [self.name, self.actor]
        else:
            self.label = W.HTML(layout=W.Layout(**LABEL_LAYOUT))
            self.label.add_class("kit-step-label")
            head = [self.label]
        widths = dict(LINE)
        for f, width in LINE:
            path, value = ("steps", sid, f), getattr(step, f)
            if f in NUMBERS:
                box = fields.number(path, value, name(f), width=width)
            elif f == "uptake_dependent":
                box = fields.flag(path, value, name(f), label=header_label(f, lang))
            elif f == "realised_as":
                box = fields.choice(path, f, DEFAULT if value is None else value, name(f),
                                    options=realised_options(editor))
                fields.kinds[path] = "text"     # None (the default) is shown as ""
            else:
                box = fields.choice(path, f, value, name(f))
            box.layout = layout(widths[f])
            setattr(self, f, editor.watch(box))
        self.minutes_after_low.tooltip = self.minutes_after_high.tooltip = \
            editor.t("steps.head.range_tip")
        parts = [self.number] + head + [getattr(self, f) for f, _ in LINE]
        if step.is_new:
            delete = W.Button(icon="trash", tooltip=f"{editor.t('unit.step_n', n=index + 1)}: "
                              f"{editor.t('ui.delete')}", layout=W.Layout(width="2.4em"))
            delete.on_click(lambda _b, s=sid: editor.delete(s))
            parts.append(delete)
        self.line = W.HBox(parts, layout=W.Layout(flex_flow="row wrap", width="100%"))
        self.line.add_class("kit-change-row")
        # the detail: capabilities needed (check boxes) and the procedure
        self.needs = editor.watch(fields.tags(("steps", sid, "needs"), step.needs,
                                              name("needs"), choices))
        self.procedure = editor.watch(fields.text(("steps", sid, "procedure"), step.procedure,
                                                  name("procedure"), width="24em",
                                                  hidden=False))
        detail = W.VBox([W.HTML(f"<b>{esc(editor.t('steps.detail.needs_label'))}</b>"),
                         self.needs.widget, self.procedure])
        self.detail = W.Accordion([detail], layout=W.Layout(margin=f"0 0 0 {NO_WIDTH}"))
        self.detail.selected_index = None       # closed: its title shows what it holds
        self.why = W.HTML(layout=W.Layout(margin=f"0 0 0 {NO_WIDTH}"))
        self.why.add_class("kit-why")
        self.message = fields.slot(("steps", sid))
        self.chips = W.HBox(layout=W.Layout(flex_flow="row wrap", margin=f"0 0 0 {NO_WIDTH}"))
        self.widget = W.VBox([self.line, self.chips, self.message, self.why, self.detail],
                             layout=W.Layout(width="100%"))
        self.widget.add_class("kit-change")

    def show(self, editor: ToBeEditor, step: Step, why: str) -> None:
        """What follows the workspace but is not a field: the As-Is name and minutes, the
        detail's summary, the placeholder of minutes after, why the change does not count."""
        lang = editor.lang
        if self.label is not None:
            self.label.value = (f"{esc(step.name)} <span style='color:#555'>"
                                f"{esc(editor.t('steps.asis_minutes', minutes=value_text(step.minutes)))}"
                                "</span>")
        blank = 0.0 if step.action == Action.eliminate else step.minutes   # minutes_after None
        self.minutes_after.placeholder = editor.t("steps.after_placeholder",
                                                  minutes=value_text(blank))
        none = editor.t("steps.detail.none")
        needs = i18n.t("unit.list_sep", lang).join(
            bundle.capability_label(t, lang) for t in step.needs_tags) or none
        self.detail.set_title(0, editor.t("steps.detail.title", needs=needs,
                                          procedure=step.procedure or none))
        self.why.value = (f'<div class="kit-msg kit-msg-warn" role="status" '
                          f'style="color:#8a5a00">{esc(why)}</div>') if why else ""

    def values(self) -> dict:
        data = {f: getattr(self, f).value for f in FIELDS}
        for f in OPTIONAL:
            data[f] = number_value(data[f], None)
        data["realised_as"] = data["realised_as"] or None
        data["needs"] = ";".join(data["needs"])
        if self.is_new:
            data.update(name=self.name.value, actor=self.actor.value, minutes=0.0)
        return data


def realised_options(editor: Editor) -> list[tuple[str, str]]:
    """効果の出方: the session's default first (stored as None), then each way."""
    default = i18n.label("realised_as", editor.assumptions.realised_as, editor.lang)
    return [(editor.t("steps.realised_default", label=default), DEFAULT)] + \
        i18n.choices("realised_as", editor.lang)


def why_not_counted(work: GroupWork, entry: dict | None, lang: str) -> str:
    """Why a change does not count yet (``entry`` of :func:`bundle.not_delivered`), in plain
    words with the capabilities' labels; '' when it counts."""
    if not entry:
        return ""
    if not bundle.has_system(work) or entry["missing"] == [bundle.NO_SYSTEM]:
        return i18n.t("steps.why.no_system", lang)
    labels = i18n.t("unit.list_sep", lang).join(
        i18n.t("steps.why.label", lang, label=bundle.capability_label(t, lang))
        for t in entry["missing"] if t != bundle.NO_SYSTEM)
    return i18n.t("steps.why.missing", lang, labels=labels)


class ToBeEditor(Editor):
    KEYS = ("hours_asis", "hours_tobe", "hours_saved", "fte_freed", "cost_saved",
            "cash_saved", "capacity_hours", "resident_hours_saved", "lead_time")
    NOT_DELIVERED = True
    CHARTS = ("minutes_by_step", "savings_waterfall", "flow_tobe")

    def capability_choices(self, work: GroupWork) -> list[tuple[str, str]]:
        """The labelled capabilities: the catalogue's, the session systems', the chosen."""
        extra = [t for s in work.steps for t in s.needs_tags]
        return bundle.capability_choices(self.lang, self.session, extra)

    def structure(self, work: GroupWork):
        """The rows, and the capability boxes (a tag someone else typed adds a box)."""
        return (super().structure(work), tuple(t for _, t in self.capability_choices(work)),
                self.assumptions.realised_as)

    def build(self) -> None:
        work = self.work
        choices = self.capability_choices(work)
        self.rows = [ChangeRow(self, s, i, choices) for i, s in enumerate(work.steps)]
        self.add_button = W.Button(description=self.t("ui.add_new_step"), icon="plus",
                                   layout=W.Layout(width="auto"))
        self.add_button.on_click(lambda _b: self.add_step())
        self.phases = W.HTML()
        header = header_row(
            [(self.t("ui.no"), NO_WIDTH), (header_label("name", self.lang), LABEL_LAYOUT)] +
            [(self.t(_HEAD_KEYS[f]) if f in _HEAD_KEYS else
              "" if f == "uptake_dependent" else header_label(f, self.lang), w)
             for f, w in LINE], "kit-change-head")
        self.warnings = W.HTML()
        self.show_levers(work)
        self.body.children = [W.HTML(STEPS_CSS), header] + [r.widget for r in self.rows] + \
            [self.add_button, self.warnings, self.phases]      # rows filled by show_figures

    def collect(self) -> GroupWork:
        old = {s.id: s.model_dump() for s in self.work.steps}
        steps = []
        for i, row in enumerate(self.rows):
            data = {**old.get(row.id, {"id": row.id, "is_new": row.is_new}), **row.values()}
            steps.append(self.parse_step(data, i))
        return self.parse_work({**self.saved.model_dump(), "steps": [s.model_dump() for s in steps],
                                "dismissed_levers": self.work.dismissed_levers})

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
        if hasattr(self, "rows"):
            self._show_rows(work, m)
        return m

    def _show_rows(self, work: GroupWork, m) -> None:
        """Each row's name, detail summary and why its change does not count (if so)."""
        missing = {d["step_id"]: d for d in m.not_delivered}
        steps = {s.id: s for s in work.steps}
        for row in self.rows:
            if row.id in steps:
                row.show(self, steps[row.id], why_not_counted(work, missing.get(row.id), self.lang))

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

    # -- suggestions (kit.domain.levers): one click takes a lever, another dismisses it --------
    def show_levers(self, work: GroupWork) -> None:
        """Each row's open suggestions as chips: the label, a dismiss button and the cited case
        under them (also the label's tooltip). A broken ``SESSION/levers.yaml`` shows its message, no chips."""
        try:
            self.catalogue = load_catalogue(self.session_dir)
        except InputError as exc:
            self.catalogue = levers.Catalogue()
            self.error.value = esc(exc.message(self.lang))
        found = levers.open_suggestions(work, self.catalogue)
        for row, suggestions in zip(self.rows, found, strict=True):
            row.chips.children = [self._chip(row.id, x) for x in suggestions]

    def _chip(self, step_id: str, lever: levers.Lever) -> W.HBox:
        src = lever.source.cited(self.lang)
        take = W.Button(description=lever.label.get(self.lang), icon="lightbulb-o",
                        tooltip=self.t("levers.chip_tip", effect=lever.effect.get(self.lang),
                                       **src), layout=W.Layout(width="auto"))
        take.on_click(lambda _b: self.take_lever(step_id, lever.id))
        drop = W.Button(icon="times", tooltip=f"{self.t('levers.dismiss')}: "
                        f"{lever.label.get(self.lang)}", layout=W.Layout(width="2.4em"))
        drop.on_click(lambda _b: self.dismiss_lever(step_id, lever.id))
        case = W.HTML(f'<div class="kit-lever-case" style="font-size:12px;color:#555;'
                      f'line-height:1.35;white-space:normal">'
                      f'{esc(self.t("levers.chip_tip", effect=lever.effect.get(self.lang), **src))}'
                      f"</div>", layout=W.Layout(width="100%"))   # wraps under the buttons
        chip = W.HBox([take, drop, case],                  # the cited case shown, not applied
                      layout=W.Layout(margin="0 .6em .3em 0", max_width="30em",
                                      flex_flow="row wrap"))
        chip.add_class("kit-lever-chip")
        return chip

    def take_lever(self, step_id: str, lever_id: str) -> None:
        """The lever's action and needs on the step (a system: redesign; online: uptake)."""
        base, lever = self.valid_edit(), self.catalogue.by_id().get(lever_id)
        if base is None or lever is None:
            return
        steps = [Step.model_validate({**s.model_dump(), **levers.applied(s, lever)})
                 if s.id == step_id else s for s in base.steps]
        self.apply(base.model_copy(update={"steps": steps}), rebuild=True)

    def dismiss_lever(self, step_id: str, lever_id: str) -> None:
        base = self.valid_edit()
        if base is None:
            return
        gone = list(dict.fromkeys([*base.dismissed_levers, levers.dismiss_key(step_id, lever_id)]))
        self.apply(base.model_copy(update={"dismissed_levers": gone}), rebuild=True)
