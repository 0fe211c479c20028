-- name: terms_max_doc
-- The newest live doc number (doc sets are bitmaps up to it).
SELECT coalesce(max(doc), 0) FROM terms_docs;
