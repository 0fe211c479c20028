-- name: insert_fetch
-- Record one fetch attempt of a feed (the feed-health history).
INSERT INTO fetches (feed, url, started_at, status, items_seen, items_new, items_updated,
                     duration_ms, error)
VALUES ($feed, $url, $started_at, $status, $seen, $new, $updated, $duration_ms, $error);
