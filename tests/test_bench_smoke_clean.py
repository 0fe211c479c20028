"""The cleaning benchmark runs end to end and prints its numbers (tiny --smoke run)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_clean.py"


def test_bench_clean_smoke_prints_numbers() -> None:
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--smoke"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert re.search(r"cleaning: [\d,]+ articles/s", out), out
    assert re.search(r"story grouping: [\d,]+ us/article", out), out
    assert re.search(r"peak RSS: [\d,]+ MB", out), out
    joined = int(re.search(r"(\d+) joined", out).group(1))
    assert joined > 0  # the synthetic syndicated copies must be found


def test_bench_clean_synth_smoke_prints_cpu_per_article() -> None:
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--synth", "30", "--smoke"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert re.search(r"clean_only CPU: [\d.]+ ms/article", out), out
    assert re.search(r"refilter CPU: [\d.]+ ms/article .*full clean \d+", out), out


def test_bench_extract_synth_smoke_prints_cpu_per_article() -> None:
    script = SCRIPT.with_name("bench_extract.py")
    out = subprocess.run(
        [sys.executable, str(script), "--synth", "30", "--smoke"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert re.search(r"extract CPU\s+[\d.]+ ms/article", out), out


def test_bench_ab_extract_smoke_prints_paired_ratios() -> None:
    """The paired A/B runs with this tree on both sides (tiny corpus, one round)."""
    script = SCRIPT.with_name("bench_ab_extract.py")
    root = SCRIPT.parents[1]
    out = subprocess.run(
        [sys.executable, str(script), "--before", str(root), "--synth", "30", "--rounds", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    for stage in ("clean", "extract", "sketch", "total"):
        assert re.search(rf"{stage}\s+before [\d.]+ .* after [\d.]+ .* paired [\d.]+x", out), out
    assert "outputs identical" in out, out  # the same tree on both sides
