-- name: article_hashes_id_keys
-- A 64-bit key per stored article id (the low 64 bits of its MD5, little-endian, as
-- stored_ids.id_key computes it in Python): the ingestor's filter of ids that may be stored
-- (monitor/stored_ids.py), read once per store. 1M ids: ~0.13 s of CPU, 8 MB as a column.
SELECT (md5_number(id) & 18446744073709551615)::UBIGINT AS k FROM articles;
