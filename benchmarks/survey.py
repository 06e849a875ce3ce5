"""Survey benchmark: 5,000 responses with free text, full analysis (target ≤ 5 s).

Loads a generated CP932 survey (load + validation + masking), analyses it (pain by section
and item, task hours, janome themes, candidate themes) and forms groups. The janome
dictionary load is included. Last line: ``survey_s: <seconds>``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "data_samples" / "survey"))
sys.path.insert(0, str(ROOT))


def main(n: int = 5000) -> float:
    from generate import write

    from kit.domain.survey import analysis as survey
    from kit.domain.survey import grouping
    from kit.io.survey import load_survey

    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp) / "survey.csv", n=n, seed=11)
        t0 = time.perf_counter()
        s = load_survey(path)
        t1 = time.perf_counter()
        a = survey.analyse(s)
        t2 = time.perf_counter()
        plan = grouping.form_groups(s, seed=0)
        t3 = time.perf_counter()
    texts = s.free_text[s.free_text != ""]
    print(f"responses: {len(s.people)}, with free text: {len(texts)}, "
          f"unique texts: {texts.nunique()}, sections shown: {len(a.sections)}, "
          f"groups: {len(plan.group_ids)}")
    print(f"load+mask: {t1 - t0:.2f} s, analyse (incl. janome): {t2 - t1:.2f} s, "
          f"groups: {t3 - t2:.2f} s")
    total = t3 - t0
    print(f"survey_s: {total:.2f}")
    return total


if __name__ == "__main__":
    main()
