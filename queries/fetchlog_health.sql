-- name: fetchlog_health
-- Store the poller's decisions (gone, Retry-After, permanent redirects) for the attempts in
-- _fetch_log that carry them; runs after fetchlog_upsert_state, so every row exists.
UPDATE feed_state
SET gone = l.gone,
    retry_after = l.retry_after,
    fetch_url = l.fetch_url,
    moved_to = l.moved_to,
    redirect_count = l.redirect_count
FROM _fetch_log AS l
WHERE feed_state.feed = l.feed AND l.has_health;
