"""The editable fields of an editor: accessible names, one parser, errors beside the field.

Every field an editor shows is made here and registered under its *path* in the workspace
document (``("annual_cases",)``, ``("steps", <step id>, "minutes")``, ``("costs",
"initial_cost_yen")``, ``("scores", <system id>, "integration")``): list items are named by
their id, as :mod:`kit.io.merge` names them. The registry lets the editor

* give every field an accessible name in the words the messages use (「手順3 所要時間(分)」):
  the widget's description, visually hidden where the row's column header already shows it,
  so a screen reader reads it and a test finds the field by its label;
* show a bad value's message right beside its field (the row's or the field's own message
  line, ``role="alert"``) and mark the field (class ``kit-invalid``, red frame);
* follow another member's save without rebuilding the page: :meth:`Fields.refresh` sets
  only the fields whose value changed, so a field someone is typing in is left alone.

Numbers are typed into text boxes, not number boxes: the browser's number box turns 「50%」
into 50 and drops 「１５分」 or 「abc」 without a word. The text goes to the model, which reads
it with the sheet import's parser (:func:`kit.domain.values.to_number`: full-width digits,
units, per cent) and refuses anything else with a message naming the field and the value.
"""

from __future__ import annotations

from collections.abc import Iterable

import ipywidgets as W

from kit import i18n
from kit.documents.fragments import esc

Path = tuple

# Visually hidden but read by screen readers (and by tests looking fields up by label).
CSS = """<style>
.kit-sr > .widget-label, .kit-sr > label.widget-label {
  position:absolute !important; width:1px !important; height:1px !important;
  overflow:hidden !important; clip:rect(0 0 0 0) !important; white-space:nowrap !important;
  margin:0 !important; padding:0 !important; }
.kit-invalid input, .kit-invalid select, .kit-invalid textarea, input.kit-invalid {
  border:2px solid #b00020 !important; background:#fff4f4 !important; }
.kit-field-msg:empty { display:none; }
.kit-field-msg { color:#b00020; font-weight:bold; margin:2px 0 6px 2.5em; white-space:normal; }
.kit-tags .widget-checkbox { width:auto !important; margin-right:1em; }
.kit-tags { flex-wrap:wrap; }
</style>"""


