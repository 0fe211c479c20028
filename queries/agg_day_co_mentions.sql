-- name: agg_day_co_mentions
-- agg_co_mentions over the day-grain pair aggregates (migration 006), for filters that
-- restrict only dates (whole days: Filters.sql_params) and no source. Same rows.
WITH c AS (
    SELECT country_a, name_a, country_b, name_b,
           sum(CASE WHEN $unique THEN solo_stories ELSE articles END) AS n
    FROM agg_day_pair_cells
    WHERE ($since IS NULL OR day >= $since) AND ($until IS NULL OR day < $until)
    GROUP BY ALL
),
s AS (
    SELECT country_a, name_a, country_b, name_b, count(DISTINCT story) AS n
    FROM agg_day_pair_spread
    WHERE $unique
      AND ($since IS NULL OR day >= $since) AND ($until IS NULL OR day < $until)
    GROUP BY ALL
)
SELECT country_a, name_a, country_b, name_b, sum(n)::BIGINT AS articles
FROM (SELECT * FROM c UNION ALL SELECT * FROM s)
GROUP BY ALL
ORDER BY articles DESC, country_a, country_b
LIMIT $limit;
