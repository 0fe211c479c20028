from pathlib import Path

from monitor.extract import Extractor, load_registry

REG = load_registry([Path(__file__).parent / "fixtures" / "officials-small.toml"], packaged=False)
EX = Extractor(REG)


def quotes(text):
    return EX.extract(text).quotes


def test_curly_quote_with_trailing_cue_phrase():
    (q,) = quotes(
        "“We expect talks soon,” Kremlin spokesperson Dmitry Peskov told a news briefing."
    )
    assert q.speaker == "Dmitry Peskov" and q.speaker_id == "ru-dmitry-peskov"
    assert q.cue == "told a news briefing" and q.speaker_kind == "registry"
    assert q.text == "We expect talks soon,"


def test_straight_quotes_said_name():
    (q,) = quotes('"The plan is dead and buried now," said Sergei Lavrov.')
    assert q.speaker == "Sergei Lavrov" and q.cue == "said"


def test_guillemets_and_colon_before():
    text = "Dmitry Peskov said: «We have no plans for a meeting yet.»"
    (q,) = quotes(text)
    assert q.speaker == "Dmitry Peskov"
    assert text[q.start : q.end] == q.text


def test_pronoun_attribution():
    text = "Dmitry Peskov spoke to reporters. “Contacts have taken place at many levels,” he added."
    (q,) = quotes(text)
    assert q.speaker == "Dmitry Peskov" and q.speaker_via_pronoun and q.cue == "added"


def test_pronoun_skips_names_inside_quotes():
    text = "Dmitry Peskov spoke. “We noted Mr. Macron's words on the matter,” he said."
    (q,) = quotes(text)
    assert q.speaker == "Dmitry Peskov"


def test_participle_cue_uses_sentence_subject():
    text = (
        "Emmanuel Macron spoke first. Peskov described Macron’s remarks as positive, stating: "
        "“We have noted Mr. Macron's statements on this.”"
    )
    text = "Dmitry Peskov was asked. " + text
    q = quotes(text)[-1]
    assert q.speaker == "Dmitry Peskov" and q.cue == "stating"


def test_role_only_speaker():
    (q,) = quotes("“There are no dates for the talks yet,” a Kremlin spokesperson said.")
    assert q.speaker_kind == "role" and q.speaker_country == "RU"
    assert q.speaker_role == "Kremlin spokesperson"


def test_unregistered_name_and_discovered_official():
    (q,) = quotes("“The ceasefire must hold this week,” Maria Santos said.")
    assert q.speaker == "Maria Santos" and q.speaker_kind == "name"
    (q,) = quotes("“We will not sign this deal,” Japanese Prime Minister Shigeru Ishiba said.")
    assert q.speaker_kind == "discovered" and q.speaker_id == "discovered:Shigeru Ishiba"
    assert q.speaker_country == "JP"


def test_surname_expands_to_full_unregistered_name():
    text = "Maria Santos arrived.\n\n“We are ready to talk to everyone,” Santos said."
    (q,) = quotes(text)
    assert q.speaker == "Maria Santos"


def test_paragraph_spanning_quote():
    text = (
        "Dmitry Peskov said: “The first part of the statement goes here.\n\n"
        "“And the second paragraph continues it.”\n\nAfter that, nothing."
    )
    (q,) = quotes(text)
    assert "first part" in q.text and "second paragraph" in q.text
    assert q.speaker == "Dmitry Peskov"


def test_partial_scare_quote():
    text = "Dmitry Peskov called the sanctions “illogical” on Monday."
    (q,) = quotes(text)
    assert q.partial and q.text == "illogical"


def test_continuation_quote_inherits_speaker():
    text = "“This is the first sentence of it,” Sergei Lavrov said. “And here is another one.”"
    qs = quotes(text)
    assert [q.speaker for q in qs] == ["Sergei Lavrov", "Sergei Lavrov"]


def test_dash_attribution():
    (q,) = quotes("“The debate showed who he really is.” ― Jorge Falcon")
    assert q.speaker == "Jorge Falcon"


