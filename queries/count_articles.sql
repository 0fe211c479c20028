-- name: count_articles
-- How many articles are stored (all copies).
SELECT count(*) FROM articles;
