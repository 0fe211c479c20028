-- name: page_source_series
-- Filtered articles (or unique stories) over time per source.
SELECT date_trunc($bucket, published) AS bucket, feed AS source,
       CASE WHEN $unique THEN count(DISTINCT coalesce(story_id, id)) ELSE count(*) END
           AS articles
FROM articles
WHERE (NOT $use_f OR id IN (SELECT id FROM _f))
  AND ($since IS NULL OR published >= $since) AND ($until IS NULL OR published < $until)
  AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]))
GROUP BY ALL
ORDER BY bucket, source;
