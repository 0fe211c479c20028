-- name: agg_compact_take_day_pair_cells
-- Take out of agg_day_pair_cells the rows of every key (day, country_a, name_a, country_b,
-- name_b) that has several in the days [$dlo, $dhi) (aggregates.append adds a row per key and
-- derive step), returning them for agg_compact_put_day_pair_cells to put back merged.
DELETE FROM agg_day_pair_cells t
WHERE t.day >= $dlo AND t.day < $dhi
  AND EXISTS (
      SELECT 1 FROM (
          SELECT day, country_a, name_a, country_b, name_b FROM agg_day_pair_cells
          WHERE day >= $dlo AND day < $dhi
          GROUP BY ALL HAVING count(*) > 1
      ) k
      WHERE k.day = t.day
        AND k.country_a = t.country_a
        AND k.name_a = t.name_a
        AND k.country_b = t.country_b
        AND k.name_b = t.name_b
  )
RETURNING *;
