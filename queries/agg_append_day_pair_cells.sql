-- name: agg_append_day_pair_cells
-- Append to agg_day_pair_cells the append step's pair differences summed per day over the
-- feeds (agg_append_pair_cells' rows at day grain; migration 006).
INSERT INTO agg_day_pair_cells
SELECT date_trunc('day', hour) AS day, country_a, name_a, country_b, name_b,
       count(*) FILTER (WHERE new),
       count(*) FILTER (WHERE new AND n = 1) - count(*) FILTER (WHERE NOT new)
FROM _append_pairs
GROUP BY ALL;
