-- name: article_hashes
-- Content hashes of the stored articles whose ids are in the registered `_probe` table.
SELECT a.id, a.content_hash
FROM articles AS a
JOIN _probe AS p ON p.id = a.id;
