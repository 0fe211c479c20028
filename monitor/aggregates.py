"""Pre-aggregated mention counts (migration 003), country co-mentions, articles and quoted
articles (004) per hour x feed, their day-grain sums over all feeds (006) and quotes per day
and speaker (007), kept exact at every batch.

The ingestor calls `refresh(cur, ids)` inside the batch's transaction with the ids it wrote:
the affected cells (hour × feed of those articles and of every other copy of their stories)
are deleted and recomputed from `mentions`, so the aggregate never disagrees with the rows.
The dashboard's pages read it when no article-level filter (keyword, entity, speaker,
language) is active; see monitor/dashboard.py `page_query`.

Cost: a batch's cells span a few hours, so every statement but two is bounded by the cells'
hour range ($lo/$hi), which DuckDB turns into zone-map pruning of the time-ordered tables;
the two store-wide reads are single-column hash probes (`articles.id` for the batch,
`articles.story_id` for its stories' copies and sizes). The day tables are then
recomputed for the groups the batch touches, not whole days: (day, entity) and (day, pair)
groups of the recomputed hour cells, read before and after them, from the hour tables just
refreshed, and (day, speaker) groups of the quotes of the batch's stories from `quotes`.
So the derive step's hashing grows with what the ids touch, not with the day's size (a whole
day's quote units ran out of the poller's DuckDB memory_limit at 1M stored); the day
groups' reads still scan their days' rows by the zone maps.

`derive(cur, ids)` is `refresh` for the ids not yet counted anywhere (the derive step's
pending and just written ids). The country pair tables (~170 rows per article on the
synthetic corpus, the largest share of a derive) are not recomputed from every article of
the cells: the new articles' pairs are added to their cells' rows (and an older copy that
stops being its story's only one is taken out of the solo counts), so that work follows the
new articles, not the cells' density (~3 articles per cell on a 20k day, ~70 on a 500k
day). Cells recomputed outside a derive step since the last one (an update's, a rebuild's:
agg_fresh_cells, migration 010) count pending articles already and are recomputed instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import pyarrow as pa
import pyarrow.compute as pc

from monitor import sql

_HOUR_STEPS = (
    "agg_delete_cells",
    "agg_delete_spread",
    "agg_delete_pair_cells",
    "agg_delete_pair_spread",
    "agg_insert_cells",
    "agg_insert_spread",
    "agg_insert_pairs",
    "agg_insert_pair_spread",
    "agg_delete_article_cells",
    "agg_delete_article_spread",
    "agg_insert_article_cells",
    "agg_insert_article_spread",
    "agg_delete_quoted_cells",
    "agg_delete_quoted_spread",
    "agg_insert_quoted_cells",
    "agg_insert_quoted_spread",
)
# The hour steps that recompute the country pair tables: they read _pair_scope and
# _pair_articles (the whole scope, except in a derive step: the fresh cells only), and are
# skipped when no pair cell is recomputed.
_PAIR_STEPS = frozenset(
    (
        "agg_delete_pair_cells",
        "agg_delete_pair_spread",
        "agg_insert_pairs",
        "agg_insert_pair_spread",
    )
)
# These hour steps return the day-grain rows of what they drop (before, with negative
# counts) and add (after, positive): summed per day key, what is left non-zero names the day
# rows whose inputs changed, the only ones _refresh_days recomputes. A derive recomputes whole
# hour cells, so most of what it drops comes back as it was (the older articles of a cell);
# recomputing every day group the cells touch read and hashed the day's hour rows, a cost
# that grew with the day's size at every derive.
_RETURNING = {
    "agg_delete_cells": "cells",
    "agg_insert_cells": "cells",
    "agg_delete_spread": "spread",
    "agg_insert_spread": "spread",
    "agg_delete_pair_cells": "pairs",
    "agg_insert_pairs": "pairs",
    "agg_delete_pair_spread": "pair_spread",
    "agg_insert_pair_spread": "pair_spread",
}
_RETURNED = ("cells", "spread", "pairs", "pair_spread")
_DAY_STEPS = (
    # day grain (006): the changed groups and rows (_day_keys, _day_spread_keys,
    # _day_pair_delta, _day_pair_keys), from the hour tables just refreshed
    "agg_delete_day_cells",
    "agg_delete_day_spread",
    "agg_insert_day_cells",
    "agg_insert_day_spread",
    "agg_delete_day_pair_cells",
    "agg_delete_day_pair_spread",
    "agg_insert_day_pair_cells",
    "agg_insert_day_pair_spread",
    # quotes per day and speaker (007): the scope's (day, speaker) groups, from quotes (after
    # the article spread, which names the multi-copy stories)
    "agg_delete_day_quote_cells",
    "agg_delete_day_quote_spread",
    "agg_insert_day_quote_cells",
    "agg_insert_day_quote_spread",
)
# Every pre-aggregate table, in migration order (003, 004, 006, 007).
TABLES = (
    "agg_mention_cells",
    "agg_mention_spread",
    "agg_pair_cells",
    "agg_pair_spread",
    "agg_article_cells",
    "agg_article_spread",
    "agg_quoted_cells",
    "agg_quoted_spread",
    "agg_day_cells",
    "agg_day_spread",
    "agg_day_pair_cells",
    "agg_day_pair_spread",
    "agg_day_quote_cells",
    "agg_day_quote_spread",
)
_CLEAR = tuple(
    f"DELETE FROM {table}"  # noqa: S608 (constant table names, no input)
    for table in TABLES
)


def refresh(cur, article_ids: Sequence[str]) -> int:
    """Recompute the cells touched by `article_ids` (on `cur`'s transaction); returns the
    number of cells recomputed. `article_ids` must hold every article written since the
    cells were last brought up to date (the derive step's pending and written ids): the
    older copies of stories that already had several are not recomputed (_derive_scope)."""
    if not article_ids:
        return 0
    # the ingestor's derive step (pending rows cleared) leaves no article uncounted: nothing
    # to record for `derive`; otherwise the recomputed cells count pending articles now
    record = bool(_arrow(cur, "agg_pending_any")["pending"][0].as_py())
    copies = _derive_copies(cur, article_ids)
    n = 0
    if copies.num_rows:
        n = refresh_cells(cur, _scope_of(cur, copies.filter(_derive_scope(copies))), record=record)
    if not record:  # every stored article is counted now (the ids hold all uncounted ones)
        _execute(cur, "agg_fresh_clear")
    return n


def _derive_copies(cur, article_ids: Sequence[str]) -> pa.Table:
    """agg_derive_copies of `article_ids`: their stories' copies, new or older, and sizes."""
    changed = pa.table({"id": pa.array(list(article_ids), pa.string())})
    with sql.registered(cur, _changed=changed):
        return _arrow(cur, "agg_derive_copies")


def _derive_scope(copies: pa.Table) -> pa.ChunkedArray:
    """Which of a derive step's copies count in its scope: the new ones and the older copy
    of a story that was solo. An older copy of a story that had 2+ counts as it did: not
    solo before or after, and its story is already in its cells' spread rows; a story that
    lost a copy had its copies' cells recomputed by then (Ingestor._write: the cells an
    update leaves)."""
    return pc.or_(copies["new"], pc.less(copies["n_before"], 2))


def derive(cur, article_ids: Sequence[str]) -> int:
    """The derive step: fold the articles written since the last one (`article_ids`: exactly
    those, the pending and the just written) into the aggregates, on `cur`'s transaction;
    returns the number of scope rows. Leaves the same rows as `refresh`.

    Precondition (why it is not `refresh`): none of `article_ids` is counted in a cell that
    is not in agg_fresh_cells, and the aggregates count every other stored article. The
    country pair tables of the other cells are then updated by the new articles' pairs
    (agg_pair_delta) instead of recomputed; every other table as `refresh` does."""
    if not article_ids:
        return 0
    copies = _derive_copies(cur, article_ids)
    n = 0
    if copies.num_rows:
        counted = _derive_scope(copies)
        scope = copies.filter(counted)
        n = refresh_cells(cur, _scope_of(cur, scope), pairs=_pair_plan(copies, counted))
    _execute(cur, "agg_fresh_clear")  # every article is counted now
    return n


def _pair_plan(copies: pa.Table, counted: pa.ChunkedArray) -> tuple[pa.Table, pa.Table]:
    """(the fresh cells whose pairs are recomputed, _pair_delta(id, story, n, kind)) of a
    derive step's copies (agg_derive_copies): 'add' a new copy, 'flip' the older copy of a
    story that was solo, 'have' an older copy of a multi-copy story that shares its cell with
    a new copy of it (its pair spread rows are there already); none in a fresh cell."""
    fresh = copies.filter(pc.and_(counted, copies["fresh"]))
    cells = fresh.group_by(["hour", "feed"]).aggregate([])
    other = copies.filter(pc.invert(copies["fresh"]))
    kind = pc.if_else(
        other["new"], "add", pc.if_else(pc.less(other["n_before"], 2), "flip", "have")
    )
    other = other.append_column("kind", kind)
    added = other.filter(pc.equal(other["kind"], "add"))
    # the older copies in a cell (and story) of a new copy; the others are not read
    near = added.group_by(["hour", "feed", "story"]).aggregate([])
    have = other.filter(pc.equal(other["kind"], "have")).join(
        near, keys=["hour", "feed", "story"], join_type="left semi"
    )
    rest = other.filter(pc.not_equal(other["kind"], "have"))
    delta = pa.concat_tables([rest, have]).select(["id", "story", "n", "kind"])
    return cells, delta


_SCOPE = pa.schema([("hour", pa.timestamp("us")), ("feed", pa.string()), ("speaker", pa.string())])


def cells_of(cur, article_ids: Sequence[str]) -> pa.Table:
    """The cells the stored rows of `article_ids` count in: (hour, feed) of theirs and of
    every other copy of their stories (speaker null), and (hour, feed, speaker) of those
    articles' counted quotes, which name the quote day cells (day, speaker). Taken before an
    update replaces the rows, they are the cells the update leaves (see Ingestor._write)."""
    changed = pa.table({"id": pa.array(list(article_ids), pa.string())})
    with sql.registered(cur, _changed=changed):
        # a relation, not the DB-API result: Arrow without an extra copy of the rows
        copies = cur.sql(sql.get("agg_scope").sql).to_arrow_table()
    if copies.num_rows == 0:
        return _SCOPE.empty_table()
    return _scope_of(cur, copies)


def _scope_of(cur, copies: pa.Table) -> pa.Table:
    """The scope rows (hour, feed, speaker) of story copies (id, hour, feed, ...)."""
    # one row per copy: a cell may repeat (every reader of _scope semi-joins it)
    cells = copies.select(["hour", "feed"])
    cells = cells.append_column("speaker", pa.nulls(cells.num_rows, pa.string()))
    lo, hi = _hour_bounds(copies["hour"])
    with sql.registered(cur, _copies=copies.select(["id"])):
        speakers = _relation(cur, "agg_scope_speakers", lo=lo, hi=hi).to_arrow_table()
    return pa.concat_tables([cells.cast(_SCOPE), speakers.cast(_SCOPE)])


def refresh_cells(
    cur, scope: pa.Table, pairs: tuple[pa.Table, pa.Table] | None = None, *, record: bool = True
) -> int:
    """Recompute the cells listed in `scope` (columns hour, feed and, for the quote day
    cells, speaker: see cells_of); returns the number of scope rows. Without `pairs` the
    cells are recorded as recomputed outside a derive step (agg_fresh_cells), unless
    `record` is false. With `pairs` (derive: the cells whose country pairs are recomputed,
    and _pair_delta), the pair tables are recomputed in those cells only and updated by the
    delta elsewhere."""
    if scope.num_rows == 0:
        return 0
    if "speaker" not in scope.column_names:
        scope = scope.append_column("speaker", pa.nulls(scope.num_rows, pa.string()))
    if pairs is None and record:
        with sql.registered(cur, _scope=scope):
            _execute(cur, "agg_fresh_record")
    lo, hi = _hour_bounds(scope["hour"])
    # the day tables recompute only the groups (day, key) the scope's hour rows count in,
    # before and after, but those groups read their whole days' hour rows: $dlo/$dhi
    bounds = {"lo": lo, "hi": hi, "dlo": _day(lo), "dhi": _day(hi - _HOUR) + _DAY}
    with sql.registered(cur, _scope=scope):
        articles = _relation(cur, "agg_scope_articles", **bounds).to_arrow_table()
        returned: dict[str, list[pa.Table]] = {k: [] for k in _RETURNED}
        pair_scope, pair_articles = scope, articles
        if pairs is not None:
            pair_scope = pairs[0]
            pair_articles = articles.join(pair_scope, keys=["hour", "feed"], join_type="left semi")
        with sql.registered(
            cur, _cell_articles=articles, _pair_scope=pair_scope, _pair_articles=pair_articles
        ):
            # their mentions per article and entity, read once for the four mention and
            # quoted cell/spread statements (a TEMP table of this transaction)
            _execute(cur, "agg_cell_mentions", **bounds)
            for name in _HOUR_STEPS:
                if name in _PAIR_STEPS and pair_scope.num_rows == 0:
                    continue  # no pair cell is recomputed (a derive step without fresh cells)
                if name in _RETURNING:  # the day-grain rows of what it drops or adds
                    returned[_RETURNING[name]].append(_arrow(cur, name, **bounds))
                else:
                    _execute(cur, name, **bounds)
            # only after the steps succeeded, as the unregisters: after a failed step the
            # transaction is aborted and the DROP would raise over the step's error (a
            # rollback drops the table anyway)
            _execute(cur, "agg_drop_cell_mentions")
        if pairs is not None and pairs[1].num_rows:
            _add_pairs(cur, pairs[1], _old_cells(articles, pairs[1]), bounds, returned)
        _refresh_days(cur, bounds, *(pa.concat_tables(returned[k]) for k in _RETURNED))
    return scope.num_rows


def _old_cells(articles: pa.Table, delta: pa.Table) -> pa.Table:
    """The cells (hour, feed) of `articles` (the scope cells' articles) holding an article
    counted before this derive step: not one of the new copies of `delta`. Only those have
    pair rows to add to; a cell of new articles only has none (outside agg_fresh_cells)."""
    new = delta.filter(pc.equal(delta["kind"], "add"))["id"]
    counted = articles.filter(pc.invert(pc.is_in(articles["id"], value_set=new.combine_chunks())))
    return counted.group_by(["hour", "feed"]).aggregate([])


def _add_pairs(
    cur, delta: pa.Table, old_cells: pa.Table, bounds: dict, returned: dict[str, list[pa.Table]]
) -> None:
    """Update the country pair tables by `delta` (_pair_delta: see _pair_plan), adding their
    day-grain differences to `returned`. The cells of `old_cells` a delta adds to are taken
    out whole and put back with the differences summed in: the same rows as a recompute,
    without reading the cells' other articles' mentions again."""
    with sql.registered(cur, _pair_delta=delta):
        _execute(cur, "agg_pair_delta", **bounds)
    with sql.registered(cur, _pair_old_cells=old_cells):
        old = _arrow(cur, "agg_take_pair_cells", **bounds)
    with sql.registered(cur, _pair_old=old):
        _execute(cur, "agg_merge_pair_cells")
    returned["pairs"].append(_arrow(cur, "agg_pair_delta_days"))
    returned["pair_spread"].append(_arrow(cur, "agg_add_pair_spread"))
    _execute(cur, "agg_drop_pair_rows")


def _refresh_days(
    cur,
    bounds: dict,
    cell_rows: pa.Table,
    spread_rows: pa.Table,
    pair_delta: pa.Table,
    pair_spread_rows: pa.Table,
) -> None:
    """Bring the day tables up to date after the scope's hour cells were recomputed. Each
    argument holds the day-grain rows of the hour rows dropped (negative counts) and added
    (positive) by one hour table's statements; the day rows whose sums come back non-zero are
    recomputed (or, for the pair cells, updated by the difference), the others stand."""
    keys = {
        "_day_keys": _changes(cur, "agg_day_cell_changes", "_day_cell_rows", cell_rows),
        "_day_spread_keys": _changes(
            cur, "agg_day_spread_changes", "_day_spread_rows", spread_rows
        ),
        "_day_pair_keys": _changes(
            cur, "agg_day_pair_spread_changes", "_day_pair_spread_rows", pair_spread_rows
        ),
    }
    groups = _changes(cur, "agg_day_pair_changes", "_day_pair_rows", pair_delta)
    # the day pair cells': the groups that did not come back as they were (the recomputed
    # cells of a batch's older copies, mostly)
    keys["_day_pair_delta"] = groups.filter(
        pc.or_(pc.not_equal(groups["articles"], 0), pc.not_equal(groups["solo_stories"], 0))
    )
    # agg_delete_day_pair_cells returns its old rows, for the insert after it to add to
    # (both run or are skipped together)
    old_pairs = None
    with sql.registered(cur, **keys):
        for name in _DAY_STEPS:
            if _DAY_STEP_KEYS.get(name) and keys[_DAY_STEP_KEYS[name]].num_rows == 0:
                continue  # nothing of its table changed
            if name == "agg_delete_day_pair_cells":
                old_pairs = _arrow(cur, name, **bounds)
            elif name == "agg_insert_day_pair_cells":
                with sql.registered(cur, _day_pair_old=old_pairs):
                    _execute(cur, name, **bounds)
            else:
                _execute(cur, name, **bounds)


# The key table each day step reads (the quote steps read _scope): a step with no key rows
# would change nothing and is skipped.
_DAY_STEP_KEYS = {
    "agg_delete_day_cells": "_day_keys",
    "agg_insert_day_cells": "_day_keys",
    "agg_delete_day_spread": "_day_spread_keys",
    "agg_insert_day_spread": "_day_spread_keys",
    "agg_delete_day_pair_cells": "_day_pair_delta",
    "agg_insert_day_pair_cells": "_day_pair_delta",
    "agg_delete_day_pair_spread": "_day_pair_keys",
    "agg_insert_day_pair_spread": "_day_pair_keys",
}


def _changes(cur, name: str, table: str, rows: pa.Table) -> pa.Table:
    """A *_changes query's answer over `rows`, registered as `table` while it runs."""
    with sql.registered(cur, **{table: rows}):
        return _arrow(cur, name)


def _execute(cur, name: str, **params) -> None:
    """sql.execute, naming the step in an error (an out-of-memory error says only where)."""
    try:
        sql.execute(cur, name, **params)
    except Exception as exc:
        exc.add_note(f"aggregates step: {name}")
        raise


def _arrow(cur, name: str, **params) -> pa.Table:
    """The rows a statement returns (a relation: DML runs once, when it is created)."""
    try:
        return _relation(cur, name, **params).to_arrow_table()
    except Exception as exc:
        exc.add_note(f"aggregates step: {name}")
        raise


_HOUR = timedelta(hours=1)
_DAY = timedelta(days=1)


def _hour_bounds(hours: pa.ChunkedArray) -> tuple[datetime, datetime]:
    return pc.min(hours).as_py(), pc.max(hours).as_py() + _HOUR


def _day(t: datetime) -> datetime:
    return t.replace(hour=0, minute=0, second=0, microsecond=0)


def _relation(cur, name: str, **params):
    query = sql.get(name)
    return cur.sql(query.sql, params={k: v for k, v in params.items() if k in query.params})


def rebuild(cur) -> int:
    """Recompute every cell (after rows were written without the ingestor, e.g. benchmarks)."""
    for statement in _CLEAR:
        cur.execute(statement)
    _execute(cur, "agg_fresh_clear")
    n = refresh_cells(cur, _relation(cur, "agg_rebuild_scope").to_arrow_table(), record=False)
    # every cell counts the pending articles now: the next derive step recomputes the cells
    # of their stories' copies
    _execute(cur, "agg_fresh_pending")
    return n
