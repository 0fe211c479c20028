-- name: agg_pending_any
-- Whether any article is pending (derive_pending, migration 008): aggregates.refresh then
-- records the cells it recomputes as counting pending articles (migration 010).
SELECT EXISTS (SELECT 1 FROM derive_pending) AS pending;
