-- name: agg_append_day_cells
-- Append to agg_day_cells the append step's differences summed per day over the feeds
-- (agg_append_cells' rows at day grain; migration 006), not a recompute from the hour cells.
INSERT INTO agg_day_cells
SELECT date_trunc('day', hour) AS day, kind, entity_id, any_value(name),
       count(*) FILTER (WHERE new),
       count(*) FILTER (WHERE new AND n = 1) - count(*) FILTER (WHERE NOT new),
       bool_or(spokesperson)
FROM _append_mentions
GROUP BY ALL;
