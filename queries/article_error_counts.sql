-- name: article_error_counts
-- Per feed: how many of its stored articles lack their cleaning or extraction (which raised).
SELECT feed, count(*) FROM article_errors GROUP BY feed ORDER BY feed;
