-- name: agg_append_pairs
-- The country pairs of the articles in _append_articles (agg_append_articles), one row per
-- article and pair (country_a < country_b, with the names the mentions carry, as migration
-- 004 groups them), kept as the transaction's TEMP table _append_pairs for the four pair
-- tables (hour and day, cells and spread). $lo/$hi bound the mentions scan.
CREATE OR REPLACE TEMP TABLE _append_pairs AS
WITH m AS (
    SELECT DISTINCT m.article_id, date_trunc('hour', m.published) AS hour, m.feed, c.story,
           c.n, c.new, m.entity_id, m.name
    FROM mentions m JOIN _append_articles c ON c.id = m.article_id
    WHERE m.kind = 'country' AND m.published >= $lo AND m.published < $hi
)
SELECT a.hour, a.feed, a.entity_id AS country_a, a.name AS name_a, b.entity_id AS country_b,
       b.name AS name_b, a.story, a.n, a.new
FROM m a JOIN m b ON a.article_id = b.article_id AND a.entity_id < b.entity_id;
