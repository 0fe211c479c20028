"""Each ingest benchmark runs end to end at a tiny size and prints its numbers.

No timing assertions: throughput depends on the machine; BENCHMARKS.md holds the numbers.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _run(script: str, *args: str) -> str:
    return subprocess.run(
        [sys.executable, str(BENCH / script), "--smoke", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout


def test_bench_ingest_smoke_prints_rates_stages_and_floors() -> None:
    out = _run("bench_ingest.py")
    assert re.search(r"ingest: [\d,]+ \(min [\d,]+, max [\d,]+\) items/s", out), out
    assert re.search(r"cpu: [\d.]+ ms/item", out), out
    stages = re.search(r"stages \(.*\): (.*)", out).group(1)
    for stage in ("parse", "clean", "extract", "stories", "write"):
        assert re.search(rf"{stage} \d+%", stages), out
    assert re.search(r"floor feedparser: [\d,]+ items/s", out), out
    assert re.search(r"floor lxml: [\d,]+ items/s", out), out
    assert "300 stored" in out


def test_bench_ingest_smoke_on_the_round_1_to_11_corpus() -> None:
    out = _run("bench_ingest.py", "--per-paragraph-names")
    assert "names per paragraph (rounds 1-11)" in out and "items/s end to end" in out


def test_bench_ingest_smoke_with_one_derive_step_at_the_end() -> None:
    out = _run("bench_ingest.py", "--derive-every", "1000000")
    assert "derive every 1,000,000 articles" in out, out
    assert "300 stored" in out, out


def test_bench_ingest_smoke_times_the_writers_statements() -> None:
    out = _run("bench_ingest.py", "--statements")
    lines = out.split("statements (run 1", 1)[1].splitlines()[1:]
    timed = (re.match(r"  (\S.*?) +n= *\d+ thread +[\d.]+ process +[\d.]+$", x) for x in lines)
    names = {m.group(1) for m in timed if m}
    # the writer's transaction, its inserts and the derive step's statements, by name
    assert {"*Ingestor._write", "*COMMIT", "insert articles", "terms_add_postings"} <= names, out


def test_bench_ingest_smoke_with_a_worker_pool() -> None:
    out = _run("bench_ingest.py", "--workers", "2")
    assert re.search(r"ingest: [\d,]+ .* items/s", out), out
    assert re.search(r"pool \d+%", out), out
    # the main process's CPU by thread (read from /proc on Linux)
    if Path("/proc/self/task").is_dir():
        assert re.search(r"by thread, ms/item: main [\d.]+, writer [\d.]+", out), out


def test_bench_ingest_full_pages_smoke_prints_pages_per_second() -> None:
    out = _run("bench_ingest.py", "--full-pages")
    assert re.search(r"ingest: [\d,]+ .* pages/s", out), out
    assert "40 stored" in out


def test_bench_memory_smoke_prints_peak_rss() -> None:
    out = _run("bench_memory.py")
    assert re.search(r"stored: 300 articles", out), out
    assert re.search(r"peak RSS: [\d,]+ MB", out), out
    assert re.search(r"story index +[\d,]+", out), out


def test_quiet_run_names_existing_benchmarks_and_needs_a_store() -> None:
    script = BENCH / "quiet_run.sh"
    named = set(re.findall(r"benchmarks/(\w+\.py)", script.read_text()))
    assert named and all((BENCH / name).is_file() for name in named)
    out = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=30)
    assert out.returncode != 0 and "usage" in out.stderr


def test_ab_ingest_runs_both_versions_in_turn() -> None:
    script = BENCH / "ab_ingest.sh"
    # plain modules: the build took ~80 of this test's 92 s in CI (round 19), and building a
    # revision is speedups.py's own job (tests/test_speedups.py)
    env = {**os.environ, "ROUNDS": "1", "AB_SPEEDUPS": "0"}
    out = subprocess.run(
        ["bash", str(script), "HEAD", "--smoke"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("=== HEAD, round 1") == 2, out.stdout
    assert out.stdout.count("calibration ") == 2, out.stdout
    assert len(re.findall(r"^ingest: [\d,]+ ", out.stdout, re.M)) == 2, out.stdout


def test_ab_revisions_alternates_and_reverses_the_order() -> None:
    script = BENCH / "ab_revisions.sh"
    env = {**os.environ, "ROUNDS": "2", "AB_SPEEDUPS": "0"}  # (building: ~1.5 min a revision)
    # two names for the same snapshot: a shallow clone (CI) may have no HEAD~1
    out = subprocess.run(
        ["bash", str(script), "HEAD", "HEAD^{tree}", "--", "--smoke"],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    runs = re.findall(r"^=== (\S+), round (\d)", out.stdout, re.M)
    tree = "HEAD^{tree}"
    assert runs == [("HEAD", "1"), (tree, "1"), (tree, "2"), ("HEAD", "2")], out.stdout
    assert len(re.findall(r"^ingest: [\d,]+ ", out.stdout, re.M)) == 4, out.stdout
    usage = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=30)
    assert usage.returncode == 2 and "usage" in usage.stderr


def test_bench_ingest_smoke_times_the_writers_garbage_collection() -> None:
    out = _run("bench_ingest.py")
    assert re.search(
        r"main-process garbage collection: [\d.]+ ms/item in \d+ collections "
        r"\(gen0 [\d.]+ s, gen1 [\d.]+ s, gen2 [\d.]+ s\)",
        out,
    )
    assert "thresholds (20000, 20, 100)" in out, out


def test_profile_worker_smoke_prints_cpu_profile_and_gc_time() -> None:
    out = _run("profile_worker.py", "--gc", "--profile")
    assert re.search(r"worker path: [\d.]+ ms/item \(min", out), out
    assert re.search(r"gc thresholds \(700, 10, 10\): [\d.]+ ms/item, collection", out), out
    assert re.search(r"gc thresholds \(20000, 20, 100\): [\d.]+ ms/item, collection", out), out
    assert re.search(r"\d+ function calls in", out) and "monitor/extract/" in out, out


def test_corpus_density_smoke_measures_both_synth_corpora(tmp_path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "a.txt").write_text(
        "France and Germany signed a deal in Paris. “We agree,” Emmanuel Macron said."
    )
    out = _run("corpus_density.py", "--real", str(real))
    found = dict(re.findall(r"^(.+?): \d+ articles, .*?countries ([\d.]+)", out, re.M))
    assert float(found[f"real ({real})"]) == 2.0, out
    assert float(found["synth, per-article cast"]) < 6 < float(found["synth, rounds 1-11"]), out


def test_bench_ingest_splits_a_run_at_its_tail() -> None:
    sys.path.insert(0, str(BENCH))
    try:
        from bench_ingest import BusyCores, tail_split
    finally:
        sys.path.remove(str(BENCH))
    samples = [1.9, 1.2, 1.8, 1.6, 1.0, 1.1, 0.4]
    assert tail_split(samples, 1.5) == ([1.9, 1.2, 1.8, 1.6], [1.0, 1.1, 0.4])
    spiked = [1.9, 1.8, 1.0, 1.7, 1.0, 1.1]  # one busy moment inside the tail
    assert tail_split(spiked, 1.5) == ([1.9, 1.8], [1.0, 1.7, 1.0, 1.1])
    assert tail_split([1.0, 0.9], 1.5) == ([], [1.0, 0.9])  # never busy: all tail
    # with the pool's share: the tail starts when the workers stop, whatever DuckDB's threads
    # do in it (two busy samples in a row inside the closing merge)
    merge = [1.9, 1.8, 1.7, 1.0, 1.9, 1.8, 1.0]
    workers = [1.1, 1.0, 0.9, 0.01, 0.0, 0.0, 0.0]
    assert tail_split(merge, 1.5, workers) == ([1.9, 1.8, 1.7], [1.0, 1.9, 1.8, 1.0])
    assert tail_split(merge, 1.5) == ([1.9, 1.8, 1.7, 1.0, 1.9, 1.8], [1.0])  # (no pool)
    assert tail_split([1.9, 1.8], 1.5, [1.0, 0.9]) == ([1.9, 1.8], [])  # busy to the end
    busy = BusyCores(None, every=0.25)
    busy.samples = samples
    summary = busy.summary(2)
    assert "before the tail 1.62 busy, then a tail of 0.8 s at 0.83" in summary, summary
    busy.samples = [1.9, 1.8]  # no tail: nothing to split
    assert "tail" not in busy.summary(2)
    busy.samples, busy.pool_samples = merge, workers
    assert "before the tail 1.80 busy, then a tail of 1.0 s at 1.43" in busy.summary(2)
    assert "the pool starved 0.0 s before it" in busy.summary(2)
    busy.samples = [1.9, 1.0, 1.8, 1.0]  # a stall (a long derive step), then the tail
    busy.pool_samples = [1.1, 0.1, 1.0, 0.0]
    assert "tail of 0.2 s at 1.00; the pool starved 0.2 s before it" in busy.summary(2)
    # resident memory, split at the same place: the peak before the tail and in it
    busy.rss_samples = [700.0, 900.0, 800.0, 1200.0]
    assert busy.memory(2) == (
        "main-process RSS (sampled): 1,200 MB at most, 900 before the tail, 1,200 in it"
    )
    busy.rss_samples = []
    assert busy.memory(2) == ""  # (no /proc: not sampled)
