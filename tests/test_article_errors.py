"""An article whose cleaning or extraction raises costs that article only: it is stored (no
mentions or quotes), its error is recorded in article_errors and shown by the CLI, and the
rest of its batch, the import and the poll go on. Real DuckDB files, a real pool: the
faults come from tests/faulty.py (an extractor the workers build themselves from the spec).
"""

from __future__ import annotations

import logging
from datetime import datetime

import pytest

from monitor import clean
from monitor.cli import PARTLY_PROCESSED, main
from monitor.config import Settings
from monitor.extract import Extractor
from monitor.feeds import Feed
from monitor.importer import import_files
from monitor.ingest import Ingestor
from monitor.parallel import _KINDS, MIN_PARALLEL, ProcessPool, _ship_refilter
from monitor.parse import parse_feed
from monitor.pipeline import clean_many, clean_only, refilter
from monitor.runtime import open_runtime
from monitor.store import open_store
from tests.conftest import Route, rss
from tests.faulty import (
    CLEAN_MARKER,
    EXTRACT_MARKER,
    FaultyExtractor,
    FaultySpec,
    faulty_cleaner,
    faulty_extract,
)

T0 = datetime(2026, 2, 20, 8, 0)
BODY = (
    "<p>Kremlin spokesperson Dmitry Peskov told reporters in Moscow on day {i} that talks "
    "with Ukraine would resume in Istanbul.</p><p>“We expect it soon, by day {i},” Peskov said in {city}.</p>"
    "<p>Detail number {i} about the day in {city}.</p>"
)
CITIES = ("Paris", "Berlin", "Tokyo", "Nairobi", "Lima", "Hanoi", "Oslo", "Cairo")


def items(n: int, bad: dict[int, str] | None = None, prefix: str = "g") -> list[dict]:
    """n items; ``bad`` maps an index to a marker its body holds (in a paragraph of its own)."""
    bad = bad or {}
    return [
        {
            "guid": f"{prefix}{i}",
            "title": f"Story {prefix}{i}",
            "link": f"https://wire.example/{prefix}{i}",
            "date": f"Tue, {10 + i % 9:02d} Feb 2026 09:{i % 60:02d}:00 GMT",
            "body": BODY.format(i=i, city=CITIES[i % len(CITIES)])
            + (f"<p>{bad[i]} appears here.</p>" if i in bad else ""),
        }
        for i in range(n)
    ]


BAD = {3: EXTRACT_MARKER, 9: CLEAN_MARKER}


@pytest.fixture(scope="module")
def faulty_pool():
    with ProcessPool(FaultySpec(), workers=2) as p:
        yield p


@pytest.fixture
def clean_fault(monkeypatch):
    """The workers' cleaning fault, in this process (the in-process paths)."""
    monkeypatch.setattr(clean, "clean_html_fragment", faulty_cleaner(clean.clean_html_fragment))


def errors(store) -> list[tuple]:
    return store.con.execute(
        "SELECT a.guid, e.feed, e.url, e.title, e.stage, e.error_type, e.message, e.traceback "
        "FROM article_errors e JOIN articles a ON a.id = e.article_id ORDER BY a.guid"
    ).fetchall()


def per_article(store, table: str) -> dict[str, int]:
    rows = store.con.execute(
        f"SELECT a.guid, count(t.article_id) FROM articles a "  # noqa: S608 (our table names)
        f"LEFT JOIN {table} t ON t.article_id = a.id GROUP BY a.guid"
    ).fetchall()
    return dict(rows)


