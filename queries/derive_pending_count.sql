-- name: derive_pending_count
-- How many pending rows wait to be derived (an ingestor starting after a crash finishes them).
SELECT count(*) FROM derive_pending;
