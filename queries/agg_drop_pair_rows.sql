-- name: agg_drop_pair_rows
-- Drop agg_pair_new_rows' TEMP table once the additive pair statements have run.
DROP TABLE IF EXISTS _pair_rows;
