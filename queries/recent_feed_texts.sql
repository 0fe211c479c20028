-- name: recent_feed_texts
-- The $n newest articles of one feed (id, published, cleaned text): the sample boilerplate
-- is learned from. Ties on published are broken by id, so the sample is one set of articles
-- (the ingestor keeps it up to date in memory in this order: learned.RecentKeys).
SELECT id, published, text FROM articles WHERE feed = $feed ORDER BY published DESC, id DESC LIMIT $n;
