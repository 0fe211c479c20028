-- name: terms_last_doc
-- The highest doc number ever given (migration 009): a new doc is always above it, so no
-- dropped doc's postings can count for a new article.
SELECT doc FROM terms_last_doc;
