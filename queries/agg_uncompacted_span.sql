-- name: agg_uncompacted_span
-- The hours the append steps left unmerged since the last compaction (migration 010): one
-- row (NULL, NULL) when there are none. Read when an ingestor starts.
SELECT min(lo), max(hi) FROM agg_uncompacted;
