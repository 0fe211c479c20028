-- name: page_story_copies
-- Every copy of a story (including the one shown), earliest first.
SELECT id, published, feed AS source, title, url, story_similarity
FROM articles WHERE story_id = $story_id ORDER BY published, id;
