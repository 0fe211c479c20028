-- name: page_entity_series
-- Mentions over time of the $top most mentioned entities of $kind (or of $entities when
-- given) in the filtered articles. A mention counts once per story ($unique) or per article.
WITH m AS (
    SELECT entity_id, name, published,
           CASE WHEN $unique THEN coalesce(story_id, article_id) ELSE article_id END AS unit
    FROM mentions
    WHERE kind = $kind
      AND article_id IN (SELECT id FROM _f)
      AND ($entities IS NULL OR entity_id = ANY($entities::VARCHAR[]))
),
top AS (
    SELECT entity_id FROM m GROUP BY entity_id
    ORDER BY count(DISTINCT unit) DESC, entity_id LIMIT $top
)
SELECT date_trunc($bucket, published) AS bucket, entity_id, any_value(name) AS name,
       count(DISTINCT unit) AS mentions
FROM m
WHERE entity_id IN (SELECT entity_id FROM top)
GROUP BY ALL
ORDER BY bucket, entity_id;
