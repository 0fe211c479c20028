-- name: page_article_count
-- Filtered articles and unique stories (for captions and the article list's header).
SELECT count(*) AS articles, count(DISTINCT coalesce(story_id, id)) AS stories
FROM articles WHERE id IN (SELECT id FROM _f);
