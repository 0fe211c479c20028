-- name: agg_fresh_pending
-- After aggregates.rebuild (every cell counts every stored article): record the cells of the
-- pending articles (derive_pending) as fresh, so the next derive step recomputes them.
INSERT INTO agg_fresh_cells
SELECT DISTINCT date_trunc('hour', published) AS hour, feed FROM articles
WHERE id IN (SELECT article_id FROM derive_pending);
