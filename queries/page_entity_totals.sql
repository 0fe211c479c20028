-- name: page_entity_totals
-- Total mentions per entity of $kind in the filtered articles (map, tables, options).
SELECT entity_id, any_value(name) AS name,
       count(DISTINCT CASE WHEN $unique THEN coalesce(story_id, article_id) ELSE article_id END)
           AS mentions,
       bool_or(spokesperson) AS spokesperson
FROM mentions
WHERE kind = $kind AND article_id IN (SELECT id FROM _f)
GROUP BY entity_id
ORDER BY mentions DESC, entity_id;
