#!/bin/bash
# bench_ingest for a base revision and HEAD, alternating, on the same machine in the same
# minutes: what a change did when the machine's speed drifts (BENCHMARKS.md, round 7). A CPU
# calibration (a fixed Python loop) is printed before each run, so a slow minute shows as such.
# usage: benchmarks/ab_ingest.sh BASE_REV [bench_ingest args...]   (ROUNDS=2 by default)
# e.g.   benchmarks/ab_ingest.sh 1aeb43b --articles 20000 --runs 1 --workers 2
# BASE_REV and HEAD are exported with `git archive` and run from there (uncommitted edits are
# not measured); ab_revisions.sh does the work, the order reversed every other round.
set -euo pipefail
BASE=${1:?usage: benchmarks/ab_ingest.sh BASE_REV [bench_ingest args...]}
shift
exec "$(dirname "$0")/ab_revisions.sh" "$BASE" HEAD -- "$@"