def check_stored(store, n: int, feed: str = "Wire") -> None:
    """All n items stored; the two bad ones without mentions/quotes, their errors recorded."""
    assert store.count_articles() == n
    (extract, clean_err) = errors(store)
    assert extract[:7] == (
        "g3", feed, "https://wire.example/g3", "Story g3", "extract", "IndexError",
        "injected extraction fault",
    )  # fmt: skip
    assert clean_err[:7] == (
        "g9", feed, "https://wire.example/g9", "Story g9", "clean", "ValueError",
        "injected cleaning fault",
    )  # fmt: skip
    assert "IndexError: injected extraction fault" in extract[7]  # the traceback
    assert "ValueError: injected cleaning fault" in clean_err[7]
    # the chunk's failure is not chained to the article's
    assert "During handling" not in extract[7] and "During handling" not in clean_err[7]
    mentions, quotes = per_article(store, "mentions"), per_article(store, "quotes")
    assert mentions["g3"] == quotes["g3"] == mentions["g9"] == quotes["g9"] == 0
    good = [g for g in mentions if g not in ("g3", "g9")]
    assert len(good) == n - 2 and all(mentions[g] > 0 and quotes[g] > 0 for g in good)
    texts = dict(store.con.execute("SELECT guid, text FROM articles").fetchall())
    assert "Peskov" in texts["g3"]  # cleaning worked: its cleaned text is stored
    assert texts["g9"] == ""  # cleaning raised: no text (the raw content is kept)
    raw = store.con.execute("SELECT raw_content FROM articles WHERE guid = 'g9'").fetchone()[0]
    assert CLEAN_MARKER in raw


# ---- the pool's kinds, in a worker and in-process


def _entries(n: int = 12):
    return list(parse_feed(rss(items(n, BAD)), "Wire", T0).entries)


def _kind_args(kind: str, entries):
    """A kind's items and arguments: cleaned entries for the kinds that take them (cleaned
    here by `clean_many`, which keeps a cleaning that raises as an empty one)."""
    learned = frozenset()
    if kind == "analyse":
        return [(c.cleaned.text, c.entry.published) for c in clean_many(entries, learned)], ()
    if kind == "refilter_process":
        return clean_many(entries, learned), (learned,)
    return entries, (learned,)


KINDS = ["process", "clean_slim", "process_slim", "process_keyed", "analyse", "refilter_process"]


def _error_of(kind: str, result):
    """The ArticleError a kind's result carries (None: none)."""
    if kind == "process":
        return result.error
    if kind == "clean_slim":
        return result[1].error
    if kind == "analyse":
        return result[0].error
    return result[1].error or result[2].error


def _stages(kind: str, results) -> dict[int, str]:
    return {i: _error_of(kind, r).stage for i, r in enumerate(results) if _error_of(kind, r)}


@pytest.mark.parametrize("kind", KINDS)
def test_each_pool_kind_carries_a_failing_article_and_returns_the_rest_unchanged(kind, faulty_pool):
    """In the workers (the cleaning fault is theirs only): the failing articles carry their
    error, every other result is what the kind returns with no fault at all."""
    entries = _entries()
    items_, args = _kind_args(kind, entries)
    got = faulty_pool.submit(kind, items_, *args, min_parallel=1).result()
    want = _KINDS[kind](items_, Extractor(_registry()), *args)  # no fault, in-process
    assert len(got) == len(want) == len(entries)
    stages = _stages(kind, got)
    assert stages == {
        "clean_slim": {9: "clean"},  # (extraction is not this kind's)
        "analyse": {3: "extract"},  # (cleaned here, without the fault)
        "refilter_process": {3: "extract"},  # (cleaned again from the walk: no raw HTML)
    }.get(kind, {3: "extract", 9: "clean"})
    for i in range(len(entries)):
        if i not in stages:
            assert got[i] == want[i], i


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_in_process_as_for_a_small_batch_or_a_broken_pool(kind, clean_fault):
    """The in-process path (a batch below MIN_PARALLEL, a broken pool) runs the same kinds."""
    entries = [e for i, e in enumerate(_entries()) if i in (2, 3, 4, 9)]
    assert len(entries) < MIN_PARALLEL
    items_, args = _kind_args(kind, entries)
    got = _KINDS[kind](items_, FaultyExtractor(_registry()), *args)
    # (index 1 is g3, index 3 is g9; an empty cleaning is cleaned again from the raw text)
    assert _stages(kind, got) == {
        "clean_slim": {3: "clean"},
        "analyse": {1: "extract"},  # (g9's text is empty: nothing to extract)
    }.get(kind, {1: "extract", 3: "clean"})


def _registry():
    from monitor.extract.officials import load_registry

    return load_registry(())


