-- name: terms_set_last_doc
-- Record the highest doc number given (migration 009), in the transaction that wrote it.
UPDATE terms_last_doc SET doc = $doc;
