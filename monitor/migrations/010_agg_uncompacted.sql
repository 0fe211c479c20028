-- 010: the hours whose pre-aggregate rows the append-only derive steps left unmerged.
--
-- A derive step of new articles appends difference rows (aggregates.append); the ingestor
-- merges them (aggregates.compact) at the end of its ingest call. Each append step records its
-- hours here in its own transaction, and the compaction deletes the rows in its own: a process
-- killed in between leaves them here, and the next ingestor compacts those hours when it
-- starts. (Readers sum a key's rows, so the counts are exact either way; this keeps the tables
-- one row per key.) No key: one row per append step since the last compaction.

CREATE TABLE agg_uncompacted (
    lo  TIMESTAMP NOT NULL,
    hi  TIMESTAMP NOT NULL
);