def test_a_failing_refilter_costs_its_article_only(monkeypatch):
    """Cleaning again with new learned keys (`clean.refilter`, in a worker or here)."""
    entries = _entries(10)
    learned = frozenset()
    first = [clean_only(e, learned) for e in entries]
    original = clean.refilter

    def refilter_fault(cleaned, keys):
        if any(CLEAN_MARKER in p for p in cleaned.paragraphs):
            raise KeyError("injected refilter fault")
        return original(cleaned, keys)

    monkeypatch.setattr(clean, "refilter", refilter_fault)
    extractor = FaultyExtractor(_registry())
    for shipped in (first, _ship_refilter(first)):  # as the in-process path, as sent
        got = _KINDS["refilter_process"](shipped, extractor, learned)
        stages = {i: _error_of("refilter_process", r).stage for i, r in enumerate(got)
                  if _error_of("refilter_process", r)}  # fmt: skip
        assert stages == {3: "extract", 9: "clean"}
        assert got[9][1].paragraphs == ()
    with pytest.raises(KeyError):
        refilter(first[9], learned)  # (the fault is real)


# ---- an import, through the pool and without one


def _feed_file(tmp_path, n: int = 14, bad=BAD):
    path = tmp_path / "wire.xml"
    path.write_bytes(rss(items(n, bad), title="Wire"))
    return path


def test_import_through_the_pool_stores_every_item_and_records_the_errors(
    tmp_path, db_path, faulty_pool, caplog
):
    store = open_store(db_path)
    try:
        ingestor = Ingestor(
            store, faulty_pool.extractor, Settings(db_path=db_path), pool=faulty_pool
        )
        with caplog.at_level(logging.WARNING, logger="monitor.ingest"):
            (report,) = import_files([_feed_file(tmp_path)], ingestor)
        assert report.error is None
        assert (report.result.new, report.result.failed) == (14, 2)
        assert report.line().endswith("14 new, 0 updated, 2 stored without processing "
                                      "(an error: see `monitor errors`)")  # fmt: skip
        check_stored(store, 14)
        warned = [r for r in caplog.records if "stored without its" in r.getMessage()]
        assert len(warned) == 2  # once per article, with the traceback
        assert "Traceback" in warned[0].getMessage()
        # an unchanged import again is a no-op: nothing processed, nothing recorded again
        caplog.clear()
        (again,) = import_files([_feed_file(tmp_path)], ingestor)
        assert (again.result.new, again.result.updated, again.result.failed) == (0, 0, 0)
        assert len(errors(store)) == 2 and not caplog.records
    finally:
        store.close()


def test_import_without_a_pool_stores_every_item_and_records_the_errors(
    tmp_path, db_path, clean_fault
):
    store = open_store(db_path)
    try:
        ingestor = Ingestor(store, FaultyExtractor(_registry()), Settings(db_path=db_path))
        (report,) = import_files([_feed_file(tmp_path)], ingestor)
        assert (report.result.new, report.result.failed) == (14, 2)
        check_stored(store, 14)
    finally:
        store.close()


def test_a_fixed_extractor_and_a_changed_item_clear_the_record(tmp_path, db_path, clean_fault):
    """An update replaces the article's error row: gone once it processes, renewed if not;
    `reprocess` after a fix clears them all."""
    store = open_store(db_path)
    try:
        faulty = Ingestor(store, FaultyExtractor(_registry()), Settings(db_path=db_path))
        import_files([_feed_file(tmp_path)], faulty)
        assert [e[0] for e in errors(store)] == ["g3", "g9"]
        # g3 changed and still failing: recorded again (one row); g9 fixed by its change
        changed = items(14, {3: EXTRACT_MARKER})
        changed[3]["body"] += "<p>A correction.</p>"
        (tmp_path / "wire.xml").write_bytes(rss(changed, title="Wire"))
        (report,) = import_files([tmp_path / "wire.xml"], faulty)
        assert (report.result.updated, report.result.failed) == (2, 1)
        assert [e[0] for e in errors(store)] == ["g3"]
        assert per_article(store, "mentions")["g9"] > 0
        # the extractor fixed (a plain one) and everything reprocessed
        fixed = Ingestor(store, Extractor(_registry()), Settings(db_path=db_path))
        fixed.ingest("Wire", parse_feed(rss(changed, title="Wire"), "Wire", T0).entries, force=True)
        assert errors(store) == []
        assert per_article(store, "mentions")["g3"] > 0
    finally:
        store.close()


