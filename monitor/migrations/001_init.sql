-- 001: initial schema. Times are naive TIMESTAMPs holding UTC.

CREATE TABLE feed_state (
    feed             VARCHAR PRIMARY KEY,   -- feed name from feeds.toml (or import:<file>)
    url              VARCHAR,
    etag             VARCHAR,
    last_modified    VARCHAR,
    last_fetch_at    TIMESTAMP,
    last_success_at  TIMESTAMP,
    last_status      INTEGER,
    last_error       VARCHAR,
    failures_in_row  INTEGER NOT NULL DEFAULT 0,
    next_poll_at     TIMESTAMP
);

CREATE SEQUENCE fetch_id_seq;
CREATE TABLE fetches (
    id              BIGINT PRIMARY KEY DEFAULT nextval('fetch_id_seq'),
    feed            VARCHAR NOT NULL,
    url             VARCHAR,
    started_at      TIMESTAMP NOT NULL,
    status          INTEGER,               -- HTTP status; NULL when no response arrived
    items_seen      INTEGER NOT NULL DEFAULT 0,
    items_new       INTEGER NOT NULL DEFAULT 0,
    items_updated   INTEGER NOT NULL DEFAULT 0,
    duration_ms     INTEGER,
    error           VARCHAR
);

CREATE TABLE articles (
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
    raw_content       VARCHAR,
    raw_kind          VARCHAR NOT NULL,    -- html | text | scraped | page
    content_hash      VARCHAR NOT NULL,    -- of the raw input: an unchanged re-poll is a no-op
    text              VARCHAR,             -- cleaned paragraphs joined by a blank line
    story_id          VARCHAR,             -- id of the story's canonical (earliest) copy
    story_similarity  DOUBLE,
    tags              VARCHAR[]
);

CREATE TABLE removed_spans (
    article_id  VARCHAR NOT NULL,
    seq         INTEGER NOT NULL,
    text        VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL
);

CREATE TABLE mentions (
    article_id   VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,         -- country | official
    entity_id    VARCHAR NOT NULL,         -- ISO alpha-2, registry id, or discovered:<name>
    name         VARCHAR NOT NULL,
    surface      VARCHAR NOT NULL,
    start_pos    INTEGER NOT NULL,
    end_pos      INTEGER NOT NULL,
    via          VARCHAR NOT NULL,
    spokesperson BOOLEAN NOT NULL DEFAULT FALSE,
    published    TIMESTAMP NOT NULL,       -- copied from the article: time series need no join
    feed         VARCHAR NOT NULL,
    story_id     VARCHAR
);

CREATE TABLE quotes (
    article_id          VARCHAR NOT NULL,
    seq                 INTEGER NOT NULL,
    text                VARCHAR NOT NULL,
    start_pos           INTEGER NOT NULL,
    end_pos             INTEGER NOT NULL,
    speaker             VARCHAR,
    speaker_id          VARCHAR,
    speaker_kind        VARCHAR NOT NULL,
    speaker_role        VARCHAR,
    speaker_country     VARCHAR,
    spokesperson        BOOLEAN NOT NULL DEFAULT FALSE,
    cue                 VARCHAR,
    speaker_via_pronoun BOOLEAN NOT NULL DEFAULT FALSE,
    partial             BOOLEAN NOT NULL DEFAULT FALSE,
    published           TIMESTAMP NOT NULL,
    feed                VARCHAR NOT NULL,
    story_id            VARCHAR
);

CREATE TABLE discovered_officials (
    name        VARCHAR PRIMARY KEY,
    title       VARCHAR,
    country     VARCHAR,
    first_seen  TIMESTAMP NOT NULL,
    last_seen   TIMESTAMP NOT NULL,
    articles    INTEGER NOT NULL DEFAULT 0,
    promoted    BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE learned_boilerplate (
    feed        VARCHAR NOT NULL,
    key         VARCHAR NOT NULL,
    text        VARCHAR NOT NULL,
    learned_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (feed, key)
);
