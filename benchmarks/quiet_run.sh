#!/bin/bash
# Every number of BENCHMARKS.md's status table, one benchmark after the other (~9 min).
# Run it on a quiet machine: usage  benchmarks/quiet_run.sh STORE_1M [SCRATCH_DIR]
# STORE_1M: bench_queries' 1M-article store (data/bench/queries-1000000-365d.duckdb, built by
# `bench_queries.py` on first use); it is copied, never written. The memory run (~40 min) is
# separate: bench_memory.py --prefill STORE_1M --articles 210000 --days 3 --workers 2
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=${1:?usage: benchmarks/quiet_run.sh STORE_1M [SCRATCH_DIR]}
DIR=${2:-$(mktemp -d)}
P=.venv/bin/python
DB="$DIR/q1m.duckdb"
log() { echo "=== $* ($(date +%T), load $(cut -d' ' -f1-3 /proc/loadavg))"; }
log prepare store; cp "$SRC" "$DB"
$P -c "from pathlib import Path; from monitor.store import open_store; open_store(Path('$DB')).close()"
log ingest A; $P benchmarks/bench_ingest.py --articles 2000 --sources 20 --runs 3 --workers 2
log ingest B; $P benchmarks/bench_ingest.py --articles 3000 --runs 3 --workers 2
log ingest 20k; $P benchmarks/bench_ingest.py --articles 20000 --runs 3 --workers 2
log pages; $P benchmarks/bench_ingest.py --full-pages --articles 500 --runs 3 --workers 2
log poll; $P benchmarks/bench_poll.py --runs 3 --workers 2
log queries; $P benchmarks/bench_queries.py --db "$DB" --runs 10 --budget 20
log cold; for i in 1 2 3; do $P benchmarks/bench_dashboard.py --db "$DB" --quiet-store; done
log cold app.py
for i in 1 2; do $P benchmarks/bench_dashboard.py --db "$DB" --quiet-store --script app.py; done
log dashboard; $P benchmarks/bench_dashboard.py --db "$DB"
log done
