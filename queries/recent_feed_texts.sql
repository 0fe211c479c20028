-- name: recent_feed_texts
-- The $n newest cleaned texts of one feed: the sample boilerplate is learned from.
SELECT text FROM articles WHERE feed = $feed ORDER BY published DESC LIMIT $n;
