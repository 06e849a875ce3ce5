"""The facilitator's notebook (workshops/00_facilitator.ipynb): survey → groups → session,
then a live overview of the groups. A thin layer: every decision is made by
:mod:`kit.domain.survey.grouping`, :mod:`kit.workspace.session` and :mod:`kit.documents.overview`;
the widgets only collect the settings and show the results (escaped HTML)."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as W

from kit import i18n
from kit.documents.fragments import esc
from kit.documents.fragments import table as _table
from kit.exceptions import KitError


class GroupingPanel:
    """Thresholds, group size, mixing and seed → the groups; a button writes the session."""

    def __init__(self, survey_file: str | Path = "", session_dir: str | Path = "",
                 lang: str = "ja"):
        from kit.documents.survey_report import SurveyReport

        self.lang = lang
        self.report = SurveyReport.open(survey_file, lang)
        self.survey_file = survey_file
        self.plan = None
        t = lambda k: i18n.t(k, lang)  # noqa: E731
        style = {"description_width": "12em"}
        n_sections = max(1, len(self.report.analysis.sections))
        self.size = W.IntSlider(4, min=3, max=5, description=t("fac.group_size"), style=style)
        self.mix = W.Dropdown(options=[(t("fac.mix_mixed"), "mixed"),
                                       (t("fac.mix_section"), "section")],
                              value="mixed", description=t("fac.mix"), style=style)
        self.top = W.IntSlider(min(5, n_sections), min=1, max=n_sections,
                               description=t("fac.top_sections"), style=style)
        self.max_groups = W.IntSlider(12, min=1, max=30, description=t("fac.max_groups"),
                                      style=style)
        self.seed = W.IntText(0, description=t("fac.seed"), style=style)
        self.form_button = W.Button(description=t("fac.form"), button_style="primary")
        self.dir = W.Text(str(session_dir), description=t("fac.session_dir"), style=style)
        self.create_button = W.Button(description=t("fac.create"), button_style="success")
        self.groups = W.HTML()
        self.message = W.HTML()
        self.form_button.on_click(lambda _b: self.form())
        self.create_button.on_click(lambda _b: self.create())
        self.widget = W.VBox([self.size, self.mix, self.top, self.max_groups, self.seed,
                              self.form_button, self.groups, self.dir, self.create_button,
                              self.message])

    def form(self):
        from kit.domain.survey.grouping import form_groups
        try:
            self.plan = form_groups(
                self.report.survey, group_size=self.size.value, mix=self.mix.value,
                top_sections=self.top.value, max_groups=self.max_groups.value,
                seed=self.seed.value,
                fallback_themes=list(self.report.analysis.candidates["theme"]))
        except KitError as exc:
            self.message.value = f'<p class="error">{esc(exc.message(self.lang))}</p>'
            return None
        t = lambda k: i18n.t(k, self.lang)  # noqa: E731
        rows = [[esc(r.group_id), esc(r.theme), esc(r.members), esc(r.sections), esc(r.roles)]
                for r in self.plan.table().itertuples()]
        self.groups.value = _table([t("group.col_group"), t("group.col_theme"),
                                    t("group.col_members"), t("group.col_sections"),
                                    t("group.col_roles")], rows, "figures")
        return self.plan

    def create(self):
        from kit.render.notebooks import prepare_notebooks
        from kit.workspace.session import new_session_from_survey

        if self.plan is None and self.form() is None:
            return None
        try:
            session = new_session_from_survey(self.dir.value, self.survey_file, plan=self.plan,
                                              lang=self.lang)
            prepare_notebooks(self.dir.value, session.groups, lang=session.lang)
        except KitError as exc:
            self.message.value = f'<p class="error">{esc(exc.message(self.lang))}</p>'
            return None
        self.message.value = esc(i18n.t("group.created", self.lang, path=self.dir.value,
                                        count=len(session.groups)))
        return session


class OverviewPanel:
    """Each group's progress, re-read from disk when the button is pressed."""

    def __init__(self, session_dir: str | Path, lang: str = "ja"):
        self.session_dir, self.lang = session_dir, lang
        self.button = W.Button(description=i18n.t("overview.refresh", lang), icon="refresh")
        self.table = W.HTML()
        self.button.on_click(lambda _b: self.refresh())
        self.widget = W.VBox([self.button, self.table])
        self.refresh()

    def refresh(self) -> str:
        from kit.documents.overview import progress_html
        try:
            self.table.value = progress_html(self.session_dir, self.lang)
        except KitError as exc:
            self.table.value = f'<p class="error">{esc(exc.message(self.lang))}</p>'
        return self.table.value
