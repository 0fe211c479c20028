-- name: agg_day_entity_series
-- agg_entity_series over the day-grain aggregates (migration 006), for filters that
-- restrict only dates (whole days: Filters.sql_params) and no source; day/week buckets
-- only (a day lies in one week). Same rows as the hour-grain query.
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
    FROM c WHERE entity_id IN (SELECT entity_id FROM top) GROUP BY ALL
    UNION ALL
    SELECT date_trunc($bucket, day) AS bucket, entity_id, count(DISTINCT story)
    FROM s WHERE entity_id IN (SELECT entity_id FROM top) GROUP BY ALL
)
SELECT bucket, entity_id, any_value(names.name) AS name, sum(n)::BIGINT AS mentions
FROM parts JOIN names USING (entity_id)
GROUP BY ALL
HAVING sum(n) > 0
ORDER BY bucket, entity_id;
