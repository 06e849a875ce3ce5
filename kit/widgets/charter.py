"""The charter editor (one cell of workshops/01_as_is.ipynb) and the action-plan editor (one
cell of workshops/05_follow_up.ipynb): docs/after-workshop.md.

Both build the group's :class:`kit.domain.model.GroupWork` from their widgets (validated by
the model: a bad date or number is shown inline and nothing is saved) and save through
:class:`.common.Editor` like every other editor.
"""

from __future__ import annotations

import ipywidgets as W

from kit.domain.after import actions
from kit.domain.after.plan import ActionItem, Charter
from kit.domain.model import GroupWork
from kit.widgets.common import Editor, esc, value_text

WIDE = W.Layout(width="40em")
STYLE = {"description_width": "12em"}


class _PlanEditor(Editor):
    """No key figures or charts: these editors are about who, what and when."""

    KEYS = ()
    CHARTS = ()

    def show_figures(self, work: GroupWork):
        self.figures.value = ""

    def row_button(self, icon: str, key: str, action) -> W.Button:
        b = W.Button(icon=icon, tooltip=self.t(key), layout=W.Layout(width="2.6em"))
        b.on_click(lambda _b: action())
        return b


class CharterEditor(_PlanEditor):
    FIELDS = (("start", "aft.charter.start"), ("end", "aft.charter.end"),
              ("in_scope", "aft.charter.in_scope"), ("out_of_scope", "aft.charter.out_of_scope"),
              ("sponsor", "aft.charter.sponsor"), ("go_live", "aft.charter.go_live"))

    def build(self) -> None:
        c = self.work.charter
        self.boxes = {}
        for name, key in self.FIELDS:
            kind = W.Textarea if "scope" in name else W.Text
            self.boxes[name] = self.watch(kind(value=getattr(c, name), description=self.t(key),
                                               layout=WIDE, style=STYLE,
                                               placeholder="2027/4/1" if name == "go_live"
                                               else ""))
        self.rows = []
        for m in c.measures:
            cells = [W.Text(value=m.name, placeholder=self.t("aft.measure"),
                            layout=W.Layout(width="14em")),
                     W.Text(value=m.unit, placeholder=self.t("aft.unit"),
                            layout=W.Layout(width="5em")),
                     W.Text(value=value_text(m.baseline), placeholder=self.t("aft.baseline"),
                            layout=W.Layout(width="7em")),
                     W.Text(value=value_text(m.target), placeholder=self.t("aft.target"),
                            layout=W.Layout(width="7em"))]
            for w in cells:
                self.watch(w)
            i = len(self.rows)
            remove = self.row_button("trash", "ui.delete", lambda i=i: self.remove_measure(i))
            self.rows.append((cells, W.HBox(cells + [remove])))
        add = W.Button(description=self.t("aft.add_measure"), icon="plus")
        add.on_click(lambda _b: self.add_measure())
        self.body.children = [W.HTML(f"<h3>{esc(self.t('aft.charter'))}</h3>"),
                              *self.boxes.values(),
                              W.HTML(f"<b>{esc(self.t('aft.measures_title'))}</b>"),
                              *(box for _, box in self.rows), add]

    def collect(self) -> GroupWork:
        data = {name: box.value for name, box in self.boxes.items()}
        data["measures"] = [{"name": n.value, "unit": u.value, "baseline": b.value.strip() or None,
                             "target": t.value.strip() or None}
                            for (n, u, b, t), _ in self.rows]
        charter = Charter.parse(data, where=self.t("aft.charter"))
        return self.saved.model_copy(update={"charter": charter})

    def add_measure(self) -> None:
        name = self.t("aft.new_measure")
        work = self.valid_edit()
        if work is not None:
            measures = [*work.charter.measures, {"name": name}]
            charter = Charter.parse({**work.charter.model_dump(), "measures": measures})
            self.apply(work.model_copy(update={"charter": charter}), rebuild=True)

    def remove_measure(self, index: int) -> None:
        work = self.valid_edit()
        if work is not None:
            measures = [m for i, m in enumerate(work.charter.measures) if i != index]
            charter = work.charter.model_copy(update={"measures": measures})
            self.apply(work.model_copy(update={"charter": charter}), rebuild=True)


class ActionsEditor(_PlanEditor):
    def build(self) -> None:
        steps = [(f"{i}. {s.name}", s.id) for i, s in enumerate(self.work.steps, start=1)]
        ids = {sid for _, sid in steps}
        self.rows = []
        for item in self.work.actions:
            cells = {"title": W.Text(value=item.title, placeholder=self.t("act.col.action"),
                                     layout=W.Layout(width="16em")),
                     "owner": W.Text(value=item.owner, placeholder=self.t("act.col.owner"),
                                     layout=W.Layout(width="8em")),
                     "due": W.Text(value=item.due, placeholder="2027/4/1",
                                   layout=W.Layout(width="8em")),
                     "status": W.Dropdown(options=actions.status_choices(self.lang),
                                          value=item.status.value,
                                          layout=W.Layout(width="8em")),
                     "steps": W.SelectMultiple(options=steps, rows=2,
                                               value=[s for s in item.steps if s in ids],
                                               layout=W.Layout(width="16em"))}
            for w in cells.values():
                self.watch(w)
            remove = self.row_button("trash", "ui.delete",
                                     lambda sid=item.id: self.remove_action(sid))
            box = W.HBox([*cells.values(), remove])
            box.add_class("kit-action-row")
            self.rows.append((item.id, cells, box))
        add = W.Button(description=self.t("aft.add_action"), icon="plus")
        add.on_click(lambda _b: self.add_action())
        self.body.children = [W.HTML(f"<h3>{esc(self.t('aft.actions'))}</h3>"),
                              *(box for *_, box in self.rows), add]

    def collect(self) -> GroupWork:
        items = [ActionItem.parse({"id": sid, **{k: w.value for k, w in cells.items()},
                                   "steps": list(cells["steps"].value)},
                                  where=self.t("field.actions") + f" {n}")
                 for n, (sid, cells, _) in enumerate(self.rows, start=1)]
        return self.saved.model_copy(update={"actions": items})

    def add_action(self) -> None:
        work = self.valid_edit()
        if work is not None:
            new = ActionItem(title=self.t("aft.new_action"))
            self.apply(work.model_copy(update={"actions": [*work.actions, new]}), rebuild=True)

    def remove_action(self, action_id: str) -> None:
        work = self.valid_edit()
        if work is not None:
            kept = [a for a in work.actions if a.id != action_id]
            self.apply(work.model_copy(update={"actions": kept}), rebuild=True)
