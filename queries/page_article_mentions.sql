-- name: page_article_mentions
-- Mentions in one article, in text order.
SELECT kind, entity_id, name, surface, start_pos, end_pos, via, spokesperson
FROM mentions WHERE article_id = $id ORDER BY start_pos, end_pos;
