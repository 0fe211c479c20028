"""Keyword search index (issue 7): maintained at ingest, read by monitor/keyword.py.

Tables (migration 005): `terms_docs` gives every indexed article a small integer `doc`;
`terms_postings` holds, per indexing batch and token, the list of docs containing it. Tokens
are the maximal runs of RE2's word characters, folded (macros `terms_fold_text` and
`terms_fold_token`) so that two tokens have the same form exactly when RE2's case-insensitive
match calls them equal. A whole-word or prefix literal is then answered from the postings
alone, with the same result as keyword.py's regex; phrases and literals with punctuation use
the postings to narrow the candidates and the regex decides.

Re-indexing an article (an update) deletes its `terms_docs` row and gives it a new doc: the
old doc's postings stay but no longer count, since readers only keep live docs. So a doc
number is never given twice: new docs come after the highest number ever given, kept in
`terms_last_doc` (migration 009), not after the highest live doc, which forgets a dropped doc.

`refresh` runs in an ingest transaction after the rows were written, for the articles written
since the last refresh (migration 008 lists them); tokenising happens in DuckDB (vectorised
C++), so the main process spends little per article.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from monitor import sql

REBUILD_CHUNK = 50_000  # articles per postings block in `rebuild`
# Articles per terms_add_postings statement in `refresh` and `backfill`. The statement's
# memory grows with the articles it tokenises (~250 distinct pieces per article): one
# refresh of 100k pending ids ran out of DuckDB's 512 MB in it (BENCHMARKS.md, round 9,
# "What is left" 5). A derive step (DERIVE_EVERY_ITEMS, 4,000) is one chunk, so the
# ingestor's usual path is unchanged; a larger set is located without its text and read
# chunk by chunk, so neither DuckDB nor this process holds all of it at once.
INDEX_CHUNK = 5_000
# A store written before the index existed (migration 005 adds it empty) is indexed a little
# at every refresh until it is in step; until then keyword search scans the text.
BACKFILL_PER_REFRESH = 2_000


def refresh(cur, article_ids: Sequence[str]) -> int:
    """Re-index `article_ids` (on `cur`'s transaction); returns the number of rows written."""
    ids = list(dict.fromkeys(article_ids))
    if not ids:
        return 0
    with sql.registered(cur, _terms_ids=pa.table({"id": pa.array(ids, pa.string())})):
        sql.execute(cur, "terms_forget").fetchall()
        small = len(ids) <= INDEX_CHUNK  # (a derive step's: with the text, in one go)
        located = _locate(cur, len(ids), "terms_locate" if small else "terms_locate_rows")
    written = _index(cur, located) if small else _index_rows(cur, located, INDEX_CHUNK)
    if not in_step(cur):
        written += backfill(cur, BACKFILL_PER_REFRESH)
    return written


def backfill(cur, limit: int) -> int:
    """Index up to `limit` stored articles that have no doc (and drop docs of articles that
    are gone); returns the postings rows written."""
    sql.execute(cur, "terms_orphans").fetchall()
    written = 0
    while limit > 0:  # INDEX_CHUNK at a time, oldest rows first (as one call would number them)
        located = _arrow(cur, "terms_missing", n=min(limit, INDEX_CHUNK))
        written += _index(cur, located)
        if located.num_rows < min(limit, INDEX_CHUNK):
            break
        limit -= located.num_rows
    return written


def _locate(cur, wanted: int, query: str) -> pa.Table:
    """(r, id, body) of the articles in _terms_ids (``query`` terms_locate; terms_locate_rows
    gives (r, id) only). The articles written since the last refresh (in this transaction,
    or committed since and pending, migration 008) are the last rows of the table, at most
    `wanted` of them: `count(*) - wanted` is a position at or before them, hence a rowid at
    or before them (rowids are never below their row's position; rows of the current
    transaction have rowids past every committed one). Look there first and only scan the
    whole table if some id is missing."""
    stored = cur.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    hint = max(stored - wanted, 0)
    found = _arrow(cur, query, start=hint)
    if found.num_rows < wanted:
        found = _arrow(cur, query, start=0)
    return found


def _index(cur, located: pa.Table) -> int:
    """Give the located articles new docs (in rowid order) after the highest doc number ever
    given (migration 009) and write their postings. A forgotten doc's postings stay, so its
    number must never be given again; the highest live doc is not enough (a dropped highest
    doc, by terms_forget or terms_orphans, would be given again with its old words)."""
    if located.num_rows == 0:
        return 0
    located = located.sort_by("r")
    base = sql.execute(cur, "terms_last_doc").fetchall()[0][0]
    docs = pa.array(range(base + 1, base + 1 + located.num_rows), pa.int32())
    with sql.registered(cur, _terms_new=located.append_column("doc", docs)):  # r, id, body, doc
        sql.execute(cur, "terms_add_docs").fetchall()
        written = sql.execute(cur, "terms_add_postings").fetchall()[0][0]
    sql.execute(cur, "terms_set_last_doc", doc=base + located.num_rows).fetchall()
    return written


def rebuild(cur) -> int:
    """Index every stored article (after rows were written without the ingestor), in chunks
    of REBUILD_CHUNK articles so memory stays bounded; returns the postings rows written."""
    cur.execute("DELETE FROM terms_postings").fetchall()
    cur.execute("DELETE FROM terms_docs").fetchall()
    # no postings are left, so numbering may start again (and the bitmaps stay small)
    sql.execute(cur, "terms_set_last_doc", doc=0).fetchall()
    # (rowid, id) of every article, in storage order; chunked here, not by rowid ranges
    # (rows written in the current transaction have rowids far past the others)
    return _index_rows(cur, _arrow(cur, "terms_rebuild_rows"), REBUILD_CHUNK)


def _index_rows(cur, rows: pa.Table, chunk: int) -> int:
    """`_index` of the articles at rows (r, id), ``chunk`` at a time in rowid order, each
    chunk's text read when it is indexed: the same docs as one `_index` of them all (each
    chunk's docs follow the last one's), and each term gets a postings row per chunk."""
    rows = rows.sort_by("r")
    written = 0
    for lo in range(0, rows.num_rows, chunk):
        with sql.registered(cur, _terms_chunk=rows.slice(lo, chunk).select(["r"])):
            located = _arrow(cur, "terms_rebuild_bodies")
        written += _index(cur, located)
    return written


def _arrow(cur, name: str, **params) -> pa.Table:
    """A named query's result as Arrow (the relation API: no extra copy of the rows)."""
    return cur.sql(sql.get(name).sql, params=params).to_arrow_table()


def in_step(cur) -> bool:
    """Whether the index covers the stored articles (one live doc per article), apart from
    the new articles still pending (migration 008: searchable once the ingestor's next derive
    step indexes them, at the latest at the end of its poll cycle). Stores written without
    `refresh` (and not rebuilt) are searched by scanning instead."""
    return bool(sql.execute(cur, "terms_in_step").fetchall()[0][0])
