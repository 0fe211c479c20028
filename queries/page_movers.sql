-- name: page_movers
-- Entities whose mentions changed most between the last 7 days before $now and the 7 before.
WITH m AS (
    SELECT kind, entity_id, name, published,
           CASE WHEN $unique THEN coalesce(story_id, article_id) ELSE article_id END AS unit
    FROM mentions
    WHERE (NOT $use_f OR article_id IN (SELECT id FROM _f))
      AND ($since IS NULL OR published >= $since) AND ($until IS NULL OR published < $until)
      AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]))
      AND published >= $now - INTERVAL 14 DAY AND published < $now
)
SELECT kind, entity_id, any_value(name) AS name,
       count(DISTINCT unit) FILTER (WHERE published >= $now - INTERVAL 7 DAY) AS last_7d,
       count(DISTINCT unit) FILTER (WHERE published < $now - INTERVAL 7 DAY) AS previous_7d,
       last_7d - previous_7d AS change
FROM m
GROUP BY kind, entity_id
HAVING last_7d + previous_7d >= 3
ORDER BY abs(change) DESC, last_7d DESC, entity_id
LIMIT $limit;
