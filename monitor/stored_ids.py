"""Which article ids may be stored: a filter in memory that answers "certainly not stored"
without asking DuckDB.

Before processing a batch the ingestor needs the stored content hash of each of its ids
(article_hashes*.sql). In an import nearly every id is new, and probing DuckDB for ids it
does not hold was ~0.3 ms of CPU per item on the importing thread (20k articles / 300
sources: ~430 probes of 16-128 ids). The filter holds a 64-bit key per stored id (the low 64
bits of the id's MD5, as DuckDB's md5_number computes it, so loading 1M ids is one vectorised
query: ~0.13 s CPU, 8 MB); an id whose key is absent is not stored. An id whose key is
present is probed as before, so the answer stays exact: a key shared by two ids (a
collision) only costs a probe.

It also holds the feeds with stored articles: a feed's first learning pass reads its newest
stored texts, and in an import into a new store there are none to read.

The filter must hold every stored id: the ingestor adds the ids it is about to write before
writing them (a failed write leaves extra keys: more probes, never a wrong answer). Code
that writes articles any other way must call `Store.forget_ids()` afterwards.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Sequence

import duckdb
import numpy as np

from monitor import sql

# Keys added since the sorted array was last rebuilt are held in a set; past this many they
# are merged into the array (a merge at 1M stored costs ~20-30 ms).
MERGE_AT = 65_536


def id_key(article_id: str) -> int:
    """The low 64 bits of the id's MD5, little-endian: DuckDB's md5_number(id) & (2^64-1)."""
    return int.from_bytes(hashlib.md5(article_id.encode()).digest()[:8], "little")


class StoredIds:
    """Keys of the stored article ids (see the module's docstring). Thread-safe: the
    ingestor's main thread asks and adds; other threads may too."""

    def __init__(self, keys: np.ndarray, feeds: Iterable[str] = ()) -> None:
        self._sorted = np.unique(keys.astype(np.uint64, copy=False))
        self._added: set[int] = set()
        self._feeds = set(feeds)
        self._lock = threading.Lock()

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection) -> StoredIds:
        """Every stored id's key (article_hashes_id_keys.sql) and feed (recent_feeds_stored)."""
        column = sql.execute(con, "article_hashes_id_keys").fetchnumpy()["k"]
        feeds = [f for (f,) in sql.execute(con, "recent_feeds_stored").fetchall()]
        return cls(np.asarray(column, dtype=np.uint64), feeds)

    def has_feed(self, feed: str) -> bool:
        """Whether the feed may have stored articles (False: it has none)."""
        with self._lock:
            return feed in self._feeds

    def __len__(self) -> int:
        with self._lock:
            return len(self._sorted) + len(self._added)

    def maybe_stored(self, ids: Sequence[str]) -> list[str]:
        """The ids that may be stored (their key is held); the others certainly are not."""
        if not ids:
            return []
        keys = [id_key(i) for i in ids]
        wanted = np.array(keys, dtype=np.uint64)
        with self._lock:
            held, added = self._sorted, self._added
            at = np.searchsorted(held, wanted)
            found = at < len(held)
            found[found] = held[at[found]] == wanted[found]
            return [i for i, k, f in zip(ids, keys, found.tolist(), strict=True) if f or k in added]

    def add_feeds(self, feeds: Iterable[str]) -> None:
        """Feeds whose articles are about to be stored, or stored."""
        with self._lock:
            self._feeds.update(feeds)

    def add(self, ids: Iterable[str]) -> None:
        """Ids about to be stored, or stored."""
        keys = [id_key(i) for i in ids]
        with self._lock:
            self._added.update(keys)
            if len(self._added) >= MERGE_AT:
                merged = np.fromiter(self._added, dtype=np.uint64, count=len(self._added))
                self._sorted = np.union1d(self._sorted, merged)
                self._added = set()
