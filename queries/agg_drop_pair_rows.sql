-- name: agg_drop_pair_rows
-- Drop agg_pair_delta's TEMP table once the derive step's pair statements ran.
DROP TABLE IF EXISTS _pair_rows;
