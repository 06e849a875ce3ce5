"""Front-yard sections of the handout (docs/frontyard.md): the measures residents feel, the
counter queue by month and hour, and life events. A mixin of
:class:`kit.documents.handout.Handout`; each method returns an HTML fragment, or "" when the
group has nothing to show (no counter profile, no procedures named on its steps).
"""

from __future__ import annotations

import functools
import math

from kit import i18n
from kit.documents.fragments import esc, figure_html, table
from kit.domain.frontyard import lifeevents, queue_sim
from kit.domain.frontyard import measures as frontyard
from kit.domain.money import bundle

SIM_SEED = 20261126
SIM_CUSTOMERS = 5_000       # residents simulated per scenario (days = this / a peak day's)
SIM_DAYS = (20, 400)
COLUMNS = ("asis", "tobe", "measured_asis", "measured_after")
# front-yard measure -> its kind in kit.documents.figures.Figures
MEASURE_KINDS = {"visitors_per_year": "people", "mean_wait_minutes": "wait",
                 "time_in_office_minutes": "wait", "visits_per_case": "times",
                 "kakanai": "percent", "online_share": "percent"}


def wait_table_html(views: dict[str, frontyard.QueueView], lang: str) -> str:
    """The mean wait by month × hour, before and after, as two heat tables side by side:
    every number is text (searchable, read aloud, sharp in print) on the colour of its
    wait. Styles are inline so that the handout and the editor show the same thing."""
    from kit.charts import queue as charts

    hours, cells = charts.heat_cells(views)
    months = charts.month_names(lang)
    cell = "padding:0.3em 0.45em;text-align:center;border:1px solid #fff"
    head = "".join(f'<th style="{cell};font-weight:normal">{h}</th>' for h in hours)
    tables = []
    for key, rows in cells.items():
        v = views[key]
        caption = i18n.t(f"fy.chart.{key}", lang, counters=v.counters,
                         service=i18n.fmt_number(v.service_minutes, 1))
        body = "".join(
            f'<tr><th style="{cell};font-weight:normal;text-align:right">{esc(month)}</th>'
            + "".join(f'<td style="{cell};background:{c.background};color:{c.colour}">'
                      f"{c.text}</td>" for c in row) + "</tr>"
            for month, row in zip(months, rows, strict=True))
        tables.append(f'<table class="heat" style="border-collapse:collapse;width:auto;'
                      f'margin:0;font-size:7.5pt"><caption style="font-size:9pt">'
                      f'{esc(caption)}</caption><thead><tr><th></th>{head}</tr></thead>'
                      f"<tbody>{body}</tbody></table>")
    title = esc(i18n.t("fy.chart.heatmap_title", lang))
    axis = esc(i18n.t("fy.chart.hour_axis", lang))
    return (f'<figure class="chart heat" aria-label="{title}"><figcaption '
            f'style="font-weight:bold">{title}</figcaption>'
            f'<div style="display:flex;flex-wrap:wrap;gap:3mm">{"".join(tables)}</div>'
            f'<p class="note" style="margin:1mm 0 0">{axis}</p></figure>')


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _measure_text(fmt, key: str, value) -> str:
    return "—" if _nan(value) else fmt.value(MEASURE_KINDS[key], value)


