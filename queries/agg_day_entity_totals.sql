-- name: agg_day_entity_totals
-- agg_entity_totals over the day-grain aggregates (migration 006), for filters that
-- restrict only dates (whole days: Filters.sql_params) and no source. Same rows as the
-- hour-grain query.
WITH c AS (
    SELECT entity_id, name, spokesperson,
           CASE WHEN $unique THEN solo_stories ELSE articles END AS n
    FROM agg_day_cells
    WHERE kind = $kind
      AND ($since IS NULL OR day >= $since) AND ($until IS NULL OR day < $until)
),
s AS (
    SELECT entity_id, count(DISTINCT story) AS n FROM agg_day_spread
    WHERE $unique AND kind = $kind
      AND ($since IS NULL OR day >= $since) AND ($until IS NULL OR day < $until)
    GROUP BY entity_id
),
t AS (
    SELECT entity_id, any_value(name) AS name, sum(n) AS n, bool_or(spokesperson) AS spokesperson
    FROM c GROUP BY entity_id
)
SELECT t.entity_id, t.name, (t.n + coalesce(s.n, 0))::BIGINT AS mentions, t.spokesperson
FROM t LEFT JOIN s USING (entity_id)
ORDER BY mentions DESC, entity_id;
