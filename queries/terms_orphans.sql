-- name: terms_orphans
-- Drop the docs of articles that no longer exist (deleted without a re-index).
DELETE FROM terms_docs
WHERE article_id NOT IN (SELECT id FROM articles);
