"""The dashboard benchmarks run end to end at a tiny size and print their numbers.

No timing assertions: latency depends on the machine; BENCHMARKS.md holds the numbers.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _run(script: str, *args: str, timeout: int = 600) -> str:
    return subprocess.run(
        [sys.executable, str(BENCH / script), "--smoke", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    ).stdout


def test_bench_queries_smoke_times_every_page_query(tmp_path) -> None:
    out = _run("bench_queries.py", "--db", str(tmp_path / "q.duckdb"))
    assert "pre-aggregates:" in out, out
    for case in ("filter options", "series country hourly top10", "co-mentions", "feed health",
                 "article page 100 newest, 1 country", "keyword query, 1 year"):  # fmt: skip
        assert re.search(rf"^{re.escape(case)} +[\d.]+ +[\d.]+ +\d+ +\d+", out, re.M), (case, out)


@pytest.mark.browser
def test_bench_dashboard_smoke_prints_start_memory_and_freshness(tmp_path) -> None:
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("/usr/bin/chromium is missing: apt-get install -y chromium")
    _run("bench_queries.py", "--db", str(tmp_path / "d.duckdb"), "--only", "data_version")
    out = _run("bench_dashboard.py", "--db", str(tmp_path / "d.duckdb"))
    assert re.search(r"cold start to the first chart: [\d.]+ s", out), out
    assert re.search(r"dashboard peak RSS after every page: [\d,]+ MB", out), out
    assert re.search(r"freshness \(first poll → visible\): [\d.]+ s", out), out


def test_bench_refresh_smoke_times_the_aggregate_upkeep(tmp_path) -> None:
    out = _run("bench_refresh.py", "--small", str(tmp_path / "r.duckdb"))
    rows = re.findall(r"^\S+r\.duckdb +[\d,]+ +[\d.]+ +[\d.]+ +[\d.]+$", out, re.M)
    assert len(rows) == 2, out