def test_cli_import_says_what_happened_and_errors_lists_it(tmp_path, db_path, monkeypatch, capsys):
    """`monitor import` (no pool: the patch reaches the in-process path): exit status 3, the
    report line and a warning; `monitor errors` lists the articles; `feeds list` counts them."""
    monkeypatch.setenv("MONITOR_INGEST_WORKERS", "0")
    monkeypatch.setattr(Extractor, "extract", faulty_extract(Extractor.extract))
    monkeypatch.setattr(clean, "clean_html_fragment", faulty_cleaner(clean.clean_html_fragment))
    path = _feed_file(tmp_path)
    assert main(["import", str(path), "--db", str(db_path)]) == PARTLY_PROCESSED
    out, err = capsys.readouterr()
    assert "14 items, 14 new, 0 updated, 2 stored without processing" in out
    assert "warning: 2 article(s) stored without their cleaning or extraction" in err
    assert main(["errors", "--db", str(db_path)]) == 0
    out, _ = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 2
    assert any("https://wire.example/g3\textract\tIndexError: injected extraction fault" in ln
               for ln in lines)  # fmt: skip
    assert any("https://wire.example/g9\tclean\tValueError: injected cleaning fault" in ln
               for ln in lines)  # fmt: skip
    assert main(["errors", "--db", str(db_path), "--traceback", "--feed", "nope"]) == 0
    assert capsys.readouterr().out == ""
    # the same file again: nothing new, nothing failed
    assert main(["import", str(path), "--db", str(db_path)]) == 0
    capsys.readouterr()
    feeds = tmp_path / "feeds.toml"
    feeds.write_text('[[feed]]\nname = "Wire"\nurl = "https://wire.example/rss"\n')
    assert main(["feeds", "list", "--db", str(db_path), "--feeds", str(feeds)]) == 0
    assert "2 articles not processed (monitor errors)" in capsys.readouterr().out


# ---- the poller


@pytest.fixture
def faulty_runtime(db_path, tmp_path):
    """A runtime whose ingestor has a pool of FaultySpec workers."""
    settings = Settings(
        db_path=db_path,
        feeds_path=tmp_path / "feeds.toml",
        allow_private_networks=True,
        host_spacing_s=0.0,
        ingest_workers=0,
    )
    rt = open_runtime(settings)
    pool = ProcessPool(FaultySpec(), workers=2, lazy=True)
    rt._ingestor = Ingestor(rt.store, pool.extractor, settings, pool=pool)
    yield rt
    rt.close()


def test_poller_stores_the_feed_and_does_not_mark_it_failed(feed_server, faulty_runtime):
    route = Route(rss(items(14, BAD)), etag=False)
    feed_server.routes["/wire.xml"] = route
    poller = faulty_runtime.poller()
    poller.feeds = lambda: [Feed("Wire", feed_server.url("/wire.xml"))]
    store = faulty_runtime.store
    (first,) = poller.poll_once(force=True)
    assert first.error is None and (first.result.new, first.result.failed) == (14, 2)
    assert "2 stored without processing" in first.line()
    check_stored(store, 14)
    health = store.query("feed_states")[0]
    assert health[7] is None and health[8] == 0  # no error, no failures in a row
    # the next poll: the same items (unchanged: no-op, nothing recorded again) and a new one
    route.body = rss(items(15, BAD))
    (second,) = poller.poll_once(force=True)
    assert second.error is None
    assert (second.result.new, second.result.updated, second.result.failed) == (1, 0, 0)
    assert len(errors(store)) == 2
    assert store.query("feed_states")[0][8] == 0
    page = store.query_df("page_feed_health", now=datetime(2026, 2, 28))
    assert page["article_errors"].tolist() == [2]
