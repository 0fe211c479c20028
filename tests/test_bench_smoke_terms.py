"""Smoke run of benchmarks/bench_terms.py on a tiny store (no timing asserted)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench_terms  # noqa: E402


def test_bench_terms_smoke(tmp_path, capsys):
    assert bench_terms.main(["--smoke", "--db", str(tmp_path / "s.duckdb")]) == 0
    out = capsys.readouterr().out
    assert "refresh new" in out and "refresh update" in out and "terms_postings" in out
