-- name: agg_compact_put_mention_cells
-- Put back into agg_mention_cells the rows agg_compact_take_mention_cells took
-- (_compact_rows), one per key with its rows' sums: the row a recompute gives (a key whose
-- counts sum to zero has no article left and no row).
INSERT INTO agg_mention_cells
SELECT hour, feed, kind, entity_id, any_value(name), sum(articles), sum(solo_stories),
       bool_or(spokesperson)
FROM _compact_rows
GROUP BY hour, feed, kind, entity_id
HAVING sum(articles) > 0;
