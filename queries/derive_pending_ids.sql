-- name: derive_pending_ids
-- The articles written since the derived data (pre-aggregates, keyword index) was last
-- brought up to date (migration 008), each once.
SELECT DISTINCT article_id FROM derive_pending;
