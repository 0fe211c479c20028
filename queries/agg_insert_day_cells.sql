-- name: agg_insert_day_cells
-- Recompute agg_day_cells' groups in _day_keys(day, kind, entity_id) from the hour cells
-- (migration 006; run after agg_mention_cells is up to date). Only those groups are hashed.
INSERT INTO agg_day_cells
SELECT date_trunc('day', c.hour) AS day, c.kind, c.entity_id, any_value(c.name),
       sum(c.articles), sum(c.solo_stories), bool_or(c.spokesperson)
FROM agg_mention_cells c SEMI JOIN _day_keys k
    ON k.day = date_trunc('day', c.hour) AND k.kind = c.kind AND k.entity_id = c.entity_id
WHERE c.hour >= $dlo AND c.hour < $dhi
GROUP BY ALL;
