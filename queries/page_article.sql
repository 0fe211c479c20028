-- name: page_article
-- One article for the article view.
SELECT id, feed AS source, url, title, published, language, text, story_id, story_similarity,
       author, raw_kind
FROM articles WHERE id = $id;
