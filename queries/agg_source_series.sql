-- name: agg_source_series
-- page_source_series from the pre-aggregates (same columns, same numbers), for filters that
-- only restrict dates ($since/$until, hour-aligned) and sources: unique stories are the solo
-- stories summed plus the distinct multi-copy stories (see migration 004).
WITH parts AS (
    SELECT date_trunc($bucket, hour) AS bucket, feed,
           sum(CASE WHEN $unique THEN solo_stories ELSE articles END) AS n
    FROM agg_article_cells
    WHERE ($since IS NULL OR hour >= $since) AND ($until IS NULL OR hour < $until)
      AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]))
    GROUP BY ALL
    UNION ALL
    SELECT date_trunc($bucket, hour) AS bucket, feed, count(DISTINCT story)
    FROM agg_article_spread
    WHERE $unique AND ($since IS NULL OR hour >= $since) AND ($until IS NULL OR hour < $until)
      AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]))
    GROUP BY ALL
)
SELECT bucket, feed AS source, sum(n)::BIGINT AS articles
FROM parts
GROUP BY ALL
ORDER BY bucket, source;
