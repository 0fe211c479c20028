-- name: agg_uncompacted_clear
-- Forget the unmerged hours (migration 010), in the compaction's transaction.
DELETE FROM agg_uncompacted;
