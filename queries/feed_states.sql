-- name: feed_states
-- Current health of every feed that was ever fetched.
SELECT feed, url, etag, last_modified, last_fetch_at, last_success_at, last_status,
       last_error, failures_in_row, next_poll_at
FROM feed_state
ORDER BY feed;
