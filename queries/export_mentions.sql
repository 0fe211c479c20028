-- name: export_mentions
-- Country and official mentions in the filtered articles, oldest first.
SELECT m.article_id, m.story_id, m.feed AS source, m.published, m.kind, m.entity_id, m.name,
       m.surface, m.via, m.spokesperson, m.start_pos, m.end_pos
FROM mentions m
WHERE m.article_id IN (SELECT id FROM _f)
ORDER BY m.published, m.article_id, m.start_pos;
