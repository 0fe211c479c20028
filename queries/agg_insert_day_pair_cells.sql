-- name: agg_insert_day_pair_cells
-- Recompute agg_day_pair_cells for the days [$dlo, $dhi) from the hour cells (migration 006;
-- run after agg_pair_cells is up to date).
INSERT INTO agg_day_pair_cells
SELECT date_trunc('day', hour) AS day, country_a, name_a, country_b, name_b,
       sum(articles), sum(solo_stories)
FROM agg_pair_cells
WHERE hour >= $dlo AND hour < $dhi
GROUP BY ALL;
