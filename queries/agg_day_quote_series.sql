-- name: agg_day_quote_series
-- page_quote_series over the day-grain quote aggregates (migration 007), for every speaker
-- (no speaker or spokesperson choice), filters that restrict only dates (whole days:
-- Filters.sql_params), no source, and day or week buckets (a day lies in one week). Units
-- of single-copy stories (or every article's units) are summed; multi-copy stories' units
-- are counted distinct. Same rows as page_quote_series.
WITH c AS (
    SELECT day, speaker, CASE WHEN $unique THEN solo_units ELSE units END AS n
    FROM agg_day_quote_cells
    WHERE ($since IS NULL OR day >= $since) AND ($until IS NULL OR day < $until)
),
s AS (
    SELECT day, speaker, unit FROM agg_day_quote_spread
    WHERE $unique AND ($since IS NULL OR day >= $since) AND ($until IS NULL OR day < $until)
),
top AS (
    SELECT speaker FROM (
        SELECT speaker, sum(n) AS n FROM c GROUP BY speaker
        UNION ALL
        SELECT speaker, count(DISTINCT unit) FROM s GROUP BY speaker
    )
    GROUP BY speaker HAVING sum(n) > 0
    ORDER BY sum(n) DESC, speaker LIMIT $top
),
parts AS (
    SELECT date_trunc($bucket, day) AS bucket, speaker, sum(n) AS n
    FROM c WHERE speaker IN (SELECT speaker FROM top) GROUP BY ALL
    UNION ALL
    SELECT date_trunc($bucket, day) AS bucket, speaker, count(DISTINCT unit)
    FROM s WHERE speaker IN (SELECT speaker FROM top) GROUP BY ALL
)
SELECT bucket, speaker, sum(n)::BIGINT AS quotes
FROM parts
GROUP BY ALL
HAVING sum(n) > 0
ORDER BY bucket, speaker;
