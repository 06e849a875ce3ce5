"""Reading a staff-survey export (CSV UTF-8/BOM/CP932 or .xlsx) into the domain's Survey."""

from __future__ import annotations

from pathlib import Path

from kit.domain.survey import MIN_RESPONDENTS, Survey, survey_from_table
from kit.io.sheets import read_table


def load_survey(path: str | Path, *, min_respondents: int = MIN_RESPONDENTS,
                max_mb: float = 50) -> Survey:
    """Read and validate a survey export."""
    frame = read_table(path, max_mb=max_mb)
    return survey_from_table(frame, Path(path).name, min_respondents=min_respondents)
