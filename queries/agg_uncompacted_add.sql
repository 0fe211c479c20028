-- name: agg_uncompacted_add
-- Record the hours [$lo, $hi) an append step left unmerged (migration 010), in the step's
-- transaction, so a process killed before its call's compaction leaves them known.
INSERT INTO agg_uncompacted VALUES ($lo, $hi);
