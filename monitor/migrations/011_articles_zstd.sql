-- 011: articles.raw_content compressed with ZSTD (round 15, write15).
--
-- DuckDB 2.0's automatic choice for it is DICT_FSST (the feeds' raw HTML/text, ~4.5 KB an
-- article on the synthetic corpus), whose compression is the largest part of checkpointing a
-- new article's rows. Checkpointing 2,000 new articles (synth, a 20k store, CPU): 0.155 ->
-- 0.10 s; the table 345 -> 296 MiB. No page reads raw_content (page_article does not; export
-- and reprocess's stored_entries scan it). `text` stays DICT_FSST: ZSTD there would save as
-- much again but the keyword index verifies phrases on scattered rows' text, which took 2.3x
-- as long (170-195 -> 406-442 ms for one phrase at 100k stored).
-- DuckDB has no ALTER for a column's compression, so the table is rebuilt: the same columns,
-- rows and storage order (INSERT ... SELECT keeps it; an ORDER BY rowid sorted 100k articles
-- in memory and ran out of 512 MB). 100k stored: 12 s of CPU; bench_queries' 1M store (no
-- raw_content) 27 s, peak RSS 661 MB. The freed blocks stay in the file until new rows reuse
-- them (that 1M file: 1.49 -> 2.28 GB right after).
-- End to end (a 20k day, quiet machine, `ROUNDS=3 benchmarks/ab_revisions.sh d5681b7 9478fb1
-- 7fa58ad -- --articles 20000 --runs 1 --workers 2`, 7fa58ad = 9478fb1 + this): 878/867/887
-- -> 966/951/944 items/s, CPU 2.06 -> 1.88-1.93 ms/item, main process 0.90 -> 0.80-0.82.
CREATE TABLE articles_zstd (
    id                VARCHAR PRIMARY KEY,
    feed              VARCHAR NOT NULL,
    guid              VARCHAR,
    url               VARCHAR,
    title             VARCHAR,
    published         TIMESTAMP NOT NULL,
    published_source  VARCHAR NOT NULL,    -- published | updated | fetched | header
    fetched_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    author            VARCHAR,
    language          VARCHAR,
    summary           VARCHAR,
    raw_content       VARCHAR USING COMPRESSION zstd,
    raw_kind          VARCHAR NOT NULL,    -- html | text | scraped | page
    content_hash      VARCHAR NOT NULL,    -- of the raw input: an unchanged re-poll is a no-op
    text              VARCHAR,             -- cleaned paragraphs joined by a blank line
    story_id          VARCHAR,             -- id of the story's canonical (earliest) copy
    story_similarity  DOUBLE,
    tags              VARCHAR[]
);
INSERT INTO articles_zstd SELECT * FROM articles;
DROP TABLE articles;
ALTER TABLE articles_zstd RENAME TO articles;
