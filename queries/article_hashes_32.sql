-- name: article_hashes_32
-- article_hashes for up to 32 ids ($id0..$id31, padded by repeating an id): binding costs
-- about linearly in the parameters (16/32/64/128: ~0.9/1.1/1.5/2.1 CPU ms per probe), and an
-- import's batches are mostly one feed file of 20-60 items. Answered from the primary key's
-- index like the others (~1.6 ms at 1M stored ids).
SELECT id, content_hash
FROM articles
WHERE id IN (
    $id0, $id1, $id2, $id3, $id4, $id5, $id6, $id7,
    $id8, $id9, $id10, $id11, $id12, $id13, $id14, $id15,
    $id16, $id17, $id18, $id19, $id20, $id21, $id22, $id23,
    $id24, $id25, $id26, $id27, $id28, $id29, $id30, $id31
);
