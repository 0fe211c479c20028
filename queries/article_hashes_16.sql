-- name: article_hashes_16
-- article_hashes for up to 16 ids ($id0..$id15, padded by repeating an id): most batches of
-- a poll are a few items of one feed, and binding article_hashes' 128 parameters is most
-- of a small probe's cost (~2.1 vs ~0.8 CPU ms per probe of 10 ids, on 3,000 and on 1M
-- stored ids alike: the constant IN list is answered from the primary key's index).
SELECT id, content_hash
FROM articles
WHERE id IN (
    $id0, $id1, $id2, $id3, $id4, $id5, $id6, $id7,
    $id8, $id9, $id10, $id11, $id12, $id13, $id14, $id15
);
