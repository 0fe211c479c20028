-- name: agg_drop_cell_mentions
-- Drop agg_cell_mentions' TEMP table once the hour cells are recomputed.
DROP TABLE IF EXISTS temp._cell_mentions;
