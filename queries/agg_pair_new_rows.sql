-- name: agg_pair_new_rows
-- The country pairs of the articles in _pair_new(id, story, n) (not yet counted, in cells
-- that are not recomputed: aggregates.derive), one row per article and pair with its cell,
-- story and story size, kept as the transaction's TEMP table _pair_rows for the additive
-- pair statements. Same pairs as agg_insert_pairs ($lo/$hi prune the mentions scan).
CREATE OR REPLACE TEMP TABLE _pair_rows AS
WITH m AS (
    SELECT DISTINCT m.article_id, date_trunc('hour', m.published) AS hour, m.feed, c.story,
           c.n, m.entity_id, m.name
    FROM mentions m JOIN _pair_new c ON c.id = m.article_id
    WHERE m.kind = 'country' AND m.published >= $lo AND m.published < $hi
)
SELECT a.hour, a.feed, a.entity_id AS country_a, a.name AS name_a, b.entity_id AS country_b,
       b.name AS name_b, a.story, a.n
FROM m a JOIN m b ON a.article_id = b.article_id AND a.entity_id < b.entity_id;
