-- name: agg_compact_take_day_quote_cells
-- Take out of agg_day_quote_cells the rows of every key (day, speaker) that has several in the
-- days [$dlo, $dhi) (aggregates.append adds a row per key and derive step), returning them for
-- agg_compact_put_day_quote_cells to put back merged.
DELETE FROM agg_day_quote_cells t
WHERE t.day >= $dlo AND t.day < $dhi
  AND EXISTS (
      SELECT 1 FROM (
          SELECT day, speaker FROM agg_day_quote_cells
          WHERE day >= $dlo AND day < $dhi
          GROUP BY ALL HAVING count(*) > 1
      ) k
      WHERE k.day = t.day AND k.speaker = t.speaker
  )
RETURNING *;
