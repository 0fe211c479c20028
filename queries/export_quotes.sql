-- name: export_quotes
-- Quotes in the filtered articles (by the chosen speakers when given), oldest first.
SELECT q.article_id, q.seq, q.story_id, q.feed AS source, a.url, a.title, q.published,
       q.speaker, q.speaker_id, q.speaker_kind, q.speaker_role, q.speaker_country,
       q.spokesperson, q.cue, q.partial, q.text AS quote
FROM quotes q JOIN articles a ON a.id = q.article_id
WHERE q.article_id IN (SELECT id FROM _f)
  AND ($speakers IS NULL OR q.speaker = ANY($speakers::VARCHAR[]))
  AND (NOT $spokes OR q.spokesperson)
ORDER BY q.published, q.article_id, q.seq;
