-- name: export_articles
-- Filtered articles for export (the caller registers the filtered ids as _f), oldest first,
-- one row per story when $unique (its earliest matching copy), with the ISO codes of the countries and the canonical names of the officials they mention.
WITH ents AS (
    SELECT article_id,
           list(DISTINCT entity_id ORDER BY entity_id) FILTER (WHERE kind = 'country') AS countries,
           list(DISTINCT name ORDER BY name) FILTER (WHERE kind = 'official') AS officials
    FROM mentions WHERE article_id IN (SELECT id FROM _f) GROUP BY article_id
)
SELECT a.id, a.story_id, a.feed AS source, a.url, a.title, a.published, a.language,
       a.author, a.text, coalesce(e.countries, []) AS countries,
       coalesce(e.officials, []) AS officials
FROM articles a LEFT JOIN ents e ON e.article_id = a.id
WHERE a.id IN (SELECT id FROM _f)
QUALIFY NOT $unique
    OR row_number() OVER (PARTITION BY coalesce(a.story_id, a.id) ORDER BY a.published, a.id) = 1
ORDER BY a.published, a.id;
