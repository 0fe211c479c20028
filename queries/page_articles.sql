-- name: page_articles
-- The filtered articles with their matched entities and story size, sorted by $sort (one of
-- published, source, title, story_size, mentions; validated by the caller) and $descending.
-- Sorted by an article column, the page's rows are picked first (the same ordering, top-N)
-- so entities and story sizes are computed for $limit articles, not for every match.
-- With $unique, one row per story: its earliest matching copy.
WITH f AS (
    SELECT id, published, feed, title, url, language, story_id
    FROM articles
    WHERE (NOT $use_f OR id IN (SELECT id FROM _f))
      AND ($since IS NULL OR published >= $since) AND ($until IS NULL OR published < $until)
      AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]))
    QUALIFY NOT $unique
        OR row_number() OVER (PARTITION BY coalesce(story_id, id) ORDER BY published, id) = 1
),
picked AS (
    SELECT * FROM f
    WHERE $sort IN ('story_size', 'mentions') OR id IN (
        SELECT id FROM f
        ORDER BY
            CASE WHEN $descending OR $sort <> 'published' THEN NULL ELSE epoch(published) END
                ASC NULLS LAST,
            CASE WHEN $descending AND $sort = 'published' THEN epoch(published) END
                DESC NULLS LAST,
            CASE WHEN $descending THEN NULL ELSE
                CASE $sort WHEN 'source' THEN feed WHEN 'title' THEN lower(title) END END
                ASC NULLS LAST,
            CASE WHEN $descending THEN
                CASE $sort WHEN 'source' THEN feed WHEN 'title' THEN lower(title) END END
                DESC NULLS LAST,
            published DESC, id
        LIMIT $limit)
),
sizes AS (
    SELECT story_id, count(*) AS story_size FROM articles
    WHERE story_id IN (SELECT story_id FROM picked) GROUP BY story_id
),
ents AS (
    SELECT article_id,
           list(DISTINCT entity_id ORDER BY entity_id) FILTER (WHERE kind = 'country') AS countries,
           list(DISTINCT name ORDER BY name) FILTER (WHERE kind = 'official') AS officials,
           count(*) AS mentions
    FROM mentions WHERE article_id IN (SELECT id FROM picked) GROUP BY article_id
),
rows AS (
    SELECT f.id, f.published, f.feed AS source, f.title, f.url, f.language,
           coalesce(s.story_size, 1) AS story_size, f.story_id,
           coalesce(e.countries, []) AS countries, coalesce(e.officials, []) AS officials,
           coalesce(e.mentions, 0) AS mentions
    FROM picked f LEFT JOIN sizes s USING (story_id) LEFT JOIN ents e ON e.article_id = f.id
)
SELECT * FROM rows
ORDER BY
    CASE WHEN $descending THEN NULL ELSE
        CASE $sort WHEN 'published' THEN epoch(published) WHEN 'story_size' THEN story_size
                   WHEN 'mentions' THEN mentions END END ASC NULLS LAST,
    CASE WHEN $descending THEN
        CASE $sort WHEN 'published' THEN epoch(published) WHEN 'story_size' THEN story_size
                   WHEN 'mentions' THEN mentions END END DESC NULLS LAST,
    CASE WHEN $descending THEN NULL ELSE
        CASE $sort WHEN 'source' THEN source WHEN 'title' THEN lower(title) END END ASC NULLS LAST,
    CASE WHEN $descending THEN
        CASE $sort WHEN 'source' THEN source WHEN 'title' THEN lower(title) END END DESC NULLS LAST,
    published DESC, id
LIMIT $limit;
