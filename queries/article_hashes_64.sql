-- name: article_hashes_64
-- article_hashes for up to 64 ids ($id0..$id63, padded by repeating an id): binding costs
-- about linearly in the parameters (16/32/64/128: ~0.9/1.1/1.5/2.1 CPU ms per probe), and an
-- import's batches are mostly one feed file of 20-60 items. Answered from the primary key's
-- index like the others (~1.6 ms at 1M stored ids).
SELECT id, content_hash
FROM articles
WHERE id IN (
    $id0, $id1, $id2, $id3, $id4, $id5, $id6, $id7,
    $id8, $id9, $id10, $id11, $id12, $id13, $id14, $id15,
    $id16, $id17, $id18, $id19, $id20, $id21, $id22, $id23,
    $id24, $id25, $id26, $id27, $id28, $id29, $id30, $id31,
    $id32, $id33, $id34, $id35, $id36, $id37, $id38, $id39,
    $id40, $id41, $id42, $id43, $id44, $id45, $id46, $id47,
    $id48, $id49, $id50, $id51, $id52, $id53, $id54, $id55,
    $id56, $id57, $id58, $id59, $id60, $id61, $id62, $id63
);
