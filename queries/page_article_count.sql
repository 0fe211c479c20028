-- name: page_article_count
-- Filtered articles and unique stories (for captions and the article list's header).
SELECT count(*) AS articles, count(DISTINCT coalesce(story_id, id)) AS stories
FROM articles
WHERE (NOT $use_f OR id IN (SELECT id FROM _f))
  AND ($since IS NULL OR published >= $since) AND ($until IS NULL OR published < $until)
  AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]));
