-- 006: day-grain copies of the mention pre-aggregates (003) over all feeds, for the entity
-- series (day/week buckets) and totals when no source is chosen. The filters' dates are whole
-- days, so summing days is exact; derived from the hour tables, maintained by
-- monitor/aggregates.py (the batch's days are recomputed from agg_mention_cells/spread).
--
-- agg_day_cells: per day, kind and entity: articles and solo stories summed over its cells.
-- agg_day_spread: the multi-copy stories per day, kind and entity (distinct over feeds).

CREATE TABLE agg_day_cells (
    day           TIMESTAMP NOT NULL,
    kind          VARCHAR NOT NULL,
    entity_id     VARCHAR NOT NULL,
    name          VARCHAR NOT NULL,
    articles      INTEGER NOT NULL,
    solo_stories  INTEGER NOT NULL,
    spokesperson  BOOLEAN NOT NULL
);

CREATE TABLE agg_day_spread (
    day        TIMESTAMP NOT NULL,
    kind       VARCHAR NOT NULL,
    entity_id  VARCHAR NOT NULL,
    story      VARCHAR NOT NULL
);

-- existing data (same SQL as queries/agg_insert_day_cells.sql / agg_insert_day_spread.sql)
INSERT INTO agg_day_cells
SELECT date_trunc('day', hour) AS day, kind, entity_id, any_value(name),
       sum(articles), sum(solo_stories), bool_or(spokesperson)
FROM agg_mention_cells
GROUP BY ALL
ORDER BY day, kind, entity_id;

INSERT INTO agg_day_spread
SELECT DISTINCT date_trunc('day', hour) AS day, kind, entity_id, story
FROM agg_mention_spread
ORDER BY day, kind, entity_id;

-- Country pairs (004's agg_pair_cells/spread) the same way, for co-mentions with no source
-- chosen: ~4x fewer rows than hour x feed (1M store: 4.5M vs 19.2M cells).
CREATE TABLE agg_day_pair_cells (
    day           TIMESTAMP NOT NULL,
    country_a     VARCHAR NOT NULL,
    name_a        VARCHAR NOT NULL,
    country_b     VARCHAR NOT NULL,
    name_b        VARCHAR NOT NULL,
    articles      INTEGER NOT NULL,
    solo_stories  INTEGER NOT NULL
);

CREATE TABLE agg_day_pair_spread (
    day        TIMESTAMP NOT NULL,
    country_a  VARCHAR NOT NULL,
    name_a     VARCHAR NOT NULL,
    country_b  VARCHAR NOT NULL,
    name_b     VARCHAR NOT NULL,
    story      VARCHAR NOT NULL
);

-- (same SQL as queries/agg_insert_day_pair_cells.sql / agg_insert_day_pair_spread.sql)
INSERT INTO agg_day_pair_cells
SELECT date_trunc('day', hour) AS day, country_a, name_a, country_b, name_b,
       sum(articles), sum(solo_stories)
FROM agg_pair_cells
GROUP BY ALL
ORDER BY day;

INSERT INTO agg_day_pair_spread
SELECT DISTINCT date_trunc('day', hour) AS day, country_a, name_a, country_b, name_b, story
FROM agg_pair_spread
ORDER BY day;
