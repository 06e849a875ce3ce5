"""The pre-workshop survey report as HTML fragments (``templates/survey_report.ipynb``).

Built only from the privacy-safe :class:`kit.domain.survey.analysis.Analysis`: hidden sections appear as
"その他" (or not at all), names never, free text only masked. Every text goes through
:func:`kit.documents.fragments.esc`.
"""

from __future__ import annotations

from pathlib import Path

from kit import i18n, resources
from kit.documents.base import Document
from kit.documents.fragments import esc, figure_html
from kit.documents.fragments import table as _table
from kit.domain.survey import analysis as survey
from kit.io.survey import load_survey


def _fmt(x: float, digits: int = 0) -> str:
    return i18n.fmt_number(x, digits)


class SurveyReport(Document):
    SECTIONS = ("header", "sections", "candidates", "tasks", "items", "themes", "comments",
                "footer")

    def __init__(self, survey_file: str | Path, lang: str = "ja"):
        super().__init__(lang)
        self.survey = load_survey(survey_file)
        self.analysis = survey.analyse(self.survey)

    @classmethod
    def open(cls, survey_file: str | Path = "", lang: str = "ja") -> SurveyReport:
        """Empty ``survey_file``: the bundled sample survey."""
        if not survey_file:
            survey_file = resources.survey_sample()
        return cls(survey_file, lang)

    def _section(self, name: str) -> str:
        from kit.charts.survey import section_label
        return esc(section_label(name, self.lang))

    def header_html(self) -> str:
        a = self.analysis
        rows = [(self.t("survey.respondents"), _fmt(a.respondents)),
                (self.t("survey.sections_shown"), _fmt(len(a.sections))),
                (self.t("survey.willing_total"), _fmt(int(self.survey.people["willing"].sum())))]
        body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
        note = self.t("survey.privacy_note", min=self.survey.min_respondents)
        return (f'<header class="handout-header"><h1>{self.t("survey.title")}</h1>'
                f'<table class="meta">{body}</table><p class="note">{esc(note)}</p></header>')

    def sections_html(self) -> str:
        from kit.charts.survey import pain_heatmap
        s = self.analysis.sections
        rows = [[self._section(r.shown_section), _fmt(r.respondents), _fmt(r.pain, 2),
                 _fmt(r.willing)] for r in s.itertuples()]
        headers = [self.t(k) for k in ("survey.col_section", "survey.col_respondents",
                                       "survey.col_pain", "survey.col_willing")]
        return (f'<section class="survey-sections"><h2>{self.t("survey.section_pain")}</h2>'
                f'{_table(headers, rows, "figures")}'
                f'{figure_html(pain_heatmap(self.analysis, self.lang))}</section>')

    def items_html(self) -> str:
        rows = [[esc(r.item), _fmt(r.pain, 2), i18n.fmt_percent(r.share_agree)]
                for r in self.analysis.items.itertuples()]
        headers = [self.t("survey.col_item"), self.t("survey.col_pain"),
                   self.t("survey.col_agree")]
        return (f'<section><h2>{self.t("survey.items")}</h2>'
                f'{_table(headers, rows, "figures")}</section>')

    def tasks_html(self) -> str:
        from kit.charts.survey import task_hours
        t = self.analysis.tasks
        if t.empty:
            return f'<section><h2>{self.t("survey.tasks")}</h2><p>{self.t("survey.none")}</p></section>'
        rows = [[esc(r.task), i18n.fmt_hours(r.hours_per_year, self.lang, 0),
                 _fmt(r.respondents), self._section(r.top_section)] for r in t.itertuples()]
        headers = [self.t(k) for k in ("survey.col_task", "survey.col_hours_year",
                                       "survey.col_respondents", "survey.col_top_section")]
        return (f'<section><h2>{self.t("survey.tasks")}</h2>{_table(headers, rows, "figures")}'
                f'{figure_html(task_hours(self.analysis, self.lang))}</section>')

    def themes_html(self) -> str:
        from kit.charts.survey import top_terms
        rows = [[esc(r.term), _fmt(r.respondents), i18n.fmt_percent(r.share)]
                for r in self.analysis.themes.itertuples()]
        headers = [self.t("survey.col_term"), self.t("survey.col_mentions"), "%"]
        return (f'<section><h2>{self.t("survey.themes")}</h2>{_table(headers, rows, "figures")}'
                f'{figure_html(top_terms(self.analysis, self.lang))}</section>')

    def candidates_html(self) -> str:
        rows = []
        for r in self.analysis.candidates.itertuples():
            basis = (i18n.fmt_hours(r.hours_per_year, self.lang, 0) if r.kind == "task"
                     else f"{self.t('survey.col_pain')} {_fmt(r.pain, 2)}")
            rows.append([esc(r.theme), self.t(f"survey.kind_{r.kind}"), basis,
                         esc(r.keywords)])
        headers = [self.t("survey.col_theme"), self.t("survey.col_kind"), "",
                   self.t("survey.col_keywords")]
        return (f'<section><h2>{self.t("survey.candidates")}</h2>'
                f'{_table(headers, rows, "figures")}</section>')

    def comments_html(self) -> str:
        items = "".join(f"<li>{esc(c)}</li>" for c in self.analysis.comments)
        return f'<section><h2>{self.t("survey.comments")}</h2><ul>{items}</ul></section>'

    def footer_html(self) -> str:
        return f'<footer class="handout-footer"><p>{self.t("survey.footer")}</p></footer>'
