-- name: agg_fresh_clear
-- The derive step has counted every pending article: no recorded cell matters any more.
DELETE FROM agg_fresh_cells;
