-- name: terms_in_step
-- Whether the keyword index covers the stored articles: as many live docs as articles, not
-- counting new articles still waiting in derive_pending (008) for the ingestor's next derive
-- step (every writer of articles re-indexes what it wrote; stores built otherwise are rebuilt
-- or scanned). An updated article waiting there still has its previous doc.
SELECT (SELECT count(*) FROM articles) = (SELECT count(*) FROM terms_docs) + (
    SELECT count(DISTINCT p.article_id)
    FROM derive_pending p
    WHERE NOT EXISTS (
        SELECT 1 FROM terms_docs d WHERE d.h = hash(p.article_id) AND d.article_id = p.article_id
    )
);
