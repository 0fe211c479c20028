-- name: agg_delete_day_pair_cells
-- Drop agg_day_pair_cells' groups that _day_pair_delta(day, country_a, name_a, country_b,
-- name_b, articles, solo_stories) changes, returning them: agg_insert_day_pair_cells adds them
-- to the difference (migration 006; $dlo/$dhi bound their days).
DELETE FROM agg_day_pair_cells d
WHERE d.day >= $dlo AND d.day < $dhi
  AND EXISTS (
      SELECT 1 FROM _day_pair_delta k
      WHERE k.day = d.day AND k.country_a = d.country_a AND k.name_a = d.name_a
        AND k.country_b = d.country_b AND k.name_b = d.name_b
  )
RETURNING day, country_a, name_a, country_b, name_b, articles, solo_stories;
