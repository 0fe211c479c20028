-- name: fetchlog_insert
-- Append many fetch attempts at once (a poll cycle's feeds with nothing to store, or the
-- attempts of an ingest transaction's batches, with their item counts) from the registered
-- Arrow table _fetch_log.
INSERT INTO fetches (feed, url, started_at, status, items_seen, items_new, items_updated,
                     duration_ms, error)
SELECT feed, url, started_at, status, items_seen, items_new, items_updated, duration_ms, error
FROM _fetch_log;
