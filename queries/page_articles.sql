-- name: page_articles
-- The filtered articles with their matched entities and story size, sorted by $sort (one of
-- published, source, title, story_size, mentions; validated by the caller) and $descending.
-- Sorted by an article column, the page's rows are picked first (the same ordering, top-N)
-- so entities and story sizes are computed for $limit articles, not for every match.
-- With $unique, one row per story: its earliest matching copy.
WITH keys AS MATERIALIZED (
    SELECT id, published, coalesce(story_id, id) AS story
    FROM articles
    WHERE (NOT $use_f OR id IN (SELECT id FROM _f))
      AND ($since IS NULL OR published >= $since) AND ($until IS NULL OR published < $until)
      AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]))
),
-- Top-N first for the default view (newest first, one row per story): a story's row is its
-- earliest copy, so when the newest 4 x $limit articles hold at least $limit earliest
-- copies, every other story's row is older than all of them and the page is among them;
-- else (or sorted otherwise) every story is a candidate.
win AS MATERIALIZED (
    SELECT id, published, story FROM keys
    WHERE $unique AND $descending AND $sort = 'published'
    ORDER BY published DESC, id
    LIMIT 4 * $limit
),
firsts AS (
    SELECT id FROM keys WHERE story IN (SELECT story FROM win)
    QUALIFY row_number() OVER (PARTITION BY story ORDER BY published, id) = 1
),
reps AS MATERIALIZED (SELECT id, published FROM win WHERE id IN (SELECT id FROM firsts)),
fast AS (SELECT count(*) >= $limit AND $limit > 0 AS ok FROM reps),
candidates AS MATERIALIZED (
    SELECT id, published FROM reps WHERE (SELECT ok FROM fast)
    UNION ALL
    (SELECT id, published FROM keys WHERE NOT (SELECT ok FROM fast)
     QUALIFY NOT $unique OR row_number() OVER (PARTITION BY story ORDER BY published, id) = 1)
),
-- the other columns only for the candidates (their time span bounds the scan: zone maps)
f AS (
    SELECT id, published, feed, title, url, language, story_id
    FROM articles
    WHERE id IN (SELECT id FROM candidates)
      AND published >= (SELECT min(published) FROM candidates)
      AND published <= (SELECT max(published) FROM candidates)
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
    FROM mentions
    WHERE article_id IN (SELECT id FROM picked)  -- a mention carries its article's time
      AND published >= (SELECT min(published) FROM picked)
      AND published <= (SELECT max(published) FROM picked)
    GROUP BY article_id
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
