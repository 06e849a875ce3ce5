"""The impact editor (workshops/04_impact.ipynb): the group's assumptions and its handout.

Group level (saved in the workspace): online uptake, uptake by year, the chosen systems and
their costs, the ranges and the funding sources. Session level (labour cost, hours per FTE,
horizon, discount rate) is shown read-only: it is the same for every group and set by the
facilitator in ``session.yaml``, so that groups' figures stay comparable. A button renders
this group's handout in a separate process (papermill cannot run inside this kernel) and
shows a link to it.

Every field is registered in ``self.fields`` by its path (``("uptake",)``, ``("costs",
"initial_cost_yen")``, ``("ranges", "uptake_low")``, ``("funding", <funding id>, "rate")``):
numbers are typed as text and read by the model (「30%」→0.3, 「１，０００，０００円」), a bad
value's message appears right under its field, which is marked. Funding rows are named by
their ``funding_id``: the session's sources keep theirs, a row typed by hand gets
``own-<short uuid>``.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import ipywidgets as W

from kit import i18n
from kit.domain.model import GroupWork, to_number
from kit.exceptions import InputError
from kit.widgets.common import KEY_FIGURES, Editor, esc, message_html
from kit.widgets.counter import CounterPanel, ListField
from kit.widgets.selection import bundle_checks, chosen_systems, system_catalogue

RENDER_TIMEOUT_S = 300
AUTO = W.Layout(width="auto")       # a button as wide as its label (never cut at 1366 px)


def _ramp_text(values: list[float]) -> str:
    return ", ".join(f"{v * 100:g}%" for v in values)


def _ramp_values(text: str) -> list:
    parts = [p for p in text.replace("、", ",").replace("→", ",").split(",") if p.strip()]
    return [to_number(p) for p in parts]


def _percent(value) -> str:
    """A share shown as typed in Japan (0.5 → 「50%」); blank for None."""
    return "" if value is None else f"{value * 100:.10g}%"


def _or_none(text: str):
    """Blank means "none" (no cap, no range bound); anything else is read by the model."""
    return text.strip() or None


def _or_zero(text: str):
    return text.strip() or 0


# (range name, field of the likely value, is a share)
RANGES = (("annual_cases", "annual_cases", False), ("uptake", "uptake", True),
          ("initial_cost", "initial_cost_yen", False), ("annual_cost", "annual_cost_yen", False))


class RangeRow:
    """Low / high of one three-point estimate (the likely value is edited above)."""

    def __init__(self, editor: Editor, name: str, label_key: str, share: bool):
        r, f = editor.work.ranges, editor.fields
        self.name = name
        show = _percent if share else (lambda v: v)
        self.low, self.high = (
            editor.watch(f.number(("ranges", f"{name}_{end}"), show(getattr(r, f"{name}_{end}")),
                                  editor.t(f"field.{name}_{end}"), width="10em",
                                  placeholder=editor.t("ui.range_blank")))
            for end in ("low", "high"))
        self.slot = f.slot(("ranges", f"{name}_low"))
        f.slots[("ranges", f"{name}_high")] = self.slot        # one message line per row
        self.widget = W.VBox([W.HBox([W.HTML(esc(editor.t(f"field.{label_key}")),
                                             layout=W.Layout(width="16em")),
                                      self.low, self.high]), self.slot])

    def values(self) -> dict:
        return {f"{self.name}_low": _or_none(self.low.value),
                f"{self.name}_high": _or_none(self.high.value)}


class FundingRow:
    """One funding source: name, rate, cap, eligible share; named by its ``funding_id``."""

    def __init__(self, editor: Editor, source, fid: str):
        self.fid, self.source = fid, source
        f, t = editor.fields, editor.t
        path = ("funding", fid)
        label = source.name

        def named(key):
            return f"{label} {t(key)}"

        self.name = editor.watch(f.text((*path, "name"), source.name,
                                        f"{t('report.funding')} {t('field.name')}",
                                        width="22em"))
        self.rate = editor.watch(f.number((*path, "rate"), _percent(source.rate),
                                          named("field.rate"), width="6em"))
        self.cap_yen = editor.watch(f.number((*path, "cap_yen"), source.cap_yen,
                                             named("field.cap_yen"), width="10em",
                                             placeholder=t("ui.no_cap")))
        self.eligible_share = editor.watch(f.number(
            (*path, "eligible_share"), _percent(source.eligible_share),
            named("field.eligible_share"), width="8em"))
        delete = W.Button(icon="trash", tooltip=f"{label} {t('ui.delete')}",
                          layout=W.Layout(width="2.6em"))
        delete.on_click(lambda _b: editor.delete_funding(fid))
        self.widget = W.VBox([W.HBox([self.name, self.rate, self.cap_yen,
                                      self.eligible_share, delete]), f.slot(path)])

    def values(self) -> dict:
        return {**self.source.model_dump(), "funding_id": self.fid, "name": self.name.value,
                "rate": self.rate.value, "cap_yen": _or_none(self.cap_yen.value),
                "eligible_share": self.eligible_share.value}


def own_funding_id() -> str:
    return f"own-{uuid.uuid4().hex[:6]}"


class ImpactEditor(Editor):
    KEYS = KEY_FIGURES[:7] + ("cash_saved", "capacity_hours", "initial_cost", "annual_cost",
                              "subsidy", "general_fund", "npv", "npv_cash", "payback")
    NOT_DELIVERED = True
    CHARTS = ("cost_funding", "savings_waterfall")

    def build(self) -> None:
        w, t, f = self.work, self.t, self.fields
        uptake = w.uptake if w.uptake is not None else self.assumptions.uptake
        self.uptake = self.watch(f.number(("uptake",), _percent(uptake), t("field.uptake"),
                                          width="20em", hidden=False,
                                          placeholder=t("imp.ui.uptake_hint")))
        self.ramp = ListField(w.uptake_by_year, t("field.uptake_by_year"), _ramp_text,
                              _ramp_values, width="48em", placeholder=t("ui.ramp_hint"))
        f._register(("uptake_by_year",), self.ramp, "list", t("field.uptake_by_year"),
                    hidden=False)
        self.watch(self.ramp)
        self.bundle = bundle_checks(self, self.systems_catalogue(w), w)

        def cost(name, value, kind="number", width="22em"):
            make = f.number if kind == "number" else f.text
            return self.watch(make(("costs", name), value, t(f"field.{name}"), width=width,
                                   hidden=False))

        self.system = cost("system", w.costs.system, "text", "48em")
        self.initial = cost("initial_cost_yen", w.costs.initial_cost_yen)
        self.annual = cost("annual_cost_yen", w.costs.annual_cost_yen)
        self.cost_source = cost("source", w.costs.source, "text", "48em")
        self.funding_rows = [FundingRow(self, src, src.funding_id or own_funding_id())
                             for src in w.funding]
        added = {src.funding_id for src in w.funding if src.funding_id} | \
            {src.name for src in w.funding}
        offered = [(src.name, i) for i, src in enumerate(self.session.funding_sources)
                   if (src.funding_id or src.name) not in added]
        self.source_choice = W.Dropdown(options=offered, value=offered[0][1] if offered else None,
                                        description=t("imp.ui.session_sources"),
                                        style={"description_width": "initial"},
                                        layout=W.Layout(width="40em"))
        self.add_source_button = W.Button(description=t("imp.ui.add_source"), icon="plus",
                                          layout=AUTO, disabled=not offered)
        self.add_source_button.on_click(lambda _b: self.add_session_source())
        add = W.Button(description=t("imp.ui.add_own_funding"), icon="plus", layout=AUTO)
        add.on_click(lambda _b: self.add_funding())
        self.render_button = W.Button(description=t("ui.render"), icon="file",
                                      button_style="primary", layout=AUTO)
        self.render_button.on_click(lambda _b: self.render_now())
        self.render_out = W.HTML()
        self.range_rows = [RangeRow(self, name, key, share) for name, key, share in RANGES]
        self.counter_panel = CounterPanel(self)
        range_head = W.HBox([W.HTML(f"<b>{esc(t(k))}</b>", layout=W.Layout(width=wd))
                             for k, wd in (("ui.range_title", "16em"), ("ui.range_low", "10em"),
                                           ("ui.range_high", "10em"))])
        head = W.HBox([W.HTML(f"<b>{esc(t(k))}</b>", layout=W.Layout(width=wd)) for k, wd in
                       (("report.funding", "22em"), ("field.rate", "6em"),
                        ("field.cap_yen", "10em"), ("field.eligible_share", "8em"))])
        self.body.children = [
            W.HTML(self.session_html()), self.uptake, f.slot(("uptake",)),
            self.ramp.widget, f.slot(("uptake_by_year",)),
            W.HTML(f"<b>{esc(t('fin.ui.bundle'))}</b>"), self.bundle.widget,
            f.slot(("systems",)), self.system, self.initial, self.annual, self.cost_source,
            f.slot(("costs",)), range_head, *[r.widget for r in self.range_rows],
            W.HTML(f'<p style="color:#666">{esc(t("ui.range_note"))}</p>'),
            head, *[r.widget for r in self.funding_rows], f.slot(("funding",)),
            W.HTML(f'<p style="color:#666">{esc(t("imp.ui.percent_hint"))}</p>'),
            W.HBox([self.source_choice, self.add_source_button, add],
                   layout=W.Layout(flex_flow="row wrap")),
            self.counter_panel.widget,
            W.HBox([self.render_button, self.render_out], layout=W.Layout(flex_flow="row wrap"))]

    def systems_catalogue(self, work: GroupWork):
        return system_catalogue(self.session, work)

    def session_html(self) -> str:
        a, L = self.assumptions, self.lang
        rows = [(self.t("field.labour_cost_yen_per_hour"),
                 i18n.fmt_yen(a.labour_cost_yen_per_hour, L)),
                (self.t("field.hours_per_fte"), i18n.fmt_hours(a.hours_per_fte, L, 0)),
                (self.t("field.horizon_years"), str(a.horizon_years)),
                (self.t("field.discount_rate"), i18n.fmt_percent(a.discount_rate, 1))]
        body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
        return (f'<table class="kit-session">{body}</table>'
                f'<p style="color:#666">{esc(self.t("ui.session_wide"))}</p>')

    def collect(self) -> GroupWork:
        data = self.saved.model_dump()
        data.update(
            uptake=_or_none(self.uptake.value), uptake_by_year=self.ramp.value,
            costs={"system": self.system.value,
                   "initial_cost_yen": _or_zero(self.initial.value),
                   "annual_cost_yen": _or_zero(self.annual.value),
                   "source": self.cost_source.value},
            funding=[r.values() for r in self.funding_rows],
            ranges={k: v for row in self.range_rows for k, v in row.values().items()},
            counter=self.counter_panel.values())
        data.update(chosen_systems(self, self.systems_catalogue(self.work), self.bundle.value))
        try:
            return self.parse_work(data)
        except InputError as exc:
            if not getattr(exc, "path", None):      # low ≦ likely ≦ high: beside its range
                exc.path = _range_path(data)
            raise

    def structure(self, work: GroupWork):
        return (super().structure(work), tuple(o.system_id for o in work.systems),
                tuple(o.system_id for o in self.systems_catalogue(work)),
                tuple(src.funding_id for src in work.funding), work.counter is not None)

    def changed(self) -> None:
        super().changed()               # (saved at once without a debounce: use self.work)
        if self.structure(self.work) != self._structure:
            self._rebuild()             # the cost boxes show the bundle's sums; counter on/off
            self.show_figures(self.work)

    def show_figures(self, work: GroupWork):
        m = super().show_figures(work)
        if hasattr(self, "counter_panel"):
            self.counter_panel.update(work, self.assumptions)     # waits before and after
        return m

    # -- funding rows ----------------------------------------------------------------------
    def add_session_source(self, index: int | None = None) -> None:
        """Add one of the session's funding sources (``session.funding_sources``) as is."""
        index = self.source_choice.value if index is None else index
        if index is None:
            return
        source = self.session.funding_sources[index].model_dump()
        source["funding_id"] = source["funding_id"] or own_funding_id()
        self._edit_funding(lambda funding: funding.append(source))

    def add_funding(self) -> None:
        """A row typed by hand (its own ``funding_id``)."""
        self._edit_funding(lambda funding: funding.append(
            {"funding_id": own_funding_id(), "name": self.t("ui.new_funding"), "rate": 0.5}))

    def delete_funding(self, fid: str) -> None:
        self._edit_funding(lambda funding: funding.__setitem__(
            slice(None), [f for f in funding if f["funding_id"] != fid]))

    def _edit_funding(self, change) -> None:
        base = self.valid_edit()
        if base is None:
            return
        funding = [f.model_dump() for f in base.funding]
        change(funding)
        self.apply(self.parse_work({**base.model_dump(), "funding": funding}), rebuild=True)

    # -- handout ---------------------------------------------------------------------------
    def handout_path(self) -> Path:
        return self.session_dir / "handouts" / f"{self.group_id}.html"

    def render_command(self) -> list[str]:
        return [sys.executable, "-m", "kit", "render", str(self.session_dir),
                "--group", self.group_id, "--out", str(self.handout_path().parent),
                "--lang", self.lang, "--jobs", "1"]

    def render_now(self, wait: bool = False) -> threading.Thread:
        """Save pending edits, then render the handout in a subprocess; link it when done
        (about 3 s for the demo group: a fresh Python renders the whole handout)."""
        self.flush()
        self.render_button.disabled = True
        self.render_out.value = message_html(self.t("ui.rendering"), "info")
        thread = threading.Thread(target=self._render, daemon=True)
        thread.start()
        if wait:
            thread.join()
        return thread

    def _render(self) -> None:
        try:
            proc = subprocess.run(self.render_command(), capture_output=True, text=True,
                                  timeout=RENDER_TIMEOUT_S, env={**os.environ, "KIT_LANG":
                                                                 self.lang})
            ok = proc.returncode == 0 and self.handout_path().is_file()
            self.render_out.value = self.link_html() if ok else message_html(
                self.t("ui.render_failed", detail=(proc.stdout + proc.stderr)[-300:]), "error")
        except (OSError, subprocess.SubprocessError) as exc:
            self.render_out.value = message_html(self.t("ui.render_failed", detail=str(exc)),
                                                 "error")
        finally:
            self.render_button.disabled = False

    def link_html(self) -> str:
        """A download link (works in JupyterLab and Voilà, offline) and the file's path."""
        file = self.handout_path()
        data = base64.b64encode(file.read_bytes()).decode("ascii")
        return (f'<span class="kit-handout">{esc(self.t("ui.rendered"))} '
                f'<a download="{esc(file.name)}" href="data:text/html;base64,{data}">'
                f"{esc(self.t('ui.download', name=file.name))}</a> "
                f'<code style="font-size:85%">{esc(file)}</code></span>')


def _range_path(data: dict) -> tuple:
    """The range field that breaks low ≦ likely ≦ high (the model names no field), or ()."""
    costs, ranges = data.get("costs") or {}, data.get("ranges") or {}
    likely = {"annual_cases": data.get("annual_cases"), "uptake": data.get("uptake"),
              "initial_cost": costs.get("initial_cost_yen"),
              "annual_cost": costs.get("annual_cost_yen")}
    for name, value in likely.items():
        value = to_number(value)
        low, high = (to_number(ranges.get(f"{name}_{end}")) for end in ("low", "high"))
        if not isinstance(value, float):
            continue
        if isinstance(low, float) and low > value:
            return ("ranges", f"{name}_low")
        if isinstance(high, float) and high < value:
            return ("ranges", f"{name}_high")
    return ()