def test_pronoun_subject_of_participle_cue():
    text = (
        "Sergey Lavrov said Moscow had warned Washington. He described the move as dangerous, "
        "saying: “This brings us to the edge.”"
    )
    (q,) = quotes(text)
    assert q.speaker == "Sergei Lavrov" and q.speaker_via_pronoun and q.cue == "saying"


PACKAGED_EX = Extractor(load_registry())


def speakers(text, ex=PACKAGED_EX):
    return [
        (q.speaker, q.speaker_kind, q.cue, q.speaker_via_pronoun) for q in ex.extract(text).quotes
    ]


def test_french_cues_after_the_quote():
    text = (
        "« La confrontation ne résoudra rien », a déclaré le président ukrainien, "
        "Volodymyr Zelensky, lors d'un point de presse à Kiev. "
        "« Nous ne céderons pas au chantage », a-t-il poursuivi. "
        "« Il est trop tôt pour parler d'une percée », a indiqué un porte-parole du ministère. "
        "« Il n'y a pas encore de date précise », affirme Zelensky."
    )
    assert speakers(text) == [
        ("Volodymyr Zelensky", "registry", "a déclaré", False),
        ("Volodymyr Zelensky", "registry", "a poursuivi", True),
        ("porte-parole du ministère", "role", "a indiqué", False),
        ("Volodymyr Zelensky", "registry", "affirme", False),
    ]


def test_french_cues_before_the_quote():
    text = (
        "Le chancelier allemand, Friedrich Merz, a déclaré : « Il faut un cessez-le-feu. » "
        "Selon Merz, « Nous avons pris note de ces déclarations. » "
        "Sergueï Lavrov a dit : « La balle est désormais dans leur camp. »"
    )
    assert [s[:3] for s in speakers(text)] == [
        ("Friedrich Merz", "registry", "a déclaré"),
        ("Friedrich Merz", "registry", "selon"),
        ("Sergei Lavrov", "registry", "a dit"),
    ]


def test_french_role_speaker_continues_with_pronoun():
    text = (
        "« Les contacts ont eu lieu », a confié un diplomate sous couvert d'anonymat.\n\n"
        "Les discussions reprendront.\n\n"
        "« Ces sanctions sont illégales et ne changeront rien », a-t-il ajouté."
    )
    assert [s[:2] for s in speakers(text)] == [("diplomate", "role"), ("diplomate", "role")]


def test_german_cues():
    text = (
        "Olaf Scholz sprach in Berlin. „Der Druck muss aufrechterhalten werden“, sagte Scholz "
        "vor Journalisten. „Es gibt noch keinen Termin“, so Scholz weiter. "
        "„Konfrontation löst keine Probleme“, sagte er. "
        "Ein Sprecher des Ministeriums sagte: „Wir haben die Äußerungen zur Kenntnis genommen.“"
    )
    assert [s[:2] for s in speakers(text)] == [
        ("Olaf Scholz", "registry"),
        ("Olaf Scholz", "registry"),
        ("Olaf Scholz", "registry"),
        ("Sprecher des Ministeriums", "role"),
    ]
    assert EX.extract(text).quotes[0].text == "Der Druck muss aufrechterhalten werden"


def test_spanish_cues():
    text = (
        "António Guterres habló en Lima. “La integración regional no puede esperar”, dijo "
        "Guterres a los periodistas. “Hemos logrado avances concretos”, afirmó Guterres. "
        "Un portavoz de la cancillería señaló: “El diálogo es el único camino.” "
        "Según Guterres, “La situación humanitaria es cada vez más grave.”"
    )
    assert [s[:3] for s in speakers(text)] == [
        ("António Guterres", "registry", "dijo"),
        ("António Guterres", "registry", "afirmó"),
        ("portavoz de la cancillería", "role", "señaló"),
        ("António Guterres", "registry", "según"),
    ]


def test_lowercase_particle_subject_after_verb():
    text = (
        "Ursula von der Leyen spoke in Brussels. "
        "“Air defence is the most urgent need right now,” said von der Leyen."
    )
    assert speakers(text)[0][:2] == ("Ursula von der Leyen", "registry")


