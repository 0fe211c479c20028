-- name: agg_fresh_record
-- Record the cells of _scope(hour, feed) as recomputed outside a derive step (migration 010:
-- the next derive step recomputes their country pairs instead of adding to them).
INSERT INTO agg_fresh_cells
SELECT DISTINCT hour, feed FROM _scope WHERE speaker IS NULL;
