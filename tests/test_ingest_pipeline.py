"""The pipelined ingest (ingest_many, the importer's parse-in-workers and grouping) stores
exactly what one `ingest` per batch stores, and the pool's workers die with their parent."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from monitor import aggregates, terms
from monitor import ingest as ingest_mod
from monitor.config import Settings
from monitor.importer import import_files
from monitor.ingest import Batch, Ingestor
from monitor.parallel import ExtractorSpec, ProcessPool
from monitor.pipeline import clean_only
from monitor.runtime import open_runtime
from monitor.store import open_store
from monitor.synth import SynthConfig, iter_entries, write_feeds
from tests.conftest import REPO
from tests.test_parallel import _dump

CFG = SynthConfig(articles=200, sources=4, seed=9)  # two batches repeat entries (_batches)


@pytest.fixture(scope="module")
def pool():
    with ProcessPool(ExtractorSpec(), workers=2) as p:
        yield p


def _batches() -> list[Batch]:
    """Batches of 25 per feed; every third batch repeats the previous one's last 5 entries
    (two of them with a changed body): known, unchanged and updated ids across batches
    that are in flight together."""
    entries = sorted(iter_entries(CFG), key=lambda e: (e.feed, e.published))
    out: list[Batch] = []
    for i in range(0, len(entries), 25):
        chunk = list(entries[i : i + 25])
        if out and len(out) % 3 == 0 and out[-1].feed == chunk[0].feed:
            again = list(out[-1].entries[-5:])
            again[0] = dataclasses.replace(
                again[0], raw_content=again[0].raw_content + "<p>Fix.</p>"
            )
            again[1] = dataclasses.replace(again[1], title=(again[1].title or "") + " (updated)")
            chunk = again + chunk
        out.append(Batch(chunk[0].feed, tuple(chunk)))
    return out


def _store(db: Path, pool: ProcessPool | None, many: bool) -> list:
    settings = Settings(db_path=db, learn_min_articles=5)
    store = open_store(db)
    try:
        extractor = pool.extractor if pool else ExtractorSpec().build()
        ingestor = Ingestor(store, extractor, settings, pool=pool)
        if many:
            return [r for _, r, _ in ingestor.ingest_many(_batches())]
        return [ingestor.ingest(b.feed, b.entries) for b in _batches()]
    finally:
        store.close()


def test_ingest_many_stores_what_one_ingest_per_batch_stores(tmp_path, pool, monkeypatch) -> None:
    with monkeypatch.context() as m:  # the reference cleans again from the raw entry
        m.setattr(ingest_mod, "refilter", lambda c, learned: clean_only(c.source, learned))
        expected = _store(tmp_path / "one.duckdb", None, many=False)
    assert any(r.updated for r in expected) and any(r.unchanged for r in expected)
    reference = _dump(tmp_path / "one.duckdb")
    assert reference["learned"]
    for name, p in (("seq", None), ("pool", pool)):
        assert _store(tmp_path / f"{name}.duckdb", p, many=True) == expected, name
        got = _dump(tmp_path / f"{name}.duckdb")
        for table in reference:
            assert got[table] == reference[table], (name, table)


def _import(db: Path, paths: list[Path], workers: int, batch_items: int = 500):
    settings = Settings(db_path=db, ingest_workers=workers, import_batch_items=batch_items)
    rt = open_runtime(settings)
    try:
        reports = import_files(paths, rt.ingestor)
        fetches = rt.store.con.execute(
            "SELECT feed, url, items_seen, items_new, items_updated FROM fetches ORDER BY url"
        ).fetchall()
        states = rt.store.con.execute("SELECT feed, url FROM feed_state ORDER BY feed").fetchall()
        return reports, fetches, states
    finally:
        rt.close()


def test_import_parses_in_the_workers_and_stores_the_same(tmp_path) -> None:
    paths = list(write_feeds(dataclasses.replace(CFG, items_per_file=10), tmp_path / "feeds"))
    paths.append(paths[0])  # the same file again: all unchanged
    bad = tmp_path / "feeds" / "broken.xml"
    bad.write_bytes(b"  \n")
    paths.insert(3, bad)
    seq = _import(tmp_path / "seq.duckdb", paths, workers=0)
    par = _import(tmp_path / "par.duckdb", paths, workers=2)
    assert [r.line() for r in par[0]] == [r.line() for r in seq[0]]
    assert par[1:] == seq[1:]
    for table, rows in _dump(tmp_path / "seq.duckdb").items():
        assert _dump(tmp_path / "par.duckdb")[table] == rows, table
    reports = seq[0]
    assert "SKIPPED" in reports[3].line()
    assert reports[-1].result.new == 0 and reports[-1].result.unchanged == 10
    assert sum(r.result.new for r in reports if r.result) == CFG.articles
    assert len(seq[1]) == len(paths) - 1  # one fetch row per imported file
    assert len(seq[2]) == CFG.sources  # one health row per feed
    files = _import(tmp_path / "files.duckdb", paths, workers=0, batch_items=1)
    assert [r.line() for r in files[0]] == [r.line() for r in reports]  # per-file batches


def test_runtime_sets_the_duckdb_memory_limit(tmp_path) -> None:
    rt = open_runtime(Settings(db_path=tmp_path / "m.duckdb", duckdb_memory_limit="256MB"))
    try:
        limit = rt.store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        assert limit.replace(" ", "").upper() in {"256.0MB", "244.1MIB", "256MB", "244.1MB"}
    finally:
        rt.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped) counts as dead
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:  # reaped between the kill(0) and the read
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux")
def test_workers_die_when_the_parent_is_sigkilled(tmp_path) -> None:
    script = textwrap.dedent("""
        import sys, time
        from monitor.parallel import ExtractorSpec, ProcessPool
        from monitor.synth import SynthConfig, iter_entries
        if __name__ == "__main__":
            pool = ProcessPool(ExtractorSpec(), workers=2)
            pool.process(list(iter_entries(SynthConfig(articles=16, sources=1))))
            print(*pool.pids(), flush=True)
            time.sleep(600)
    """)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, env=env, cwd=REPO, text=True
    )
    try:
        pids = [int(p) for p in proc.stdout.readline().split()]
        assert len(pids) == 2 and all(_alive(p) for p in pids)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    deadline = time.monotonic() + 15
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(p) for p in pids), "pool workers outlived their SIGKILLed parent"


# --- derived data (pre-aggregates, keyword index) from the pending ids (migration 008) ---------


def _derived(store) -> dict[str, list[tuple]]:
    """The pre-aggregates and the keyword index as (term, article id) pairs of live docs."""
    with store.cursor() as cur:
        out = {t: sorted(cur.execute(f"SELECT * FROM {t}").fetchall()) for t in aggregates.TABLES}  # noqa: S608
        out["terms"] = sorted(
            cur.execute(
                "SELECT DISTINCT p.term, d.article_id FROM "
                "(SELECT term, unnest(docs) AS doc FROM terms_postings) p "
                "JOIN terms_docs d USING (doc)"
            ).fetchall()
        )
    return out


def _rebuilt(store) -> dict[str, list[tuple]]:
    """What a recomputation from scratch gives (committed: callers pass a copy)."""
    with store.cursor() as cur:
        cur.execute("BEGIN")
        aggregates.rebuild(cur)
        terms.rebuild(cur)
        cur.execute("COMMIT")  # (on a copy: see callers)
    return _derived(store)


def _assert_exact(db: Path) -> None:
    """No pending ids, the index in step, and the derived tables equal a rebuild."""
    store = open_store(db)
    try:
        assert store.query("derive_pending_count")[0][0] == 0
        with store.cursor() as cur:
            assert terms.in_step(cur)
        maintained = _derived(store)
    finally:
        store.close()
    copy = db.with_name(db.stem + "-rebuilt.duckdb")
    shutil.copy(db, copy)
    store = open_store(copy)
    try:
        rebuilt = _rebuilt(store)
    finally:
        store.close()
    assert maintained["agg_mention_cells"] and maintained["terms"]
    for table in maintained:
        assert maintained[table] == rebuilt[table], table


def test_ingest_many_derives_once_per_call_and_ends_exact(tmp_path, monkeypatch) -> None:
    """Groups of 50 articles commit with their ids pending; the derive step runs when
    DERIVE_EVERY_ITEMS are pending and at the end of the call, which leaves nothing pending
    and the same aggregates and index as a rebuild (updates included)."""
    monkeypatch.setattr(ingest_mod, "DERIVE_EVERY_ITEMS", 120)
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        ingestor = Ingestor(store, ExtractorSpec().build(), Settings(db_path=db))
        seen = []
        for _ in ingestor.ingest_many(_batches(), group_items=50):
            seen.append(store.query("derive_pending_count")[0][0])
        assert max(seen) > 0, "groups committed with their ids pending"
        assert 0 in seen[:-1], "a derive step ran during the call (DERIVE_EVERY_ITEMS)"
        assert max(seen) < 120 + 50
    finally:
        store.close()
    _assert_exact(db)


def test_ids_left_pending_by_a_stopped_ingest_are_derived_by_the_next_ingestor(tmp_path) -> None:
    """A process that stops between a group's commit and the derive step (here: the caller
    stops iterating; a SIGKILL leaves the same committed state, tests/test_crash.py) leaves
    the ids pending; the next Ingestor derives them when it starts."""
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        ingestor = Ingestor(store, ExtractorSpec().build(), Settings(db_path=db))
        results = ingestor.ingest_many(_batches(), group_items=50)
        next(results)
        results.close()  # never reaches its end, so never derives
        pending = store.query("derive_pending_count")[0][0]
        assert pending > 0
        with store.cursor() as cur:
            assert terms.in_step(cur), "new articles waiting to be indexed keep the index usable"
        Ingestor(store, ExtractorSpec().build(), Settings(db_path=db))  # starting finishes them
    finally:
        store.close()
    _assert_exact(db)


def _stored_ids(store) -> set[str]:
    return {r[0] for r in store.con.execute("SELECT id FROM articles").fetchall()}


def _reported_until_error(ingestor: Ingestor, batches) -> tuple[list[Batch], BaseException]:
    reported: list[Batch] = []
    with pytest.raises(RuntimeError) as failure:
        for batch, _, _ in ingestor.ingest_many(batches, group_items=50):
            reported.append(batch)
    return reported, failure.value


@pytest.mark.parametrize("pooled", [False, True], ids=["in-thread", "writer-thread"])
def test_a_failure_reports_exactly_the_groups_that_were_stored(tmp_path, pool, pooled) -> None:
    """With a pool, groups are written by a writer thread while the next ones are prepared.
    Whether the failure is the source of batches (this thread) or a group's write (the
    writer), every batch reported is stored and every stored batch was reported: a caller
    (the poller) stores the unreported ones again, one by one."""
    p = pool if pooled else None

    def failing_source():
        batches = _batches()
        yield from batches[:7]
        raise RuntimeError("feed source failed")

    db = tmp_path / "source.duckdb"
    store = open_store(db)
    try:
        ingestor = Ingestor(store, p.extractor if p else ExtractorSpec().build(), pool=p)
        reported, _ = _reported_until_error(ingestor, failing_source())
        assert reported, "groups written before the failure are reported"
        assert _stored_ids(store) == {e.article_id for b in reported for e in b.entries}
    finally:
        store.close()

    db = tmp_path / "write.duckdb"
    store = open_store(db)
    try:
        ingestor = Ingestor(store, p.extractor if p else ExtractorSpec().build(), pool=p)
        write, calls = ingestor._write, []

        def failing_write(group, derive=False):
            calls.append(threading.current_thread().name)
            if len(calls) == 3:
                raise RuntimeError("disk full")
            write(group, derive)

        ingestor._write = failing_write
        reported, _ = _reported_until_error(ingestor, _batches())
        assert len(calls) == 3 and reported
        assert all(name.startswith("ingest-writer") == pooled for name in calls)
        assert _stored_ids(store) == {e.article_id for b in reported for e in b.entries}
    finally:
        store.close()


def test_the_writer_thread_is_gone_when_the_caller_stops_early(tmp_path, pool) -> None:
    """A caller that stops iterating (or fails) leaves no write running: the store can be
    closed right away, and what was handed to the writer is committed whole."""
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        ingestor = Ingestor(store, pool.extractor, pool=pool)
        results = ingestor.ingest_many(_batches(), group_items=50)
        first, _, _ = next(results)
        results.close()
        assert not [t for t in threading.enumerate() if t.name.startswith("ingest-writer")]
        stored = _stored_ids(store)
        assert {e.article_id for e in first.entries} <= stored
    finally:
        store.close()
