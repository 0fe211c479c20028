-- name: page_quotes
-- Quotes in the filtered articles by the chosen speakers (all when NULL), syndicated copies
-- collapsed: one row per speaker and quote text, with how many outlets and copies carried it.
-- Top-N first: a group's last_seen is its newest quote, so when the groups of the newest
-- 4 x $limit quotes number at least $limit, every other group is older than all of them and
-- the page's groups are among them (else every group is a candidate); only the candidates'
-- quotes are aggregated, and articles are read for the page's rows only.
WITH q AS (
    SELECT q.article_id, q.speaker, q.speaker_role, q.spokesperson, q.text, q.published, q.feed
    FROM quotes q
    WHERE (NOT $use_f OR q.article_id IN (SELECT id FROM _f))
      AND ($since IS NULL OR q.published >= $since) AND ($until IS NULL OR q.published < $until)
      AND ($sources IS NULL OR q.feed = ANY($sources::VARCHAR[]))
      AND ($speakers IS NULL OR q.speaker = ANY($speakers::VARCHAR[]))
      AND (NOT $spokes OR q.spokesperson)
      AND NOT q.partial
),
cut AS (
    SELECT min(published) AS t FROM (SELECT published FROM q ORDER BY published DESC LIMIT 4 * $limit)
),
recent AS (
    SELECT DISTINCT coalesce(speaker, '') AS skey, lower(text) AS tkey
    FROM q WHERE published >= (SELECT t FROM cut)
),
enough AS (SELECT count(*) >= $limit AS ok FROM recent),
candidates AS (
    SELECT skey, tkey FROM recent WHERE (SELECT ok FROM enough)
    UNION ALL
    SELECT DISTINCT coalesce(speaker, ''), lower(text) FROM q WHERE NOT (SELECT ok FROM enough)
),
groups AS (
    SELECT any_value(q.speaker) AS speaker, any_value(q.speaker_role) AS role,
           bool_or(q.spokesperson) AS spokesperson, any_value(q.text) AS quote,
           min(q.published) AS first_seen, max(q.published) AS last_seen,
           count(DISTINCT q.feed) AS outlets, count(*) AS copies,
           arg_min(q.feed, q.published) AS first_source,
           arg_min(q.article_id, q.published) AS article_id
    FROM q SEMI JOIN candidates c
        ON c.skey = coalesce(q.speaker, '') AND c.tkey = lower(q.text)
    GROUP BY coalesce(q.speaker, ''), lower(q.text)
    ORDER BY last_seen DESC, speaker
    LIMIT $limit
)
SELECT g.speaker, g.role, g.spokesperson, g.quote, g.first_seen, g.last_seen, g.outlets,
       g.copies, g.first_source, a.url, a.title, g.article_id
FROM groups g LEFT JOIN articles a ON a.id = g.article_id
ORDER BY g.last_seen DESC, g.speaker;
