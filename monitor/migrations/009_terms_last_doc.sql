-- 009: the highest doc number the keyword index (005) ever gave, kept in one row. A dropped
-- doc's postings stay (readers keep live docs only), so its number must never be given again;
-- the highest live doc forgot a dropped highest doc (terms_orphans in a backfill that then
-- indexed nothing, or a refresh whose ids were all gone), and the next article indexed got
-- that number and the dropped article's words. monitor/terms.py reads and raises it.
--
-- Existing stores start at the highest doc of the live docs and of the postings (a store
-- that already reused a number keeps its stale postings, but no number is reused again).

CREATE TABLE terms_last_doc (
    doc  INTEGER NOT NULL
);

INSERT INTO terms_last_doc
SELECT greatest(
    (SELECT coalesce(max(doc), 0) FROM terms_docs),
    (SELECT coalesce(max(list_max(docs)), 0) FROM terms_postings)
);
