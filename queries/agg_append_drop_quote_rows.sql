-- name: agg_append_drop_quote_rows
-- Drop agg_append_quote_rows' TEMP table once the append step's inserts ran (a rollback
-- drops it too): it would hold the step's rows in memory until the next step.
DROP TABLE IF EXISTS _append_quotes;