class FrontyardSections:
    """Needs ``work``, ``assumptions``, ``impact``, ``fmt``, ``t`` and ``lang``."""

    @functools.cached_property
    def queue_views(self) -> dict[str, frontyard.QueueView] | None:
        return frontyard.counter_queue(self.work, self.assumptions)

    @functools.cached_property
    def life_events(self):
        if not lifeevents.procedures(self.work):
            return None
        return lifeevents.life_event_table(self.work, self.impact.uptake)

    # -- the measures residents feel ------------------------------------------------------
    def frontyard_html(self) -> str:
        if self.queue_views is None and self.life_events is None:
            return ""
        values = frontyard.measures(self.work, self.impact, self.queue_views)
        shown = [c for c in COLUMNS if c in ("asis", "tobe")
                 or any(not _nan(v.get(c)) for v in values.values())]
        rows = [[self.t(f"fy.measure.{k}")] +
                [_measure_text(self.fmt, k, v.get(c)) for c in shown] for k, v in values.items()]
        headers = [""] + [self.t(f"fy.col.{c}") for c in shown]
        return (f'<section class="frontyard"><h2>{self.t("fy.title")}</h2>'
                f'{table(headers, rows, "figures frontyard")}'
                f'<p class="note">{self.t("fy.measures_note")}</p>'
                f'<p class="note">{self.t("budget.visits_note")}</p>'
                f'{self.two_waits_html()}</section>')

    def two_waits_html(self) -> str:
        """The queue model's mean wait (year, As-Is) beside the waiting minutes the steps
        assume, and why they differ; "" without a counter profile or a waiting step."""
        steps = frontyard.steps_wait_minutes(self.work)
        if self.queue_views is None or steps is None:
            return ""
        a = self.queue_views["asis"]
        text = self.t("budget.wait_compare", counters=a.counters,
                      model=self.fmt.wait(a.mean_wait_minutes), steps=self.fmt.wait(steps))
        return (f'<p class="two-waits">{text}</p>'
                f'<p class="note">{self.t("budget.wait_why")}</p>')

    # -- the counter queue ----------------------------------------------------------------
    @functools.cached_property
    def simulation_days(self) -> int:
        a = self.queue_views["asis"]
        per_day = float(a.arrivals[a.peak_month].sum())
        return int(min(max(SIM_CUSTOMERS / per_day if per_day else SIM_DAYS[0], SIM_DAYS[0]),
                       SIM_DAYS[1]))

    def simulated_peak_day(self) -> dict[str, list[float]]:
        """The peak month's day simulated with ciw (lognormal service when a log gave σ)."""
        views, out = self.queue_views, {}
        hours = [h for h in range(24) if any(v.arrivals[:, h].sum() > 0 for v in views.values())]
        sigma = self.work.counter.service_sigma
        for key, v in views.items():
            if v.service_minutes <= 0:
                continue
            rates = [float(v.arrivals[v.peak_month, h]) for h in hours]
            sim = queue_sim.simulate(rates, v.service_minutes, v.counters, sigma=sigma,
                                     days=self.simulation_days, seed=SIM_SEED,
                                     target_minutes=self.work.counter.target_minutes)
            out[key] = sim.wait_by_hour
        return out

    def counter_html(self) -> str:
        views = self.queue_views
        if views is None:
            return ""
        from kit.charts import queue as charts

        profile, f = self.work.counter, self.fmt
        months = charts.month_names(self.lang)
        target = self.t("fy.target", minutes=f"{profile.target_minutes:g}",
                        share=f.percent(profile.target_share))
        keys = ("visitors_per_year", "service_minutes", "counters", "mean_wait_minutes",
                "share_within_target", "time_in_office_minutes", "peak_mean_wait_minutes",
                "peak_hour_wait_minutes", "counters_needed")
        hour = functools.partial(charts.hour_name, lang=self.lang)
        text = {"visitors_per_year": f.people, "service_minutes": f.wait,
                "counters": lambda x: str(int(x)), "mean_wait_minutes": f.wait,
                "share_within_target": f.percent, "time_in_office_minutes": f.wait,
                "peak_mean_wait_minutes": f.wait, "peak_hour_wait_minutes": f.wait,
                "counters_needed": lambda x: str(int(x))}
        a = views["asis"]
        label = {"peak_mean_wait_minutes": {"month": months[a.peak_month]},
                 "peak_hour_wait_minutes": {"month": months[a.peak_month]},
                 "share_within_target": {"target": target},
                 "counters_needed": {"target": target, "month": months[a.peak_month]}}
        rows = [[self.t(f"fy.queue.{k}", **label.get(k, {}))] +
                [text[k](getattr(views[v], k)) for v in ("asis", "tobe")] for k in keys]
        rows[keys.index("peak_hour_wait_minutes")][1:] = [
            self.t("fy.at_hour", wait=f.wait(views[v].peak_hour_wait_minutes),
                   hour=hour(views[v].peak_hour)) for v in ("asis", "tobe")]
        headers = ["", self.t("fy.col.asis"), self.t("fy.col.tobe")]
        source = self.t("fy.source_log") if profile.log_arrivals else self.t("fy.source_profile")
        demand = frontyard.counter_demand(self.work, self.impact.uptake)
        online = self.t("fy.online_leaves" if demand.online_leaves else "fy.online_stays",
                        uptake=f.percent(self.impact.uptake))
        sim = self.simulated_peak_day()
        shape = (self.t("fy.sim_lognormal", sigma=i18n.fmt_number(profile.service_sigma, 2))
                 if profile.service_sigma else self.t("fy.sim_exponential"))
        return (f'<section class="counter"><h2>{self.t("fy.queue_title")}</h2>'
                f'<p>{esc(source)} {esc(online)}</p>'
                f'{table(headers, rows, "figures queue")}'
                f'{wait_table_html(views, self.lang)}'
                f'{figure_html(charts.peak_day(views, sim, self.lang))}'
                f'<p class="note">{self.t("fy.queue_note")} '
                f'{self.t("fy.sim_note", days=self.simulation_days, shape=shape)}</p></section>')

    # -- life events ----------------------------------------------------------------------
    def life_events_html(self) -> str:
        df = self.life_events
        if df is None:
            return ""
        f = self.fmt

        def pair(row, key, fmt) -> str:
            return self.t("fy.before_after", before=fmt(row[f"{key}_asis"]),
                          after=fmt(row[f"{key}_tobe"]))

        rows = [[esc(name) if name else f"<b>{self.t('fy.life_event_total')}</b>",
                 pair(r, "visits", f.times), pair(r, "forms", f.times),
                 pair(r, "office_minutes", f.wait),
                 pair(r, "kakanai", lambda x: "—" if _nan(x) else f.percent(x))]
                for name, r in df.iterrows()]
        staff_form = esc(bundle.capability_label(lifeevents.STAFF_FORM_TAG, self.lang))
        headers = [self.t("fy.col.procedure"), self.t("fy.col.visits"), self.t("fy.col.forms"),
                   self.t("fy.col.office_minutes"), self.t("fy.col.kakanai")]
        return (f'<section class="life-events"><h2>{self.t("fy.life_title")}</h2>'
                f'{table(headers, rows, "figures life-events")}'
                f'<p class="note">{self.t("fy.life_note", capability=staff_form)}</p></section>')



