#!/bin/bash
# bench_ingest for two versions, alternating, on the same machine in the same minutes: what a
# change did when the machine's speed drifts (BENCHMARKS.md, round 7). A CPU calibration (a
# fixed Python loop) is printed before each run, so a slow minute shows as such.
# usage: benchmarks/ab_ingest.sh BASE_REV [bench_ingest args...]   (ROUNDS=2 by default)
# e.g.   benchmarks/ab_ingest.sh 1aeb43b --articles 20000 --runs 1 --workers 2
# BASE_REV and HEAD are exported with `git archive` to a scratch directory and run from there
# (uncommitted edits are not measured).
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${1:?usage: benchmarks/ab_ingest.sh BASE_REV [bench_ingest args...]}
shift
P=$PWD/.venv/bin/python
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
for rev in "$BASE" HEAD; do
  mkdir -p "$DIR/$rev"
  git archive "$rev" | tar -x -C "$DIR/$rev"
done
calibrate() {
  $P -c "import time; t = time.process_time(); sum(range(3 * 10**7)); print(f'calibration {time.process_time() - t:.3f} s CPU')"
}
for round in $(seq "${ROUNDS:-2}"); do
  for rev in "$BASE" HEAD; do
    echo "=== $rev, round $round ($(date +%T), load $(cut -d' ' -f1-3 /proc/loadavg))"
    calibrate
    (cd "$DIR/$rev" && PYTHONPATH="$DIR/$rev" $P benchmarks/bench_ingest.py "$@") \
      | grep -E "^run |by thread|^ingest:|^cpu:|^main-process|^floor"
  done
done
