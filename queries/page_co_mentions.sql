-- name: page_co_mentions
-- Pairs of countries named in the same filtered article, most frequent first.
WITH m AS (
    SELECT DISTINCT article_id, coalesce(story_id, article_id) AS story, entity_id, name
    FROM mentions
    WHERE kind = 'country' AND (NOT $use_f OR article_id IN (SELECT id FROM _f))
      AND ($since IS NULL OR published >= $since) AND ($until IS NULL OR published < $until)
      AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]))
)
SELECT a.entity_id AS country_a, a.name AS name_a, b.entity_id AS country_b, b.name AS name_b,
       count(DISTINCT CASE WHEN $unique THEN a.story ELSE a.article_id END) AS articles
FROM m a JOIN m b ON a.article_id = b.article_id AND a.entity_id < b.entity_id
GROUP BY ALL
ORDER BY articles DESC, country_a, country_b
LIMIT $limit;
