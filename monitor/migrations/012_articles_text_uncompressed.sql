-- 012: articles.text stored uncompressed (round 16).
--
-- DuckDB 2.0's automatic choice for the cleaned text is DICT_FSST, whose compression is the
-- largest cost left in checkpointing a new article (raw_content went to ZSTD in 011) and most
-- of the cost of merging the articles' row groups. 100k articles of the synthetic corpus,
-- appended 4,000 per checkpoint, then one merging checkpoint, one DuckDB thread
-- (/work/notes/r16/textcomp.py): checkpoints 3.92 -> 0.53 s of CPU, the merge 4.63 -> 1.21 s.
-- Reads get faster too: the keyword index's phrase check over 5,000 scattered articles 240 ->
-- 145 ms, a full regex scan 1.40 -> 1.29 s. The price is disk: the column is 2.3x as large on
-- the synthetic texts (425 -> 992 MB at 100k). ZSTD would be the smallest (101 MB) and cheap
-- to write (1.11 s) but made the phrase check 1.6-2.3x slower (394 ms; 011's note).
-- As in 011, the table is rebuilt (no ALTER changes a column's compression): the same
-- columns, rows, storage order and key.
CREATE TABLE articles_v12 (
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
    text              VARCHAR USING COMPRESSION uncompressed,  -- cleaned paragraphs, blank-line joined
    story_id          VARCHAR,             -- id of the story's canonical (earliest) copy
    story_similarity  DOUBLE,
    tags              VARCHAR[]
);
INSERT INTO articles_v12 SELECT * FROM articles;
DROP TABLE articles;
ALTER TABLE articles_v12 RENAME TO articles;