def test_places_are_not_pronoun_antecedents():
    text = (
        "“Civilians pay the price,” UN spokesperson Stéphane Dujarric told a news briefing in "
        "New York. “Our appeal is less than a quarter funded,” he said."
    )
    assert [s[0] for s in speakers(text)] == ["Stéphane Dujarric", "Stéphane Dujarric"]
    text = (
        "Guterres said India and Brazil were partners in the Global South. "
        "“We are determined to double our trade,” he added."
    )
    assert speakers(text, EX)[0][0] != "Global South"


def test_any_alias_surname_resolves_after_a_full_name():
    text = (
        "Volodymyr Zelensky spoke in Kyiv. "
        "“Our position has not changed at all,” Zelenskyy told reporters."
    )
    assert speakers(text)[0][:2] == ("Volodymyr Zelensky", "registry")


def test_non_ascii_surnames_resolve():
    text = (
        "Turkish President Recep Tayyip Erdoğan said talks would continue. "
        "“We have always said that we are open,” Erdoğan told reporters."
    )
    assert speakers(text)[0][:2] == ("Recep Tayyip Erdoğan", "registry")


def test_honorific_runs_are_people_for_pronouns():
    text = "Mr. Kasowitz arrived late. “We will appeal this ruling quickly,” he said."
    (q,) = quotes(text)
    assert q.speaker == "Kasowitz" and q.speaker_via_pronoun


def test_pronoun_skips_people_named_inside_quotes_after_speed_up():
    text = (
        "John Smith spoke first. “Jane Doe is wrong about this,” he said. "
        "“We will not change course at all,” he added."
    )
    assert [q.speaker for q in quotes(text)] == ["John Smith", "John Smith"]


def test_cue_alternations_grouped_by_letter_match_the_flat_ones():
    """quotes._by_first_letter regroups the cue-verb alternations: every pattern built on it
    finds exactly what the flat alternation finds (spans and groups)."""
    import json
    import re
    from pathlib import Path

    from monitor.extract import quotes as q

    flat = {
        "tail_subj_verb": re.compile(
            rf"^\s*(?P<subj>[^!?;“”\"«»\n]{{1,140}}?)\s+{q._ADVERB}(?P<verb>{q._CUE_VERBS})\b"
            r"(?P<rest>[^.!?;“”\"«»\n]*)"
        ),
        "tail_verb_subj": re.compile(
            rf"^\s*,?\s*(?P<verb>{q._CUE_VERBS})\s+(?P<subj>[^!?;“”\"«»\n]{{1,140}})"
        ),
        "head_cue": re.compile(
            rf"(?P<verb>\b(?:{q._CUE_VERBS}|{q._PARTICIPLES}))\b(?P<rest>[^.!?“”\"«»]{{0,80}}?)"
            r"\s*(?:that\s*)?[,:]?\s*$"
        ),
        "cue_word": re.compile(rf"\b(?:{q._CUE_VERBS})\b"),
        "participle": re.compile(rf"^(?:{q._PARTICIPLES})$"),
    }
    grouped = {
        "tail_subj_verb": q._TAIL_SUBJ_VERB,
        "tail_verb_subj": q._TAIL_VERB_SUBJ,
        "head_cue": q._HEAD_CUE,
        "cue_word": q._CUE_WORD,
        "participle": q._PARTICIPLE_RE,
    }
    labelled = Path(__file__).parent / "labelled" / "passages.jsonl"
    texts = [json.loads(line)["text"] for line in labelled.read_text("utf-8").splitlines()]
    pieces = [t[i : i + 90] for t in texts for i in range(0, len(t), 7)]
    words = (q._CUE_VERBS + "|" + q._PARTICIPLES).replace("\\w", "w").split("|")
    pieces += [f"{w}" for w in words] + [f", {w} the minister" for w in words]
    pieces += [f"Mr. Smith also {w} that, " for w in words]
    for name, pattern in grouped.items():
        for s in pieces:
            a, b = flat[name].search(s), pattern.search(s)
            assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict())), (name, s)


