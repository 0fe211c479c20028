-- name: agg_compact_take_quoted_cells
-- Take out of agg_quoted_cells the rows of every key (hour, feed, kind, entity_id) that has
-- several in the hours [$lo, $hi) (aggregates.append adds a row per key and derive step),
-- returning them for agg_compact_put_quoted_cells to put back merged.
DELETE FROM agg_quoted_cells t
WHERE t.hour >= $lo AND t.hour < $hi
  AND EXISTS (
      SELECT 1 FROM (
          SELECT hour, feed, kind, entity_id FROM agg_quoted_cells
          WHERE hour >= $lo AND hour < $hi
          GROUP BY ALL HAVING count(*) > 1
      ) k
      WHERE k.hour = t.hour
        AND k.feed = t.feed
        AND k.kind = t.kind
        AND k.entity_id = t.entity_id
  )
RETURNING *;
