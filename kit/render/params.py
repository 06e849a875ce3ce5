"""What papermill may write into a notebook's parameters cell: plain, checked values only."""

from __future__ import annotations

from kit import i18n
from kit.exceptions import InputError
from kit.io import store

# the stages of the group page (kit.widgets.page.STAGES; kept here so rendering never imports
# the widgets)
STAGES = ("00_bpr_basics", "01_as_is", "02_to_be", "03_system_selection", "04_impact",
          "05_review")


def check_parameters(parameters: dict) -> dict:
    """Papermill writes parameters into a code cell: only plain, checked values get there.

    ``group_id`` must be a safe slug, ``lang`` one of the languages, every text free of
    control characters (NUL, line breaks); anything else raises InputError before papermill.
    """
    for key, value in parameters.items():
        if key == "group_id":
            store.check_group_id(value)
        elif key == "stage" and value not in STAGES:
            raise InputError(*i18n.both("err.choice", field="stage", value=repr(value),
                                        choices=", ".join(STAGES)), field="stage", value=value)
        elif key == "lang" and value not in i18n.LANGS:
            raise InputError(*i18n.both("err.choice", field="lang", value=repr(value),
                                        choices="/".join(i18n.LANGS)), field="lang",
                             value=value)
        if not isinstance(value, (str, int, float, bool)) or (
                isinstance(value, str) and any(ord(ch) < 32 or ord(ch) == 127 for ch in value)):
            raise InputError(*i18n.both("err.text_control", field=key, value=repr(value)),
                             field=key, value=value)
    return parameters
