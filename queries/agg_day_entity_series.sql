-- name: agg_day_entity_series
-- agg_entity_series over the day-grain aggregates (migration 006), for filters that restrict
-- only dates (whole days: Filters.sql_params) and no source. The top entities and names
-- always come from the day grain (same totals); day/week buckets sum the day rows (a day
-- lies in one week), hour buckets read only the top entities' hour cells (summed over
-- feeds). Same rows as agg_entity_series.
WITH c AS (
    SELECT day, entity_id, name, CASE WHEN $unique THEN solo_stories ELSE articles END AS n
    FROM agg_day_cells
    WHERE kind = $kind
      AND ($since IS NULL OR day >= $since) AND ($until IS NULL OR day < $until)
      AND ($entities IS NULL OR entity_id = ANY($entities::VARCHAR[]))
),
s AS (
    SELECT day, entity_id, story FROM agg_day_spread
    WHERE $unique AND kind = $kind
      AND ($since IS NULL OR day >= $since) AND ($until IS NULL OR day < $until)
      AND ($entities IS NULL OR entity_id = ANY($entities::VARCHAR[]))
),
top AS (
    SELECT entity_id FROM (
        SELECT entity_id, sum(n) AS n FROM c GROUP BY entity_id
        UNION ALL
        SELECT entity_id, count(DISTINCT story) FROM s GROUP BY entity_id
    )
    GROUP BY entity_id HAVING sum(n) > 0
    ORDER BY sum(n) DESC, entity_id LIMIT $top
),
names AS (SELECT entity_id, any_value(name) AS name FROM c GROUP BY entity_id),
parts AS (
    SELECT date_trunc($bucket, day) AS bucket, entity_id, sum(n) AS n
    FROM c WHERE $bucket <> 'hour' AND entity_id IN (SELECT entity_id FROM top) GROUP BY ALL
    UNION ALL
    SELECT date_trunc($bucket, day) AS bucket, entity_id, count(DISTINCT story)
    FROM s WHERE $bucket <> 'hour' AND entity_id IN (SELECT entity_id FROM top) GROUP BY ALL
    UNION ALL
    SELECT hour AS bucket, entity_id,
           sum(CASE WHEN $unique THEN solo_stories ELSE articles END) AS n
    FROM agg_mention_cells
    WHERE $bucket = 'hour' AND kind = $kind
      AND ($since IS NULL OR hour >= $since) AND ($until IS NULL OR hour < $until)
      AND entity_id IN (SELECT entity_id FROM top)
    GROUP BY ALL
    UNION ALL
    SELECT hour AS bucket, entity_id, count(DISTINCT story)
    FROM agg_mention_spread
    WHERE $bucket = 'hour' AND $unique AND kind = $kind
      AND ($since IS NULL OR hour >= $since) AND ($until IS NULL OR hour < $until)
      AND entity_id IN (SELECT entity_id FROM top)
    GROUP BY ALL
)
SELECT bucket, entity_id, any_value(names.name) AS name, sum(n)::BIGINT AS mentions
FROM parts JOIN names USING (entity_id)
GROUP BY ALL
HAVING sum(n) > 0
ORDER BY bucket, entity_id;
