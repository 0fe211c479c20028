"""bench_poll runs end to end at a tiny size: every feed fetched, stored, then mostly 304.

No timing assertions: BENCHMARKS.md holds the numbers.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def test_bench_poll_smoke_polls_every_feed_twice() -> None:
    out = subprocess.run(
        [sys.executable, str(BENCH / "bench_poll.py"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    # 12 feeds × 3 items stored in cycle 1; then 3 changed feeds (2 new items each), 9 × 304
    assert re.search(r"cycle 1 .*\{'200': 12, 'new items': 36\}", out), out
    assert re.search(r"cycle 2: .*'304': 9, '200': 3, 'new items': 6", out), out
    assert "mostly-304 cycle: median" in out, out
