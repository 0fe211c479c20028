-- name: page_quotes
-- Quotes in the filtered articles by the chosen speakers (all when NULL), syndicated copies
-- collapsed: one row per speaker and quote text, with how many outlets and copies carried it.
-- Top-N first: a group's last_seen is its newest quote, so when the groups of the newest
-- 4 x $limit quotes number at least $limit, every other group is older than all of them and
-- the page's groups are among them (else every group is a candidate); only the candidates'
-- quotes are aggregated, and articles are read for the page's rows only.
-- Narrow first: the group keys are computed once per quote (with the row id) and only the
-- candidates' rows are fetched whole (the full rows of every quote were materialised before:
-- ~20% of this query's CPU at 1M quotes).
WITH q AS NOT MATERIALIZED (
    SELECT q.rowid AS r, q.article_id, q.speaker, q.speaker_role, q.spokesperson, q.text, q.published, q.feed
    FROM quotes q
    WHERE (NOT $use_f OR q.article_id IN (SELECT id FROM _f))
      AND ($since IS NULL OR q.published >= $since) AND ($until IS NULL OR q.published < $until)
      AND ($sources IS NULL OR q.feed = ANY($sources::VARCHAR[]))
      AND ($speakers IS NULL OR q.speaker = ANY($speakers::VARCHAR[]))
      AND (NOT $spokes OR q.spokesperson)
      AND NOT q.partial
),
keys AS MATERIALIZED (
    SELECT r, published, coalesce(speaker, '') AS skey, lower(text) AS tkey FROM q
),
cut AS (
    SELECT min(published) AS t FROM (SELECT published FROM keys ORDER BY published DESC LIMIT 4 * $limit)
),
recent AS (
    SELECT DISTINCT skey, tkey FROM keys WHERE published >= (SELECT t FROM cut)
),
enough AS (SELECT count(*) >= $limit AS ok FROM recent),
candidates AS (
    SELECT skey, tkey FROM recent WHERE (SELECT ok FROM enough)
    UNION ALL
    SELECT DISTINCT skey, tkey FROM keys WHERE NOT (SELECT ok FROM enough)
),
hits AS MATERIALIZED (
    SELECT k.r, k.skey, k.tkey FROM keys k SEMI JOIN candidates c ON c.skey = k.skey AND c.tkey = k.tkey
),
groups AS (
    SELECT any_value(q.speaker) AS speaker, any_value(q.speaker_role) AS role,
           bool_or(q.spokesperson) AS spokesperson, any_value(q.text) AS quote,
           min(q.published) AS first_seen, max(q.published) AS last_seen,
           count(DISTINCT q.feed) AS outlets, count(*) AS copies,
           arg_min(q.feed, q.published) AS first_source,
           arg_min(q.article_id, q.published) AS article_id
    FROM quotes q JOIN hits h ON h.r = q.rowid
    GROUP BY h.skey, h.tkey
    ORDER BY last_seen DESC, speaker
    LIMIT $limit
)
SELECT g.speaker, g.role, g.spokesperson, g.quote, g.first_seen, g.last_seen, g.outlets,
       g.copies, g.first_source, a.url, a.title, g.article_id
FROM groups g LEFT JOIN articles a ON a.id = g.article_id
ORDER BY g.last_seen DESC, g.speaker;
