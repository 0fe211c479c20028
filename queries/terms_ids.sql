-- name: terms_ids
-- Article ids of the docs in _terms_hits(doc) (stale docs of re-indexed articles drop out).
SELECT article_id
FROM terms_docs
WHERE doc IN (SELECT doc FROM _terms_hits);
