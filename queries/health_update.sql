-- name: health_update
-- Store the poller's decisions about a feed (gone, Retry-After, permanent redirects); runs in
-- the same transaction as upsert_feed_state, after it, so the row exists.
UPDATE feed_state
SET gone = $gone,
    retry_after = $retry_after,
    fetch_url = $fetch_url,
    moved_to = $moved_to,
    redirect_count = $redirect_count
WHERE feed = $feed;
