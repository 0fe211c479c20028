-- name: agg_fresh_pending
-- After aggregates.rebuild (every cell counts every stored article, with the story sizes of
-- now): record the cells of every copy of the pending articles' stories (derive_pending) as
-- fresh, so the next derive step recomputes their country pairs (migration 010).
INSERT INTO agg_fresh_cells
SELECT DISTINCT date_trunc('hour', published) AS hour, feed FROM articles
WHERE coalesce(story_id, id) IN (
    SELECT coalesce(story_id, id) FROM articles
    WHERE id IN (SELECT article_id FROM derive_pending)
);
