-- name: agg_delete_day_cells
-- Drop agg_day_cells' groups listed in _day_keys(day, kind, entity_id) before recomputing them
-- (migration 006; $dlo/$dhi bound their days).
DELETE FROM agg_day_cells d
WHERE d.day >= $dlo AND d.day < $dhi
  AND EXISTS (
      SELECT 1 FROM _day_keys k
      WHERE k.day = d.day AND k.kind = d.kind AND k.entity_id = d.entity_id
  );
