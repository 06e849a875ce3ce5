"""Four members on one group: following the others' saves, and choosing in a real clash.

A mixin of :class:`kit.widgets.common.Editor`. Every editor saves with the store's three-way
merge against the version the member loaded (kept by the editor itself, so a save many
versions late still merges). Another member's save appears on screen within ``KIT_WATCH_S``
seconds: only the fields whose value changed are set (:meth:`Fields.refresh`), so a field
the member is typing in is left alone; an edit of ours still waiting to be saved is merged
with theirs. Only a real clash — both changed the same field since the loaded version, to
different values — shows both values and asks the member to choose; nothing is dropped
silently or by a reload.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time

import ipywidgets as W

from kit.documents.fragments import esc
from kit.domain.model import GroupWork
from kit.io import store
from kit.widgets.fields import get_path, set_path, value_text

log = logging.getLogger(__name__)
# Seconds between looks at work.json for another member's save (JupyterHub room); 0 = off.
try:
    WATCH_S = max(0.0, float(os.environ.get("KIT_WATCH_S") or 1))
except ValueError:
    WATCH_S = 1.0

def message_html(text: str, kind: str, alert: bool = False) -> str:
    """A status or error line; ``alert`` has screen readers announce it."""
    if not text:
        return ""
    colour = {"error": "#b00020", "warn": "#8a5a00", "ok": "#1b6e20"}.get(kind, "#333")
    role = ' role="alert"' if alert or kind == "error" else ' role="status"'
    return (f'<div class="kit-msg kit-msg-{kind}"{role} '
            f'style="color:{colour};white-space:normal">{esc(text)}</div>')


_MISSING = object()


def path_of(field: str, data: dict) -> tuple:
    """A dotted pydantic location (``steps.2.minutes``) as a field path (steps by id)."""
    parts: list = [int(p) if p.isdigit() else p for p in str(field or "").split(".") if p]
    out: list = []
    node = data
    for part in parts:
        if isinstance(part, int) and isinstance(node, list):
            item = node[part] if part < len(node) else {}
            ident = item.get("id") or item.get("system_id") or item.get("funding_id") \
                if isinstance(item, dict) else None
            out.append(ident if ident else part)
            node = item
        else:
            out.append(part)
            node = node.get(part, {}) if isinstance(node, dict) else {}
    return tuple(out)


def clash_field(clash, name: str):
    """A clash record's field, whether the merge gives objects or dicts."""
    return clash.get(name) if isinstance(clash, dict) else getattr(clash, name)


def _show(value) -> str:
    if value is None or value == "":
        return "—"
    return value_text(value) if not isinstance(value, (dict, list)) else str(value)[:60]




# An edit of a field that arrives this soon after another member's value was put into that
# field may have been typed before the member could see it (a kernel busy for a moment
# receives it late): it is merged against the value they saw, so a difference is a clash
# to choose, never a silent overwrite. Asking once too often is the cheaper mistake.
TYPED_BEFORE_S = 10.0


