#!/bin/bash
# bench_ingest for several revisions, alternating, order reversed every other round: what
# each change did when the machine's speed drifts (ab_ingest.sh compares one base with HEAD).
# usage: benchmarks/ab_revisions.sh REV... [-- bench_ingest args...]   (ROUNDS=2 by default)
# e.g.   benchmarks/ab_revisions.sh 6ff732f 463d949 -- --articles 20000 --runs 1 --workers 2
# AB_SPEEDUPS=0 skips building the compiled modules (every revision then runs plain Python).
# Each revision is exported with `git archive` to a scratch directory and run from there.
# REV@PYTHON runs that revision with another interpreter (a venv with the same requirements),
# e.g. HEAD@.venv/bin/python HEAD@/tmp/v313/bin/python compares two Pythons on one revision.
set -euo pipefail
cd "$(dirname "$0")/.."
REVS=()
while (($#)) && [[ $1 != -- ]]; do REVS+=("$1"); shift; done
(($#)) && shift  # the --
((${#REVS[@]})) || { echo "usage: $0 REV... [-- bench_ingest args...]" >&2; exit 2; }
DEFAULT_P=$PWD/.venv/bin/python
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
for spec in "${REVS[@]}"; do
  rev=${spec%%@*}
  [[ -d $DIR/$rev ]] && continue
  mkdir -p "$DIR/$rev"
  git archive "$rev" | tar -x -C "$DIR/$rev"
  # a revision with speedups.py runs compiled, as `make` leaves a checkout (round 17 on);
  # AB_SPEEDUPS=0 runs every revision plain (the smoke test: a build takes ~1.5 min)
  if [[ ${AB_SPEEDUPS:-1} != 0 && -f $DIR/$rev/speedups.py ]]; then
    "$DEFAULT_P" "$DIR/$rev/speedups.py" build | tail -1
  fi
done
for round in $(seq "${ROUNDS:-2}"); do
  order=("${REVS[@]}")
  if ((round % 2 == 0)); then mapfile -t order < <(printf '%s\n' "${REVS[@]}" | tac); fi
  for spec in "${order[@]}"; do
    rev=${spec%%@*}
    P=$DEFAULT_P
    [[ $spec == *@* ]] && P=$(realpath -s "${spec#*@}")
    echo "=== $spec, round $round ($(date +%T), load $(cut -d' ' -f1-3 /proc/loadavg))"
    $P -c "import time; t = time.process_time(); sum(range(3 * 10**7)); print(f'calibration {time.process_time() - t:.3f} s CPU')"
    (cd "$DIR/$rev" && PYTHONPATH="$DIR/$rev" $P benchmarks/bench_ingest.py "$@") \
      | grep -E "^modules|^run |by thread|busy cores|^ingest:|^cpu:|^main-process|^floor|^peak"
  done
done
