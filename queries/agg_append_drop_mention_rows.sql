-- name: agg_append_drop_mention_rows
-- Drop agg_append_mention_rows' TEMP table once agg_append_mentions and agg_append_pairs
-- read it (a rollback drops it too): it would hold the step's rows until the next step.
DROP TABLE IF EXISTS _append_mention_rows;
