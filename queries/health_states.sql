-- name: health_states
-- Everything the poller remembers of each feed between polls (schedule.FeedHealth fields).
SELECT feed, last_fetch_at, failures_in_row, next_poll_at, etag, last_modified, url,
       coalesce(gone, FALSE), retry_after, fetch_url, moved_to, coalesce(redirect_count, 0)
FROM feed_state
ORDER BY feed;
