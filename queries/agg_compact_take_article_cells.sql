-- name: agg_compact_take_article_cells
-- Take out of agg_article_cells the rows of every key (hour, feed) that has several in the
-- hours [$lo, $hi) (aggregates.append adds a row per key and derive step), returning them for
-- agg_compact_put_article_cells to put back merged.
DELETE FROM agg_article_cells t
WHERE t.hour >= $lo AND t.hour < $hi
  AND EXISTS (
      SELECT 1 FROM (
          SELECT hour, feed FROM agg_article_cells
          WHERE hour >= $lo AND hour < $hi
          GROUP BY ALL HAVING count(*) > 1
      ) k
      WHERE k.hour = t.hour AND k.feed = t.feed
  )
RETURNING *;
