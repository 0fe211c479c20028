-- name: page_feed_health
-- Health of every feed ever fetched, with its article rate over the last 7 days before $now
-- and how many of its stored articles lack their cleaning or extraction (article_errors).
SELECT s.feed, s.url, s.last_fetch_at, s.last_success_at, s.last_status, s.last_error,
       s.failures_in_row, s.next_poll_at,
       coalesce(c.n, 0) / 7.0 AS items_per_day,
       (SELECT count(*) FROM articles a WHERE a.feed = s.feed) AS articles,
       (SELECT count(*) FROM article_errors e WHERE e.feed = s.feed) AS article_errors
FROM feed_state s
LEFT JOIN (
    SELECT feed, count(*) AS n FROM articles
    WHERE published >= $now - INTERVAL 7 DAY GROUP BY feed
) c ON c.feed = s.feed
ORDER BY s.failures_in_row DESC, s.feed;
