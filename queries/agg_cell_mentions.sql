-- name: agg_cell_mentions
-- The mentions of the articles in _cell_articles(id, story, n), one row per article and
-- entity, kept as the transaction's TEMP table _cell_mentions: the mention and quoted cells
-- and spreads are four groupings of it (agg_insert_cells, agg_insert_spread,
-- agg_insert_quoted_cells, agg_insert_quoted_spread), so `mentions` is scanned and joined
-- once instead of four times, and "distinct articles" is a count(*) instead of two
-- count(DISTINCT) hash tables per statement. `quoted`: the article has a quote (004).
-- $lo/$hi bound the cells' hours so the mentions and quotes scans are pruned by zone maps.
CREATE OR REPLACE TEMP TABLE _cell_mentions AS
SELECT date_trunc('hour', m.published) AS hour, m.feed, m.kind, m.entity_id, m.article_id,
       c.story, c.n, any_value(m.name) AS name, bool_or(m.spokesperson) AS spokesperson,
       m.article_id IN (
           SELECT article_id FROM quotes WHERE published >= $lo AND published < $hi
       ) AS quoted
FROM mentions m JOIN _cell_articles c ON c.id = m.article_id
WHERE m.published >= $lo AND m.published < $hi
GROUP BY date_trunc('hour', m.published), m.feed, m.kind, m.entity_id, m.article_id, c.story,
         c.n;
