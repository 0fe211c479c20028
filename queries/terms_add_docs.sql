-- name: terms_add_docs
-- Register the articles in _terms_new(r, id, doc) as live docs.
INSERT INTO terms_docs (doc, h, article_id)
SELECT doc, hash(id), id FROM _terms_new;
