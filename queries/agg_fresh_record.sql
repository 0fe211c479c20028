-- name: agg_fresh_record
-- Record the cells of _scope(hour, feed) as recomputed since the last derive step
-- (migration 009: the derive step recomputes them again instead of adding to them).
INSERT INTO agg_fresh_cells
SELECT DISTINCT hour, feed FROM _scope WHERE speaker IS NULL;
