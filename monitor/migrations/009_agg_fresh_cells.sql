-- 009: the (hour, feed) cells recomputed from the stored rows since the last derive step
-- (monitor/aggregates.py). A recompute outside the derive step (the cells an update leaves,
-- Ingestor._write) counts every article of the cell, pending ones included; the derive step
-- then recomputes these cells again instead of adding its articles' country pairs to them,
-- so no article is counted twice. Emptied whole by every derive step; no key or index.

CREATE TABLE agg_fresh_cells (
    hour  TIMESTAMP NOT NULL,
    feed  VARCHAR NOT NULL
);
