-- 004: pre-aggregated country co-mentions, article counts and quoted articles' mentions (pairs of countries named in the same article) per
-- cell = one hour of one feed, maintained with migration 003's cells by monitor/aggregates.py
-- in the ingest transaction; the Countries page reads them when only dates/sources filter.
--
-- agg_pair_cells: per cell and pair (country_a < country_b, with the names the mentions carry),
--   the distinct articles naming both and how many of those are the only copy of their story.
-- agg_pair_spread: the multi-copy stories per cell and pair; story counts over any set of
--   cells are sum(solo_stories) + count(DISTINCT story) over these rows (as in 003).
-- agg_article_cells / agg_article_spread: the same for the articles themselves.

CREATE TABLE agg_pair_cells (
    hour          TIMESTAMP NOT NULL,
    feed          VARCHAR NOT NULL,
    country_a     VARCHAR NOT NULL,
    name_a        VARCHAR NOT NULL,
    country_b     VARCHAR NOT NULL,
    name_b        VARCHAR NOT NULL,
    articles      INTEGER NOT NULL,
    solo_stories  INTEGER NOT NULL
);

CREATE TABLE agg_pair_spread (
    hour       TIMESTAMP NOT NULL,
    feed       VARCHAR NOT NULL,
    country_a  VARCHAR NOT NULL,
    name_a     VARCHAR NOT NULL,
    country_b  VARCHAR NOT NULL,
    name_b     VARCHAR NOT NULL,
    story      VARCHAR NOT NULL
);

-- Articles per cell, the same way (the Overview's articles per source, the article counts).
CREATE TABLE agg_article_cells (
    hour          TIMESTAMP NOT NULL,
    feed          VARCHAR NOT NULL,
    articles      INTEGER NOT NULL,
    solo_stories  INTEGER NOT NULL
);

CREATE TABLE agg_article_spread (
    hour   TIMESTAMP NOT NULL,
    feed   VARCHAR NOT NULL,
    story  VARCHAR NOT NULL
);

-- Mention cells of the articles that quote anyone (the Officials page's speaker topics when no
-- speaker is chosen), the same way as 003's agg_mention_cells / agg_mention_spread.
CREATE TABLE agg_quoted_cells (
    hour          TIMESTAMP NOT NULL,
    feed          VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,
    entity_id     VARCHAR NOT NULL,
    name          VARCHAR NOT NULL,
    articles      INTEGER NOT NULL,
    solo_stories  INTEGER NOT NULL
);

CREATE TABLE agg_quoted_spread (
    hour       TIMESTAMP NOT NULL,
    feed       VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL,
    entity_id  VARCHAR NOT NULL,
    story      VARCHAR NOT NULL
);

-- existing data (same SQL as the queries/agg_insert_*.sql of these tables)
CREATE TEMP TABLE _agg_sizes AS
SELECT coalesce(story_id, id) AS story, count(*) AS n FROM articles GROUP BY ALL;

CREATE TEMP TABLE _agg_articles AS
SELECT date_trunc('hour', a.published) AS hour, a.feed, s.story, s.n
FROM articles a JOIN _agg_sizes s ON s.story = coalesce(a.story_id, a.id);

INSERT INTO agg_article_cells
SELECT hour, feed, count(*), count(*) FILTER (WHERE n = 1) FROM _agg_articles
GROUP BY ALL ORDER BY hour;

INSERT INTO agg_article_spread
SELECT DISTINCT hour, feed, story FROM _agg_articles WHERE n > 1 ORDER BY hour;

DROP TABLE _agg_articles;

CREATE TEMP TABLE _agg_countries AS
SELECT DISTINCT m.article_id, date_trunc('hour', m.published) AS hour, m.feed, s.story, s.n,
       m.entity_id, m.name
FROM mentions m JOIN _agg_sizes s ON s.story = coalesce(m.story_id, m.article_id)
WHERE m.kind = 'country';

INSERT INTO agg_pair_cells
SELECT a.hour, a.feed, a.entity_id, a.name, b.entity_id, b.name, count(*),
       count(*) FILTER (WHERE a.n = 1)
FROM _agg_countries a JOIN _agg_countries b
    ON a.article_id = b.article_id AND a.entity_id < b.entity_id
GROUP BY ALL
ORDER BY a.hour;

INSERT INTO agg_pair_spread
SELECT DISTINCT a.hour, a.feed, a.entity_id, a.name, b.entity_id, b.name, a.story
FROM _agg_countries a JOIN _agg_countries b
    ON a.article_id = b.article_id AND a.entity_id < b.entity_id
WHERE a.n > 1
ORDER BY a.hour;

CREATE TEMP TABLE _agg_quoted AS
SELECT DISTINCT date_trunc('hour', m.published) AS hour, m.feed, m.kind, m.entity_id, m.name,
       m.article_id, s.story, s.n
FROM mentions m JOIN _agg_sizes s ON s.story = coalesce(m.story_id, m.article_id)
WHERE m.article_id IN (SELECT article_id FROM quotes);

INSERT INTO agg_quoted_cells
SELECT hour, feed, kind, entity_id, any_value(name), count(DISTINCT article_id),
       count(DISTINCT article_id) FILTER (WHERE n = 1)
FROM _agg_quoted GROUP BY hour, feed, kind, entity_id ORDER BY hour;

INSERT INTO agg_quoted_spread
SELECT DISTINCT hour, feed, kind, entity_id, story FROM _agg_quoted WHERE n > 1 ORDER BY hour;

DROP TABLE _agg_quoted;
DROP TABLE _agg_countries;
DROP TABLE _agg_sizes;
