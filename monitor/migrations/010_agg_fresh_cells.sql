-- 010: the (hour, feed) cells recomputed from the stored rows outside a derive step since the
-- last one (monitor/aggregates.py). Such a recompute (the cells an update leaves, Ingestor._write;
-- a rebuild) counts every article of its cells, pending ones included, with the story sizes
-- of that moment; aggregates.derive then recomputes these cells' country pairs again instead
-- of adding its articles' pairs to them, so no article is counted twice. Emptied whole by
-- every derive step; a cell listed in vain only costs a recompute. No key or index.

CREATE TABLE agg_fresh_cells (
    hour  TIMESTAMP NOT NULL,
    feed  VARCHAR NOT NULL
);
