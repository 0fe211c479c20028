-- name: agg_compact_take_pair_cells
-- Take out of agg_pair_cells the rows of every key (hour, feed, country_a, name_a, country_b,
-- name_b) that has several in the hours [$lo, $hi) (aggregates.append adds a row per key and
-- derive step), returning them for agg_compact_put_pair_cells to put back merged.
DELETE FROM agg_pair_cells t
WHERE t.hour >= $lo AND t.hour < $hi
  AND EXISTS (
      SELECT 1 FROM (
          SELECT hour, feed, country_a, name_a, country_b, name_b FROM agg_pair_cells
          WHERE hour >= $lo AND hour < $hi
          GROUP BY ALL HAVING count(*) > 1
      ) k
      WHERE k.hour = t.hour
        AND k.feed = t.feed
        AND k.country_a = t.country_a
        AND k.name_a = t.name_a
        AND k.country_b = t.country_b
        AND k.name_b = t.name_b
  )
RETURNING *;