def test_stop_and_mark_positions_equal_the_regex_scans():
    """quotes._sentence_ends tries _SENT_END at each stop found with str.find, _sentence_end
    reads them instead of searching, and find_spans takes the quote marks from str.find: the
    same offsets as the regex scans."""
    import json
    import re
    from pathlib import Path

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from monitor.extract import quotes as q

    def check(text: str) -> None:
        q._sentence_stops.cache_clear()
        assert q._sentence_ends(text) == tuple(m.end() for m in q._SENT_END.finditer(text))
        n = len(text)
        for pos in range(0, n + 1, max(1, n // 25)):
            for pe in range(pos, n + 1, max(1, n // 25)):
                m = q._SENT_END.search(text, pos, pe)
                expected = m.start() + 1 if m else pe
                for ch in q.OPENERS:
                    j = text.find(ch, pos, expected)
                    if j >= 0:
                        expected = j
                assert q._sentence_end(text, pos, pe) == expected, (text, pos, pe)
        assert q._positions(text, q._MARK_CHARS) == [m.start() for m in q._MARKS.finditer(text)]

    labelled = Path(__file__).parent / "labelled" / "passages.jsonl"
    for line in labelled.read_text("utf-8").splitlines():
        check(json.loads(line)["text"])
    pieces = st.sampled_from(
        [
            "Mr.",
            "Mrs.",
            "U.S.",
            "Sept.",
            "vs.",
            "a.",
            "Dr",
            ".",
            "!",
            "?",
            "”",
            "“",
            '"',
            "’",
            ")",
            "(",
            " ",
            "  ",
            "\n",
            "The",
            "x",
            "3",
            "«",
            "»",
            "„",
            "St.",
            "Gen.",
            "‘",
        ]
    )

    @settings(max_examples=500, deadline=None)
    @given(st.lists(pieces, max_size=30))
    def random_text(parts: list[str]) -> None:
        check("".join(parts))

    random_text()
    assert re.fullmatch(f"[{q._MARK_CHARS}]+", q._MARK_CHARS)


def test_tail_patterns_need_their_first_character():
    """_from_tail tries _TAIL_DASH, _TAIL_VERB_SUBJ and _TAIL_ACCORDING only when the tail's
    first non-space character is one they can start with: on random tails (hypothesis) and
    every labelled passage's tails, a pattern that matches always has that character."""
    import json
    from pathlib import Path

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from monitor.extract import quotes as q

    gates = [
        (q._TAIL_DASH, q._DASH_FIRST),
        (q._TAIL_VERB_SUBJ, q._VERB_SUBJ_FIRST),
        (q._TAIL_ACCORDING, q._ACCORDING_FIRST),
    ]

    def check(tail: str) -> None:
        for pattern, first in gates:
            if pattern.match(tail):
                assert tail.lstrip()[:1] in first, (pattern.pattern[:30], tail)

    words = q._CUE_VERBS.split("|") + ["according to", "he", "Peskov", "―", "—", "–", ","]
    labelled = Path(__file__).parent / "labelled" / "passages.jsonl"
    texts = [json.loads(line)["text"] for line in labelled.read_text("utf-8").splitlines()]
    for t in texts:
        for i in range(len(t)):
            if t[i] in q.CLOSERS:
                check(t[i + 1 : i + 120])
    for w in words:
        for lead in ("", " ", ", ", " \u00a0,\t"):
            check(f"{lead}{w} Sergei Lavrov said.")
            check(f"{lead}{w} Peskov")

    @settings(max_examples=3000, deadline=None)
    @given(
        st.lists(
            st.sampled_from(words + [" ", "\u2003", "\n", "A", "x", ".", "said", "the"]),
            max_size=8,
        )
    )
    def random_tails(parts: list[str]) -> None:
        check("".join(parts))
        check(" ".join(parts))

    random_tails()


def test_a_cue_verb_followed_only_by_whitespace_names_no_speaker():
    """A quote whose tail is the verb and trailing whitespace ("said  ", as a feed's text may
    end) used to raise IndexError in the tail's verb-subject reading, failing the article's
    extraction: it is a quote without a speaker, as with no tail at all."""
    from monitor.extract.quotes import find_quotes

    for text in ("“Hello there my friends,” said  ", "“Hello there my friends,” said \t"):
        found = find_quotes(text, [], {}, {})
        assert [(q.text, q.speaker) for q in found] == [("Hello there my friends,", None)]
    named = find_quotes("“Hello there my friends,” said Peskov  ", [], {}, {})
    assert [q.speaker for q in named] == ["Peskov"]
