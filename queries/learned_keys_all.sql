-- name: learned_keys_all
-- Every feed's learned boilerplate keys: the ingestor reads them once at start-up (one query
-- instead of one per feed, ~300-1,000 feeds) and keeps them up to date itself.
SELECT feed, key FROM learned_boilerplate ORDER BY feed, key;
