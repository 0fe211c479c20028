-- name: agg_co_mentions
-- page_co_mentions from the pre-aggregates (same columns, same numbers), for filters that
-- only restrict dates ($since/$until, hour-aligned) and sources: story counts are the solo
-- stories summed plus the distinct multi-copy stories (see migration 004).
WITH c AS (
    SELECT country_a, name_a, country_b, name_b,
           sum(CASE WHEN $unique THEN solo_stories ELSE articles END) AS n
    FROM agg_pair_cells
    WHERE ($since IS NULL OR hour >= $since) AND ($until IS NULL OR hour < $until)
      AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]))
    GROUP BY ALL
),
s AS (
    SELECT country_a, name_a, country_b, name_b, count(DISTINCT story) AS n
    FROM agg_pair_spread
    WHERE $unique
      AND ($since IS NULL OR hour >= $since) AND ($until IS NULL OR hour < $until)
      AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]))
    GROUP BY ALL
)
SELECT country_a, name_a, country_b, name_b, sum(n)::BIGINT AS articles
FROM (SELECT * FROM c UNION ALL SELECT * FROM s)
GROUP BY ALL
ORDER BY articles DESC, country_a, country_b
LIMIT $limit;
