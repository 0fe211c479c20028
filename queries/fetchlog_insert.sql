-- name: fetchlog_insert
-- Append many fetch attempts at once (the poll cycle's feeds that had nothing to store:
-- 304 Not Modified, errors) from the registered Arrow table _fetch_log.
INSERT INTO fetches (feed, url, started_at, status, items_seen, items_new, items_updated,
                     duration_ms, error)
SELECT feed, url, started_at, status, 0, 0, 0, duration_ms, error
FROM _fetch_log;
