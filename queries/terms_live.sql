-- name: terms_live
-- Every live doc: what NOT subtracts from on the index path (filters are applied at the end).
SELECT doc FROM terms_docs;
