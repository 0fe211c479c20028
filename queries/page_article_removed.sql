-- name: page_article_removed
-- What the cleaner removed from one article, and why.
SELECT seq, reason, text FROM removed_spans WHERE article_id = $id ORDER BY seq;
