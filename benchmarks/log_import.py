"""Event-log import benchmark: 1,000,000 events (target ≤ 10 s).

Generates a year of ticket-machine log for the demo's 住民票 group (250,000 cases × 4
activities, CP932 CSV, rows shuffled, timestamps ``2026/04/01 09:03:00``), then times
``kit log import`` as the command runs it: read, parse, per-activity statistics, waits,
arrivals by month × hour, step matching and the atomic save. Generation is not timed.
Last line: ``log_import_s: <seconds>``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ACTIVITIES = (("番号札発券", 0.0), ("受付・本人確認", 2.0), ("請求内容の確認（記載事項・使用目的）", 1.0),
              ("手数料の収納（現金）と証明書の交付", 1.5))


def generate(path: Path, events: int = 1_000_000, seed: int = 7) -> Path:
    rng = np.random.default_rng(seed)
    cases = events // len(ACTIVITIES)
    day = pd.Timestamp("2025-04-01") + pd.to_timedelta(rng.integers(0, 365, cases), unit="D")
    t = day + pd.to_timedelta(8.5 * 60 + rng.uniform(0, 8.5 * 60, cases), unit="m")
    rows = []
    for name, median in ACTIVITIES:
        wait = rng.exponential(5.0, cases) if median else np.zeros(cases)
        length = median * rng.lognormal(0.0, 0.4, cases) if median else np.zeros(cases)
        start = t + pd.to_timedelta(wait, unit="m")
        end = start + pd.to_timedelta(length, unit="m")
        rows.append(pd.DataFrame({"受付番号": np.arange(cases), "業務": name,
                                  "開始日時": start.strftime("%Y/%m/%d %H:%M:%S"),
                                  "終了日時": end.strftime("%Y/%m/%d %H:%M:%S")}))
        t = end
    frame = pd.concat(rows, ignore_index=True).sample(frac=1.0, random_state=seed)
    frame.to_csv(path, index=False, encoding="cp932")
    return path


def main() -> float:
    from kit.workspace.demo import build_demo
    from kit.workspace.frontyard import import_log

    with tempfile.TemporaryDirectory() as tmp:
        session = Path(tmp) / "session"
        build_demo(session)
        t0 = time.perf_counter()
        log = generate(Path(tmp) / "log.csv")
        t1 = time.perf_counter()
        columns = {"case": "受付番号", "activity": "業務", "start": "開始日時", "end": "終了日時"}
        work, summary, unmatched = import_log(session, "g04", log, columns)
        t2 = time.perf_counter()
    print(f"generated {summary.events:,} events ({summary.cases:,} cases) in {t1 - t0:.1f} s; "
          f"activities: {len(summary.activities)}, unmatched: {unmatched}")
    print(summary.activities.round(2).to_string())
    print(f"log_import_s: {t2 - t1:.2f}")
    return t2 - t1


if __name__ == "__main__":
    main()
