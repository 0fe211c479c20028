-- name: agg_delete_day_pair_spread
-- Drop agg_day_pair_spread's rows listed in _day_pair_keys(day, country_a, country_b, story)
-- (those whose hour rows changed in number: agg_day_pair_spread_changes) before recomputing
-- them (migration 006).
DELETE FROM agg_day_pair_spread d
WHERE d.day >= $dlo AND d.day < $dhi
  AND EXISTS (
      SELECT 1 FROM _day_pair_keys k
      WHERE k.day = d.day AND k.country_a = d.country_a AND k.country_b = d.country_b
        AND k.story = d.story
  );
