-- name: page_speaker_topics
-- What the chosen speakers talk about: countries and officials mentioned in the filtered
-- articles that quote them.
SELECT m.kind, m.entity_id, any_value(m.name) AS name,
       count(DISTINCT CASE WHEN $unique THEN coalesce(m.story_id, m.article_id)
                           ELSE m.article_id END) AS articles
FROM mentions m
WHERE m.article_id IN (SELECT id FROM _f)
  AND m.article_id IN (
        SELECT article_id FROM quotes
        WHERE ($speakers IS NULL OR speaker = ANY($speakers::VARCHAR[]))
          AND (NOT $spokes OR spokesperson))
GROUP BY m.kind, m.entity_id
ORDER BY articles DESC, m.entity_id
LIMIT $limit;
