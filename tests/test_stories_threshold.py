"""The story index's compiled hit-row count (`stories._rows_at_threshold`) against the numpy
steps it replaces: the live rows, in the order given (repeats kept), whose signature has at
least ``need`` values equal to the sketch's, with that count. It reads a row's low bytes
first and its full values only when those reach ``need``, so the cases that matter are rows
whose low bytes match where their values do not."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest

from monitor import stories
from monitor.stories import Sketch, StoryIndex


def _reference(sigs, live, rows, sig, need) -> list[tuple[int, int]]:
    out = []
    for row in rows:
        if live[row]:
            same = int((sigs[row] == sig).sum())
            if same >= need:
                out.append((same, int(row)))
    return out


@pytest.mark.parametrize(("width", "seed"), [(64, 1), (64, 2), (10, 3), (128, 4)])
def test_rows_at_threshold_is_the_numpy_count(width: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    query = rng.integers(0, 1 << 32, width, dtype=np.uint32)
    sigs = rng.integers(0, 1 << 32, (400, width), dtype=np.uint32)
    for row in range(0, 400, 3):  # a share of the query's values, some rows above the need
        keep = rng.random(width) < rng.choice([0.3, 0.5, 0.7, 0.95])
        sigs[row, keep] = query[keep]
    for row in range(1, 400, 5):  # low bytes all equal, high bytes not: only the full check fails
        sigs[row] = (query & 0xFF) | (rng.integers(1, 1 << 24, width, dtype=np.uint32) << 8)
    for row in range(2, 400, 11):  # low bytes equal; exactly `need` full values equal
        need = width // 2
        sigs[row] = (query & 0xFF) | (rng.integers(1, 1 << 24, width, dtype=np.uint32) << 8)
        sigs[row, :need] = query[:need]
    live = rng.random(400) < 0.8
    rows = rng.integers(0, 400, 900).astype(np.intp)
    low = sigs.astype(np.uint8)
    for need in (1, width // 2, width // 2 + 1, width):
        got = stories._rows_at_threshold(
            sigs, low, live.view(np.uint8), rows, query, query.astype(np.uint8), need
        )
        assert got == _reference(sigs, live, rows, query, need)
    assert _reference(sigs, live, rows, query, width // 2)  # the interesting rows exist


def test_rows_whose_low_bytes_match_do_not_join_unless_their_values_do() -> None:
    index = StoryIndex(threshold=0.5, num_perm=64)
    query = np.arange(1, 65, dtype=np.uint32)
    # every low byte equal, every value different: no candidate, however the bytes look
    impostor = query | np.uint32(0x1000)
    # band 0 and half the values equal: a candidate at the threshold
    real = query.copy()
    real[32:] += np.uint32(0x100)  # (low bytes still equal: the full check decides)
    t0 = datetime(2026, 1, 1)
    for k, sig in enumerate((impostor, real)):
        index.assign_sketch(f"a{k}", Sketch(f"d{k}".encode(), sig.tobytes()), t0 + timedelta(k))
    assert index._best_candidate(query, np.array([0], dtype=np.uint64)) is None
    assert index._best_candidate(query, np.array([0, 1, 0], dtype=np.uint64)) == ("a1", 0.5)


def test_the_low_bytes_follow_the_signatures_through_growth_and_reuse() -> None:
    index = StoryIndex(threshold=0.5, num_perm=64, keep_at_least=0, max_entries=1500)
    rng = np.random.default_rng(5)
    t0 = datetime(2026, 1, 1)
    for k in range(3000):  # past the first 1024 rows (growth) and the cap (rows reused)
        sig = rng.integers(0, 1 << 32, 64, dtype=np.uint32)
        index.assign_sketch(f"a{k}", Sketch(f"d{k}".encode(), sig.tobytes()), t0)
    used = index._used
    assert np.array_equal(index._low[:used], index._sigs[:used].astype(np.uint8))
