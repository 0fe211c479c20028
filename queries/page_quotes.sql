-- name: page_quotes
-- Quotes in the filtered articles by the chosen speakers (all when NULL), syndicated copies
-- collapsed: one row per speaker and quote text, with how many outlets and copies carried it.
SELECT any_value(q.speaker) AS speaker, any_value(q.speaker_role) AS role,
       bool_or(q.spokesperson) AS spokesperson, any_value(q.text) AS quote,
       min(q.published) AS first_seen, max(q.published) AS last_seen,
       count(DISTINCT q.feed) AS outlets, count(*) AS copies,
       arg_min(q.feed, q.published) AS first_source, arg_min(a.url, q.published) AS url,
       arg_min(a.title, q.published) AS title, arg_min(q.article_id, q.published) AS article_id
FROM quotes q JOIN articles a ON a.id = q.article_id
WHERE q.article_id IN (SELECT id FROM _f)
  AND ($speakers IS NULL OR q.speaker = ANY($speakers::VARCHAR[]))
  AND (NOT $spokes OR q.spokesperson)
  AND NOT q.partial
GROUP BY coalesce(q.speaker, ''), lower(q.text)
ORDER BY last_seen DESC, speaker
LIMIT $limit;
