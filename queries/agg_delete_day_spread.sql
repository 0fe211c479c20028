-- name: agg_delete_day_spread
-- Drop agg_day_spread's rows listed in _day_spread_keys(day, kind, entity_id, story) (those
-- whose hour rows changed in number: agg_day_spread_changes) before recomputing them
-- (migration 006).
DELETE FROM agg_day_spread d
WHERE d.day >= $dlo AND d.day < $dhi
  AND EXISTS (
      SELECT 1 FROM _day_spread_keys k
      WHERE k.day = d.day AND k.kind = d.kind AND k.entity_id = d.entity_id
        AND k.story = d.story
  );
