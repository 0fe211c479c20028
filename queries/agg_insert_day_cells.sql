-- name: agg_insert_day_cells
-- Recompute agg_day_cells for the days [$dlo, $dhi) from the hour cells (migration 006; run
-- after agg_mention_cells is up to date).
INSERT INTO agg_day_cells
SELECT date_trunc('day', hour) AS day, kind, entity_id, any_value(name),
       sum(articles), sum(solo_stories), bool_or(spokesperson)
FROM agg_mention_cells
WHERE hour >= $dlo AND hour < $dhi
GROUP BY ALL;
