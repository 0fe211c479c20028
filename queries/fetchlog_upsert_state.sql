-- name: fetchlog_upsert_state
-- Fold many fetch attempts (one per feed) from _fetch_log into feed_state, as
-- upsert_feed_state does for one. A successful attempt is the row whose inserted
-- last_success_at is set, so the update can tell success from failure per row.
INSERT INTO feed_state AS s (feed, url, etag, last_modified, last_fetch_at, last_success_at,
                             last_status, last_error, failures_in_row, next_poll_at)
SELECT feed, url,
       CASE WHEN ok THEN etag END,
       CASE WHEN ok THEN last_modified END,
       started_at,
       CASE WHEN ok THEN started_at END,
       status, error,
       CASE WHEN ok THEN 0 ELSE 1 END,
       next_poll_at
FROM _fetch_log
ON CONFLICT (feed) DO UPDATE SET
    url = excluded.url,
    etag = coalesce(excluded.etag, s.etag),
    last_modified = coalesce(excluded.last_modified, s.last_modified),
    last_fetch_at = excluded.last_fetch_at,
    last_success_at = coalesce(excluded.last_success_at, s.last_success_at),
    last_status = excluded.last_status,
    last_error = excluded.last_error,
    failures_in_row = CASE WHEN excluded.last_success_at IS NOT NULL THEN 0
                           ELSE s.failures_in_row + 1 END,
    next_poll_at = excluded.next_poll_at;