class SharedEditing:
    """Following other members' saves and resolving clashes (mixed into Editor)."""

    typed_before: dict
    refreshed: dict

    def merge_base(self) -> dict:
        """The version this member's edits were made on: the loaded one, except for fields
        they typed into while another member's value for that field was on its way."""
        base = self.saved.model_dump(mode="json")
        for path, value in self.typed_before.items():
            set_path(base, path, value)
        return base

    def typed_over(self, work: GroupWork) -> bool:
        """Before saving an edit typed over another member's value that had not yet arrived
        on screen: a real clash is offered as a choice (False: not saved now)."""
        from kit.io.merge import MergeClash, merge

        on_disk = store.load_work(self.session_dir, self.group_id)
        try:
            merge(self.merge_base(), work.model_dump(mode="json"), on_disk.model_dump(mode="json"))
        except MergeClash as exc:
            self.conflict = True
            self.offer_choice(work, list(exc.clashes))
            self.status.value = message_html(self.t("ui.clash_intro"), "warn")
            return False
        return True

    def note_edit_after_refresh(self, change) -> None:
        """A member's edit of a field we have just set to another member's value: the edit
        was typed on the value before, so the merge must see both (a clash, not an
        overwrite)."""
        owner = change.get("owner") if isinstance(change, dict) else None
        path = self.fields.path_of(owner) if owner is not None else None
        seen = self.refreshed.get(path) if path else None
        if seen and time.monotonic() - seen[1] < TYPED_BEFORE_S:
            self.typed_before[path] = seen[0]

    # -- a real clash: both changed the same field; the member chooses ----------------------
    def offer_choice(self, work: GroupWork, clashes: list) -> None:
        """Show each clashing field with both values and two buttons; nothing is lost."""
        theirs = store.load_work(self.session_dir, self.group_id)
        state = {"base": self.merge_base(),
                 "mine": work.model_dump(mode="json"),
                 "theirs": theirs.model_dump(mode="json"), "open": len(clashes)}
        rows = [W.HTML(message_html(self.t("ui.clash_intro"), "warn", alert=True))]
        for clash in clashes:
            where = tuple(clash_field(clash, "path"))
            name = self.fields.names.get(where) or " / ".join(str(p) for p in where)
            mine, other = clash_field(clash, "mine"), clash_field(clash, "theirs")
            text = W.HTML(f"<b>{esc(name)}</b>: " + esc(self.t(
                "ui.clash_values", mine=_show(mine), theirs=_show(other))))
            keep_mine = W.Button(description=self.t("ui.clash_mine"),
                                 layout=W.Layout(width="auto"))
            keep_theirs = W.Button(description=self.t("ui.clash_theirs"),
                                   layout=W.Layout(width="auto"))
            row = W.HBox([text, keep_mine, keep_theirs], layout=W.Layout(flex_flow="row wrap"))
            keep_mine.on_click(lambda _b, p=where, r=row: self._choose(state, p, "mine", r))
            keep_theirs.on_click(lambda _b, p=where, r=row: self._choose(state, p, "theirs", r))
            rows.append(row)
        self.clash_box.children = rows

    def _choose(self, state: dict, where: tuple, side: str, row: W.Widget) -> None:
        value = get_path(state["theirs"], where, _MISSING)
        target = state["base"] if side == "mine" else state["mine"]
        if value is _MISSING or not set_path(target, where, value):
            if side == "theirs":            # an item gone on their side: take their document
                state["mine"] = dict(state["theirs"])
            else:
                state["base"] = dict(state["theirs"])
        row.layout.display = "none"
        state["open"] -= 1
        if state["open"] > 0:
            return
        from kit.io.merge import merge
        try:
            merged = merge(state["base"], state["mine"], state["theirs"])
        except Exception:  # noqa: BLE001 - a new clash meanwhile: take the disk, keep nothing silent
            self.reload()
            return
        self.clash_box.children = []
        self.conflict = False
        self.typed_before.clear()
        self.reload_button.button_style = ""
        self.saved = GroupWork.parse(state["theirs"])
        self.apply(GroupWork.parse(merged), rebuild=True)

    # -- other members' saves (several browsers on one group, e.g. a JupyterHub room) -------
    def start_watching(self, interval_s: float | None = None) -> bool:
        """Look at work.json every few seconds in the kernel's event loop (no loop: no-op;
        call :meth:`poll_workspace` yourself)."""
        interval = WATCH_S if interval_s is None else interval_s
        if not interval:
            return False
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False

        def tick() -> None:
            try:
                if not getattr(self, "hidden", False):  # a stage not shown catches up when opened
                    self.poll_workspace()
            except Exception:  # noqa: BLE001 - a failed look must not stop the watching
                log.exception("workspace poll failed")
            loop.call_later(interval, tick)

        loop.call_later(interval, tick)
        return True

    def poll_workspace(self) -> bool:
        """Follow another member's save: their values appear in place (only the fields that
        changed are set, so a field being typed in is left alone); an edit of ours still
        pending is merged with theirs and saved after. True when the screen followed."""
        try:
            stat = store.path("work", self.session_dir, self.group_id).stat()
        except OSError:
            return False
        key = (stat.st_mtime_ns, stat.st_size)
        if key == self._disk_key:
            return False
        self._disk_key = key
        revision = store.disk_revision(self.session_dir, self.group_id)
        if revision <= self.saved.revision or self.conflict:   # a clash is already shown
            return False
        theirs = store.load_work(self.session_dir, self.group_id)
        if self.draft is not None or self.debouncer.pending:
            from kit.io.merge import merge
            mine = (self.draft or self.saved).model_dump(mode="json")
            try:
                merged = GroupWork.parse(merge(self.saved.model_dump(mode="json"), mine,
                                               theirs.model_dump(mode="json")))
            except Exception:  # noqa: BLE001 - a clash: the save offers the choice
                self.status.value = message_html(self.t("hub.others_saved_pending",
                                                        revision=revision), "warn")
                return False
            before = mine
            self.saved, self.draft = theirs, merged
            self.show_in_place(merged, before)
            return True
        before = self.saved.model_dump(mode="json")
        self.saved = theirs
        self.show_in_place(theirs, before)
        self.status.value = message_html(self.t("hub.others_saved",
                                                revision=self.saved.revision), "ok")
        return True

    def show_in_place(self, work: GroupWork, before: dict | None = None) -> None:
        """Show ``work`` without rebuilding when only values changed (else rebuild);
        ``before``: the document shown until now (remembered per field set, for a member
        who was typing in it)."""
        self.session = store.load_session(self.session_dir)
        if not self.fields.widgets or self.structure(work) != self._structure or \
                not self.fields.refresh(work.model_dump(mode="json"), self.quiet):
            self._rebuild()
        elif before is not None:
            now = time.monotonic()
            for path in self.fields.updated:
                self.refreshed[path] = (get_path(before, path), now)
        self.show_figures(work)
        self.charts.update(work, self.assumptions)

    def structure(self, work: GroupWork):
        """What the editor's layout depends on (a change rebuilds it); editors may extend."""
        return tuple((s.id, s.is_new) for s in work.steps)

