"""The impact editor (workshops/04_impact.ipynb): the group's assumptions and its handout.

Group level (saved in the workspace): online uptake, uptake by year, system costs and the
funding sources. Session level (labour cost, hours per FTE, horizon, discount rate) is shown
read-only: it is the same for every group and set by the facilitator in ``session.yaml``, so
that groups' figures stay comparable. A button renders this group's handout in a separate
process (papermill cannot run inside this kernel) and shows a link to it.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import threading
from pathlib import Path

import ipywidgets as W

from kit import i18n
from kit.domain.model import GroupWork, to_number
from kit.widgets.common import (
    KEY_FIGURES,
    Editor,
    bundle_picker,
    chosen_bundle,
    esc,
    message_html,
    number_box,
)
from kit.widgets.counter import CounterPanel

RENDER_TIMEOUT_S = 300


def _ramp_text(values: list[float]) -> str:
    return ", ".join(f"{v * 100:g}%" for v in values)


def _ramp_values(text: str) -> list:
    parts = [p for p in text.replace("、", ",").replace("→", ",").split(",") if p.strip()]
    return [to_number(p) for p in parts]


RANGES = (("annual_cases", "field.annual_cases"), ("uptake", "field.uptake"),
          ("initial_cost", "field.initial_cost_yen"), ("annual_cost", "field.annual_cost_yen"))


def _bound_text(value) -> str:
    return "" if value is None else f"{value:g}"


def _bound_value(text: str):
    """Blank means "no range" (an exact value); anything else is validated by the model."""
    return None if not text.strip() else to_number(text)


class RangeRow:
    """Low / high of one three-point estimate (the likely value is edited above)."""

    def __init__(self, editor: Editor, name: str, label_key: str):
        r = editor.work.ranges
        self.name = name
        self.low = editor.watch(W.Text(value=_bound_text(getattr(r, f"{name}_low")),
                                       placeholder=editor.t("ui.range_blank"),
                                       continuous_update=False, layout=W.Layout(width="10em")))
        self.high = editor.watch(W.Text(value=_bound_text(getattr(r, f"{name}_high")),
                                        placeholder=editor.t("ui.range_blank"),
                                        continuous_update=False, layout=W.Layout(width="10em")))
        self.widget = W.HBox([W.HTML(esc(editor.t(label_key)), layout=W.Layout(width="16em")),
                              self.low, self.high])

    def values(self) -> dict:
        return {f"{self.name}_low": _bound_value(self.low.value),
                f"{self.name}_high": _bound_value(self.high.value)}


class FundingRow:
    def __init__(self, editor: Editor, source, index: int):
        self.index = index
        self.name = editor.watch(W.Text(value=source.name, continuous_update=False,
                                        layout=W.Layout(width="22em")))
        self.rate = editor.watch(number_box(source.rate, width="6em"))
        cap = "" if source.cap_yen is None else f"{source.cap_yen:.0f}"
        self.cap_yen = editor.watch(W.Text(value=cap, continuous_update=False,
                                           placeholder=editor.t("ui.no_cap"),
                                           layout=W.Layout(width="10em")))
        self.eligible_share = editor.watch(number_box(source.eligible_share, width="6em"))
        delete = W.Button(icon="trash", tooltip=editor.t("ui.delete"),
                          layout=W.Layout(width="2.6em"))
        delete.on_click(lambda _b: editor.delete_funding(index))
        self.widget = W.HBox([self.name, self.rate, self.cap_yen, self.eligible_share, delete])

    def values(self) -> dict:
        cap = self.cap_yen.value.strip()
        return {"name": self.name.value, "rate": self.rate.value,
                "cap_yen": cap or None, "eligible_share": self.eligible_share.value}


class ImpactEditor(Editor):
    KEYS = KEY_FIGURES[:7] + ("cash_saved", "capacity_hours", "initial_cost", "annual_cost",
                              "subsidy", "general_fund", "npv", "npv_cash", "payback")
    NOT_DELIVERED = True
    CHARTS = ("cost_funding", "savings_waterfall")

    def build(self) -> None:
        w, t = self.work, self.t
        wide = {"description_width": "initial"}
        uptake = w.uptake if w.uptake is not None else self.assumptions.uptake
        self.uptake = self.watch(number_box(uptake, t("field.uptake"), "18em"))
        self.ramp = self.watch(W.Text(value=_ramp_text(w.uptake_by_year),
                                      description=t("field.uptake_by_year"),
                                      placeholder=t("ui.ramp_hint"), continuous_update=False,
                                      layout=W.Layout(width="32em"), style=wide))
        self.bundle = bundle_picker(self, w)
        self.system = self.watch(W.Text(value=w.costs.system, description=t("ui.system"),
                                        continuous_update=False, style=wide))
        self.initial = self.watch(number_box(w.costs.initial_cost_yen,
                                             t("field.initial_cost_yen"), "20em"))
        self.annual = self.watch(number_box(w.costs.annual_cost_yen,
                                            t("field.annual_cost_yen"), "20em"))
        self.cost_source = self.watch(W.Text(value=w.costs.source, description=t("ui.source"),
                                             continuous_update=False,
                                             layout=W.Layout(width="32em"), style=wide))
        for box in (self.uptake, self.initial, self.annual):
            box.style.description_width = "initial"
        self.funding_rows = [FundingRow(self, f, i) for i, f in enumerate(w.funding)]
        add = W.Button(description=t("ui.add_funding"), icon="plus")
        add.on_click(lambda _b: self.add_funding())
        self.render_button = W.Button(description=t("ui.render"), icon="file",
                                      button_style="primary")
        self.render_button.on_click(lambda _b: self.render_now())
        self.render_out = W.HTML()
        self.range_rows = [RangeRow(self, name, key) for name, key in RANGES]
        self.counter_panel = CounterPanel(self)
        range_head = W.HBox([W.HTML(f"<b>{esc(t(k))}</b>", layout=W.Layout(width=wd))
                             for k, wd in (("ui.range_title", "16em"), ("ui.range_low", "10em"),
                                           ("ui.range_high", "10em"))])
        head = W.HBox([W.HTML(f"<b>{esc(t(k))}</b>", layout=W.Layout(width=wd)) for k, wd in
                       (("report.funding", "22em"), ("field.rate", "6em"),
                        ("field.cap_yen", "10em"), ("field.eligible_share", "6em"))])
        self.body.children = [
            W.HTML(self.session_html()), self.uptake, self.ramp, self.bundle, self.system,
            self.initial,
            self.annual, self.cost_source, range_head, *[r.widget for r in self.range_rows],
            W.HTML(f'<p style="color:#666">{esc(t("ui.range_note"))}</p>'),
            head, *[r.widget for r in self.funding_rows], add, self.counter_panel.widget,
            W.HBox([self.render_button, self.render_out])]

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
            uptake=self.uptake.value, uptake_by_year=_ramp_values(self.ramp.value),
            costs={"system": self.system.value, "initial_cost_yen": self.initial.value,
                   "annual_cost_yen": self.annual.value, "source": self.cost_source.value},
            funding=[{**self.work.funding[r.index].model_dump(), **r.values()}
                     if r.index < len(self.work.funding) else r.values()
                     for r in self.funding_rows],
            ranges={k: v for row in self.range_rows for k, v in row.values().items()},
            counter=self.counter_panel.values())
        data.update(chosen_bundle(self, self.bundle.value))
        return GroupWork.parse(data)

    def changed(self) -> None:
        before = [o.system_id for o in self.work.systems]
        super().changed()
        if [o.system_id for o in self.work.systems] != before:
            self._rebuild()                     # the cost boxes show the bundle's sums

    def show_figures(self, work: GroupWork):
        m = super().show_figures(work)
        self.counter_panel.update(work, self.assumptions)     # waits before and after
        return m

    def add_funding(self) -> None:
        self._edit_funding(lambda funding: funding.append(
            {"name": self.t("ui.new_funding"), "rate": 0.5}))

    def delete_funding(self, index: int) -> None:
        self._edit_funding(lambda funding: funding.pop(index))

    def _edit_funding(self, change) -> None:
        base = self.valid_edit()
        if base is None:
            return
        funding = [f.model_dump() for f in base.funding]
        change(funding)
        self.apply(GroupWork.parse({**base.model_dump(), "funding": funding}), rebuild=True)

    # -- handout ---------------------------------------------------------------------------
    def handout_path(self) -> Path:
        return self.session_dir / "handouts" / f"{self.group_id}.html"

    def render_command(self) -> list[str]:
        return [sys.executable, "-m", "kit", "render", str(self.session_dir),
                "--group", self.group_id, "--out", str(self.handout_path().parent),
                "--lang", self.lang, "--jobs", "1"]

    def render_now(self, wait: bool = False) -> threading.Thread:
        """Save pending edits, then render the handout in a subprocess; link it when done."""
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
