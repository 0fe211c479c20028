-- name: page_quote_series
-- Quotes over time per speaker (the chosen speakers, else the $top most quoted).
WITH q AS (
    SELECT speaker, published,
           CASE WHEN $unique THEN coalesce(story_id, article_id) || lower(text)
                ELSE article_id || lower(text) END AS unit
    FROM quotes
    WHERE (NOT $use_f OR article_id IN (SELECT id FROM _f))
      AND ($since IS NULL OR published >= $since) AND ($until IS NULL OR published < $until)
      AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]))
      AND speaker IS NOT NULL AND NOT partial
      AND ($speakers IS NULL OR speaker = ANY($speakers::VARCHAR[]))
      AND (NOT $spokes OR spokesperson)
),
top AS (SELECT speaker FROM q GROUP BY speaker ORDER BY count(DISTINCT unit) DESC, speaker LIMIT $top)
SELECT date_trunc($bucket, published) AS bucket, speaker, count(DISTINCT unit) AS quotes
FROM q WHERE speaker IN (SELECT speaker FROM top)
GROUP BY ALL
ORDER BY bucket, speaker;
