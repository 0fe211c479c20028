-- name: agg_append_quoted_cells
-- Append to agg_quoted_cells the differences of the append step's articles that quote
-- anyone (agg_append_cells restricted to _append_mentions.quoted; migration 004).
INSERT INTO agg_quoted_cells
SELECT hour, feed, kind, entity_id, any_value(name), count(*) FILTER (WHERE new),
       count(*) FILTER (WHERE new AND n = 1) - count(*) FILTER (WHERE NOT new)
FROM _append_mentions
WHERE quoted
GROUP BY hour, feed, kind, entity_id;
