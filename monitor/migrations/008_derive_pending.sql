-- 008: articles written but not yet folded into the derived data (the pre-aggregates of
-- 003/004/006 and the keyword index of 005).
--
-- The ingestor appends the ids of every batch it writes here, in the batch's transaction, and
-- derives from them in bigger steps (end of every poll cycle / import, and every few thousand
-- articles of a long import): one `aggregates.refresh` + `terms.refresh` over the union, and
-- the DELETE of these rows, in one transaction. A crash between the two leaves the rows here;
-- the next ingestor finishes them when it starts. An id may occur more than once (an article
-- written twice before the next derive step); readers take DISTINCT. No key or index: the
-- table holds at most a few thousand rows and is emptied whole.

CREATE TABLE derive_pending (
    article_id  VARCHAR NOT NULL
);
