-- name: agg_fresh_clear
-- Forget the recorded cells (migration 010): after a derive step every article is counted.
DELETE FROM agg_fresh_cells;
