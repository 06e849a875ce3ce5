"""Monte Carlo of 10,000 draws on a 40-step workflow (docs/quality.md: target <= 50 ms).

Every step has a three-point To-Be minutes estimate and every group-level input (cases,
uptake, initial and annual cost) has a range: the worst case for the sampler. Prints the
median of several timed runs; the last line is ``montecarlo_ms: <value>``.

    .venv/bin/python benchmarks/montecarlo.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kit.domain.model import Assumptions, GroupWork  # noqa: E402
from kit.domain.money import uncertainty  # noqa: E402

ACTORS = ("counter", "back_office", "approver", "resident", "system")


def workflow(steps: int = 40) -> GroupWork:
    rows = []
    for i in range(steps):
        minutes = 5.0 + i % 17
        after = minutes * 0.5
        rows.append({"name": f"step {i + 1}", "actor": ACTORS[i % len(ACTORS)],
                     "minutes": minutes, "share": 0.5 + (i % 5) / 10, "action": "simplify",
                     "minutes_after": after, "minutes_after_low": after * 0.7,
                     "minutes_after_high": after * 1.5, "uptake_dependent": i % 3 == 0,
                     "phase": "redesign" if i % 2 else "quick_win"})
    return GroupWork.parse({
        "group_id": "bench", "theme": "benchmark", "annual_cases": 20_000, "uptake": 0.4,
        "steps": rows, "costs": {"initial_cost_yen": 10_000_000, "annual_cost_yen": 2_000_000},
        "funding": [{"name": "grant", "rate": 0.5, "cap_yen": 3_000_000}],
        "ranges": {"annual_cases_low": 15_000, "annual_cases_high": 24_000, "uptake_low": 0.2,
                   "uptake_high": 0.6, "initial_cost_low": 9_000_000,
                   "initial_cost_high": 16_000_000, "annual_cost_low": 1_800_000,
                   "annual_cost_high": 2_600_000},
    })


def main(repeat: int = 15) -> float:
    work, assumptions = workflow(), Assumptions()
    uncertainty.monte_carlo(work, assumptions, n=10_000)          # warm-up
    times = []
    for seed in range(repeat):
        start = time.perf_counter()
        forecast = uncertainty.monte_carlo(work, assumptions, n=10_000, seed=seed)
        times.append((time.perf_counter() - start) * 1000)
    p10, p50, p90 = forecast.p("npv_yen")
    print(f"steps: {len(work.steps)}  draws: {forecast.n}  runs: {repeat}")
    print(f"NPV P10/P50/P90 (yen): {p10:,.0f} / {p50:,.0f} / {p90:,.0f}")
    print(f"min {min(times):.1f} ms, max {max(times):.1f} ms")
    median = statistics.median(times)
    print(f"montecarlo_ms: {median:.1f}")
    return median


if __name__ == "__main__":
    main()
