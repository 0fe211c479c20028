-- name: upsert_feed_state
-- Fold one fetch attempt into the feed's current health (validators, failures in a row).
INSERT INTO feed_state AS s (feed, url, etag, last_modified, last_fetch_at, last_success_at,
                             last_status, last_error, failures_in_row, next_poll_at)
VALUES ($feed, $url, CASE WHEN $ok THEN $etag END, CASE WHEN $ok THEN $last_modified END, $at, CASE WHEN $ok THEN $at END, $status, $error,
        CASE WHEN $ok THEN 0 ELSE 1 END, $next_poll_at)
ON CONFLICT (feed) DO UPDATE SET
    url = excluded.url,
    etag = CASE WHEN $ok THEN coalesce(excluded.etag, s.etag) ELSE s.etag END,
    last_modified = CASE WHEN $ok THEN coalesce(excluded.last_modified, s.last_modified)
                         ELSE s.last_modified END,
    last_fetch_at = excluded.last_fetch_at,
    last_success_at = CASE WHEN $ok THEN excluded.last_fetch_at ELSE s.last_success_at END,
    last_status = excluded.last_status,
    last_error = excluded.last_error,
    failures_in_row = CASE WHEN $ok THEN 0 ELSE s.failures_in_row + 1 END,
    next_poll_at = excluded.next_poll_at;