class FrontyardSummary:
    """The session summary's front-yard section (a mixin of
    :class:`kit.documents.summary.Summary`; needs ``groups``, ``assumptions``, ``fmt``, ``t``)."""

    def frontyard_html(self) -> str:
        rows = []
        for g in self.groups:
            w = g.work
            if w.counter is None and not lifeevents.procedures(w):
                continue
            values = frontyard.measures(w, g.impact, frontyard.counter_queue(w, self.assumptions))
            cells = [esc(w.group_id), esc(w.theme)]
            for key, v in values.items():
                texts = {c: _measure_text(self.fmt, key, v.get(c)) for c in COLUMNS}
                text = self.t("fy.before_after", before=texts["asis"], after=texts["tobe"])
                measured = [texts[c] for c in COLUMNS[2:] if not _nan(v.get(c))]
                if measured:
                    text += "<br>" + self.t("fy.measured", values=" → ".join(measured))
                cells.append(text)
            rows.append(cells)
        if not rows:
            return ""
        headers = [self.t("summary.col_group"), self.t("summary.col_theme")] + \
            [self.t(f"fy.measure_short.{k}") for k in frontyard.MEASURES]
        return (f'<section class="frontyard"><h2>{self.t("fy.title")}</h2>'
                f'{table(headers, rows, "figures frontyard")}'
                f'<p class="note">{self.t("fy.summary_note")}</p></section>')
