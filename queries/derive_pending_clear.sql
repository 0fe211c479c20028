-- name: derive_pending_clear
-- Forget the pending articles: run in the transaction that derives from them.
DELETE FROM derive_pending;