def value_text(value) -> str:
    """A stored value in a text box: blank for None (not measured), floats without ".0"."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def get_path(doc, path: Path, default=None):
    """The value at ``path`` in a JSON-like document; list items are found by their id."""
    node = doc
    for part in path:
        if isinstance(node, dict):
            if part not in node:
                return default
            node = node[part]
        elif isinstance(node, list):
            node = next((item for item in node if isinstance(item, dict)
                         and _ident(item) == part), None)
            if node is None:
                return default
        else:
            return default
    return node


def set_path(doc, path: Path, value) -> bool:
    """Set the value at ``path`` (in place); False when the path does not exist."""
    if not path:
        return False
    parent = get_path(doc, path[:-1]) if len(path) > 1 else doc
    if isinstance(parent, dict):
        parent[path[-1]] = value
        return True
    return False


def _ident(item: dict):
    for key in ("id", "system_id", "funding_id"):
        if item.get(key):
            return item[key]
    return None


class TagChecks:
    """Several choices as check boxes (not a Ctrl+click list): ``value`` is a tuple of keys."""

    def __init__(self, choices: Iterable[tuple[str, str]], value: Iterable[str], name: str):
        value = set(value)
        self.boxes = {key: W.Checkbox(value=key in value, description=label, indent=False,
                                      layout=W.Layout(width="auto"))
                      for label, key in choices}
        self.widget = W.HBox(list(self.boxes.values()), layout=W.Layout(flex_flow="row wrap"))
        self.widget.add_class("kit-tags")
        for box in self.boxes.values():
            box.add_class("kit-tag")
            box.tooltip = name
        self.name = name

    @property
    def value(self) -> tuple[str, ...]:
        return tuple(k for k, b in self.boxes.items() if b.value)

    @value.setter
    def value(self, keys) -> None:
        keys = set(keys)
        for k, b in self.boxes.items():
            if b.value != (k in keys):
                b.value = k in keys

    def observe(self, fn, names="value") -> None:
        for b in self.boxes.values():
            b.observe(fn, names=names)

    def add_class(self, name: str) -> None:
        self.widget.add_class(name)

    def remove_class(self, name: str) -> None:
        self.widget.remove_class(name)


class Fields:
    """The fields of one editor by path, with their message lines."""

    def __init__(self, lang: str):
        self.lang = lang
        self.widgets: dict[Path, object] = {}
        self.kinds: dict[Path, str] = {}
        self.names: dict[Path, str] = {}
        self.slots: dict[Path, W.HTML] = {}
        self.marked: list[Path] = []
        self.updated: list[Path] = []      # the paths the last refresh set

    # -- making fields ---------------------------------------------------------------------
    def _register(self, path: Path, widget, kind: str, name: str, hidden: bool):
        path = tuple(path)
        self.widgets[path], self.kinds[path], self.names[path] = widget, kind, name
        if hasattr(widget, "description") and name and kind != "flag":
            widget.description = name
            if hidden:
                widget.add_class("kit-sr")
            else:
                widget.style.description_width = "initial"
        return widget

    def number(self, path: Path, value, name: str, width: str = "6em",
               hidden: bool = True, placeholder: str = ""):
        """A number typed as text (「50%」「１５分」 read by the model), blank allowed."""
        box = W.Text(value=value_text(value), layout=W.Layout(width=width),
                     continuous_update=False, placeholder=placeholder)
        box.add_class("kit-number")
        return self._register(path, box, "number", name, hidden)

    def text(self, path: Path, value: str, name: str, width: str = "14em",
             hidden: bool = True, placeholder: str = ""):
        box = W.Text(value=value or "", layout=W.Layout(width=width), continuous_update=False,
                     placeholder=placeholder)
        return self._register(path, box, "text", name, hidden)

    def choice(self, path: Path, kind: str, value, name: str, width: str = "8em",
               hidden: bool = True, options: list[tuple[str, object]] | None = None):
        """A dropdown of an enum kind's labels (or ``options``: [(label, value)])."""
        opts = options if options is not None else i18n.choices(kind, self.lang)
        raw = getattr(value, "value", value)
        if raw not in [v for _, v in opts]:
            raw = opts[0][1] if opts else None
        box = W.Dropdown(options=opts, value=raw, layout=W.Layout(width=width))
        return self._register(path, box, "choice", name, hidden)

    def flag(self, path: Path, value: bool, name: str, label: str | None = None,
             width: str = "auto"):
        """A check box; ``label`` is shown beside it (default: ``name``)."""
        box = W.Checkbox(value=bool(value), description=label or name, indent=False,
                         layout=W.Layout(width=width))
        box.tooltip = name
        return self._register(path, box, "flag", name, True)

    def tags(self, path: Path, value: str, name: str, choices: Iterable[tuple[str, str]]):
        """Capability tags as check boxes; the stored value is ``"a;b"``."""
        from kit.domain.values import split_tags

        known = list(choices)
        current = split_tags(value or "")
        keys = {k for _, k in known}
        known += [(t, t) for t in current if t not in keys]     # keep an unknown tag visible
        checks = TagChecks(known, current, name)
        return self._register(path, checks, "tags", name, True)

    def path_of(self, widget) -> Path | None:
        """The path of a registered widget (or of a check box inside a tags field)."""
        for path, w in self.widgets.items():
            if w is widget or (isinstance(w, TagChecks) and widget in w.boxes.values()):
                return path
        return None

    def slot(self, path: Path) -> W.HTML:
        """The message line for the fields under ``path`` (a row, or one field)."""
        html = W.HTML("", layout=W.Layout(width="100%"))
        html.add_class("kit-field-msg")
        self.slots[tuple(path)] = html
        return html

    # -- reading and following -------------------------------------------------------------
    @staticmethod
    def to_widget(kind: str, value):
        if kind in ("number",):
            return value_text(value)
        if kind == "text":
            return value or ""
        if kind == "choice":
            return getattr(value, "value", value)
        if kind == "flag":
            return bool(value)
        if kind == "tags":
            from kit.domain.values import split_tags
            return tuple(split_tags(value or ""))
        return value

    def refresh(self, doc: dict, quiet) -> bool:
        """Show ``doc``'s values in the fields whose value differs; False when a field's path
        is gone (the structure changed: the editor rebuilds). ``quiet`` is a context manager
        that keeps the editor from treating these sets as the member's edits."""
        missing = object()
        updates = []
        self.updated = []
        for path, widget in self.widgets.items():
            value = get_path(doc, path, missing)
            if value is missing:
                return False
            shown = self.to_widget(self.kinds[path], value)
            current = widget.value
            if self.kinds[path] == "tags":
                if set(current) != set(shown):
                    updates.append((widget, shown))
                    self.updated.append(path)
            elif self.kinds[path] == "number":
                if not _same_number(current, shown):
                    updates.append((widget, shown))
                    self.updated.append(path)
            elif current != shown:
                updates.append((widget, shown))
                self.updated.append(path)
        with quiet():
            for widget, shown in updates:
                try:
                    widget.value = shown
                except Exception:   # noqa: BLE001 - e.g. an option gone: the editor rebuilds
                    return False
        return True

    # -- errors ----------------------------------------------------------------------------
    def locate(self, path: Path) -> Path | None:
        """The registered field at ``path`` or its nearest registered parent."""
        path = tuple(path)
        for n in range(len(path), 0, -1):
            if path[:n] in self.widgets:
                return path[:n]
        return None

    def _slot_for(self, path: Path) -> W.HTML | None:
        for n in range(len(path), -1, -1):
            if path[:n] in self.slots:
                return self.slots[path[:n]]
        return None

    def mark(self, path: Path, text: str) -> bool:
        """Mark the field at ``path`` and show ``text`` beside it; False when nowhere to show."""
        self.clear()
        found = self.locate(path) or tuple(path)
        widget = self.widgets.get(found)
        if widget is not None:
            widget.add_class("kit-invalid")
            self.marked.append(found)
        slot = self._slot_for(found)
        if slot is None:
            return False
        slot.value = (f'<div role="alert" aria-live="assertive" class="kit-msg kit-msg-error">'
                      f"{esc(text)}</div>")
        return True

    def clear(self) -> None:
        for path in self.marked:
            widget = self.widgets.get(path)
            if widget is not None:
                widget.remove_class("kit-invalid")
        self.marked = []
        for slot in self.slots.values():
            if slot.value:
                slot.value = ""


def _same_number(current: str, shown: str) -> bool:
    if current == shown:
        return True
    from kit.domain.values import to_number

    a, b = to_number(current), to_number(shown)
    return isinstance(a, float) and isinstance(b, float) and a == b
