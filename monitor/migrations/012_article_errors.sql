-- 012: articles stored without (part of) their processing. When cleaning or extracting one
-- article raises (a bug of ours on some odd input), the article is stored anyway (its raw
-- content, and its cleaned text if cleaning worked, with no mentions or quotes) and the
-- error is kept here, one row per such article, so the rest of its batch goes in and the
-- user sees what went wrong and where (the feed-health page, `monitor errors`).
-- A row lives as long as the article's stored processing: an update of the article (a
-- changed item, `monitor reprocess`) deletes it, and records it again only if that
-- processing fails too. An unchanged re-poll is a no-op (content_hash), so it adds nothing.
CREATE TABLE article_errors (
    article_id   VARCHAR NOT NULL,
    feed         VARCHAR NOT NULL,
    url          VARCHAR,
    title        VARCHAR,
    stage        VARCHAR NOT NULL,      -- clean | extract (extraction and the story sketch)
    error_type   VARCHAR NOT NULL,      -- the exception's class name
    message      VARCHAR NOT NULL,
    traceback    VARCHAR,               -- where it was raised (a pool worker), its last 4,000 chars
    recorded_at  TIMESTAMP NOT NULL
);
