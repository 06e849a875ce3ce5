"""Regenerate the Excel input template: ``python templates/make_steps_template.py``.

Writes ``templates/steps_template.xlsx`` (Japanese headers and dropdown lists); pass ``en``
as the first argument for ``templates/steps_template_en.xlsx``.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from kit.io.steps import write_steps_template  # noqa: E402


def main(argv: list[str]) -> None:
    lang = argv[0] if argv else "ja"
    name = "steps_template.xlsx" if lang == "ja" else f"steps_template_{lang}.xlsx"
    print(write_steps_template(HERE / name, lang=lang))


if __name__ == "__main__":
    main(sys.argv[1:])
