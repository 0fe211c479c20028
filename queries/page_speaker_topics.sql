-- name: page_speaker_topics
-- What the chosen speakers talk about: countries and officials mentioned in the filtered
-- articles that quote them.
SELECT m.kind, m.entity_id, any_value(m.name) AS name,
       count(DISTINCT CASE WHEN $unique THEN coalesce(m.story_id, m.article_id)
                           ELSE m.article_id END) AS articles
FROM mentions m
WHERE (NOT $use_f OR m.article_id IN (SELECT id FROM _f))
  AND ($since IS NULL OR m.published >= $since) AND ($until IS NULL OR m.published < $until)
  AND ($sources IS NULL OR m.feed = ANY($sources::VARCHAR[]))
  AND m.article_id IN (
        SELECT article_id FROM quotes
        WHERE ($since IS NULL OR published >= $since) AND ($until IS NULL OR published < $until)
          AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]))
          AND ($speakers IS NULL OR speaker = ANY($speakers::VARCHAR[]))
          AND (NOT $spokes OR spokesperson))
GROUP BY m.kind, m.entity_id
ORDER BY articles DESC, m.entity_id
LIMIT $limit;
