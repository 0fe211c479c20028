-- 005: keyword search index (monitor/terms.py maintains it, monitor/keyword.py reads it).
--
-- terms_docs: one row per indexed article: `doc` is a small integer key (assigned in indexing
--   order, never reused); re-indexing an article (an update) deletes its row and adds a new
--   doc, so postings of the old doc stop counting (they are matched against live docs only).
-- terms_postings: per indexing batch (or rebuild chunk) and token, the docs containing it.
--   A token is a maximal run of `(?i)[\pL\pN_]` (exactly the word characters of the RE2
--   patterns in keyword.py), normalised by terms_fold_text and terms_fold_token.
--
-- terms_fold_text(t) then terms_fold_token(token): a token's form is the same exactly when RE2's
--   (?i) says two tokens are equal. fold_text (on whole texts, before splitting; cheap) lower-
--   cases, maps ſ->s and keeps İ (U+0130) apart from i (lower() maps it to i, RE2 does not fold
--   them) by turning it into ſ, now free; both are letters, so the word characters stay the
--   same. fold_token (on distinct tokens only; translate is slow) maps the remaining characters
--   to one representative of their RE2 case-fold orbit: µ->μ, ς->σ, ϐ->β, ϑ->θ, ϕ->φ, ϖ->π,
--   ϰ->κ, ϱ->ρ, ϵ->ε, U+0345/U+1FBE->ι, the old Cyrillic letter variants U+1C80-1C88, ẛ->ṡ.
--   tests/test_terms.py checks both against RE2 for every cased character.

CREATE MACRO terms_fold_text(t) AS lower(replace(replace(t, chr(383), 's'), chr(304), chr(383)));

CREATE MACRO terms_fold_token(t) AS translate(
    t,
    chr(181) || chr(837) || chr(962) || chr(976) || chr(977) || chr(981) || chr(982)
        || chr(1008) || chr(1009) || chr(1013) || chr(7296) || chr(7297) || chr(7298)
        || chr(7299) || chr(7300) || chr(7301) || chr(7302) || chr(7303) || chr(7304)
        || chr(7835) || chr(8126),
    chr(956) || chr(953) || chr(963) || chr(946) || chr(952) || chr(966) || chr(960)
        || chr(954) || chr(961) || chr(949) || chr(1074) || chr(1076) || chr(1086)
        || chr(1089) || chr(1090) || chr(1090) || chr(1098) || chr(1123) || chr(42571)
        || chr(7777) || chr(953)
);

CREATE TABLE terms_docs (
    doc         INTEGER NOT NULL,
    h           UBIGINT NOT NULL,      -- hash(article_id): finding an article's doc reads ints
    article_id  VARCHAR NOT NULL
);

-- refresh looks up the articles it re-indexes by hash: with this index that is a few probes
-- instead of a scan of every doc (~8 -> ~2 ms per call at 1M articles)
CREATE INDEX terms_docs_h ON terms_docs (h);

CREATE TABLE terms_postings (
    term  VARCHAR NOT NULL,
    docs  INTEGER[] NOT NULL
);
