-- 002: what the hardened fetcher remembers per feed. Times are naive TIMESTAMPs holding UTC.
-- (DuckDB cannot add a column with a NOT NULL constraint; the poller never writes NULL here.)

ALTER TABLE feed_state ADD COLUMN gone BOOLEAN DEFAULT FALSE;         -- 410 Gone: polling stopped
ALTER TABLE feed_state ADD COLUMN retry_after TIMESTAMP;              -- server's Retry-After
ALTER TABLE feed_state ADD COLUMN fetch_url VARCHAR;                  -- adopted permanent redirect
ALTER TABLE feed_state ADD COLUMN moved_to VARCHAR;                   -- candidate permanent redirect
ALTER TABLE feed_state ADD COLUMN redirect_count INTEGER DEFAULT 0;   -- polls in a row moved_to held
