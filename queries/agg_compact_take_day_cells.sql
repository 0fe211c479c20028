-- name: agg_compact_take_day_cells
-- Take out of agg_day_cells the rows of every key (day, kind, entity_id) that has several in
-- the days [$dlo, $dhi) (aggregates.append adds a row per key and derive step), returning them
-- for agg_compact_put_day_cells to put back merged.
DELETE FROM agg_day_cells t
WHERE t.day >= $dlo AND t.day < $dhi
  AND EXISTS (
      SELECT 1 FROM (
          SELECT day, kind, entity_id FROM agg_day_cells
          WHERE day >= $dlo AND day < $dhi
          GROUP BY ALL HAVING count(*) > 1
      ) k
      WHERE k.day = t.day AND k.kind = t.kind AND k.entity_id = t.entity_id
  )
RETURNING *;
