"""The opening exercise (workshops/00_bpr_basics.ipynb): classify steps, pick an ECRS action.

Sample steps of a real procedure (child allowance application); each has the value classes
and ECRS actions a facilitator would accept, and a short reason shown as feedback. Nothing is
saved: this is practice before the group's own workflow.
"""

from __future__ import annotations

import ipywidgets as W

from kit import i18n
from kit.widgets.common import esc
from kit.widgets.fields import CSS

# (message key of the step, accepted value classes, accepted actions)
SAMPLES = (
    ("basics.s1", {"waste"}, {"eliminate", "combine"}),
    ("basics.s2", {"waste"}, {"simplify", "eliminate"}),
    ("basics.s3", {"waste"}, {"automate", "eliminate"}),
    ("basics.s4", {"value_adding"}, {"keep", "simplify"}),
    ("basics.s5", {"necessary", "waste"}, {"combine", "simplify", "eliminate"}),
    ("basics.s6", {"necessary"}, {"keep", "automate"}),
)


class BasicsExercise:
    def __init__(self, lang: str = "ja"):
        self.lang = lang if lang in i18n.LANGS else i18n.DEFAULT_LANG
        L = self.lang
        self.rows = []
        head = W.HBox([W.HTML("", layout=W.Layout(width="30em"))] + [
            W.HTML(f"<b>{esc(i18n.t(k, L))}</b>", layout=W.Layout(width="9em"))
            for k in ("head.value", "head.action")])
        boxes = [W.HTML(CSS), head]
        for n, (key, _values, _actions) in enumerate(SAMPLES, start=1):
            value = W.Dropdown(options=[("—", "")] + i18n.choices("value", L), value="",
                               layout=W.Layout(width="9em"),
                               description=i18n.t("page.example_field", L, n=n,
                                                  field=i18n.t("head.value", L)))
            action = W.Dropdown(options=[("—", "")] + i18n.choices("action", L), value="",
                                layout=W.Layout(width="9em"),
                                description=i18n.t("page.example_field", L, n=n,
                                                   field=i18n.t("head.action", L)))
            for box in (value, action):     # named for screen readers, the header shows it
                box.add_class("kit-sr")
            feedback = W.HTML()
            label = W.HTML(esc(i18n.t(key, L)), layout=W.Layout(width="30em"))
            self.rows.append((value, action, feedback))
            boxes.append(W.VBox([W.HBox([label, value, action]), feedback]))
        self.check_button = W.Button(description=i18n.t("basics.check", L),
                                     button_style="primary")
        self.check_button.on_click(lambda _b: self.check())
        self.summary = W.HTML()
        self.root = W.VBox(boxes + [W.HBox([self.check_button, self.summary])])

    def check(self) -> int:
        """Mark every row; return the number of rows with both answers acceptable."""
        right = 0
        for (value, action, feedback), (key, values, actions) in zip(self.rows, SAMPLES,
                                                                     strict=True):
            ok = value.value in values and action.value in actions
            right += ok
            mark = "✓" if ok else "✗"
            colour = "#1b6e20" if ok else "#b00020"
            feedback.value = (f'<span style="color:{colour}">{mark}</span> '
                              f"{esc(i18n.t(key + '_why', self.lang))}")
        self.summary.value = esc(i18n.t("basics.score", self.lang, right=right,
                                        total=len(SAMPLES)))
        return right

    def _ipython_display_(self):
        from IPython.display import display
        display(self.root)
