-- name: agg_pair_delta
-- The country pairs of the articles in _pair_delta(id, story, n, kind) (aggregates.derive),
-- one row per article and pair with its cell, story, story size and kind: 'add' (a new
-- article: one more article, solo when n = 1), 'flip' (an older copy counted as its story's
-- only one: one solo story less) or 'have' (an older copy of a multi-copy story in the cell of
-- a new copy: its pair spread rows exist). Kept as the transaction's TEMP table _pair_rows.
-- Same pairs as agg_insert_pairs ($lo/$hi prune the mentions scan).
CREATE OR REPLACE TEMP TABLE _pair_rows AS
WITH m AS (
    SELECT DISTINCT m.article_id, date_trunc('hour', m.published) AS hour, m.feed, c.story,
           c.n, c.kind, m.entity_id, m.name
    FROM mentions m JOIN _pair_delta c ON c.id = m.article_id
    WHERE m.kind = 'country' AND m.published >= $lo AND m.published < $hi
)
SELECT a.hour, a.feed, a.entity_id AS country_a, a.name AS name_a, b.entity_id AS country_b,
       b.name AS name_b, a.story, a.n, a.kind
FROM m a JOIN m b ON a.article_id = b.article_id AND a.entity_id < b.entity_id;
